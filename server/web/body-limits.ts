// A form or JSON body is measured before it is read: its declared Content-Length is
// checked against the limit (a visitor without a login gets a small one: the login and
// reset forms are tiny), a body that declares no length is refused, and the connection
// of a refused request is closed after the answer, so the rest is never read.
// (body-parser alone reads a body past its limit to the end before it answers 413.)
// Multipart uploads have their own limit in upload.ts.
import type { RequestHandler } from 'express';
import { HttpError } from './http-error';
import { closeAfterResponse } from './upload';

export const BODY_LIMIT_BYTES = 200 * 1024;
export const ANONYMOUS_BODY_LIMIT_BYTES = 16 * 1024;

export function bodyLimits(): RequestHandler {
  return (req, res, next) => {
    const declared = req.get('content-length');
    const hasBody = declared !== undefined || req.get('transfer-encoding') !== undefined;
    if (!hasBody) return next();
    if ((req.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) return next();
    const limit = req.session?.userId ? BODY_LIMIT_BYTES : ANONYMOUS_BODY_LIMIT_BYTES;
    if (declared === undefined) {
      // Browsers declare the length of every form and fetch body; only a stream would not.
      closeAfterResponse(req, res);
      return next(new HttpError(411, 'error.length_required'));
    }
    if (!/^\d+$/.test(declared) || Number(declared) > limit) {
      closeAfterResponse(req, res);
      return next(new HttpError(413, 'error.too_large'));
    }
    next();
  };
}
