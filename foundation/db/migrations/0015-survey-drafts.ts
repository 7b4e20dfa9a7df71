import { type Kysely, sql } from 'kysely';

// Questionnaires edited in the browser (issue 15): a draft is saved as it is, also
// with errors; "vastleggen" validates it and stores it as the next immutable
// version in survey_definitions. One draft per questionnaire key at a time;
// `revision` is the optimistic-concurrency counter of every edit.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('survey_drafts')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('based_on_version', 'integer')
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('survey_drafts').execute();
}
