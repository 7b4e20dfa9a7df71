import { Router } from 'express';
import { isLocale } from '../../views/i18n/index';
import { safeRedirectTarget } from '../web/auth';

/** The language switch: /taal/en?terug=/path. */
export function localeRoutes() {
  const router = Router();
  router.get('/taal/:locale', (req, res) => {
    if (isLocale(req.params.locale)) req.session.locale = req.params.locale;
    res.redirect(303, safeRedirectTarget(req.query.terug));
  });
  return router;
}
