// Inviting a user: create the account without a password and mail a single-use link.
import type { Kysely } from 'kysely';
import type { Database, Role, User } from '../foundation/db/schema';
import { enqueueMail } from '../foundation/mail/mail-queue';
import { type Locale, t } from '../views/i18n/index';
import { AccountError, createAccount } from './accounts';
import { newToken, TOKEN_LIFETIME_HOURS } from './tokens';
import { insertToken } from './users-repository';

export function inviteLink(publicUrl: string, token: string): string {
  return `${publicUrl}/wachtwoord-instellen?soort=invite&token=${encodeURIComponent(token)}`;
}

/**
 * Issue a new invitation link and put the mail in the queue (the caller wakes the worker).
 * A link sets the account's password, so it goes only to an invitation still open (no
 * password yet, active), and to an administrator only from an administrator: staff
 * cannot give themselves a way into an admin account.
 */
export async function sendInvitation(options: {
  db: Kysely<Database>;
  publicUrl: string;
  locale: Locale;
  user: User;
  inviter: User;
}): Promise<number> {
  const { db, publicUrl, locale, user, inviter } = options;
  if (user.role === 'admin' && inviter.role !== 'admin')
    throw new AccountError('account.invite_admin_not_allowed', 'role');
  if (user.password_hash || !user.active) throw new AccountError('account.invite_not_pending', 'email');
  const { token, hash } = newToken();
  return db.transaction().execute(async (trx) => {
    await insertToken(trx, user.id, 'invite', hash, new Date(Date.now() + TOKEN_LIFETIME_HOURS.invite * 3_600_000));
    return enqueueMail(trx, {
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
  });
}

/** Staff may invite members and staff; only admins may invite admins. */
export async function inviteUser(options: {
  db: Kysely<Database>;
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
