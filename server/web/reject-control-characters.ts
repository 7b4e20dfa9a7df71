// PostgreSQL text cannot hold NUL bytes: a value with one would fail deep in a
// query. Refuse such requests at the door with a clear 400 instead.
import type { RequestHandler } from 'express';
import { HttpError } from './http-error';

function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 5 || value === null || typeof value !== 'object') return false;
  return Object.entries(value as Record<string, unknown>).some(
    ([k, v]) => k.includes('\u0000') || hasNul(v, depth + 1),
  );
}

export function rejectNulBytes(): RequestHandler {
  return (req, _res, next) => {
    // The path too: a route parameter is decoded from it (/beheer/metingen/%00/…).
    if (/%00/.test(req.path) || hasNul(req.body) || hasNul(req.query))
      return next(new HttpError(400, 'error.invalid_characters'));
    next();
  };
}
