import type { Kysely } from 'kysely';

// Calibrated weighting of a wave (README "Calibration"): the frame variables its
// respondents are calibrated to ("province,size_class,students"), null for none,
// and the method (linear or raking). Fixed for the wave's life like its weighting.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('waves')
    .addColumn('calibration', 'text')
    .addColumn('calibration_method', 'text', (c) => c.notNull().defaultTo('linear'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('waves').dropColumn('calibration_method').dropColumn('calibration').execute();
}
