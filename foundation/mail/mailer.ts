// E-mail through nodemailer: SMTP when SMTP_URL is set; otherwise every message is
// written as an .eml file in the outbox, so nothing is lost without a mail server.
// Every message is logged in mail_messages, whichever way it went, with links that
// carry a token replaced by a placeholder: the log is for admins, the link only for
// the recipient. The outbox .eml (local delivery only) keeps the link, mode 0600.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Database, MailMessage } from '../db/schema';
import { redactLinks } from '../redact';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  kind: string;
  relatedOrgId?: string | null;
  relatedWaveId?: number | null;
}

export interface Delivery {
  outboxFile: string | null;
  error: string | null;
}

export interface Mailer {
  /** Hand the message to SMTP or the outbox; nothing is logged. */
  deliver(mail: OutgoingMail): Promise<Delivery>;
  /** Record a delivery (or its final failure) in the mail log. */
  record(mail: OutgoingMail, delivery: Delivery): Promise<MailMessage>;
  /** deliver + record, in one go (used by the queue worker and scripts). */
  send(mail: OutgoingMail): Promise<MailMessage>;
  readonly transport: 'smtp' | 'outbox';
}

export function createMailer(options: {
  db: Kysely<Database>;
  smtpUrl: string | null;
  from: string;
  outboxDir: string;
}): Mailer {
  const { db, smtpUrl, from, outboxDir } = options;
  const transporter: Transporter = smtpUrl
    ? nodemailer.createTransport(smtpUrl)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const transport = smtpUrl ? 'smtp' : 'outbox';

  const mailer: Mailer = {
    transport,
    async deliver(mail) {
      let outboxFile: string | null = null;
      let error: string | null = null;
      try {
        const info = await transporter.sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
        });
        if (!smtpUrl) {
          await fs.mkdir(outboxDir, { recursive: true, mode: 0o700 });
          const stamp = new Date().toISOString().replace(/[:.]/g, '-');
          outboxFile = `${stamp}-${mail.kind}-${Math.random().toString(36).slice(2, 8)}.eml`;
          await fs.writeFile(path.join(outboxDir, outboxFile), (info as unknown as { message: Buffer }).message, {
            mode: 0o600,
          });
        }
      } catch (err) {
        error = (err as Error).message;
      }
      return { outboxFile, error };
    },
    record(mail, delivery) {
      return db
        .insertInto('mail_messages')
        .values({
          to_address: mail.to,
          subject: mail.subject,
          body_text: redactLinks(mail.text),
          kind: mail.kind,
          transport,
          outbox_file: delivery.outboxFile,
          error: delivery.error,
          related_org_id: mail.relatedOrgId ?? null,
          related_wave_id: mail.relatedWaveId ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    async send(mail) {
      return mailer.record(mail, await mailer.deliver(mail));
    },
  };
  return mailer;
}

export function listMail(db: Kysely<Database>, limit = 200): Promise<MailMessage[]> {
  return db.selectFrom('mail_messages').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

export function findMail(db: Kysely<Database>, id: number): Promise<MailMessage | undefined> {
  return db.selectFrom('mail_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The raw .eml of an outbox message; the file name comes from our own table, never from the request. */
export async function readOutboxFile(outboxDir: string, file: string): Promise<string> {
  return fs.readFile(path.join(outboxDir, path.basename(file)), 'utf8');
}
