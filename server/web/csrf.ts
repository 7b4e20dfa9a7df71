// CSRF protection, required in the `_csrf` field (or X-CSRF-Token header for fetch) of
// every state-changing request. SameSite=Lax cookies already stop most cross-site
// posts; this closes the rest. A session that exists (a logged-in user) has a random
// synchronizer token; an anonymous visitor's form (login, password reset) gets a
// signed double-submit token instead, so showing a form writes no session row: a
// random value in a cookie of its own, and in the form its HMAC under the session
// secret, which a cross-site page can neither read nor compute.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { readCookie } from './cookies';
import { HttpError } from './http-error';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The only routes that accept multipart bodies: their parser (web/upload.ts) checks
 * `_csrf` before it reads a file byte. Every other multipart POST is refused here,
 * because no other route parses multipart and so none could check the token.
 */
export const MULTIPART_UPLOAD_ROUTES: ReadonlySet<string> = new Set([
  '/beheer/populatie/upload',
  '/beheer/populatie/contacten',
  '/beheer/vragenlijsten/upload',
]);

export interface CsrfOptions {
  /** The session secret: signs the anonymous double-submit token. */
  secret: string;
  /** Behind TLS: the cookie is __Host- and Secure, like the session cookie. */
  trustProxy: boolean;
}

export const anonymousCsrfCookie = (trustProxy: boolean) =>
  trustProxy ? '__Host-impactmonitor.csrf' : 'impactmonitor.csrf';

const sign = (secret: string, nonce: string) =>
  createHmac('sha256', secret).update(`csrf:${nonce}`).digest('base64url');

function equal(sent: unknown, expected: string | undefined): boolean {
  if (typeof sent !== 'string' || !expected) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A session that is stored already (a login, or an older anonymous token) keeps its token there. */
const hasSession = (req: Request) => Boolean(req.session?.userId || req.session?.csrfToken);

function csrfToken(req: Request, res: Response, options: CsrfOptions): string {
  if (hasSession(req)) {
    if (!req.session.csrfToken) req.session.csrfToken = randomBytes(32).toString('base64url');
    return req.session.csrfToken;
  }
  const name = anonymousCsrfCookie(options.trustProxy);
  let nonce = readCookie(req, name);
  if (!nonce || !/^[\w-]{43}$/.test(nonce)) {
    nonce = randomBytes(32).toString('base64url');
    // Behind TLS a plain-HTTP request gets no cookie, as it gets no session.
    if (!options.trustProxy || req.secure)
      res.cookie(name, nonce, { httpOnly: true, sameSite: 'lax', secure: options.trustProxy, path: '/' });
  }
  return sign(options.secret, nonce);
}

/** The token sent matches the session's, or (without a logged-in session) the signed anonymous cookie. */
export function csrfTokenMatches(req: Request, sent: unknown): boolean {
  if (equal(sent, req.session?.csrfToken)) return true;
  const options = req.app.locals.csrfOptions as CsrfOptions | undefined;
  if (!options || req.session?.userId) return false;
  const nonce = readCookie(req, anonymousCsrfCookie(options.trustProxy));
  return Boolean(nonce) && equal(sent, sign(options.secret, nonce!));
}

function isMultipart(req: Request): boolean {
  return (req.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set for multipart uploads: the upload parser must verify the `_csrf` field before it reads any file. */
      csrfPending?: boolean;
    }
  }
}

export function csrfProtection(options: CsrfOptions): RequestHandler {
  return (req, res, next) => {
    req.app.locals.csrfOptions = options;
    // A function for the templates: a token (a cookie for a visitor, a session value
    // after login) is made only when a form is rendered, not for every page view.
    res.locals.csrfToken = () => csrfToken(req, res, options);
    if (SAFE_METHODS.has(req.method)) return next();
    if (isMultipart(req)) {
      if (!MULTIPART_UPLOAD_ROUTES.has(req.path)) return next(new HttpError(403, 'error.csrf'));
      req.csrfPending = true;
      return next();
    }
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
    if (!csrfTokenMatches(req, sent)) return next(new HttpError(403, 'error.csrf'));
    next();
  };
}
