// Invitation and reset tokens: 32 random bytes in the link, only their sha256 in
// the database, so a leaked database does not hand out working links.
import { createHash, randomBytes } from 'node:crypto';

export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const TOKEN_LIFETIME_HOURS = { invite: 7 * 24, reset: 2 } as const;
