import { Router } from 'express';
import { isLocale } from '../../views/i18n/index';
import { safeRedirectTarget } from '../web/auth';
import { localeCookie } from '../web/locale';

/**
 * The language switch: /taal/en?terug=/path. A visitor's choice is a cookie (no session
 * row); a logged-in user's is kept in the session too.
 */
export function localeRoutes(trustProxy = false) {
  const router = Router();
  router.get('/taal/:locale', (req, res) => {
    const locale = req.params.locale;
    if (isLocale(locale)) {
      res.cookie(localeCookie(trustProxy), locale, {
        httpOnly: true,
        sameSite: 'lax',
        secure: trustProxy,
        path: '/',
        maxAge: 365 * 24 * 3_600_000,
      });
      if (req.session?.userId) req.session.locale = locale;
    }
    res.redirect(303, safeRedirectTarget(req.query.terug));
  });
  return router;
}
