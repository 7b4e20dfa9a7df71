import { type Kysely, sql } from 'kysely';

// Publishing with care (issue 12.8, 13.7):
//  * a publication has versions at one address; publishing a wave again makes a new
//    version and the address shows the newest; `provisional` marks one made while
//    the wave was still open ("voorlopige cijfers");
//  * its downloads and chart images are rendered once, at publication, and served
//    as stored bytes (anonymous requests never render a PDF);
//  * the release log lists everything that left the tool: publications, exports,
//    withdrawals — who, which wave, which view, which format, when.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table publications drop constraint if exists publications_slug_key`.execute(db);
  await db.schema
    .alterTable('publications')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('wave_slug', 'text')
    .addColumn('provisional', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('replaced_at', 'timestamptz')
    .execute();
  await sql`update publications set wave_slug = report->'wave'->>'slug'`.execute(db);
  await db.schema
    .createIndex('publications_slug_version')
    .on('publications')
    .columns(['slug', 'version'])
    .unique()
    .execute();
  await db.schema
    .createTable('publication_files')
    .addColumn('publication_id', 'integer', (c) => c.notNull().references('publications.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('publication_files_pk', ['publication_id', 'name'])
    .execute();
  await db.schema
    .createTable('release_log')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('publication', 'export', 'withdrawal')`))
    .addColumn('wave_slug', 'text', (c) => c.notNull())
    .addColumn('view', 'jsonb', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('publication_slug', 'text')
    .addColumn('publication_version', 'integer')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('web'))
    .execute();
  await db.schema.createIndex('release_log_at').on('release_log').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('release_log').ifExists().execute();
  await db.schema.dropTable('publication_files').ifExists().execute();
  await db.schema.dropIndex('publications_slug_version').ifExists().execute();
  await db.schema
    .alterTable('publications')
    .dropColumn('replaced_at')
    .dropColumn('provisional')
    .dropColumn('wave_slug')
    .dropColumn('version')
    .execute();
}
