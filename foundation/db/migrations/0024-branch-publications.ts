import { type Kysely, sql } from 'kysely';

// "De branche in cijfers" published on the public results page: per frame year
// numbered versions of the protected figures, each with the CSV and PDF rendered
// once when it was published (as a wave's publication keeps its files).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('branch_publications')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('figures', 'text', (c) => c.notNull())
    .addColumn('csv', 'bytea', (c) => c.notNull())
    .addColumn('pdf', 'bytea', (c) => c.notNull())
    .addColumn('published_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('withdrawn_at', 'timestamptz')
    .addUniqueConstraint('branch_publications_year_version', ['year', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('branch_publications').ifExists().execute();
}
