// The mail queue: a request only adds a row (cheap, the same for every address);
// a worker in each app instance claims due rows with FOR UPDATE SKIP LOCKED (so
// several instances never send one message twice), delivers through the mailer,
// retries with growing delays, and records the outcome in the mail log. Once a
// message is sent or given up, its body in the queue is redacted: the link with
// its token is then only in the recipient's mailbox (and a 0600 outbox file).
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Database, MailQueueStatus, QueuedMailRow } from '../db/schema';
import { redactLinks } from '../redact';
import type { Mailer, OutgoingMail } from './mailer';

type Db = Kysely<Database>;

export const MAIL_RETRY = {
  maxAttempts: 5,
  /** 1, 4, 16 and 64 minutes after the 1st to 4th failure. */
  delayMs: (attempts: number) => 60_000 * 4 ** (attempts - 1),
  /** A row claimed this long ago by an instance that stopped is handed out again. */
  staleAfterMs: 10 * 60_000,
};

export async function enqueueMail(db: Db, mail: OutgoingMail): Promise<number> {
  const row = await db
    .insertInto('mail_queue')
    .values({
      to_address: mail.to,
      subject: mail.subject,
      body_text: mail.text,
      kind: mail.kind,
      related_org_id: mail.relatedOrgId ?? null,
      related_wave_id: mail.relatedWaveId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The same statement as enqueueMail that inserts nothing: a request for an address
 * without an account does the same database work, so it takes as long.
 */
export async function enqueueNothing(db: Db): Promise<void> {
  await sql`insert into mail_queue (to_address, subject, body_text, kind)
    select ${''}, ${''}, ${''}, ${'none'} where false returning id`.execute(db);
}

export function listQueuedMail(db: Db): Promise<QueuedMailRow[]> {
  return db
    .selectFrom('mail_queue')
    .selectAll()
    .where('status', 'in', ['queued', 'sending'])
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
}

export class MailQueue {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private wakeAgain = false;
  private stopped = true;
  private readonly maxAttempts: number;
  private readonly delayMs: (attempts: number) => number;

  constructor(
    private readonly options: {
      db: Db;
      mailer: Mailer;
      logger: Logger;
      pollMs?: number;
      maxAttempts?: number;
      delayMs?: (attempts: number) => number;
    },
  ) {
    this.maxAttempts = options.maxAttempts ?? MAIL_RETRY.maxAttempts;
    this.delayMs = options.delayMs ?? MAIL_RETRY.delayMs;
  }

  /** Poll for due messages (another instance may have queued them) until stop(). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.wake();
      this.timer = setTimeout(tick, this.options.pollMs ?? 5_000);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** A message was queued: send it now rather than at the next poll (only while started). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeAgain = true;
      return;
    }
    this.running = (async () => {
      do {
        this.wakeAgain = false;
        try {
          await this.flush();
        } catch (err) {
          this.options.logger.warn({ err }, 'mail queue run failed');
        }
      } while (this.wakeAgain && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
  }

  /** Send every message that is due now; returns how many were handled. */
  async flush(): Promise<number> {
    await this.releaseStale();
    let handled = 0;
    while (await this.runOnce()) handled++;
    return handled;
  }

  /** Claim one due message and try to send it; false when none is due. */
  async runOnce(): Promise<boolean> {
    const { db, mailer, logger } = this.options;
    const claimed = await sql<QueuedMailRow>`
      update mail_queue
         set status = 'sending', attempts = attempts + 1, locked_at = now()
       where id = (select id from mail_queue
                    where status = 'queued' and next_attempt_at <= now()
                    order by id
                    limit 1
                    for update skip locked)
      returning *`.execute(db);
    const row = claimed.rows[0];
    if (!row) return false;
    const mail: OutgoingMail = {
      to: row.to_address,
      subject: row.subject,
      text: row.body_text,
      kind: row.kind,
      relatedOrgId: row.related_org_id,
      relatedWaveId: row.related_wave_id,
    };
    const delivery = await mailer.deliver(mail);
    const attempts = Number(row.attempts);
    if (delivery.error && attempts < this.maxAttempts) {
      logger.warn({ mailId: row.id, attempts, error: delivery.error }, 'mail not sent; will retry');
      await db
        .updateTable('mail_queue')
        .set({
          status: 'queued',
          locked_at: null,
          last_error: delivery.error,
          next_attempt_at: new Date(Date.now() + this.delayMs(attempts)),
        })
        .where('id', '=', row.id)
        .execute();
      return true;
    }
    const logged = await mailer.record(mail, delivery);
    await db
      .updateTable('mail_queue')
      .set({
        status: delivery.error ? 'failed' : 'sent',
        locked_at: null,
        last_error: delivery.error,
        sent_at: delivery.error ? null : new Date(),
        body_text: redactLinks(row.body_text),
        mail_message_id: logged.id,
      })
      .where('id', '=', row.id)
      .execute();
    if (delivery.error) logger.error({ mailId: row.id, attempts, error: delivery.error }, 'mail given up');
    return true;
  }

  private async releaseStale(): Promise<void> {
    await this.options.db
      .updateTable('mail_queue')
      .set({ status: 'queued', locked_at: null })
      .where('status', '=', 'sending')
      .where('locked_at', '<', new Date(Date.now() - MAIL_RETRY.staleAfterMs))
      .execute();
  }
}

/** The mail of one wave by state: what the worker still has to send, what went out, what failed. */
export async function waveMailProgress(db: Db, waveId: number): Promise<Record<MailQueueStatus, number>> {
  const rows = await db
    .selectFrom('mail_queue')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .where('related_wave_id', '=', waveId)
    .groupBy('status')
    .execute();
  const progress = { queued: 0, sending: 0, sent: 0, failed: 0 } as Record<MailQueueStatus, number>;
  for (const r of rows) progress[r.status] = Number(r.n);
  return progress;
}
