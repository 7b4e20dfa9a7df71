// The member's form: one page per questionnaire page, review, submit, own answers.
// Every query is scoped to the organisation of the logged-in member: no URL here
// names an organisation, so there is nothing to tamper with.
import { type Request, Router } from 'express';
import { z } from 'zod';
import { memberComparison } from '../../analysis/comparison/member-comparison';
import { renderChartPng } from '../../exports/chart-image';
import { comparisonChart, submittedPage } from '../../exports/member-comparison-view';
import { ownAnswers, ownComparison } from '../../exports/own-answer-model';
import { ownAnswersCsv, ownAnswersPage, renderOwnAnswersPdf } from '../../exports/own-answers';
import { submitPost } from '../../surveys/answers/page-post';
import {
  autosavePage,
  memberForm,
  openPage,
  postPage,
  reviewOf,
  submitForm,
} from '../../surveys/responses/member-form';
import { ResponseError, resumePath } from '../../surveys/responses/responses';
import { waveAcceptsAnswers } from '../../surveys/waves/waves';
import type { AppContext } from '../app';
import { requireRole } from '../web/auth';
import { readForm } from '../web/form';
import { HttpError, notFound } from '../web/http-error';

const requireMember = requireRole('member');

/** A page number in the URL: a whole number from 1. */
const pageParam = z.coerce.number().int().min(1);

/** A closed or submitted form (ResponseError) is a 409 with its message. */
async function orConflict<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof ResponseError) throw new HttpError(409, error.code);
    throw error;
  }
}

/** The wave in the URL with the member's organisation's response; 404 for a wave members cannot see. */
async function load(db: AppContext['db'], req: Request) {
  const form = await memberForm(db, String(req.params.slug), req.user!.org_id!);
  if (!form) throw notFound();
  return form;
}

function pageNumber(req: Request, total: number): number {
  const n = pageParam.safeParse(req.params.n);
  if (!n.success || n.data > total) throw notFound();
  return n.data;
}

/** The organisation's own answers to a wave, or 404: only its own, only for a response it has. */
async function own(db: AppContext['db'], req: Request) {
  const found = await ownAnswers(db, String(req.params.slug), req.user!.org_id!);
  if (!found) throw notFound();
  return found;
}

/** Where a member lands after submitting. */
const submitted = (slug: string) => `/vragenlijst/${slug}/ingediend`;

export function memberSurveyRoutes(ctx: AppContext) {
  const router = Router();
  formRoutes(router, ctx);
  submitRoutes(router, ctx);
  ownAnswerRoutes(router, ctx);
  return router;
}

/** The questionnaire's pages: showing, saving and autosaving them. */
function formRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  router.get('/vragenlijst/:slug', requireMember, async (req, res) => {
    const c = await load(db, req);
    if (c.response?.status === 'submitted') return res.redirect(303, submitted(c.wave.slug));
    // A draft continues on the page where the member left it.
    res.redirect(303, resumePath(c.wave.slug, c.definition, c.response));
  });

  router.get('/vragenlijst/:slug/stap/:n', requireMember, async (req, res) => {
    const c = await load(db, req);
    if (c.response?.status === 'submitted') return res.redirect(303, submitted(c.wave.slug));
    if (!waveAcceptsAnswers(c.wave)) throw new HttpError(403, 'survey.form.closed');
    const n = pageNumber(req, c.definition.pages.length);
    await res.page('pages/survey-page', await openPage(db, c, n, res.locals.locale));
  });

  router.post('/vragenlijst/:slug/stap/:n', requireMember, async (req, res) => {
    const c = await load(db, req);
    const n = pageNumber(req, c.definition.pages.length);
    const post = { form: c, n, body: req.body, user: req.user!, locale: res.locals.locale };
    const outcome = await orConflict(postPage(db, post));
    if (outcome.kind === 'page') return res.page('pages/survey-page', outcome.page, outcome.status);
    if (outcome.kind === 'next') return res.redirect(303, outcome.path);
    req.session.flash = { kind: 'success', key: 'survey.form.saved' };
    res.redirect(303, '/');
  });

  router.post('/vragenlijst/:slug/stap/:n/autosave', requireMember, async (req, res) => {
    const c = await load(db, req);
    const n = pageNumber(req, c.definition.pages.length);
    try {
      const saved = await autosavePage(db, { form: c, n, body: req.body, user: req.user!, locale: res.locals.locale });
      res.status(saved.ok ? 200 : 409).json(saved);
    } catch (error) {
      if (error instanceof ResponseError) return res.status(409).json({ ok: false, closed: true });
      throw error;
    }
  });
}

