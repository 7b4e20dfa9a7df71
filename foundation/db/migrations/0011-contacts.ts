import { type Kysely, sql } from 'kysely';

// Contact addresses of organisations (issue 14): from the frame's e-mail columns
// or a separate contacts CSV. Invitations and reminders go to these addresses; a
// member account is created for a contact that has none.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisation_contacts')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.org_id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('frame', 'import')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('organisation_contacts_pkey', ['org_id', 'email'])
    .execute();
  await db.schema.createIndex('organisation_contacts_email').on('organisation_contacts').column('email').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('organisation_contacts').execute();
}
