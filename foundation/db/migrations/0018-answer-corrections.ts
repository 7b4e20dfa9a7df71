import { type Kysely, sql } from 'kysely';

// Staff corrections of submitted answers (issue 22.1): the value before and after,
// who and why. The member reads them with its own answers; the audit log has the
// same change. Kept apart from the audit log because members read it.
//
// The numeric answers a publication version was built from (issue 22.3): a new
// version of the address is audited against them (which organisations changed,
// and whether one dominates a changed figure) before it is released.
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
  await db.schema
    .createTable('publication_answers')
    .addColumn('publication_id', 'integer', (c) => c.notNull().references('publications.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('question_key', 'text', (c) => c.notNull())
    .addColumn('value_num', 'numeric', (c) => c.notNull())
    .addPrimaryKeyConstraint('publication_answers_pk', ['publication_id', 'org_id', 'question_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('publication_answers').ifExists().execute();
  await db.schema.dropTable('answer_corrections').ifExists().execute();
}
