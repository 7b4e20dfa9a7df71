// Correcting one organisation's contacts on the web (Populatie → "Contact van een
// organisatie corrigeren"): its addresses and contact names as a whole. An empty
// address removes that contact; a bad address is an error at its field and nothing
// is changed. The before and after go into the audit log.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../foundation/audit/audit-log';
import type { Database, User } from '../foundation/db/schema';
import { formText } from '../foundation/form-fields';
import { type ContactInput, contactsOf, replaceContactsOf } from './contacts-repository';
import { splitEmails } from './frame-columns';

type Db = Kysely<Database>;

export const MAX_CONTACT_ROWS_PER_ORG = 10;
const MAX_NAME = 200;

export interface CorrectionError {
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

/** The posted rows: email_0/name_0 … email_9/name_9. */
export const contactsCorrectionForm = z.object(
  Object.fromEntries(
    Array.from({ length: MAX_CONTACT_ROWS_PER_ORG }, (_, i) => [
      [`email_${i}`, formText],
      [`name_${i}`, formText],
    ]).flat(),
  ) as Record<string, typeof formText>,
);

/** Read the posted rows: the contacts, or every error at its field. Pure. */
export function readCorrection(
  orgId: string,
  values: Record<string, string>,
): { contacts: ContactInput[]; errors: CorrectionError[] } {
  const contacts = new Map<string, ContactInput>();
  const errors: CorrectionError[] = [];
  for (let i = 0; i < MAX_CONTACT_ROWS_PER_ORG; i++) {
    const raw = (values[`email_${i}`] ?? '').trim();
    const name = (values[`name_${i}`] ?? '').trim();
    if (!raw) {
      if (name) errors.push({ field: `email_${i}`, key: 'contacts.correct.email_missing' });
      continue;
    }
    const { emails, bad } = splitEmails(raw);
    if (bad !== null || emails.length !== 1) {
      errors.push({ field: `email_${i}`, key: 'contacts.correct.email_invalid', params: { value: raw.slice(0, 80) } });
      continue;
    }
    if (name.length > MAX_NAME) {
      errors.push({ field: `name_${i}`, key: 'contacts.correct.name_too_long', params: { max: MAX_NAME } });
      continue;
    }
    contacts.set(emails[0], { org_id: orgId, email: emails[0], name });
  }
  return { contacts: [...contacts.values()], errors };
}

/** Store the corrected contacts of one organisation, with the before and after in the audit log. */
export async function correctContacts(
  db: Db,
  args: { orgId: string; contacts: readonly ContactInput[]; actor: User },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = (await contactsOf(trx, [args.orgId])).get(args.orgId) ?? [];
    await replaceContactsOf(trx, args.orgId, args.contacts);
    await recordAudit(trx, {
      actorUserId: args.actor.id,
      action: 'contacts.correct',
      entity: 'organisation',
      entityId: args.orgId,
      details: {
        before: before.map((c) => ({ email: c.email, name: c.name })),
        after: args.contacts.map((c) => ({ email: c.email, name: c.name })),
      },
    });
  });
}
