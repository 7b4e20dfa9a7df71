// One cookie of the request by name (express has no cookie parser of its own, and the
// app needs only this): the first `name=value` pair, URI-decoded, or undefined.
import type { Request } from 'express';

export function readCookie(req: Request, name: string): string | undefined {
  for (const pair of (req.get('cookie') ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at).trim() !== name) continue;
    try {
      return decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}
