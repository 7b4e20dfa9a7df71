import type { Request, RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import { findUserWithOrganisation, organisationsOfUser } from '../../accounts/users-repository';
import type { Database, Role, User } from '../../foundation/db/schema';
import { HttpError } from './http-error';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: User;
    }
  }
}

/**
 * Load the logged-in user on every request; a deactivated account is logged out,
 * and so is a login older than the absolute lifetime, however active it was.
 */
export function loadUser(db: Kysely<Database>, absoluteLifetimeMs: number): RequestHandler {
  return async (req, res, next) => {
    const userId = req.session?.userId;
    if (userId) {
      const loginAt = req.session.loginAt ?? 0;
      const found = Date.now() - loginAt < absoluteLifetimeMs ? await findUserWithOrganisation(db, userId) : undefined;
      if (found?.active) {
        const { org_name, ...user } = found;
        req.user = user;
        res.locals.orgName = org_name;
        if (user.role === 'member') {
          // An account may answer for several organisations (user_organisations): the one
          // chosen in this session is the member's organisation on every page and query.
          const organisations = await organisationsOfUser(db, user.id);
          res.locals.memberOrganisations = organisations;
          const chosen = organisations.find((o) => o.org_id === req.session.activeOrgId);
          if (chosen) {
            user.org_id = chosen.org_id;
            res.locals.orgName = chosen.name;
          } else if (organisations.length > 1) {
            // Not chosen yet: no organisation is named until the member has chosen one.
            res.locals.mustChooseOrganisation = true;
            res.locals.orgName = null;
          }
        }
      } else {
        delete req.session.userId;
        delete req.session.loginAt;
      }
    }
    res.locals.user = req.user ?? null;
    res.locals.orgName ??= null;
    res.locals.memberOrganisations ??= [];
    res.locals.mustChooseOrganisation ??= false;
    next();
  };
}

export function currentUser(req: Request): User {
  if (!req.user) throw new HttpError(401, 'error.login_required');
  return req.user;
}

/** Only these roles; anonymous visitors are sent to the login page first. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    if (!req.user) {
      const next_ = encodeURIComponent(req.originalUrl);
      return res.redirect(303, `/login?next=${next_}`);
    }
    if (!roles.includes(req.user.role)) return next(new HttpError(403, 'error.forbidden'));
    next();
  };
}

export const requireLogin = requireRole('admin', 'staff', 'member');
export const requireStaff = requireRole('admin', 'staff');
export const requireAdmin = requireRole('admin');

/** Regenerate the session id at login (against session fixation) and keep the locale. */
export function startSession(req: Request, user: User): Promise<void> {
  // A visitor's language is a cookie (localeMiddleware read it); the session keeps it from now on.
  const shown = req.res?.locals.locale as string | undefined;
  const locale = req.session.locale ?? (shown === 'en' ? 'en' : undefined);
  return new Promise((resolve, reject) =>
    req.session.regenerate((err) => {
      if (err) return reject(err);
      req.session.userId = user.id;
      req.session.loginAt = Date.now();
      req.session.ip = req.ip ?? '';
      req.session.userAgent = String(req.get('user-agent') ?? '').slice(0, 300);
      if (locale) req.session.locale = locale;
      req.session.save((saveErr) => (saveErr ? reject(saveErr) : resolve()));
    }),
  );
}

/** The session cookie's name: with the __Host- prefix where it is Secure (behind TLS), so no sub-domain or plain-HTTP page can set it. */
export function sessionCookieName(trustProxy: boolean): string {
  return trustProxy ? '__Host-impactmonitor.sid' : 'impactmonitor.sid';
}

export function endSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}

/** Only same-site relative paths are followed after login, never another host. */
export function safeRedirectTarget(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\'))
    return fallback;
  return value;
}
