import { type RequestHandler, Router } from 'express';
import { firstRunForm, loginForm, resetRequestForm, setPasswordForm } from '../../accounts/account-forms';
import {
  AccountError,
  authenticate,
  createFirstAdmin,
  RETRY_AFTER_SECONDS,
  requestPasswordReset,
  setPasswordWithToken,
  tokenIsValid,
} from '../../accounts/accounts';
import { countUsers, organisationsOfUser } from '../../accounts/users-repository';
import type { AppContext } from '../app';
import { endSession, safeRedirectTarget, sessionCookieName, startSession } from '../web/auth';
import { readForm } from '../web/form';

/** While no user exists every page leads to the first-run page. */
export function firstRunGate(ctx: AppContext): RequestHandler {
  let initialised = false; // users are never deleted, so once true it stays true
  return async (req, res, next) => {
    if (!initialised) initialised = (await countUsers(ctx.db)) > 0;
    res.locals.firstRun = !initialised;
    if (initialised || req.path === '/eerste-gebruik') return next();
    res.redirect(303, '/eerste-gebruik');
  };
}

export function authRoutes(ctx: AppContext) {
  const router = Router();
  firstRunRoutes(router, ctx);
  loginRoutes(router, ctx);
  passwordRoutes(router, ctx);
  return router;
}

/** The first run: the first administrator's account. */
function firstRunRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  router.get('/eerste-gebruik', async (_req, res) => {
    if ((await countUsers(db)) > 0) return res.redirect(303, '/login');
    await res.page('pages/first-run', { values: {}, errors: [] });
  });

  router.post('/eerste-gebruik', async (req, res) => {
    const { values, errors } = readForm(firstRunForm, req.body);
    if (errors.length === 0) {
      try {
        const user = await createFirstAdmin(db, { name: values.name, email: values.email, password: values.password });
        await startSession(req, user);
        req.session.flash = { kind: 'success', key: 'firstrun.done' };
        return res.redirect(303, '/');
      } catch (error) {
        if (!(error instanceof AccountError)) throw error;
        if (error.code === 'firstrun.already_done') return res.redirect(303, '/login');
        errors.push({ field: error.field ?? 'email', key: error.code });
      }
    }
    await res.page('pages/first-run', { values: { ...values, password: '', password_confirm: '' }, errors }, 422);
  });
}

/** Logging in and out. */
function loginRoutes(router: Router, ctx: AppContext) {
  const { db, config } = ctx;
  router.get('/login', async (req, res) => {
    if (req.user) return res.redirect(303, '/');
    await res.page('pages/login', { values: { email: '' }, errors: [], next: safeRedirectTarget(req.query.next, '') });
  });

  router.post('/login', async (req, res) => {
    const { values } = readForm(loginForm, req.body);
    const result = await authenticate(db, values.email, values.password, req.ip ?? 'unknown');
    if (result.ok) {
      await startSession(req, result.user);
      const next = safeRedirectTarget(values.next);
      // A member account that answers for several organisations chooses one first.
      if (result.user.role === 'member' && (await organisationsOfUser(db, result.user.id)).length > 1)
        return res.redirect(303, `/organisatie-kiezen?next=${encodeURIComponent(next)}`);
      return res.redirect(303, next);
    }
    const limited = result.reason === 'rate_limited';
    if (limited) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
    await res.page(
      'pages/login',
      {
        values: { email: values.email },
        errors: [{ field: 'email', key: limited ? 'login.rate_limited' : 'login.invalid' }],
        next: safeRedirectTarget(values.next, ''),
      },
      limited ? 429 : 401,
    );
  });

  router.post('/logout', async (req, res) => {
    await endSession(req);
    res.clearCookie(sessionCookieName(config.trustProxy), { path: '/', secure: config.trustProxy });
    res.redirect(303, '/login');
  });
}

/** A forgotten password: the request and setting a new one. */
function passwordRoutes(router: Router, ctx: AppContext) {
  const { db, mailQueue, config } = ctx;
  router.get('/wachtwoord-vergeten', async (_req, res) => {
    await res.page('pages/forgot-password', { values: { email: '' }, errors: [], sent: false });
  });

  router.post('/wachtwoord-vergeten', async (req, res) => {
    const { values, errors } = readForm(resetRequestForm, req.body);
    if (errors.length > 0) return res.page('pages/forgot-password', { values, errors, sent: false }, 422);
    const result = await requestPasswordReset(db, {
      email: values.email,
      ip: req.ip ?? 'unknown',
      publicUrl: config.publicUrl,
      locale: res.locals.locale,
    });
    if (result === 'rate_limited') {
      res.set('Retry-After', String(RETRY_AFTER_SECONDS));
      return res.page(
        'pages/forgot-password',
        { values, errors: [{ field: 'email', key: 'reset.rate_limited' }], sent: false },
        429,
      );
    }
    // Wake the worker for both answers alike; it finds nothing to do for an unknown address.
    mailQueue.wake();
    // The same answer whether or not the address has an account.
    await res.page('pages/forgot-password', { values, errors: [], sent: true });
  });

  router.get('/wachtwoord-instellen', async (req, res) => {
    const kind = req.query.soort === 'reset' ? 'reset' : 'invite';
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const valid = token !== '' && (await tokenIsValid(db, kind, token));
    await res.page('pages/set-password', { kind, token, valid, errors: [] }, valid ? 200 : 410);
  });

  router.post('/wachtwoord-instellen', async (req, res) => {
    const { values, errors } = readForm(setPasswordForm, req.body);
    const { kind } = values;
    if (errors.length === 0) {
      try {
        const user = await setPasswordWithToken(db, kind, values.token, values.password, req.ip ?? 'unknown');
        await startSession(req, user);
        req.session.flash = { kind: 'success', key: 'password.set_done' };
        return res.redirect(303, '/');
      } catch (error) {
        if (!(error instanceof AccountError)) throw error;
        if (error.code === 'token.invalid') {
          return res.page('pages/set-password', { kind, token: '', valid: false, errors: [] }, 410);
        }
        if (error.code === 'password.rate_limited') {
          res.set('Retry-After', String(RETRY_AFTER_SECONDS));
          return res.page(
            'pages/set-password',
            { kind, token: values.token, valid: true, errors: [{ field: 'password', key: error.code }] },
            429,
          );
        }
        errors.push({ field: error.field ?? 'password', key: error.code });
      }
    }
    await res.page('pages/set-password', { kind, token: values.token, valid: true, errors }, 422);
  });

  return router;
}
