import { type Kysely, sql } from 'kysely';

// A cache of protected report models of earlier waves (issue 13.8): a report deep
// in a series rebuilds every earlier wave for its trend; a closed wave's model
// changes only when its responses or its frame change, which its key records.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_cache')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('wave_id', 'integer', (c) => c.notNull().references('waves.id').onDelete('cascade'))
    .addColumn('model', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('report_cache_wave').on('report_cache').column('wave_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_cache').ifExists().execute();
}
