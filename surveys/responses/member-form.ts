// The member's form as the routes use it: the organisation's response to a wave,
// opening a page, a page post (save, soft checks, where next), autosave, the
// review page and submitting. Each returns what to show; the pages themselves are
// built by the pure functions in answers/form-pages.ts.
import type { Kysely } from 'kysely';
import type { Database, User } from '../../foundation/db/schema';
import type { Locale } from '../../views/i18n/index';
import { formPage, pageValues, reviewPage } from '../answers/form-pages';
import {
  interpretPagePost,
  nextPage,
  type PageFieldError,
  pageDifferences,
  pendingShown,
  readPageAction,
  readPagePost,
  requiresAnswers,
} from '../answers/page-post';
import { missingRequired } from '../answers/parse-answers';
import { allQuestions } from '../definition-schema';
import { shownWarnings } from '../plausibility-text';
import { waveAcceptsAnswers } from '../waves/waves';
import {
  pendingInputsOf,
  plausibilityOf,
  type ResponseState,
  rememberPage,
  responseOf,
  resumePath,
  saveDraft,
  submitResponse,
  type WaveWithDefinition,
  waveWithDefinition,
} from './responses';

type Db = Kysely<Database>;

/** A wave's questionnaire with the organisation's response to it (or none yet). */
export interface MemberForm extends WaveWithDefinition, ResponseState {
  orgId: string;
}

/** The wave `slug` with the organisation's response, or null when members cannot see it (missing or a draft wave). */
export async function memberForm(db: Db, slug: string, orgId: string): Promise<MemberForm | null> {
  const found = await waveWithDefinition(db, slug);
  if (!found || found.wave.status === 'draft') return null;
  return { ...found, orgId, ...(await responseOf(db, found.wave.id, orgId)) };
}

/**
 * Page `n` as the member opens it: the stored answers, and a stored answer a soft
 * check questions (saved by autosave, or before the previous wave or the frame was
 * known) is asked about whenever its page is shown. What was typed but is not an
 * answer yet comes back as typed, with its question or error.
 */
export async function openPage(db: Db, form: MemberForm, n: number, locale: Locale) {
  const questions = form.definition.pages[n - 1].questions;
  const kept = pendingShown(questions, await pendingInputsOf(db, form.response?.id ?? null), locale);
  const soft = await plausibilityOf(db, {
    wave: form.wave,
    orgId: form.orgId,
    responseId: form.response?.id ?? null,
    questions,
    answers: form.answers,
  });
  return formPage(
    {
      ...form,
      n,
      values: { ...pageValues(questions, form.answers, locale), ...kept.values },
      errors: kept.errors,
      ambiguous: kept.asks,
      version: form.response?.version ?? 0,
      warnings: shownWarnings(soft.warnings, questions, form.answers, locale),
    },
    locale,
  );
}

interface PagePostArgs {
  form: MemberForm;
  n: number;
  body: unknown;
  user: User;
  locale: Locale;
}

/** Read and save one page; shared by the form post and autosave. Throws ResponseError when the form is closed. */
async function savePage(
  db: Db,
  { form, n, body, user, locale }: PagePostArgs,
  options: { requireAnswers: boolean; version?: number; confirm?: boolean },
) {
  const page = form.definition.pages[n - 1];
  const post = readPagePost(body, page.questions);
  const { parsed, errors, asks, pending, updates, confirmations } = interpretPagePost(
    page.questions,
    post,
    form.answers,
    locale,
    { confirm: options.confirm ?? false },
  );
  const result = await saveDraft(db, {
    wave: form.wave,
    definition: form.definition,
    orgId: form.orgId,
    user,
    expectedVersion: options.version ?? post.version,
    updates,
    confirmations,
    pending,
  });
  if (result.ok && options.requireAnswers) {
    const flagged = new Set([...errors.map((e) => e.field), ...asks.map((a) => a.question)]);
    for (const e of missingRequired(form.definition, result.answers, page.questions))
      if (!flagged.has(e.question)) errors.push({ field: e.question, key: e.key, params: e.params });
  }
  return { post, parsed, errors, asks, pending, result, page };
}

/** What a page post leads to: the page again (with its status), home after "later", or the next page. */
export type PagePostOutcome =
  | { kind: 'page'; page: ReturnType<typeof formPage>; status: number }
  | { kind: 'saved' }
  | { kind: 'next'; path: string };

/**
 * The form post of page `n`: save what is valid, then show the page again on a
 * conflict (409), errors (422) or soft-check warnings (200), or go where the
 * button says. Throws ResponseError when the form is closed.
 */
