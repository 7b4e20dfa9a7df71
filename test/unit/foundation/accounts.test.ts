import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validEmail } from '../../../accounts/accounts';
import { hashPassword, passwordProblem, verifyPassword } from '../../../accounts/password';
import { hashToken, newToken } from '../../../accounts/tokens';
import { DataDirLockedError, lockDataDir } from '../../../foundation/db/data-dir-lock';
import { safeRedirectTarget } from '../../../server/web/auth';

describe('password hashing', () => {
  it('verifies the right password and rejects others, with a fresh salt each time', async () => {
    const a = await hashPassword('een lang wachtwoord');
    const b = await hashPassword('een lang wachtwoord');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('een lang wachtwoord', a)).toBe(true);
    expect(await verifyPassword('een lang wachtwoorD', a)).toBe(false);
    expect(await verifyPassword('anything', null)).toBe(false);
    expect(await verifyPassword('anything', 'garbage')).toBe(false);
  });

  it('requires at least 10 characters', () => {
    expect(passwordProblem('kort')).toBe('password.too_short');
    expect(passwordProblem('precies10!')).toBeNull();
  });
});

describe('tokens', () => {
  it('stores only a sha256 of a 256-bit random token', () => {
    const { token, hash } = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hash).toBe(hashToken(token));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(newToken().token).not.toBe(token);
  });
});

describe('redirect after login', () => {
  it('follows only same-site paths', () => {
    expect(safeRedirectTarget('/beheer/gebruikers?x=1')).toBe('/beheer/gebruikers?x=1');
    expect(safeRedirectTarget('https://evil.example')).toBe('/');
    expect(safeRedirectTarget('//evil.example')).toBe('/');
    expect(safeRedirectTarget('/\\evil.example')).toBe('/');
    expect(safeRedirectTarget(undefined, '')).toBe('');
  });
});

describe('e-mail addresses', () => {
  it('accepts ordinary addresses and rejects the rest', () => {
    expect(validEmail('info@muziekschool-zwolle.nl')).toBe(true);
    expect(validEmail('geen adres')).toBe(false);
    expect(validEmail('a@b')).toBe(false);
  });
});

describe('data directory lock', () => {
  it('refuses a second holder and takes over a stale lock', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impact-lock-'));
    const first = lockDataDir(dir, 'serve');
    expect(() => lockDataDir(dir, 'migrate')).toThrow(DataDirLockedError);
    first.release();
    const second = lockDataDir(dir, 'migrate');
    second.release();
    // A lock left by a process that no longer exists is stale.
    fs.writeFileSync(
      path.join(dir, 'impactmonitor.lock'),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), command: 'serve', since: 'x' }),
    );
    const third = lockDataDir(dir, 'migrate');
    third.release();
    expect(fs.existsSync(path.join(dir, 'impactmonitor.lock'))).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('data directory permissions', () => {
  it('creates the data directory readable by the app user only (0700)', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'impact-mode-')), 'data');
    const lock = lockDataDir(dir, 'serve');
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    lock.release();
  });
});
