import { type Kysely, sql } from 'kysely';

// Plausible data (issue 14.7). A member who keeps an answer that a soft check
// questioned (more students quit than the school has, a loss above its turnover,
// ten times last wave's value) confirms it with a short reason: kept per answer,
// for the value it was given for. Staff who ask an organisation to check its
// submitted response reopen it with a message, shown on the member's form until
// the organisation submits again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('answer_confirmations')
    .addColumn('response_id', 'integer', (c) => c.notNull().references('responses.id').onDelete('cascade'))
    .addColumn('question_key', 'text', (c) => c.notNull())
    // The answer as confirmed (canonical text); a changed value is no longer confirmed.
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('confirmed_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('confirmed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('answer_confirmations_pkey', ['response_id', 'question_key'])
    .execute();
  await db.schema
    .alterTable('responses')
    .addColumn('review_message', 'text')
    .addColumn('review_requested_at', 'timestamptz')
    .addColumn('review_requested_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('responses')
    .dropColumn('review_requested_by')
    .dropColumn('review_requested_at')
    .dropColumn('review_message')
    .execute();
  await db.schema.dropTable('answer_confirmations').execute();
}
