import { type Kysely, sql } from 'kysely';

// Staff corrections of submitted answers (issue 22.1): the value before and after,
// who and why. The member reads them with its own answers; the audit log has the
// same change. Kept apart from the audit log because members read it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('answer_corrections')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('response_id', 'integer', (c) => c.notNull().references('responses.id').onDelete('cascade'))
    .addColumn('question_key', 'text', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('corrected_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('corrected_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('answer_corrections_response').on('answer_corrections').column('response_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('answer_corrections').ifExists().execute();
}
