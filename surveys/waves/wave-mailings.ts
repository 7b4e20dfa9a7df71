// Invitations and reminders for a wave (account invitations are
// accounts/invitations.ts). Each chosen organisation is reached at every address
// it has: the active member accounts bound or linked to it and its contact
// addresses (organisation_contacts, from the frame or the contacts CSV). One
// address gets one message however many of the chosen organisations it serves
// (one director, two schools): its account answers for each of them
// (user_organisations), and the member chooses which one after login. A contact
// without an account gets a member account and a set-password link; an account
// that never set a password gets a new link; the others get the questionnaire's
// address. Reminders go only to organisations that have not submitted.
//
// planWaveMails is the one plan behind the preview and the send: what the preview
// counts is what goes out. queueWaveMails queues each message in a transaction of
// its own (its account, links, token and queue row), so a message that fails is
// reported with its organisations and reason while the others go out. The worker
// sends them and logs each (mail_messages, with organisation and wave).
import type { Kysely } from 'kysely';
import { issueToken } from '../../accounts/accounts';
import { inviteLink } from '../../accounts/invitations';
import {
  findUserByEmail,
  insertUser,
  linksToOrganisations,
  linkUserToOrganisation,
} from '../../accounts/users-repository';
import { recordAudit } from '../../foundation/audit/audit-log';
import type { Database, User } from '../../foundation/db/schema';
import { enqueueMail } from '../../foundation/mail/mail-queue';
import { formatDate } from '../../foundation/numbers/format-dutch';
import { contactsOf } from '../../register/contacts-repository';
import { type Locale, t } from '../../views/i18n/index';
import { fillMailText } from './mail-texts';
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

export interface Organisation {
  org_id: string;
  name: string;
}

/** One message: one address, for every chosen organisation it serves. */
export interface Delivery extends Recipient {
  organisations: Organisation[];
}

