// Invitations and reminders for a wave (account invitations are
// accounts/invitations.ts). Each chosen organisation is reached at
// every address it has: the active member accounts bound to it and its contact
// addresses (organisation_contacts, from the frame or the contacts CSV). A
// contact without an account gets a member account for the organisation and a
// set-password link; an account that never set a password gets a new link; the
// others get the questionnaire's address. Reminders go only to organisations
// that have not submitted. The messages go into the mail queue (one transaction
// with their accounts and link tokens); the worker sends them and logs each
// (mail_messages, with organisation and wave), visible to staff.
import type { Kysely } from 'kysely';
import { issueToken } from '../../accounts/accounts';
import { inviteLink } from '../../accounts/invitations';
import { findUserByEmail, insertUser } from '../../accounts/users-repository';
import { contactsOf } from '../../analysis/frame/contacts-repository';
import { recordAudit } from '../../foundation/audit/audit-log';
import type { Database, User } from '../../foundation/db/schema';
import { inTransaction } from '../../foundation/db/transaction';
import { enqueueMail } from '../../foundation/mail/mail-queue';
import { formatDate } from '../../foundation/numbers/format-dutch';
import { type Locale, t } from '../../views/i18n/index';
import { nonResponders } from './monitoring';
import { accountsOfOrganisations, frameOrganisations } from './wave-mailings-repository';
import type { WaveRow } from './waves-repository';

type Db = Kysely<Database>;

export type MailKind = 'invitation' | 'reminder';
/** Everyone in the wave's frame, its members (`lid`), those who have not submitted, or a chosen list. */
export type Audience = 'all' | 'members' | 'not_responded' | 'selection';

export interface MailRequest {
  wave: WaveRow;
  kind: MailKind;
  audience: Audience;
  /** The chosen organisations for `selection`. */
  orgIds?: readonly string[];
}

export interface Recipient {
  email: string;
  name: string;
  /** An account to create (a contact without one), one without a password yet, or one that can log in. */
  account: 'new' | 'pending' | 'active';
}

export interface MailPlan {
  /** Organisations chosen (reminders: only those without a submitted response). */
  organisations: { org_id: string; name: string }[];
  reached: { org_id: string; name: string; recipients: Recipient[] }[];
  /** Chosen organisations without any address we may write to. */
  withoutAddress: { org_id: string; name: string }[];
  /**
   * Addresses that several chosen organisations share and that have no account yet:
   * an account belongs to one organisation, so the first organisation gets the
   * invitation and the others are named here (and count as without an address).
   */
  shared: { email: string; org_id: string; name: string; usedBy: string }[];
  messages: number;
}

async function chosenOrganisations(db: Db, request: MailRequest): Promise<{ org_id: string; name: string }[]> {
  const { wave } = request;
  // A reminder never goes to an organisation that has submitted.
  if (request.kind === 'reminder' || request.audience === 'not_responded') {
    const missing = (await nonResponders(db, wave)).map((o) => ({ org_id: o.org_id, name: o.name }));
    if (request.audience !== 'selection') return missing;
    const chosen = new Set(request.orgIds ?? []);
    return missing.filter((o) => chosen.has(o.org_id));
  }
  return frameOrganisations(db, wave, {
    membersOnly: request.audience === 'members',
    orgIds: request.audience === 'selection' ? (request.orgIds ?? []) : undefined,
  });
}

/** Who would get what: the preview of a mailing, and what queueWaveMails sends. */
export async function planWaveMails(db: Db, request: MailRequest): Promise<MailPlan> {
  const organisations = await chosenOrganisations(db, request);
  const ids = organisations.map((o) => o.org_id);
  const [contacts, users] = await Promise.all([contactsOf(db, ids), accountsOfOrganisations(db, ids)]);
  const userByEmail = new Map(users.map((u) => [u.email, u]));
  const plan: MailPlan = { organisations, reached: [], withoutAddress: [], shared: [], messages: 0 };
  // A new account per address, for the first organisation that has it (one account, one organisation).
  const claimed = new Map<string, string>();
  for (const org of organisations) {
    const recipients = new Map<string, Recipient>();
    for (const u of users)
      if (u.org_id === org.org_id && u.role === 'member' && u.active)
        recipients.set(u.email, { email: u.email, name: u.name, account: u.password_hash ? 'active' : 'pending' });
    for (const c of contacts.get(org.org_id) ?? []) {
      if (recipients.has(c.email)) continue;
      const user = userByEmail.get(c.email);
      // An address that belongs to another account (staff, another organisation, deactivated) is not used.
      if (user) continue;
      const owner = claimed.get(c.email);
      if (owner !== undefined && owner !== org.org_id) {
        plan.shared.push({ email: c.email, org_id: org.org_id, name: org.name, usedBy: owner });
        continue;
      }
      claimed.set(c.email, org.org_id);
      recipients.set(c.email, { email: c.email, name: c.name, account: 'new' });
    }
    if (recipients.size === 0) plan.withoutAddress.push(org);
    else {
      plan.reached.push({ ...org, recipients: [...recipients.values()] });
      plan.messages += recipients.size;
    }
  }
  return plan;
}

