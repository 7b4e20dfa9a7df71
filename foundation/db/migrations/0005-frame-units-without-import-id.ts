import type { Kysely } from 'kysely';

// frame_units.import_id repeated what frame_imports already says (an import
// replaces a whole year, so every unit of a year comes from that year's latest
// import), and its foreign key cost a trigger per imported row.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('frame_units').dropColumn('import_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('frame_units')
    .addColumn('import_id', 'integer', (c) => c.references('frame_imports.id'))
    .execute();
}
