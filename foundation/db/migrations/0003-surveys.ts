import { type Kysely, sql } from 'kysely';

// Questionnaires, waves, responses and their answers (stored long: one row per
// response × question with typed value columns, so aggregation is a GROUP BY).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('survey_definitions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title_nl', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('loaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('loaded_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addUniqueConstraint('survey_definitions_key_version', ['key', 'version'])
    .execute();

  await db.schema
    .createTable('waves')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('survey_id', 'integer', (c) => c.notNull().references('survey_definitions.id'))
    .addColumn('frame_year', 'integer', (c) => c.notNull())
    .addColumn('opens_at', 'timestamptz')
    .addColumn('closes_at', 'timestamptz')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('draft').check(sql`status in ('draft', 'open', 'closed')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('responses')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('wave_id', 'integer', (c) => c.notNull().references('waves.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.org_id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'submitted')`))
    // Optimistic concurrency: every save states the version it started from.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('web'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('submitted_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addUniqueConstraint('responses_wave_org', ['wave_id', 'org_id'])
    .execute();

  await db.schema
    .createTable('answers')
    .addColumn('response_id', 'integer', (c) => c.notNull().references('responses.id').onDelete('cascade'))
    .addColumn('question_key', 'text', (c) => c.notNull())
    // A question hidden by visible_if: outside the question's domain, not missing.
    .addColumn('hidden', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('value_num', 'numeric')
    .addColumn('value_text', 'text')
    .addColumn('value_bool', 'boolean')
    .addColumn('value_choices', sql`text[]`)
    .addPrimaryKeyConstraint('answers_pk', ['response_id', 'question_key'])
    .execute();
  await db.schema.createIndex('answers_question').on('answers').columns(['question_key', 'response_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['answers', 'responses', 'waves', 'survey_definitions']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
