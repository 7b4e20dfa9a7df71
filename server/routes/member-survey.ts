// The member's form: one page per questionnaire page, review, submit, own answers.
// Every query is scoped to the organisation of the logged-in member: no URL here
// names an organisation, so there is nothing to tamper with.
import { type Request, type Response, Router } from 'express';
import { renderChartPng } from '../../exports/chart-image';
import { comparisonChartSpec } from '../../exports/chart-spec';
import { ownAnswersCsv, ownAnswersHeader, renderOwnAnswersPdf } from '../../exports/own-answers';
import { reportLabel } from '../../exports/report-text';
import { displayValue, inputValue } from '../../surveys/answers/format-answers';
import { interpretPagePost, readPagePost, readVersion } from '../../surveys/answers/page-post';
import { missingRequired } from '../../surveys/answers/parse-answers';
import { allQuestions, type Question } from '../../surveys/definition-schema';
import { type ComparisonRow, memberComparison } from '../../surveys/member-comparison';
import { ownAnswers } from '../../surveys/own-answers';
import { type ShownWarning, shownWarnings } from '../../surveys/plausibility-text';
import {
  plausibilityOf,
  ResponseError,
  rememberPage,
  responseOf,
  resumePath,
  saveDraft,
  submitResponse,
  waveWithDefinition,
} from '../../surveys/responses/responses';
import type { StoredAnswer } from '../../surveys/responses/responses-repository';
import { visibleQuestions } from '../../surveys/visibility';
import { waveAcceptsAnswers } from '../../surveys/waves/waves';
import type { Locale } from '../../views/i18n/index';
import type { AppContext } from '../app';
import { requireRole } from '../web/auth';
import type { FieldError } from '../web/form';
import { HttpError, notFound } from '../web/http-error';

/** The comparison drawn by the one chart-spec builder, as the reports are. */
function comparisonSpec(rows: ComparisonRow[], locale: Locale, title: string) {
  return comparisonChartSpec(
    rows.map((r) => ({ label: reportLabel(r.question, locale), quarter: r.quarter })),
    title,
    locale,
  );
}

const requireMember = requireRole('member');