export interface MailResult {
  queued: number;
  organisations: number;
  reached: number;
  accountsCreated: number;
  withoutAddress: { org_id: string; name: string }[];
}

export async function queueWaveMails(
  db: Db,
  args: MailRequest & { actor: User; publicUrl: string; locale: Locale },
): Promise<MailResult> {
  return inTransaction(db, async (trx) => {
    const plan = await planWaveMails(trx, args);
    const { wave, kind, locale } = args;
    const surveyLink = `${args.publicUrl}/vragenlijst/${wave.slug}`;
    let queued = 0;
    let accountsCreated = 0;
    for (const org of plan.reached) {
      for (const recipient of org.recipients) {
        let user: User;
        if (recipient.account === 'new') {
          user = await insertUser(trx, {
            email: recipient.email,
            name: recipient.name,
            role: 'member',
            org_id: org.org_id,
          });
          await recordAudit(trx, {
            actorUserId: args.actor.id,
            action: 'user.create',
            entity: 'user',
            entityId: user.id,
            details: { email: user.email, role: user.role, org_id: user.org_id, via: `wave.${kind}` },
          });
          accountsCreated++;
        } else {
          const found = await findUserByEmail(trx, recipient.email);
          if (!found) throw new Error(`no account for ${recipient.email}`);
          user = found;
        }
        const link = user.password_hash
          ? surveyLink
          : inviteLink(args.publicUrl, await issueToken(trx, user.id, 'invite'));
        await enqueueMail(trx, {
          to: user.email,
          subject: t(locale, `mail.${kind}.subject`, { wave: wave.name }),
          text: t(locale, `mail.${kind}.body`, {
            name: user.name || user.email,
            wave: wave.name,
            closes: wave.closes_at ? t(locale, 'mail.wave.closes', { date: formatDate(wave.closes_at, locale) }) : '',
            link,
            how: t(locale, user.password_hash ? 'mail.wave.login' : 'mail.wave.set_password'),
          }),
          kind,
          relatedOrgId: org.org_id,
          relatedWaveId: wave.id,
        });
        queued++;
      }
    }
    await recordAudit(trx, {
      actorUserId: args.actor.id,
      action: `wave.${kind}`,
      entity: 'wave',
      entityId: wave.id,
      details: {
        audience: args.audience,
        organisations: plan.organisations.length,
        without_address: plan.withoutAddress.length,
        accounts_created: accountsCreated,
        queued,
      },
    });
    return {
      queued,
      organisations: plan.organisations.length,
      reached: plan.reached.length,
      accountsCreated,
      withoutAddress: plan.withoutAddress,
    };
  });
}

/** A sample of the mail as the first recipient would get it (link left out), for the preview. */
export function sampleMail(
  plan: MailPlan,
  request: MailRequest,
  locale: Locale,
): { subject: string; text: string } | null {
  const first = plan.reached[0]?.recipients[0];
  if (!first) return null;
  const { wave, kind } = request;
  return {
    subject: t(locale, `mail.${kind}.subject`, { wave: wave.name }),
    text: t(locale, `mail.${kind}.body`, {
      name: first.name || first.email,
      wave: wave.name,
      closes: wave.closes_at ? t(locale, 'mail.wave.closes', { date: formatDate(wave.closes_at, locale) }) : '',
      link: t(locale, 'monitor.mail.link_placeholder'),
      how: t(locale, first.account === 'active' ? 'mail.wave.login' : 'mail.wave.set_password'),
    }),
  };
}