export interface MailPlan {
  /** Organisations chosen (reminders: only those without a submitted response). */
  organisations: Organisation[];
  /** The organisations reached, each with its addresses (an address may serve several). */
  reached: (Organisation & { recipients: Recipient[] })[];
  /** Chosen organisations without any address we may write to. */
  withoutAddress: Organisation[];
  /** The messages: one per address, in the order of the organisations. */
  deliveries: Delivery[];
  /** Addresses that serve more than one of the chosen organisations: one account, one message for all of them. */
  shared: Delivery[];
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

/**
 * Who would get what: the preview of a mailing, and what queueWaveMails sends (one
 * function for both, so the preview's counts are the send's). A member account of
 * another organisation whose address is a contact of this one serves both; an
 * address that belongs to a staff account or a deactivated one is not used.
 */
export async function planWaveMails(db: Db, request: MailRequest): Promise<MailPlan> {
  const organisations = await chosenOrganisations(db, request);
  const ids = organisations.map((o) => o.org_id);
  const [contacts, users, links] = await Promise.all([
    contactsOf(db, ids),
    accountsOfOrganisations(db, ids),
    linksToOrganisations(db, ids),
  ]);
  const userByEmail = new Map(users.map((u) => [u.email, u]));
  const linked = new Set(links.map((l) => `${l.user_id} ${l.org_id}`));
  const deliveries = new Map<string, Delivery>();
  const plan: MailPlan = { organisations, reached: [], withoutAddress: [], deliveries: [], shared: [], messages: 0 };
  for (const org of organisations) {
    const recipients = new Map<string, Recipient>();
    for (const u of users) {
      const serves = u.org_id === org.org_id || linked.has(`${u.id} ${org.org_id}`);
      if (serves && u.role === 'member' && u.active)
        recipients.set(u.email, { email: u.email, name: u.name, account: u.password_hash ? 'active' : 'pending' });
    }
    for (const c of contacts.get(org.org_id) ?? []) {
      if (recipients.has(c.email)) continue;
      const user = userByEmail.get(c.email);
      if (!user) recipients.set(c.email, { email: c.email, name: c.name, account: 'new' });
      else if (user.role === 'member' && user.active)
        recipients.set(c.email, {
          email: c.email,
          name: user.name || c.name,
          account: user.password_hash ? 'active' : 'pending',
        });
    }
    if (recipients.size === 0) {
      plan.withoutAddress.push(org);
      continue;
    }
    plan.reached.push({ ...org, recipients: [...recipients.values()] });
    for (const recipient of recipients.values()) {
      const delivery = deliveries.get(recipient.email);
      if (delivery) delivery.organisations.push(org);
      else deliveries.set(recipient.email, { ...recipient, organisations: [org] });
    }
  }
  plan.deliveries = [...deliveries.values()];
  plan.shared = plan.deliveries.filter((d) => d.organisations.length > 1);
  plan.messages = plan.deliveries.length;
  return plan;
}

export interface MailFailure {
  email: string;
  organisations: Organisation[];
  reason: string;
}

export interface MailResult {
  queued: number;
  organisations: number;
  reached: number;
  accountsCreated: number;
  withoutAddress: Organisation[];
  /** Messages that could not be queued, with their organisations and why; the others went out. */
  failed: MailFailure[];
}

function mailText(
  delivery: Delivery,
  request: MailRequest,
  locale: Locale,
  link: string,
  canLogIn: boolean,
  sender: string,
): { subject: string; text: string } {
  const { wave, kind } = request;
  const names = delivery.organisations.map((o) => o.name || o.org_id);
  const and = t(locale, 'mail.wave.and');
  const organisations = names.length > 1 ? `${names.slice(0, -1).join(', ')} ${and} ${names.at(-1)}` : names[0];
  const how = t(locale, canLogIn ? 'mail.wave.login' : 'mail.wave.set_password');
  const closes = wave.closes_at ? formatDate(wave.closes_at, locale) : '';
  const subject = t(locale, `mail.${kind}.subject`, { wave: wave.name });
  // The wave's own text (checked when it was saved), else the standard one.
  const own = kind === 'invitation' ? wave.invitation_text : wave.reminder_text;
  if (own)
    return {
      subject,
      text: fillMailText(own, {
        naam: delivery.name || delivery.email,
        organisatie: organisations ?? '',
        meting: wave.name,
        sluitdatum: closes,
        link: `${how}\n${link}`,
        afzender: sender,
      }),
    };
  return {
    subject,
    text: t(locale, `mail.${kind}.body`, {
      name: delivery.name || delivery.email,
      wave: wave.name,
      closes: closes ? t(locale, 'mail.wave.closes', { date: closes }) : '',
      for: names.length > 1 ? t(locale, 'mail.wave.several', { n: String(names.length), organisations }) : '',
      link,
      how,
      sender,
    }),
  };
}

/** Queue one message: its account (created or found), links to its organisations, token and queue row. */
async function queueDelivery(
  trx: Db,
  delivery: Delivery,
  args: MailRequest & { actor: User; publicUrl: string; locale: Locale; sender: string },
): Promise<{ created: boolean }> {
  const { wave, kind } = args;
  const [first] = delivery.organisations;
  let user = await findUserByEmail(trx, delivery.email);
  let created = false;
  if (!user) {
    user = await insertUser(trx, { email: delivery.email, name: delivery.name, role: 'member', org_id: first.org_id });
    await recordAudit(trx, {
      actorUserId: args.actor.id,
      action: 'user.create',
      entity: 'user',
      entityId: user.id,
      details: { email: user.email, role: user.role, org_id: user.org_id, via: `wave.${kind}` },
    });
    created = true;
  } else if (user.role !== 'member' || !user.active) {
    throw new Error(t(args.locale, 'monitor.mail.failed_not_member'));
  }
  for (const org of delivery.organisations) {
    if (await linkUserToOrganisation(trx, user.id, org.org_id))
      await recordAudit(trx, {
        actorUserId: args.actor.id,
        action: 'user.link_organisation',
        entity: 'user',
        entityId: user.id,
        details: { email: user.email, org_id: org.org_id, via: `wave.${kind}` },
      });
  }
  const link = user.password_hash
    ? `${args.publicUrl}/vragenlijst/${wave.slug}`
    : inviteLink(args.publicUrl, await issueToken(trx, user.id, 'invite'));
  const mail = mailText(
    { ...delivery, name: user.name || delivery.name },
    args,
    args.locale,
    link,
    !!user.password_hash,
    args.sender,
  );
  await enqueueMail(trx, {
    to: user.email,
    subject: mail.subject,
    text: mail.text,
    kind,
    relatedOrgId: first.org_id,
    relatedWaveId: wave.id,
  });
  return { created };
}

/**
 * Queue the mailing: each message in its own transaction, so one that fails (an
 * address taken meanwhile, a database error) is rolled back alone and reported with
 * its organisations; the rest go out. `db` must not be a transaction.
 */
export async function queueWaveMails(
  db: Db,
  args: MailRequest & { actor: User; publicUrl: string; locale: Locale; sender: string },
): Promise<MailResult> {
  const plan = await planWaveMails(db, args);
  const { wave, kind } = args;
  let queued = 0;
  let accountsCreated = 0;
  const failed: MailFailure[] = [];
  for (const delivery of plan.deliveries) {
    try {
      const { created } = await db.transaction().execute((trx) => queueDelivery(trx, delivery, args));
      queued++;
      if (created) accountsCreated++;
    } catch (error) {
      failed.push({
        email: delivery.email,
        organisations: delivery.organisations,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  await recordAudit(db, {
    actorUserId: args.actor.id,
    action: `wave.${kind}`,
    entity: 'wave',
    entityId: wave.id,
    details: {
      audience: args.audience,
      organisations: plan.organisations.length,
      without_address: plan.withoutAddress.length,
      shared_addresses: plan.shared.length,
      accounts_created: accountsCreated,
      queued,
      failed: failed.map((f) => ({ email: f.email, org_ids: f.organisations.map((o) => o.org_id), reason: f.reason })),
    },
  });
  return {
    queued,
    organisations: plan.organisations.length,
    reached: plan.reached.length,
    accountsCreated,
    withoutAddress: plan.withoutAddress,
    failed,
  };
}

/** A sample of the mail as the first recipient would get it (link left out), for the preview. */
export function sampleMail(
  plan: MailPlan,
  request: MailRequest,
  locale: Locale,
  sender: string,
): { to: string; subject: string; text: string } | null {
  const first = plan.deliveries[0];
  if (!first) return null;
  const placeholder = t(locale, 'monitor.mail.link_placeholder');
  const mail = mailText(first, request, locale, placeholder, first.account === 'active', sender);
  return { to: first.email, ...mail };
}
