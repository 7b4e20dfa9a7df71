// Synchronizer-token CSRF protection: a random token per session, required in the
// `_csrf` field (or X-CSRF-Token header for fetch) of every state-changing request.
// SameSite=Lax cookies already stop most cross-site posts; this closes the rest.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { HttpError } from './http-error';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The only routes that accept multipart bodies: their parser (web/upload.ts) checks
 * `_csrf` before it reads a file byte. Every other multipart POST is refused here,
 * because no other route parses multipart and so none could check the token.
 */
export const MULTIPART_UPLOAD_ROUTES: ReadonlySet<string> = new Set([
  '/beheer/populatie/upload',
  '/beheer/vragenlijsten/upload',
]);

export function csrfToken(req: Request): string {
  if (!req.session.csrfToken) req.session.csrfToken = randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

export function csrfTokenMatches(req: Request, sent: unknown): boolean {
  const expected = req.session?.csrfToken;
  if (typeof sent !== 'string' || !expected) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
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

export function csrfProtection(): RequestHandler {
  return (req, res, next) => {
    // A function for the templates: the token (and so the session row and cookie) is
    // created only when a form is rendered, not for every anonymous page view.
    res.locals.csrfToken = () => csrfToken(req);
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
