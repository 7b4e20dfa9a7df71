// The account forms, each read by one zod schema: text fields as posted (not trimmed;
// anything but a string reads as ''), and the checks the form makes before the
// domain function runs, each an issue at its field with a message key as message.
// Read them with readForm (server/web/form.ts); the domain functions check again.
import { z } from 'zod';
import type { Role } from '../foundation/db/schema';
import { formText } from '../foundation/form-fields';
import { ROLES, validEmail } from './accounts';

/** "Gebruiker uitnodigen" (/beheer/gebruikers): the organisation is chosen by a search (org_zoek). */
export const inviteForm = z
  .object({ email: formText, name: formText, role: formText, org_id: formText, org_zoek: formText })
  .superRefine((v, ctx) => {
    if (!validEmail(v.email)) ctx.addIssue({ code: 'custom', path: ['email'], message: 'account.email_invalid' });
    if (!ROLES.includes(v.role as Role))
      ctx.addIssue({ code: 'custom', path: ['role'], message: 'account.role_invalid' });
    if (v.role === 'member' && !v.org_id.trim())
      ctx.addIssue({ code: 'custom', path: ['org_id'], message: 'account.org_required' });
  });

/** An admin changes a user (role, active, organisation); an empty or unknown field changes nothing. */
export const userChangeForm = z.object({
  role: formText.transform((r) => (ROLES.includes(r as Role) ? (r as Role) : undefined)),
  active: formText.transform((a) => (a === '' ? undefined : a === 'true')),
  org_id: formText.transform((o) => (o === '' ? undefined : o)),
});

const mismatch = (v: { password: string; password_confirm: string }, ctx: z.RefinementCtx) => {
  if (v.password !== v.password_confirm)
    ctx.addIssue({ code: 'custom', path: ['password_confirm'], message: 'password.mismatch' });
};

/** "Wachtwoord wijzigen" on /mijn-account. */
export const changePasswordForm = z
  .object({ current_password: formText, password: formText, password_confirm: formText })
  .superRefine((v, ctx) => {
    if (!v.current_password)
      ctx.addIssue({ code: 'custom', path: ['current_password'], message: 'password.current_required' });
    mismatch(v, ctx);
  });

/** The first admin (/eerste-gebruik). */
export const firstRunForm = z
  .object({ name: formText, email: formText, password: formText, password_confirm: formText })
  .superRefine((v, ctx) => {
    if (!v.name.trim()) ctx.addIssue({ code: 'custom', path: ['name'], message: 'firstrun.name_required' });
    if (!validEmail(v.email)) ctx.addIssue({ code: 'custom', path: ['email'], message: 'account.email_invalid' });
    mismatch(v, ctx);
  });

/** Logging in; `next` is where to go afterwards (made safe by the route). */
export const loginForm = z.object({ email: formText, password: formText, next: formText });

/** "Wachtwoord vergeten": the address to send a reset link to. */
export const resetRequestForm = z.object({ email: formText }).superRefine((v, ctx) => {
  if (!validEmail(v.email)) ctx.addIssue({ code: 'custom', path: ['email'], message: 'account.email_invalid' });
});

/** Setting a password with an invitation or reset link; any kind but "reset" is an invitation. */
export const setPasswordForm = z
  .object({
    kind: formText.transform((k): 'reset' | 'invite' => (k === 'reset' ? 'reset' : 'invite')),
    token: formText,
    password: formText,
    password_confirm: formText,
  })
  .superRefine(mismatch);
