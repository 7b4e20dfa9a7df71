// Passwords are hashed with scrypt (memory-hard, in node:crypto): N=2^15, r=8 uses
// 32 MiB per hash, which makes GPU guessing expensive. Parameters are stored with
// the hash so they can be raised later without invalidating old hashes.

import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';

const KEY_LENGTH = 64;
const DEFAULTS = { N: 2 ** 15, r: 8, p: 1 };

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem: 256 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, DEFAULTS);
  return ['scrypt', DEFAULTS.N, DEFAULTS.r, DEFAULTS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  // Without a stored hash we still spend the same time, so response times do not
  // reveal which e-mail addresses have an account.
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    await scryptAsync(password, randomBytes(16), DEFAULTS);
    return false;
  }
  const [, N, r, p, salt, key] = parts;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), { N: Number(N), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export const PASSWORD_MIN_LENGTH = 10;

/** Fewer different characters than this is a pattern, not a password ("aaaaaaaaaa", "1212121212"). */
export const PASSWORD_MIN_DISTINCT = 5;

let common: Set<string> | null = null;
/** The ~49,000 most common passwords of @zxcvbn-ts/language-common (also Dutch ones such as "wachtwoord"), lower case. */
function commonPasswords(): Set<string> {
  common ??= new Set(
    ((dictionary as Record<string, unknown>)['passwords-common'] as string[]).map((p) => p.toLowerCase()),
  );
  return common;
}

/** Common, also with digits or symbols added at the end ("wachtwoord2024!"). */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  const base = lower.replace(/[\d\W_]+$/u, '');
  return commonPasswords().has(lower) || (base.length >= 6 && commonPasswords().has(base));
}

/** Returns a message key when the password is not acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return 'password.too_short';
  if (password.length > 200) return 'password.too_long';
  if (new Set(password.toLowerCase()).size < PASSWORD_MIN_DISTINCT) return 'password.repetitive';
  if (isCommonPassword(password)) return 'password.common';
  return null;
}
