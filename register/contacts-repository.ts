// All SQL on organisation_contacts (migration 0011): the addresses invitations and
// reminders go to, from the frame's e-mail column or the contacts CSV.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../foundation/db/schema';

type Db = Kysely<Database>;

export interface ContactInput {
  org_id: string;
  email: string;
  name: string;
}

/** Add contacts (an address already known for the organisation keeps its row; a name fills an empty one). */
export async function upsertContacts(db: Db, contacts: readonly ContactInput[]): Promise<number> {
  if (contacts.length === 0) return 0;
  const result = await db
    .insertInto('organisation_contacts')
    .values(contacts.map((c) => ({ org_id: c.org_id, email: c.email, name: c.name, source: 'import' as const })))
    .onConflict((oc) =>
      oc.columns(['org_id', 'email']).doUpdateSet({
        name: sql`case when excluded.name <> '' then excluded.name else organisation_contacts.name end`,
      }),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** Which of these ids are organisations of the frame (any year). */
export async function knownOrgIds(db: Db, orgIds: readonly string[]): Promise<Set<string>> {
  if (orgIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('organisations')
    .select('org_id')
    .where('org_id', 'in', [...orgIds])
    .execute();
  return new Set(rows.map((r) => r.org_id));
}

/** Which of these ids are organisations in the frame of `year`. */
export async function orgIdsInYear(db: Db, year: number, orgIds: readonly string[]): Promise<Set<string>> {
  if (orgIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('frame_units')
    .select('org_id')
    .where('year', '=', year)
    .where('org_id', 'in', [...orgIds])
    .execute();
  return new Set(rows.map((r) => r.org_id));
}

/**
 * The organisations that already have each of these addresses. No index on
 * email (migration 0028): each query reads the table once, the addresses a
 * hashed list, in slices that keep the parameter small.
 */
export async function orgsWithEmails(db: Db, emails: readonly string[]): Promise<Map<string, Set<string>>> {
  const byEmail = new Map<string, Set<string>>();
  for (let i = 0; i < emails.length; i += 20_000) {
    const rows = await db
      .selectFrom('organisation_contacts')
      .select(['email', 'org_id'])
      .where(sql<boolean>`email = any(${emails.slice(i, i + 20_000)}::text[])`)
      .execute();
    for (const r of rows) {
      const orgs = byEmail.get(r.email);
      if (orgs) orgs.add(r.org_id);
      else byEmail.set(r.email, new Set([r.org_id]));
    }
  }
  return byEmail;
}

/** The contacts of these organisations, per organisation, by address. */
export async function contactsOf(db: Db, orgIds: readonly string[]): Promise<Map<string, ContactInput[]>> {
  const byOrg = new Map<string, ContactInput[]>();
  if (orgIds.length === 0) return byOrg;
  const rows = await db
    .selectFrom('organisation_contacts')
    .select(['org_id', 'email', 'name'])
    .where('org_id', 'in', [...orgIds])
    .orderBy('org_id')
    .orderBy('email')
    .execute();
  for (const r of rows) byOrg.set(r.org_id, [...(byOrg.get(r.org_id) ?? []), r]);
  return byOrg;
}

export async function countContacts(db: Db): Promise<{ contacts: number; organisations: number }> {
  const row = await db
    .selectFrom('organisation_contacts')
    .select([sql<number>`count(*)::int`.as('contacts'), sql<number>`count(distinct org_id)::int`.as('organisations')])
    .executeTakeFirstOrThrow();
  return { contacts: Number(row.contacts), organisations: Number(row.organisations) };
}

/** Replace one organisation's contacts by these (a correction on the web). */
export async function replaceContactsOf(db: Db, orgId: string, contacts: readonly ContactInput[]): Promise<void> {
  const emails = contacts.map((c) => c.email);
  let removal = db.deleteFrom('organisation_contacts').where('org_id', '=', orgId);
  if (emails.length) removal = removal.where('email', 'not in', emails);
  await removal.execute();
  if (contacts.length === 0) return;
  await db
    .insertInto('organisation_contacts')
    .values(contacts.map((c) => ({ org_id: orgId, email: c.email, name: c.name, source: 'import' as const })))
    .onConflict((oc) => oc.columns(['org_id', 'email']).doUpdateSet({ name: sql`excluded.name` }))
    .execute();
}
