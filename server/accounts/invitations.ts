// Inviting a user: create the account without a password and mail a single-use link.
import type { Kysely } from 'kysely';
import { type Locale, t } from '../../views/i18n/index';
import type { Database, Role, User } from '../db/schema';
import type { Mailer } from '../mail/mailer';
import { AccountError, createAccount, issueToken } from './accounts';

export function inviteLink(publicUrl: string, token: string): string {
  return `${publicUrl}/wachtwoord-instellen?soort=invite&token=${encodeURIComponent(token)}`;
}

export async function sendInvitation(options: {
  db: Kysely<Database>;
  mailer: Mailer;
  publicUrl: string;
  locale: Locale;
  user: User;
  inviter: User;
}) {
  const { db, mailer, publicUrl, locale, user, inviter } = options;
  const token = await issueToken(db, user.id, 'invite');
  return mailer.send({
    to: user.email,
    subject: t(locale, 'mail.invite.subject'),
    text: t(locale, 'mail.invite.body', {
      name: user.name || user.email,
      inviter: inviter.name || inviter.email,
      link: inviteLink(publicUrl, token),
    }),
    kind: 'invite',
    relatedOrgId: user.org_id,
  });
}

/** Staff may invite members and staff; only admins may invite admins. */
export async function inviteUser(options: {
  db: Kysely<Database>;
  mailer: Mailer;
  publicUrl: string;
  locale: Locale;
  inviter: User;
  account: { email: string; name: string; role: Role; orgId: string | null };
}): Promise<User> {
  const { inviter, account } = options;
  if (account.role === 'admin' && inviter.role !== 'admin') throw new AccountError('account.role_not_allowed', 'role');
  const user = await createAccount(options.db, account, inviter.id);
  await sendInvitation({ ...options, user });
  return user;
}
