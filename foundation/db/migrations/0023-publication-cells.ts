import type { Kysely } from 'kysely';

// Every cell of a wave as a publication of that wave released it (issue 22.3): the
// wave's report with every cell of its universe, protected, kept with the version.
// A later wave's report shows these values in its previous, change and trend
// columns instead of recomputed ones while the wave's answers changed since in a
// way that would single out one organisation (analysis/report/report-compare.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('publication_cells')
    .addColumn('publication_id', 'integer', (c) => c.primaryKey().references('publications.id').onDelete('cascade'))
    .addColumn('model', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('publication_cells').ifExists().execute();
}
