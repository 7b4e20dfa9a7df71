import { Router } from 'express';
import { z } from 'zod';
import { listQueuedMail } from '../../foundation/mail/mail-queue';
import { findMail, listMail, readOutboxFile } from '../../foundation/mail/mailer';
import type { AppContext } from '../app';
import { outboxDir } from '../config';
import { requireAdmin } from '../web/auth';
import { notFound } from '../web/http-error';

/** The mail log and, without SMTP, the outbox: admins can read every message sent. */
export function mailRoutes(ctx: AppContext) {
  const router = Router();
  router.get('/beheer/e-mail', requireAdmin, async (_req, res) => {
    const [messages, queued] = await Promise.all([listMail(ctx.db), listQueuedMail(ctx.db)]);
    await res.page('pages/mail-list', { messages, queued, transport: ctx.mailer.transport });
  });
  router.get('/beheer/e-mail/:id', requireAdmin, async (req, res) => {
    const id = z.coerce.number().int().positive().safeParse(req.params.id);
    const message = id.success ? await findMail(ctx.db, id.data) : undefined;
    if (!message) throw notFound();
    await res.page('pages/mail-show', { message });
  });
  router.get('/beheer/e-mail/:id/eml', requireAdmin, async (req, res) => {
    const id = z.coerce.number().int().positive().safeParse(req.params.id);
    const message = id.success ? await findMail(ctx.db, id.data) : undefined;
    if (!message?.outbox_file) throw notFound();
    const raw = await readOutboxFile(outboxDir(ctx.config), message.outbox_file).catch(() => null);
    if (raw === null) throw notFound();
    res.type('message/rfc822').attachment(message.outbox_file).send(raw);
  });
  return router;
}
