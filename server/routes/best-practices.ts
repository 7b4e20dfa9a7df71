import { Router } from 'express';
import { z } from 'zod';
import { consentedTexts, publishedTexts, reviewText } from '../../surveys/best-practices';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { textFields } from '../web/form';
import { notFound } from '../web/http-error';

export function bestPracticeRoutes(ctx: AppContext) {
  const router = Router();
  router.get('/beheer/goede-voorbeelden', requireStaff, async (_req, res) => {
    const items = await consentedTexts(ctx.db);
    await res.page('pages/best-practices-queue', { title: res.locals.t('practices.queue_title'), items });
  });
  router.post('/beheer/goede-voorbeelden', requireStaff, async (req, res) => {
    const values = textFields(req.body, ['response_id', 'question_key', 'decision'] as const);
    const id = z.coerce.number().int().positive().safeParse(values.response_id);
    if (!id.success || !['approve', 'reject'].includes(values.decision)) throw notFound();
    try {
      await reviewText(ctx.db, {
        responseId: id.data,
        questionKey: values.question_key,
        approve: values.decision === 'approve',
        actor: req.user!,
      });
    } catch {
      throw notFound();
    }
    req.session.flash = {
      kind: 'success',
      key: values.decision === 'approve' ? 'practices.approved' : 'practices.rejected',
    };
    res.redirect(303, '/beheer/goede-voorbeelden');
  });
  router.get('/resultaten/goede-voorbeelden', async (_req, res) => {
    const items = await publishedTexts(ctx.db);
    await res.page('pages/best-practices-public', { title: res.locals.t('practices.public_title'), items });
  });
  return router;
}
