// The staff's data-editing page: a wave's responses ranked by their
// influence on the branch totals, one response read-only with its history, and
// "vraag om te controleren": reopen with a message to the organisation.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { correctResponse, MAX_CORRECTION_REASON_LENGTH } from '../../analysis/editing/corrections';
import { dataEditing, reviewedResponse } from '../../analysis/editing/data-editing';
import { historyValue } from '../../analysis/editing/history-values';
import { dataRelease, logRelease } from '../../exports/release-log';
import { formText } from '../../foundation/form-fields';
import { displayValue, inputValue } from '../../surveys/answers/format-answers';
import { allQuestions } from '../../surveys/definition-schema';
import { warningText } from '../../surveys/plausibility-text';
import {
  MAX_REVIEW_MESSAGE_LENGTH,
  ResponseError,
  requestReview,
  reviewRecipientCount,
  type WaveWithDefinition,
} from '../../surveys/responses/responses';
import { type AnswerMap, visibleQuestions } from '../../surveys/visibility';
import { waveAcceptsAnswers } from '../../surveys/waves/waves';
import type { Locale } from '../../views/i18n/index';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { type FieldError, readForm } from '../web/form';
import { notFound } from '../web/http-error';
import { pageOfList, readQuery, textOrNull } from '../web/query';

/** Staff's request to check: the message for the organisation (checked by the domain). */
const reviewRequestForm = z.object({ message: formText });

/** Staff's correction of one answer: the question, its new value (named by the question's key) and the reason. */
const correctionQuery = z.object({ vraag: formText });

/** The ranking of responses: by one question's share (or all), a page of it. */
const rankingQuery = z.object({ vraag: textOrNull, pagina: pageOfList });

async function loadResponse(db: AppContext['db'], req: Request) {
  const reviewed = await reviewedResponse(db, String(req.params.slug), String(req.params.org));
  if (!reviewed) throw notFound();
  return reviewed;
}

function responsePath(reviewed: Awaited<ReturnType<typeof loadResponse>>) {
  return `/beheer/metingen/${encodeURIComponent(reviewed.target.wave.slug)}/controle/${encodeURIComponent(reviewed.response.org_id)}`;
}

/** The submitted response and the question to correct; 404 unless it applies to this response. */
async function loadCorrection(db: AppContext['db'], req: Request) {
  const reviewed = await loadResponse(db, req);
  if (reviewed.response.status !== 'submitted') throw notFound();
  const { vraag } = readQuery(correctionQuery, req.query);
  const question = allQuestions(reviewed.target.definition).find((q) => q.key === vraag);
  if (!question || !correctableKeys(reviewed).includes(question.key)) throw notFound();
  return { reviewed, question };
}

export function dataEditingRoutes(ctx: AppContext) {
  const router = Router();
  reviewRoutes(router, ctx);
  askRoutes(router, ctx);
  correctionRoutes(router, ctx);
  return router;
}

/** The data-editing list of a wave and one response under review. */
function reviewRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
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
    const reviewed = await loadResponse(db, req);
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
      // Values in the history the Dutch way (€ 45.000, ja/nee, option labels), not as stored.
      valueText: (key: string, raw: unknown) => historyValue(question(key), raw, locale),
      correctable: reviewed.response.status === 'submitted' ? correctableKeys(reviewed) : [],
      title: res.locals.t('data_editing.response_title', {
        org: reviewed.response.name || reviewed.response.org_id,
        wave: reviewed.target.wave.name,
      }),
      reviewed,
      wave: reviewed.target.wave,
    });
  });
}

/** Asking an organisation to check its answers (back to draft, or a resubmission on a closed wave). */
function askRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  async function showAsk(
    res: Response,
    reviewed: Awaited<ReturnType<typeof loadResponse>>,
    message: string,
    errors: FieldError[],
    status = 200,
  ) {
    const members = await reviewRecipientCount(db, reviewed.response.org_id);
    // A closed wave takes no resubmission: the page says so and offers the correction instead.
    const closed = !waveAcceptsAnswers(reviewed.target.wave);
    await res.page(
      'pages/data-editing-ask',
      {
        title: res.locals.t('data_editing.ask_title', { org: reviewed.response.name || reviewed.response.org_id }),
        reviewed,
        wave: reviewed.target.wave,
        message,
        errors,
        members,
        closed,
        maxLength: MAX_REVIEW_MESSAGE_LENGTH,
      },
      status,
    );
  }

  // The confirmation before reopening: what happens, and the message to write.
  router.get('/beheer/metingen/:slug/controle/:org/terugzetten', requireStaff, async (req, res) => {
    const reviewed = await loadResponse(db, req);
    if (reviewed.response.status !== 'submitted') throw notFound();
    await showAsk(res, reviewed, '', []);
  });

  router.post('/beheer/metingen/:slug/controle/:org/terugzetten', requireStaff, async (req, res) => {
    const reviewed = await loadResponse(db, req);
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
}

/** Staff correcting an answer, with a reason. */
function correctionRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  async function showCorrection(
    res: Response,
    c: Awaited<ReturnType<typeof loadCorrection>>,
    form: { value: string | string[]; reason: string },
    errors: FieldError[],
    status = 200,
  ) {
    const locale = res.locals.locale;
    await res.page(
      'pages/data-editing-correct',
      {
        title: res.locals.t('corrections.title', { org: c.reviewed.response.name || c.reviewed.response.org_id }),
        reviewed: c.reviewed,
        wave: c.reviewed.target.wave,
        question: c.question,
        current: displayValue(c.question, c.reviewed.answers.get(c.question.key), locale),
        value: form.value,
        reason: form.reason,
        errors,
        maxLength: MAX_CORRECTION_REASON_LENGTH,
      },
      status,
    );
  }

  router.get('/beheer/metingen/:slug/controle/:org/corrigeren', requireStaff, async (req, res) => {
    const c = await loadCorrection(db, req);
    await showCorrection(
      res,
      c,
      { value: inputValue(c.question, c.reviewed.answers.get(c.question.key), res.locals.locale), reason: '' },
      [],
    );
  });

  router.post('/beheer/metingen/:slug/controle/:org/corrigeren', requireStaff, async (req, res) => {
    const c = await loadCorrection(db, req);
    const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    const posted = body[c.question.key];
    // Unticked checkboxes and radios post nothing: that is "no answer".
    const value = Array.isArray(posted) ? posted.map(String) : typeof posted === 'string' ? posted : '';
    const reason = typeof body.reden === 'string' ? body.reden : '';
    const result = await correctResponse(db, {
      slug: c.reviewed.target.wave.slug,
      orgId: c.reviewed.response.org_id,
      set: [[c.question.key, value]],
      reason,
      staff: req.user!,
    });
    if (!result.ok) {
      const errors = result.errors.map((e) => ({
        field: e.question ? c.question.key : 'reden',
        key: e.key,
        params: e.params,
      }));
      return showCorrection(res, c, { value, reason }, errors, 422);
    }
    req.session.flash = {
      kind: 'success',
      key: 'corrections.done',
      params: { question: c.question.label[res.locals.locale as Locale] ?? c.question.label.nl },
    };
    res.redirect(303, responsePath(c.reviewed));
  });

  return router;
}

/** The questions staff can correct on a submitted response: those that apply to it. */
function correctableKeys(reviewed: { target: WaveWithDefinition; answers: AnswerMap }): string[] {
  const visible = visibleQuestions(reviewed.target.definition, reviewed.answers);
  return allQuestions(reviewed.target.definition)
    .filter((q) => visible.has(q.key) && !reviewed.answers.get(q.key)?.hidden)
    .map((q) => q.key);
}
