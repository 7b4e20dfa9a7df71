// Invitations and reminders for a wave: an e-mail to every active member account
// of each chosen organisation, with a link to the questionnaire, or a link to set a
// password first for accounts that were never activated. The messages go into the
// mail queue (one transaction with their link tokens); the worker sends them and
// logs each (mail_messages, with organisation and wave), visible to staff.
import type { Kysely } from 'kysely';
import { formatDate } from '../exports/format-dutch';
import { issueToken } from '../server/accounts/accounts';
import { inviteLink } from '../server/accounts/invitations';
import { recordAudit } from '../server/audit/audit-log';
import type { Database, User } from '../server/db/schema';
import { inTransaction } from '../server/db/transaction';
import { enqueueMail } from '../server/mail/mail-queue';
import { type Locale, t } from '../views/i18n/index';
import { nonResponders } from './monitoring';
import type { WaveRow } from './waves/waves-repository';

export type MailKind = 'invitation' | 'reminder';
export type Audience = 'all' | 'not_responded';

export async function queueWaveMails(
  db: Kysely<Database>,
  args: { wave: WaveRow; kind: MailKind; audience: Audience; actor: User; publicUrl: string; locale: Locale },
): Promise<{ queued: number; organisations: number; withoutContact: string[] }> {
  return inTransaction(db, (trx) => queueIn(trx, args));
}

async function queueIn(
  db: Kysely<Database>,
  args: { wave: WaveRow; kind: MailKind; audience: Audience; actor: User; publicUrl: string; locale: Locale },
): Promise<{ queued: number; organisations: number; withoutContact: string[] }> {
  const { wave, kind, locale } = args;
  let orgIds: string[];
  if (args.audience === 'not_responded') orgIds = (await nonResponders(db, wave)).map((o) => o.org_id);
  else
    orgIds = (
      await db
        .selectFrom('frame_units')
        .select('org_id')
        .where('year', '=', wave.frame_year)
        .orderBy('org_id')
        .execute()
    ).map((r) => r.org_id);
  const users = await db
    .selectFrom('users')
    .selectAll()
    .where('role', '=', 'member')
    .where('active', '=', true)
    .where('org_id', 'in', orgIds.length ? orgIds : [''])
    .execute();
  const byOrg = new Map<string, User[]>();
  for (const u of users) byOrg.set(u.org_id!, [...(byOrg.get(u.org_id!) ?? []), u]);
  let queued = 0;
  const withoutContact: string[] = [];
  const surveyLink = `${args.publicUrl}/vragenlijst/${wave.slug}`;
  for (const orgId of orgIds) {
    const contacts = byOrg.get(orgId) ?? [];
    if (contacts.length === 0) withoutContact.push(orgId);
    for (const user of contacts) {
      const link = user.password_hash
        ? surveyLink
        : inviteLink(args.publicUrl, await issueToken(db, user.id, 'invite'));
      await enqueueMail(db, {
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
        relatedOrgId: orgId,
        relatedWaveId: wave.id,
      });
      queued++;
    }
  }
  await recordAudit(db, {
    actorUserId: args.actor.id,
    action: `wave.${kind}`,
    entity: 'wave',
    entityId: wave.id,
    details: { audience: args.audience, organisations: orgIds.length, without_contact: withoutContact.length, queued },
  });
  return { queued, organisations: orgIds.length, withoutContact };
}
