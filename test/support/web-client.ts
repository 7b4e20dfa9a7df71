// A supertest agent that behaves like a browser for our forms: it keeps cookies
// and reads the CSRF token from the page before posting.

import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { createAccount } from '../../accounts/accounts';
import type { DatabaseHandle } from '../../foundation/db/database';
import type { Role } from '../../foundation/db/schema';
import { MailQueue } from '../../foundation/mail/mail-queue';
import { createMailer } from '../../foundation/mail/mailer';
import { createApp } from '../../server/app';
import { type AppConfig, outboxDir, readConfig } from '../../server/config';

export async function testApp(
  handle: DatabaseHandle,
  overrides: Partial<AppConfig> = {},
): Promise<{ app: Express; config: AppConfig }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'impact-app-'));
  const config = { ...readConfig({}), dataDir, databaseUrl: null, logLevel: 'silent', ...overrides };
  const app = await createApp({ handle, config, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  return { app, config };
}

/** A supertest parser that keeps a binary body (PDF, PNG, XLSX) as a Buffer: `.buffer(true).parse(binary)`. */
export function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

export function csrfFrom(html: string): string {
  const match = html.match(/name="_csrf" value="([^"]+)"/);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1];
}

// superagent's own cookie jar; it holds Secure cookies but only sends them over https.
const { CookieAccessInfo } = createRequire(import.meta.url)('cookiejar') as {
  CookieAccessInfo: new (domain: string, path: string, secure: boolean) => unknown;
};

/**
 * Behaves like a browser on an HTTPS site behind our TLS proxy: every request says
 * X-Forwarded-Proto: https (ignored by an app without TRUST_PROXY), and Secure
 * cookies (the __Host- session cookie) are sent back although the test speaks plain HTTP.
 */
export class Browser {
  readonly agent: ReturnType<typeof request.agent>;
  constructor(app: Express) {
    this.agent = request.agent(app);
    this.agent.set('X-Forwarded-Proto', 'https');
    const agent = this.agent as unknown as {
      jar: { getCookies(access: unknown): { toValueString(): string } };
      _attachCookies(req: { url: string; cookies: string }): void;
    };
    agent._attachCookies = (req) => {
      const url = new URL(req.url);
      req.cookies = agent.jar.getCookies(new CookieAccessInfo(url.hostname, url.pathname, true)).toValueString();
    };
  }

  get(url: string) {
    return this.agent.get(url);
  }

  /** GET the page that holds the form, then POST the form with its CSRF token. */
  async submit(formPage: string, action: string, fields: Record<string, string | string[]>) {
    const page = await this.agent.get(formPage);
    const token = csrfFrom(page.text);
    return this.agent
      .post(action)
      .type('form')
      .send({ _csrf: token, ...fields });
  }

  async login(email: string, password: string) {
    return this.submit('/login', '/login', { email, password });
  }

  /** The Cookie header this browser would send (for a request made without supertest). */
  cookieHeader(): string {
    const agent = this.agent as unknown as { jar: { getCookies(access: unknown): { toValueString(): string } } };
    return agent.jar.getCookies(new CookieAccessInfo('127.0.0.1', '/', true)).toValueString();
  }
}

/** Send everything in the mail queue now, as the server's worker would (tests do not start it). */
export async function deliverQueuedMail(handle: DatabaseHandle, config: AppConfig): Promise<number> {
  const db = handle.db;
  const mailer = createMailer({ db, smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: outboxDir(config) });
  return new MailQueue({ db, mailer, logger: pino({ level: 'silent' }) }).flush();
}

export const PASSWORD = 'correct horse battery staple';

/** A bare `organisations` row (the population frame's identity), unless the organisation is there already. */
export async function addOrganisation(handle: DatabaseHandle, orgId: string): Promise<void> {
  await handle.db
    .insertInto('organisations')
    .values({ org_id: orgId, name: orgId, first_year: 2019, last_year: 2019 })
    .onConflict((oc) => oc.column('org_id').doNothing())
    .execute();
}

/**
 * A user with PASSWORD. A member's organisation must be in the population frame;
 * when the test has not imported one, a bare `organisations` row is added for it.
 */
export async function makeUser(handle: DatabaseHandle, email: string, role: Role, orgId: string | null = null) {
  if (role === 'member' && orgId) await addOrganisation(handle, orgId);
  return createAccount(handle.db, { email, role, orgId, name: email.split('@')[0], password: PASSWORD }, null);
}
