import { type Kysely, sql } from 'kysely';

// Mail goes out in the background: requests only add a row to mail_queue, and a
// worker in every app instance claims rows (FOR UPDATE SKIP LOCKED), sends them and
// records the result in mail_messages. frame_uploads keeps the preview summary,
// computed once at upload, so showing the preview never parses the file again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_queue')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    // Holds the link (with its token) only until the message is sent; then redacted.
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('related_org_id', 'text')
    .addColumn('related_wave_id', 'integer')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('queued').check(sql`status in ('queued', 'sending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('locked_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('mail_message_id', 'integer', (c) => c.references('mail_messages.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('mail_queue_due').on('mail_queue').columns(['status', 'next_attempt_at']).execute();
  await db.schema.alterTable('frame_uploads').addColumn('summary', 'jsonb').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('frame_uploads').dropColumn('summary').execute();
  await db.schema.dropTable('mail_queue').ifExists().execute();
}
