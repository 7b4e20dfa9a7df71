import { type Kysely, sql } from 'kysely';

// One account for several organisations (issue 21): a director of two schools
// answers for each. users.org_id stays the account's first organisation; this
// table holds the further organisations the account may answer for (granted by
// an invitation to a shared contact address, or by staff). The member chooses
// the active one after login (kept in the session).
// Also the wave's own invitation and reminder texts (plain text with placeholders
// such as {organisatie}; null: the standard text).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('waves').addColumn('invitation_text', 'text').addColumn('reminder_text', 'text').execute();
  await db.schema
    .createTable('user_organisations')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.org_id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('user_organisations_pkey', ['user_id', 'org_id'])
    .execute();
  await db.schema.createIndex('user_organisations_org').on('user_organisations').column('org_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user_organisations').execute();
  await db.schema.alterTable('waves').dropColumn('reminder_text').dropColumn('invitation_text').execute();
}
