// The staff's data-editing page: a wave's responses ranked by their

import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { dataEditing, reviewedResponse } from '../../analysis/editing/data-editing';
// influence on the branch totals, one response read-only with its history, and
// "vraag om te controleren": reopen with a message to the organisation.
import { dataRelease, logRelease } from '../../exports/release-log';
import { formText } from '../../foundation/form-fields';
import { displayValue } from '../../surveys/answers/format-answers';
import { allQuestions } from '../../surveys/definition-schema';
import { warningText } from '../../surveys/plausibility-text';
import {
  MAX_REVIEW_MESSAGE_LENGTH,
  ResponseError,
  requestReview,
  reviewRecipientCount,
} from '../../surveys/responses/responses';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { type FieldError, readForm } from '../web/form';
import { notFound } from '../web/http-error';
import { pageOfList, readQuery, textOrNull } from '../web/query';

/** Staff's request to check: the message for the organisation (checked by the domain). */
const reviewRequestForm = z.object({ message: formText });

/** The ranking of responses: by one question's share (or all), a page of it. */
const rankingQuery = z.object({ vraag: textOrNull, pagina: pageOfList });

export function dataEditingRoutes(ctx: AppContext) {
  const router = Router();
  const { db } = ctx;

  async function loadResponse(req: Request) {
    const reviewed = await reviewedResponse(db, String(req.params.slug), String(req.params.org));
    if (!reviewed) throw notFound();
    return reviewed;
  }

  router.get('/beheer/metingen/:slug/controle', requireStaff, async (req, res) => {
    const { vraag: question, pagina: page } = readQuery(rankingQuery, req.query);
    const model = await dataEditing(db, String(req.params.slug), { question, page });
    if (!model) throw notFound();
    await res.page('pages/data-editing', {
      title: res.locals.t('data_editing.title', { wave: model.target.wave.name }),
      model,
      wave: model.target.wave,
    });
  });

  router.get('/beheer/metingen/:slug/controle/:org', requireStaff, async (req, res) => {
    const reviewed = await loadResponse(req);
    const locale = res.locals.locale;
    const questions = allQuestions(reviewed.target.definition);
    const question = (key: string) => questions.find((q) => q.key === key);
    // One organisation's own answers on screen: in the release log, with the organisation.
    await logRelease(db, {
      userId: req.user!.id,
      ...dataRelease({
        wave: reviewed.target.wave.slug,
        format: 'antwoord-pagina',
        questions: questions.map((q) => q.key),
        organisations: [reviewed.response.org_id],
      }),
    });
    await res.page('pages/data-editing-response', {
      checkTexts: reviewed.checks.map((c) => warningText(c.warning, question(c.warning.question), locale)),
      answerTexts: Object.fromEntries(
        questions.map((q) => [q.key, displayValue(q, reviewed.answers.get(q.key), locale)]),
      ),
      title: res.locals.t('data_editing.response_title', {
        org: reviewed.response.name || reviewed.response.org_id,
        wave: reviewed.target.wave.name,
      }),
      reviewed,
      wave: reviewed.target.wave,
    });
  });

  async function showAsk(
    res: Response,
    reviewed: Awaited<ReturnType<typeof loadResponse>>,
    message: string,
    errors: FieldError[],
    status = 200,
  ) {
    const members = await reviewRecipientCount(db, reviewed.response.org_id);
    await res.page(
      'pages/data-editing-ask',
      {
        title: res.locals.t('data_editing.ask_title', { org: reviewed.response.name || reviewed.response.org_id }),
        reviewed,
        wave: reviewed.target.wave,
        message,
        errors,
        members,
        maxLength: MAX_REVIEW_MESSAGE_LENGTH,
      },
      status,
    );
  }

  // The confirmation before reopening: what happens, and the message to write.
  router.get('/beheer/metingen/:slug/controle/:org/terugzetten', requireStaff, async (req, res) => {
    const reviewed = await loadResponse(req);
    if (reviewed.response.status !== 'submitted') throw notFound();
    await showAsk(res, reviewed, '', []);
  });

  router.post('/beheer/metingen/:slug/controle/:org/terugzetten', requireStaff, async (req, res) => {
    const reviewed = await loadResponse(req);
    if (reviewed.response.status !== 'submitted') throw notFound();
    const { message } = readForm(reviewRequestForm, req.body).values;
    try {
      const { mailed } = await requestReview(db, {
        wave: reviewed.target.wave,
        orgId: reviewed.response.org_id,
        staff: req.user!,
        message,
        publicUrl: ctx.config.publicUrl,
        locale: res.locals.locale,
      });
      ctx.mailQueue.wake();
      req.session.flash = {
        kind: 'success',
        key: 'data_editing.asked',
        params: { org: reviewed.response.name || reviewed.response.org_id, mailed },
      };
    } catch (error) {
      if (!(error instanceof ResponseError)) throw error;
      if (error.code === 'survey.responses.not_submitted') throw notFound();
      return showAsk(res, reviewed, message, [{ field: 'message', key: error.code, params: error.params }], 422);
    }
    res.redirect(
      303,
      `/beheer/metingen/${encodeURIComponent(reviewed.target.wave.slug)}/controle/${encodeURIComponent(reviewed.response.org_id)}`,
    );
  });

  return router;
}