export async function postPage(db: Db, args: PagePostArgs): Promise<PagePostOutcome> {
  const { form, n, locale } = args;
  const action = readPageAction(args.body);
  const requireAnswers = requiresAnswers(action);
  let saved = await savePage(db, args, { requireAnswers, confirm: true });
  const differences = (s: typeof saved) =>
    pageDifferences(
      s.page.questions,
      { raw: s.post.raw, parsed: s.parsed, errors: s.errors },
      s.result.answers,
      locale,
    );
  // A stale version whose page holds exactly what this post carries (the member's
  // own autosave got there first): nothing can be overwritten, so save on the
  // current version instead of showing a conflict without differences.
  if (!saved.result.ok && differences(saved).length === 0)
    saved = await savePage(db, args, { requireAnswers, version: saved.result.version, confirm: true });
  const { post, errors, asks, result } = saved;
  const shown = {
    ...form,
    n,
    values: post.raw as Record<string, string | string[]>,
    errors,
    answers: result.answers,
    version: result.version,
    ambiguous: asks,
  };
  if (!result.ok) {
    // Another session really saved something else: both values side by side, and
    // what is wrong with the typed ones is still said at their fields.
    return { kind: 'page', page: formPage({ ...shown, conflict: differences(saved) }, locale), status: 409 };
  }
  // Soft checks: a questioned answer is saved, but the page is shown again with the
  // warning at the question until the member corrects it or keeps it with a reason.
  const soft = await plausibilityOf(db, {
    wave: form.wave,
    orgId: form.orgId,
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
  // A number read two ways is asked about calmly (200), on the page, until confirmed or changed.
  if (errors.length || warnings.length || asks.length) {
    const page = formPage({ ...shown, warnings, reasons: post.reasons }, locale);
    return { kind: 'page', page, status: errors.length ? 422 : 200 };
  }
  const next = nextPage(action, n, form.definition.pages.length);
  await rememberPage(db, { wave: form.wave, definition: form.definition, orgId: form.orgId, page: next });
  if (action === 'save') return { kind: 'saved' };
  return { kind: 'next', path: resumePath(form.wave.slug, form.definition, { resume_page: next }) };
}

/**
 * Autosave of page `n`: what is valid is saved as an answer, what is not (yet) is
 * kept as typed; the answer names the fields kept as typed (`kept`), or the
 * conflict. Throws ResponseError when the form is closed.
 */
export async function autosavePage(db: Db, args: PagePostArgs) {
  const { result, errors, pending } = await savePage(db, args, { requireAnswers: false });
  if (!result.ok) return { ok: false as const, conflict: true, version: result.version };
  await rememberPage(db, {
    wave: args.form.wave,
    definition: args.form.definition,
    orgId: args.form.orgId,
    page: args.n,
  });
  const kept = [...pending].filter(([, raw]) => raw !== null).map(([key]) => key);
  return { ok: true as const, version: result.version, invalid: errors.map((e) => e.field), kept };
}

/** The review page, with the soft checks over all answers; `blocked` when they held a submission. */
export async function reviewOf(
  db: Db,
  form: MemberForm,
  locale: Locale,
  options: { errors?: PageFieldError[]; blocked?: boolean } = {},
) {
  const soft = await plausibilityOf(db, {
    wave: form.wave,
    orgId: form.orgId,
    responseId: form.response?.id ?? null,
    questions: allQuestions(form.definition),
    answers: form.answers,
  });
  return reviewPage(
    {
      ...form,
      soft,
      errors: options.errors ?? [],
      open: waveAcceptsAnswers(form.wave),
      blocked: options.blocked ?? false,
    },
    locale,
  );
}

/** What submitting leads to: the submitted page, the review page again with its status, or nothing (the wave is gone). */
export type SubmitOutcome =
  | { kind: 'submitted' }
  | { kind: 'review'; page: Awaited<ReturnType<typeof reviewOf>>; status: number }
  | { kind: 'gone' };

/**
 * Submit the organisation's answers from the review page: `errors` are the submit
 * form's (the confirmation box not ticked). Required answers still open, soft
 * checks not answered or a newer version show the review page again, as it now is.
 * Throws ResponseError when the form is closed.
 */
export async function submitForm(
  db: Db,
  args: { form: MemberForm; version: number; errors: PageFieldError[]; user: User; locale: Locale },
): Promise<SubmitOutcome> {
  const { form, locale } = args;
  if (args.errors.length)
    return { kind: 'review', page: await reviewOf(db, form, locale, { errors: args.errors }), status: 422 };
  const result = await submitResponse(db, {
    wave: form.wave,
    definition: form.definition,
    orgId: form.orgId,
    user: args.user,
    expectedVersion: args.version,
  });
  if (result.ok) return { kind: 'submitted' };
  const reload = await memberForm(db, form.wave.slug, form.orgId);
  if (!reload) return { kind: 'gone' };
  if ('missing' in result) {
    const errors = [{ field: 'confirm', key: 'survey.review.missing' }];
    return { kind: 'review', page: await reviewOf(db, reload, locale, { errors }), status: 422 };
  }
  if ('warnings' in result)
    return { kind: 'review', page: await reviewOf(db, reload, locale, { blocked: true }), status: 422 };
  const errors = [{ field: 'confirm', key: 'survey.form.conflict_title' }];
  return { kind: 'review', page: await reviewOf(db, reload, locale, { errors }), status: 409 };
}
