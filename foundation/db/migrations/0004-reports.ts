import { type Kysely, sql } from 'kysely';

// Saved report settings and published (frozen) reports.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_settings')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('wave_slug', 'text', (c) => c.notNull())
    .addColumn('stratify', 'text', (c) => c.notNull())
    .addColumn('by_variable', 'text')
    .addColumn('questions', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('publications')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    // The protected report model and the questionnaire, frozen at publication.
    .addColumn('report', 'jsonb', (c) => c.notNull())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('published_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('withdrawn_at', 'timestamptz')
    .execute();
  // Moderation of free-text answers whose respondent consented to publication.
  await db.schema
    .createTable('text_reviews')
    .addColumn('response_id', 'integer', (c) => c.notNull().references('responses.id').onDelete('cascade'))
    .addColumn('question_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('approved', 'rejected')`))
    .addColumn('reviewed_text', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('text_reviews_pk', ['response_id', 'question_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('text_reviews').ifExists().execute();
  await db.schema.dropTable('publications').ifExists().execute();
  await db.schema.dropTable('report_settings').ifExists().execute();
}