export function memberSurveyRoutes(ctx: AppContext) {
  const router = Router();
  const { db } = ctx;

  async function load(req: Request) {
    const found = await waveWithDefinition(db, String(req.params.slug));
    // A draft wave is invisible to members.
    if (!found || found.wave.status === 'draft') throw notFound();
    const orgId = req.user!.org_id!;
    const state = await responseOf(db, found.wave.id, orgId);
    return { ...found, orgId, ...state };
  }

  function pageNumber(req: Request, total: number): number {
    const n = Number(req.params.n);
    if (!Number.isInteger(n) || n < 1 || n > total) throw notFound();
    return n;
  }

  async function renderPage(
    res: Response,
    args: {
      ctx: Awaited<ReturnType<typeof load>>;
      n: number;
      values: Record<string, string | string[]>;
      errors: FieldError[];
      answers: Map<string, StoredAnswer>;
      version: number;
      conflict?: { question: Question; yours: string; theirs: string }[];
      ambiguous?: { question: string; raw: string }[];
      warnings?: ShownWarning[];
      reasons?: ReadonlyMap<string, { reason: string }>;
      status?: number;
    },
  ) {
    const { definition, wave } = args.ctx;
    const locale = res.locals.locale as Locale;
    const page = definition.pages[args.n - 1];
    const visible = visibleQuestions(definition, args.answers);
    const keysOnPage = new Set(page.questions.map((q) => q.key));
    // Hidden by an answer on an earlier page: not shown at all. Controlled by a
    // question on this page: shown, with a hint, and hidden live by JavaScript.
    const questions = page.questions.map((q) => ({
      q,
      shown: !q.visible_if || keysOnPage.has(q.visible_if.question) || visible.has(q.key),
      controller:
        q.visible_if && keysOnPage.has(q.visible_if.question)
          ? allQuestions(definition).find((c) => c.key === q.visible_if!.question)
          : null,
    }));
    await res.page(
      'pages/survey-page',
      {
        title: `${page.title[locale]} – ${wave.name}`,
        wave,
        definition,
        page,
        n: args.n,
        total: definition.pages.length,
        questions,
        values: args.values,
        errors: args.errors,
        version: args.version,
        conflict: args.conflict ?? [],
        ambiguous: args.ambiguous ?? [],
        warnings: args.warnings ?? [],
        reasons: Object.fromEntries([...(args.reasons ?? [])].map(([k, r]) => [k, r.reason])),
        reviewRequest: args.ctx.response?.review_message
          ? { message: args.ctx.response.review_message, at: args.ctx.response.review_requested_at }
          : null,
      },
      args.status ?? 200,
    );
  }

  function valuesFor(questions: readonly Question[], answers: Map<string, StoredAnswer>, locale: Locale) {
    return Object.fromEntries(questions.map((q) => [q.key, inputValue(q, answers.get(q.key), locale)]));
  }

  router.get('/vragenlijst/:slug', requireMember, async (req, res) => {
    const c = await load(req);
    if (c.response?.status === 'submitted') return res.redirect(303, `/vragenlijst/${c.wave.slug}/ingediend`);
    // A draft continues on the page where the member left it.
    res.redirect(303, resumePath(c.wave.slug, c.definition, c.response));
  });

  router.get('/vragenlijst/:slug/stap/:n', requireMember, async (req, res) => {
    const c = await load(req);
    if (c.response?.status === 'submitted') return res.redirect(303, `/vragenlijst/${c.wave.slug}/ingediend`);
    if (!waveAcceptsAnswers(c.wave)) throw new HttpError(403, 'survey.form.closed');
    const n = pageNumber(req, c.definition.pages.length);
    const questions = c.definition.pages[n - 1].questions;
    // A stored answer a soft check questions (saved by autosave, or before the
    // previous wave or the frame was known) is asked about whenever its page is shown.
    const soft = await plausibilityOf(db, {
      wave: c.wave,
      orgId: c.orgId,
      responseId: c.response?.id ?? null,
      questions,
      answers: c.answers,
    });
    await renderPage(res, {
      ctx: c,
      n,
      values: valuesFor(questions, c.answers, res.locals.locale),
      errors: [],
      answers: c.answers,
      version: c.response?.version ?? 0,
      warnings: shownWarnings(soft.warnings, questions, c.answers, res.locals.locale),
    });
  });

  /** Parse and save one page; shared by the form post and autosave. */
  async function savePage(
    req: Request,
    c: Awaited<ReturnType<typeof load>>,
    n: number,
    options: { requireAnswers: boolean; version?: number; confirm?: boolean },
  ) {
    const page = c.definition.pages[n - 1];
    const locale = (req.res!.locals.locale ?? 'nl') as Locale;
    const post = readPagePost(req.body, page.questions);
    const { raw, reasons } = post;
    const { parsed, errors, updates, confirmations } = interpretPagePost(page.questions, post, c.answers, locale, {
      confirm: options.confirm ?? false,
    });
    const expectedVersion = options.version ?? post.version;
    const result = await saveDraft(db, {
      wave: c.wave,
      definition: c.definition,
      orgId: c.orgId,
      user: req.user!,
      expectedVersion,
      updates,
      confirmations,
    });
    if (result.ok && options.requireAnswers) {
      const flagged = new Set(errors.map((e) => e.field));
      for (const e of missingRequired(c.definition, result.answers, page.questions))
        if (!flagged.has(e.question)) errors.push({ field: e.question, key: e.key, params: e.params });
    }
    return { raw, parsed, errors, result, page, reasons };
  }

  router.post('/vragenlijst/:slug/stap/:n', requireMember, async (req, res) => {
    const c = await load(req);
    const n = pageNumber(req, c.definition.pages.length);
    const action = String((req.body as Record<string, unknown>).action ?? 'next');
    const requireAnswers = action === 'next' || action === 'review';
    const locale = res.locals.locale as Locale;
    /** The page's questions whose stored value differs from what this post carries. */
    const differences = (saved: Awaited<ReturnType<typeof savePage>>, stored: Map<string, StoredAnswer>) =>
      saved.page.questions
        .map((q) => {
          const typed = saved.raw[q.key];
          const yours = Array.isArray(typed) ? typed.join(', ') : String(typed ?? '');
          const theirsValue = inputValue(q, stored.get(q.key), locale);
          const theirs = Array.isArray(theirsValue) ? theirsValue.join(', ') : theirsValue;
          // The same answer typed differently ("45%" and "45") is no difference.
          const read = saved.parsed.answers.get(q.key);
          const same =
            yours.trim() === theirs.trim() ||
            (read !== undefined &&
              !saved.errors.some((e) => e.field === q.key) &&
              displayValue(q, read ?? undefined, locale) === displayValue(q, stored.get(q.key), locale));
          return { question: q, yours, theirs: displayValue(q, stored.get(q.key), locale), same };
        })
        .filter((x) => !x.same);
    let saved;
    try {
      saved = await savePage(req, c, n, { requireAnswers, confirm: true });
      // A stale version whose page holds exactly what this post carries (the member's
      // own autosave got there first): nothing can be overwritten, so save on the
      // current version instead of showing a conflict without differences.
      if (!saved.result.ok && differences(saved, saved.result.answers).length === 0)
        saved = await savePage(req, c, n, { requireAnswers, version: saved.result.version, confirm: true });
    } catch (error) {
      if (error instanceof ResponseError) throw new HttpError(409, error.code);
      throw error;
    }
    const { raw, errors, result } = saved;
    if (!result.ok) {
      // Another session really saved something else: both values side by side, and
      // what is wrong with the typed ones is still said at their fields.
      return renderPage(res, {
        ctx: c,
        n,
        values: raw as Record<string, string | string[]>,
        errors,
        answers: result.answers,
        version: result.version,
        conflict: differences(saved, result.answers),
        ambiguous: saved.parsed.ambiguous,
        status: 409,
      });
    }
    // Soft checks: a questioned answer is saved, but the page is shown again with the
    // warning at the question until the member corrects it or keeps it with a reason.
    const soft = await plausibilityOf(db, {
      wave: c.wave,
      orgId: c.orgId,
      responseId: result.responseId,
      questions: saved.page.questions,
      answers: result.answers,
    });
    const warnings = shownWarnings(
      soft.warnings.filter((w) => !errors.some((e) => e.field === w.question)),
      saved.page.questions,
      result.answers,
      locale,
    );
    if (errors.length || warnings.length) {
      return renderPage(res, {
        ctx: c,
        n,
        values: raw as Record<string, string | string[]>,
        errors,
        answers: result.answers,
        version: result.version,
        ambiguous: saved.parsed.ambiguous,
        warnings,
        reasons: saved.reasons,
        status: errors.length ? 422 : 200,
      });
    }
    const total = c.definition.pages.length;
    const next =
      action === 'save'
        ? n
        : action === 'previous'
          ? Math.max(1, n - 1)
          : action === 'review' || n === total
            ? total + 1
            : n + 1;
    await rememberPage(db, { wave: c.wave, definition: c.definition, orgId: c.orgId, page: next });
    if (action === 'save') {
      req.session.flash = { kind: 'success', key: 'survey.form.saved' };
      return res.redirect(303, '/');
    }
    res.redirect(303, resumePath(c.wave.slug, c.definition, { resume_page: next }));
  });

  router.post('/vragenlijst/:slug/stap/:n/autosave', requireMember, async (req, res) => {
    const c = await load(req);
    const n = pageNumber(req, c.definition.pages.length);
    try {
      const { result, errors } = await savePage(req, c, n, { requireAnswers: false });
      if (!result.ok) return res.status(409).json({ ok: false, conflict: true, version: result.version });
      await rememberPage(db, { wave: c.wave, definition: c.definition, orgId: c.orgId, page: n });
      res.json({ ok: true, version: result.version, invalid: errors.map((e) => e.field) });
    } catch (error) {
      if (error instanceof ResponseError) return res.status(409).json({ ok: false, closed: true });
      throw error;
    }
  });

  router.get('/vragenlijst/:slug/controle', requireMember, async (req, res) => {
    const c = await load(req);
    if (c.response?.status === 'submitted') return res.redirect(303, `/vragenlijst/${c.wave.slug}/ingediend`);
    await renderReview(res, c, []);
  });

  async function renderReview(
    res: Response,
    c: Awaited<ReturnType<typeof load>>,
    errors: FieldError[],
    status = 200,
    blocked = false,
  ) {
    const locale = res.locals.locale as Locale;
    const missing = new Set(missingRequired(c.definition, c.answers).map((e) => e.question));
    const questions = allQuestions(c.definition);
    const soft = await plausibilityOf(db, {
      wave: c.wave,
      orgId: c.orgId,
      responseId: c.response?.id ?? null,
      questions,
      answers: c.answers,
    });
    const warnings = shownWarnings(soft.warnings, questions, c.answers, locale).map((w) => ({
      ...w,
      label: questions.find((q) => q.key === w.question)!.label[locale],
      page: questions.find((q) => q.key === w.question)!.pageIndex + 1,
    }));
    const pages = c.definition.pages.map((p, i) => ({
      page: p,
      n: i + 1,
      rows: p.questions.map((q) => ({
        q,
        text: displayValue(q, c.answers.get(q.key), locale),
        missing: missing.has(q.key),
        hidden: c.answers.get(q.key)?.hidden ?? false,
        reason: soft.confirmations.get(q.key)?.reason ?? null,
      })),
    }));
    await res.page(
      'pages/survey-review',
      {
        title: res.locals.t('survey.review.title'),
        wave: c.wave,
        definition: c.definition,
        pages,
        missing: missing.size,
        version: c.response?.version ?? 0,
        errors,
        open: waveAcceptsAnswers(c.wave),
        warnings,
        blocked,
        reviewRequest: c.response?.review_message
          ? { message: c.response.review_message, at: c.response.review_requested_at }
          : null,
      },
      status,
    );
  }

  router.post('/vragenlijst/:slug/indienen', requireMember, async (req, res) => {
    const c = await load(req);
    const body = req.body as Record<string, unknown>;
    if (body.confirm !== 'ja')
      return renderReview(res, c, [{ field: 'confirm', key: 'survey.review.confirm_required' }], 422);
    let result;
    try {
      result = await submitResponse(db, {
        wave: c.wave,
        definition: c.definition,
        orgId: c.orgId,
        user: req.user!,
        expectedVersion: readVersion(body),
      });
    } catch (error) {
      if (error instanceof ResponseError) throw new HttpError(409, error.code);
      throw error;
    }
    if (!result.ok) {
      const reload = await load(req);
      if ('missing' in result)
        return renderReview(res, reload, [{ field: 'confirm', key: 'survey.review.missing' }], 422);
      if ('warnings' in result) return renderReview(res, reload, [], 422, true);
      return renderReview(res, reload, [{ field: 'confirm', key: 'survey.form.conflict_title' }], 409);
    }
    res.redirect(303, `/vragenlijst/${c.wave.slug}/ingediend`);
  });

  router.get('/vragenlijst/:slug/ingediend', requireMember, async (req, res) => {
    const c = await load(req);
    if (c.response?.status !== 'submitted') return res.redirect(303, `/vragenlijst/${c.wave.slug}`);
    const comparison = await memberComparison(db, { waveId: c.wave.id, definition: c.definition, orgId: c.orgId });
    const chart = comparisonSpec(comparison.rows, res.locals.locale, res.locals.t('comparison.chart_title'));
    await res.page('pages/survey-submitted', {
      title: res.locals.t('survey.submitted.title'),
      wave: c.wave,
      response: c.response,
      comparison: comparison.rows,
      asOf: comparison.asOf,
      chart,
    });
  });

  // The same chart as a PNG: the fallback without JavaScript and a download.
  router.get('/vragenlijst/:slug/vergelijking.png', requireMember, async (req, res) => {
    const c = await load(req);
    if (c.response?.status !== 'submitted') throw notFound();
    const comparison = await memberComparison(db, { waveId: c.wave.id, definition: c.definition, orgId: c.orgId });
    res
      .type('image/png')
      .set('Cache-Control', 'private, no-store')
      .send(
        await renderChartPng(
          comparisonSpec(comparison.rows, res.locals.locale, res.locals.t('comparison.chart_title')),
        ),
      );
  });

  /** The organisation's own answers to a wave, or 404: only its own, only for a response it has. */
  async function own(req: Request) {
    const found = await ownAnswers(db, String(req.params.slug), req.user!.org_id!);
    if (!found) throw notFound();
    return found;
  }

  // The answers read back, read-only, with the comparison once submitted: the member's history.
  router.get('/vragenlijst/:slug/antwoorden', requireMember, async (req, res) => {
    const answers = await own(req);
    const locale = res.locals.locale as Locale;
    const submitted = answers.response.status === 'submitted';
    const comparison = submitted
      ? await memberComparison(db, {
          waveId: answers.wave.id,
          definition: answers.definition,
          orgId: answers.organisation.org_id,
        })
      : null;
    await res.page('pages/survey-answers', {
      title: `${res.locals.t('own.title')} – ${answers.wave.name}`,
      own: {
        ...answers,
        pages: answers.pages.map((p) => ({
          page: p.page,
          rows: p.rows.map((r) => ({ question: r.question, text: displayValue(r.question, r.answer, locale) })),
        })),
      },
      header: ownAnswersHeader(answers, locale),
      comparison: comparison?.rows ?? null,
      asOf: comparison?.asOf ?? null,
      chart: comparison ? comparisonSpec(comparison.rows, locale, res.locals.t('comparison.chart_title')) : null,
    });
  });

  router.get('/vragenlijst/:slug/antwoorden.pdf', requireMember, async (req, res) => {
    const answers = await own(req);
    res
      .type('application/pdf')
      .set('Cache-Control', 'private, no-store')
      .attachment(`antwoorden-${answers.wave.slug}-${answers.organisation.org_id}.pdf`)
      .send(await renderOwnAnswersPdf(answers, res.locals.locale));
  });

  // The readable copy for Excel (NL); the analysts' CSV with keys and codes is the staff export.
  router.get('/vragenlijst/:slug/antwoorden.csv', requireMember, async (req, res) => {
    const answers = await own(req);
    res
      .type('text/csv; charset=utf-8')
      .set('Cache-Control', 'private, no-store')
      .attachment(`antwoorden-${answers.wave.slug}-${answers.organisation.org_id}.csv`)
      .send(ownAnswersCsv(answers, res.locals.locale));
  });

  return router;
}
