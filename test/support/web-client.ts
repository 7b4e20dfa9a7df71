// A supertest agent that behaves like a browser for our forms: it keeps cookies
// and reads the CSRF token from the page before posting.

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { createAccount } from '../../server/accounts/accounts';
import { createApp } from '../../server/app';
import { type AppConfig, readConfig } from '../../server/config';
import type { DatabaseHandle } from '../../server/db/database';
import type { Role } from '../../server/db/schema';

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

export class Browser {
  readonly agent: ReturnType<typeof request.agent>;
  constructor(app: Express) {
    this.agent = request.agent(app);
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
}

export const PASSWORD = 'correct horse battery staple';

export async function makeUser(handle: DatabaseHandle, email: string, role: Role, orgId: string | null = null) {
  return createAccount(handle.db, { email, role, orgId, name: email.split('@')[0], password: PASSWORD }, null);
}
