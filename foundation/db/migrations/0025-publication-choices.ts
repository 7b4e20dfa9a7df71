import { type Kysely, sql } from 'kysely';

// A corrected choice answer changes published proportions as a corrected number
// changes totals: the options an organisation chose are kept with a publication
// version too, so the next version (and a later wave's previous, change and trend)
// is audited for choice answers as well. A row holds either a number or the
// chosen options (a single choice and a yes/no answer as one option).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('publication_answers')
    .alterColumn('value_num', (c) => c.dropNotNull())
    .execute();
  await db.schema.alterTable('publication_answers').addColumn('value_choices', sql`text[]`).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('publication_answers').where('value_num', 'is', null).execute();
  await db.schema.alterTable('publication_answers').dropColumn('value_choices').execute();
  await db.schema
    .alterTable('publication_answers')
    .alterColumn('value_num', (c) => c.setNotNull())
    .execute();
}
