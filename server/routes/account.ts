// "Mijn account": every logged-in user changes their own password and sees and ends
// their other sessions. A session is named on the page by a hash of its id, never by
// the id itself (that is the cookie value).
import { createHash } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { changePasswordForm } from '../../accounts/account-forms';
import { AccountError, changeOwnPassword, RETRY_AFTER_SECONDS } from '../../accounts/accounts';
import { deleteOtherSessionsOf, deleteSessionOf, listSessionsOf } from '../../accounts/users-repository';
import type { AppContext } from '../app';
import { currentUser, requireLogin } from '../web/auth';
import { type FieldError, readForm } from '../web/form';
import { notFound } from '../web/http-error';

export function sessionKey(sid: string): string {
  return createHash('sha256').update(sid).digest('hex').slice(0, 24);
}

/** "Firefox on Windows" from a user-agent string; otherwise its first 60 characters. */
export function shortBrowser(userAgent: string): string {
  const browser = (
    [
      [/Edg\//, 'Edge'],
      [/OPR\/|Opera/, 'Opera'],
      [/Firefox\//, 'Firefox'],
      [/Chrome\//, 'Chrome'],
      [/Safari\//, 'Safari'],
    ] as const
  ).find(([re]) => re.test(userAgent))?.[1];
  const system = (
    [
      [/Android/, 'Android'],
      [/iPhone|iPad/, 'iOS'],
      [/Windows/, 'Windows'],
      [/Mac OS X|Macintosh/, 'macOS'],
      [/Linux/, 'Linux'],
    ] as const
  ).find(([re]) => re.test(userAgent))?.[1];
  if (browser && system) return `${browser} · ${system}`;
  return userAgent.length > 60 ? `${userAgent.slice(0, 60)}…` : userAgent;
}

export function accountRoutes(ctx: AppContext) {
  const router = Router();
  const { db, config } = ctx;
  const maxAgeMs = config.sessionMaxAgeHours * 3_600_000;

  async function show(req: Request, res: Response, errors: FieldError[], status = 200) {
    const user = currentUser(req);
    const sessions = (await listSessionsOf(db, user.id))
      .map((s) => ({
        key: sessionKey(s.sid),
        current: s.sid === req.sessionID,
        createdAt: typeof s.sess.loginAt === 'number' ? new Date(s.sess.loginAt) : null,
        lastSeen: new Date(new Date(s.expires_at).getTime() - maxAgeMs),
        ip: typeof s.sess.ip === 'string' ? s.sess.ip : '',
        browser: shortBrowser(typeof s.sess.userAgent === 'string' ? s.sess.userAgent : ''),
      }))
      .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeen.getTime() - a.lastSeen.getTime());
    await res.page('pages/account', { sessions, errors, title: res.locals.t('myaccount.title') }, status);
  }

  router.get('/mijn-account', requireLogin, async (req, res) => {
    await show(req, res, []);
  });

  router.post('/mijn-account/wachtwoord', requireLogin, async (req, res) => {
    const user = currentUser(req);
    const { values, errors } = readForm(changePasswordForm, req.body);
    if (errors.length === 0) {
      try {
        await changeOwnPassword(db, user, {
          current: values.current_password,
          password: values.password,
          keepSid: req.sessionID,
          ip: req.ip ?? 'unknown',
        });
        req.session.flash = { kind: 'success', key: 'myaccount.password_changed' };
        return res.redirect(303, '/mijn-account');
      } catch (error) {
        if (!(error instanceof AccountError)) throw error;
        if (error.code === 'password.rate_limited') {
          res.set('Retry-After', String(RETRY_AFTER_SECONDS));
          return show(req, res, [{ field: 'current_password', key: error.code }], 429);
        }
        errors.push({ field: error.field ?? 'password', key: error.code });
      }
    }
    await show(req, res, errors, 422);
  });

  router.post('/mijn-account/sessies/:key/beeindigen', requireLogin, async (req, res) => {
    const user = currentUser(req);
    const key = String(req.params.key);
    const target = (await listSessionsOf(db, user.id)).find((s) => sessionKey(s.sid) === key);
    // The current session is ended by logging out, not here.
    if (!target || target.sid === req.sessionID) throw notFound();
    await deleteSessionOf(db, user.id, target.sid);
    req.session.flash = { kind: 'success', key: 'myaccount.session_ended' };
    res.redirect(303, '/mijn-account');
  });

  router.post('/mijn-account/sessies/beeindigen', requireLogin, async (req, res) => {
    const user = currentUser(req);
    await deleteOtherSessionsOf(db, user.id, req.sessionID);
    req.session.flash = { kind: 'success', key: 'myaccount.sessions_ended' };
    res.redirect(303, '/mijn-account');
  });

  return router;
}
