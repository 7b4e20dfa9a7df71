import { type Kysely, sql } from 'kysely';

// What a member typed that is not an answer yet (issue 21.2): a number we read
// two ways and asked about, or one we could not read. The autosave keeps it as
// typed so a reload shows it again with the question, instead of an empty field
// under "Automatisch opgeslagen". Cleared when the field holds a valid answer.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('pending_inputs')
    .addColumn('response_id', 'integer', (c) => c.notNull().references('responses.id').onDelete('cascade'))
    .addColumn('question_key', 'text', (c) => c.notNull())
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('pending_inputs_pkey', ['response_id', 'question_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('pending_inputs').execute();
}
