// Synchronizer-token CSRF protection: a random token per session, required in the
// `_csrf` field (or X-CSRF-Token header for fetch) of every state-changing request.
// SameSite=Lax cookies already stop most cross-site posts; this closes the rest.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { HttpError } from './http-error';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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
    res.locals.csrfToken = csrfToken(req);
    if (SAFE_METHODS.has(req.method)) return next();
    if (isMultipart(req)) {
      req.csrfPending = true;
      return next();
    }
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
    if (!csrfTokenMatches(req, sent)) return next(new HttpError(403, 'error.csrf'));
    next();
  };
}
