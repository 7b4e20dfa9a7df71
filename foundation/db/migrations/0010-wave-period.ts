import type { Kysely } from 'kysely';

// The reference period of a wave (README "Questionnaires"): the months its questions ask about
// ("deze periode"), named on the form, the reports, the PDF and the public page.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('waves').addColumn('period_start', 'date').addColumn('period_end', 'date').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('waves').dropColumn('period_end').dropColumn('period_start').execute();
}
