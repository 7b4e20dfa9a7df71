import type { Kysely } from 'kysely';

// Where a member left a draft (issue 14.7): the questionnaire page to continue on
// when they come back (the page count plus one means the review page). Set when a
// page is saved or left; null for a response that was imported or never opened.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('responses').addColumn('resume_page', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('responses').dropColumn('resume_page').execute();
}
