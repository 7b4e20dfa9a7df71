// Mail goes through the queue: requests only enqueue (a reset costs the same for a
// known and an unknown address), the worker delivers, retries failures and logs.
import fs from 'node:fs/promises';
import type { Express } from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../foundation/db/database';
import { enqueueMail, MailQueue } from '../../foundation/mail/mail-queue';
import { createMailer, type Mailer } from '../../foundation/mail/mailer';
import type { AppConfig } from '../../server/config';
import { outboxDir } from '../../server/config';
import { testDialects } from '../support/databases';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

const logger = pino({ level: 'silent' });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe.each(testDialects())('mail queue on $kind', (dialect) => {
  let handle: DatabaseHandle;
  let app: Express;
  let config: AppConfig;
  const count = async (table: 'mail_queue' | 'mail_messages') =>
    (await handle.db.selectFrom(table).select('id').execute()).length;

  beforeAll(async () => {
    handle = await dialect.create();
    ({ app, config } = await testApp(handle));
    await makeUser(handle, 'admin@example.nl', 'admin');
    await makeUser(handle, 'known@example.nl', 'member', 'ORG-1');
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('answers a reset for a known and an unknown address alike, in comparable time, sending nothing in the request', async () => {
    const browser = new Browser(app);
    const csrf = csrfFrom((await browser.get('/wachtwoord-vergeten')).text);
    const reset = async (email: string) => {
      await handle.db.deleteFrom('auth_attempts').execute();
      const start = performance.now();
      const res = await browser.agent.post('/wachtwoord-vergeten').type('form').send({ _csrf: csrf, email });
      const ms = performance.now() - start;
      expect(res.status).toBe(200);
      return { ms, text: res.text.replace(/value="[^"]*"/g, '') };
    };
    // Warm up both paths.
    await reset('known@example.nl');
    await reset('nobody@example.nl');
    const messagesBefore = await count('mail_messages');
    const queueBefore = await count('mail_queue');
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 12; i++) {
      const k = await reset('known@example.nl');
      const u = await reset('nobody@example.nl');
      expect(k.text).toBe(u.text);
      known.push(k.ms);
      unknown.push(u.ms);
    }
    // Only enqueued: nothing delivered or logged during the requests, one row per known request.
    expect(await count('mail_messages')).toBe(messagesBefore);
    expect((await count('mail_queue')) - queueBefore).toBe(12);
    const queued = await handle.db.selectFrom('mail_queue').select('to_address').distinct().execute();
    expect(queued.map((q) => q.to_address)).toEqual(['known@example.nl']);
    expect(median(known)).toBeLessThan(median(unknown) * 1.5 + 5);
  });

  it('has the worker deliver queued mail to the outbox and log it, once each', async () => {
    await handle.db.deleteFrom('mail_queue').execute();
    const mailer = createMailer({ db: handle.db, smtpUrl: null, from: config.mailFrom, outboxDir: outboxDir(config) });
    for (let i = 0; i < 6; i++)
      await enqueueMail(handle.db, { to: `r${i}@example.nl`, subject: `Bericht ${i}`, text: 'Hallo', kind: 'test' });
    const queue = new MailQueue({ db: handle.db, mailer, logger, pollMs: 20 });
    const other = new MailQueue({ db: handle.db, mailer, logger, pollMs: 20 });
    queue.start();
    other.start();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const left = await handle.db.selectFrom('mail_queue').select('id').where('status', '<>', 'sent').execute();
      if (left.length === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all([queue.stop(), other.stop()]);
    const rows = await handle.db.selectFrom('mail_queue').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(rows.map(() => ['sent', 1]));
    const logged = await handle.db.selectFrom('mail_messages').selectAll().where('kind', '=', 'test').execute();
    expect(logged.map((m) => m.to_address).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `r${i}@example.nl`));
    const files = await fs.readdir(outboxDir(config));
    for (const m of logged) expect(files).toContain(m.outbox_file);
  });

  it('retries a failed SMTP send with a delay, shows it as queued, and records the final failure', async () => {
    await handle.db.deleteFrom('mail_queue').execute();
    const broken = createMailer({
      db: handle.db,
      smtpUrl: 'smtp://127.0.0.1:9',
      from: config.mailFrom,
      outboxDir: outboxDir(config),
    });
    const id = await enqueueMail(handle.db, { to: 'retry@example.nl', subject: 'Opnieuw', text: 'x', kind: 'test' });
    const slow = new MailQueue({ db: handle.db, mailer: broken, logger });
    expect(await slow.flush()).toBe(1);
    const waiting = await handle.db.selectFrom('mail_queue').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(waiting.status).toBe('queued');
    expect(waiting.attempts).toBe(1);
    expect(waiting.last_error).toMatch(/ECONNREFUSED|connect/i);
    expect(new Date(waiting.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 30_000);
    expect(await slow.flush()).toBe(0); // not due yet
    const admin = new Browser(app);
    await admin.login('admin@example.nl', PASSWORD);
    const page = await admin.get('/beheer/e-mail');
    expect(page.text).toContain('In de wachtrij');
    expect(page.text).toContain('1 keer mislukt');

    const fast = new MailQueue({ db: handle.db, mailer: broken, logger, maxAttempts: 3, delayMs: () => 0 });
    await handle.db.updateTable('mail_queue').set({ next_attempt_at: new Date() }).where('id', '=', id).execute();
    await fast.flush();
    const failed = await handle.db.selectFrom('mail_queue').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toBe(3);
    const logged = await handle.db
      .selectFrom('mail_messages')
      .selectAll()
      .where('to_address', '=', 'retry@example.nl')
      .execute();
    expect(logged).toHaveLength(1);
    expect(logged[0].error).toMatch(/ECONNREFUSED|connect/i);
    expect(failed.mail_message_id).toBe(logged[0].id);

    // A send that fails once and then works is delivered on the retry.
    const outbox = createMailer({ db: handle.db, smtpUrl: null, from: config.mailFrom, outboxDir: outboxDir(config) });
    let calls = 0;
    const flaky: Mailer = {
      ...outbox,
      deliver: async (mail) =>
        ++calls === 1 ? { outboxFile: null, error: 'tijdelijk mislukt' } : outbox.deliver(mail),
    };
    const second = await enqueueMail(handle.db, { to: 'flaky@example.nl', subject: 'Flaky', text: 'x', kind: 'test' });
    await new MailQueue({ db: handle.db, mailer: flaky, logger, delayMs: () => 0 }).flush();
    const sent = await handle.db
      .selectFrom('mail_queue')
      .selectAll()
      .where('id', '=', second)
      .executeTakeFirstOrThrow();
    expect([sent.status, sent.attempts, sent.last_error]).toEqual(['sent', 2, null]);
  });

  it('queues an invitation from the users page without sending it in the request', async () => {
    const before = await count('mail_messages');
    const staff = new Browser(app);
    await staff.login('admin@example.nl', PASSWORD);
    const res = await staff.submit('/beheer/gebruikers', '/beheer/gebruikers', {
      email: 'queued-invite@example.nl',
      name: 'Q',
      role: 'staff',
      org_id: '',
    });
    expect(res.status).toBe(303);
    expect(await count('mail_messages')).toBe(before);
    const row = await handle.db
      .selectFrom('mail_queue')
      .selectAll()
      .where('to_address', '=', 'queued-invite@example.nl')
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('queued');
    expect((await staff.get('/beheer/gebruikers')).text).toContain('staat in de wachtrij');
    expect((await staff.get('/beheer/e-mail')).text).toContain('queued-invite@example.nl');
  });
});
