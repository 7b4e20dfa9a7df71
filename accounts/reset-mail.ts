// The password-reset mail: a single-use link to set a new password (the invitation
// mail is in invitations.ts).
import type { User } from '../foundation/db/schema';
import type { OutgoingMail } from '../foundation/mail/mailer';
import { type Locale, t } from '../views/i18n/index';

export function resetLink(publicUrl: string, token: string): string {
  return `${publicUrl}/wachtwoord-instellen?soort=reset&token=${encodeURIComponent(token)}`;
}

export function resetMail(options: { publicUrl: string; locale: Locale; user: User; token: string }): OutgoingMail {
  const { publicUrl, locale, user, token } = options;
  return {
    to: user.email,
    subject: t(locale, 'mail.reset.subject'),
    text: t(locale, 'mail.reset.body', { name: user.name || user.email, link: resetLink(publicUrl, token) }),
    kind: 'reset',
    relatedOrgId: user.org_id,
  };
}
