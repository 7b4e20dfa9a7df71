import { Router } from 'express';
import { z } from 'zod';
import { formBody, formText } from '../../foundation/form-fields';
import { consentedTexts, publishedTexts, reviewText, TextNotFoundError } from '../../surveys/best-practices';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { notFound } from '../web/http-error';

/** A moderation decision on one consented text: which response and question, approve or reject. */
const reviewDecisionForm = z.object({
  response_id: formText.transform(Number).pipe(z.number().int().positive()),
  question_key: formText,
  decision: z.enum(['approve', 'reject']),
});

export function bestPracticeRoutes(ctx: AppContext) {
  const router = Router();
  router.get('/beheer/goede-voorbeelden', requireStaff, async (_req, res) => {
    const items = await consentedTexts(ctx.db);
    await res.page('pages/best-practices-queue', { title: res.locals.t('practices.queue_title'), items });
  });
  router.post('/beheer/goede-voorbeelden', requireStaff, async (req, res) => {
    const parsed = reviewDecisionForm.safeParse(formBody(req.body));
    if (!parsed.success) throw notFound();
    const values = parsed.data;
    try {
      await reviewText(ctx.db, {
        responseId: values.response_id,
        questionKey: values.question_key,
        approve: values.decision === 'approve',
        actor: req.user!,
      });
    } catch (error) {
      if (error instanceof TextNotFoundError) throw notFound();
      throw error;
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
