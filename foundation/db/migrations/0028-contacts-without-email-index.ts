import type { Kysely } from 'kysely';

// The index on organisation_contacts(email) served one query: which organisations
// already have the addresses of a contacts CSV (contacts-repository.ts), run once
// per contacts import. Every frame import paid for it instead: each of up to
// 100 000 frame contacts went into a second text index, 0.3–0.5 s of the import's
// time in the database (DESIGN 8: within 5× `psql \copy`). That query now reads
// the table once with the addresses as a hashed list, milliseconds at that size.
// The primary key (org_id, email) serves every lookup by organisation.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('organisation_contacts_email').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('organisation_contacts_email').on('organisation_contacts').column('email').execute();
}