/** Checking and submitting, the thank-you page and its comparison chart. */
function submitRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  router.get('/vragenlijst/:slug/controle', requireMember, async (req, res) => {
    const c = await load(db, req);
    if (c.response?.status === 'submitted') return res.redirect(303, submitted(c.wave.slug));
    await res.page('pages/survey-review', await reviewOf(db, c, res.locals.locale));
  });

  router.post('/vragenlijst/:slug/indienen', requireMember, async (req, res) => {
    const c = await load(db, req);
    const { values, errors } = readForm(submitPost, req.body);
    const post = { form: c, version: values.version, errors, user: req.user!, locale: res.locals.locale };
    const outcome = await orConflict(submitForm(db, post));
    if (outcome.kind === 'gone') throw notFound();
    if (outcome.kind === 'review') return res.page('pages/survey-review', outcome.page, outcome.status);
    res.redirect(303, submitted(c.wave.slug));
  });

  router.get('/vragenlijst/:slug/ingediend', requireMember, async (req, res) => {
    const c = await load(db, req);
    if (c.response?.status !== 'submitted') return res.redirect(303, `/vragenlijst/${c.wave.slug}`);
    const comparison = await memberComparison(db, { waveId: c.wave.id, definition: c.definition, orgId: c.orgId });
    await res.page('pages/survey-submitted', submittedPage(c, comparison, res.locals.locale));
  });

  // The same chart as a PNG: the fallback without JavaScript and a download.
  router.get('/vragenlijst/:slug/vergelijking.png', requireMember, async (req, res) => {
    const c = await load(db, req);
    if (c.response?.status !== 'submitted') throw notFound();
    const comparison = await memberComparison(db, { waveId: c.wave.id, definition: c.definition, orgId: c.orgId });
    const png = await renderChartPng(comparisonChart(comparison.rows, res.locals.locale));
    res.type('image/png').set('Cache-Control', 'private, no-store').send(png);
  });
}

/** The organisation's own answers, on the page and as PDF and CSV. */
function ownAnswerRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  // The answers read back, read-only, with the comparison once submitted: the member's history.
  router.get('/vragenlijst/:slug/antwoorden', requireMember, async (req, res) => {
    const answers = await own(db, req);
    const comparison = await ownComparison(db, answers);
    await res.page('pages/survey-answers', ownAnswersPage(answers, comparison, res.locals.locale));
  });

  router.get('/vragenlijst/:slug/antwoorden.pdf', requireMember, async (req, res) => {
    const answers = await own(db, req);
    res
      .type('application/pdf')
      .set('Cache-Control', 'private, no-store')
      .attachment(`antwoorden-${answers.wave.slug}-${answers.organisation.org_id}.pdf`)
      .send(await renderOwnAnswersPdf(answers, res.locals.locale));
  });

  // The readable copy for Excel (NL); the analysts' CSV with keys and codes is the staff export.
  router.get('/vragenlijst/:slug/antwoorden.csv', requireMember, async (req, res) => {
    const answers = await own(db, req);
    res
      .type('text/csv; charset=utf-8')
      .set('Cache-Control', 'private, no-store')
      .attachment(`antwoorden-${answers.wave.slug}-${answers.organisation.org_id}.csv`)
      .send(ownAnswersCsv(answers, res.locals.locale));
  });

  return router;
}
