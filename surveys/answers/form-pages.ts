// What the member's form pages show, built without the database from the
// definition, the answers and what the soft checks found: a page of questions
// (pages/survey-page) and the review page (pages/survey-review).
import { type Locale, t } from '../../views/i18n/index';
import { allQuestions, type Question, type SurveyDefinition } from '../definition-schema';
import type { Confirmation, PlausibilityWarning } from '../plausibility';
import { type ShownWarning, shownWarnings } from '../plausibility-text';
import type { ResponseRow, StoredAnswer } from '../responses/responses-repository';
import { pageQuestions, visibleQuestions } from '../visibility';
import type { WaveRow } from '../waves/waves-repository';
import { displayValue, inputValue } from './format-answers';
import type { PageAsk, PageDifference, PageFieldError } from './page-post';
import { missingRequired } from './parse-answers';

/** Staff's request to check the answers, shown on the form until the member submits again; null when none is open. */
export function reviewRequestOf(response: Pick<ResponseRow, 'review_message' | 'review_requested_at'> | null) {
  return response?.review_message ? { message: response.review_message, at: response.review_requested_at } : null;
}

/** The values a page's fields start with: the stored answers as the member types them. */
export function pageValues(
  questions: readonly Question[],
  answers: ReadonlyMap<string, StoredAnswer>,
  locale: Locale,
): Record<string, string | string[]> {
  return Object.fromEntries(questions.map((q) => [q.key, inputValue(q, answers.get(q.key), locale)]));
}

export interface FormPageInput {
  wave: WaveRow;
  definition: SurveyDefinition;
  response: ResponseRow | null;
  /** The page number, from 1. */
  n: number;
  /** What the fields show: the stored answers, or what was posted. */
  values: Record<string, string | string[]>;
  errors: PageFieldError[];
  /** The answers that decide which questions are shown. */
  answers: ReadonlyMap<string, StoredAnswer>;
  version: number;
  conflict?: PageDifference[];
  /** Calm questions at fields: a number read one way that could be meant another. */
  ambiguous?: PageAsk[];
  warnings?: ShownWarning[];
  reasons?: ReadonlyMap<string, { reason: string }>;
}

/** The locals of one page of the form (pages/survey-page). */
export function formPage(input: FormPageInput, locale: Locale) {
  const { definition, wave } = input;
  const page = definition.pages[input.n - 1];
  return {
    title: `${page.title[locale] ?? page.title.nl} – ${wave.name}`,
    wave,
    definition,
    page,
    n: input.n,
    total: definition.pages.length,
    questions: pageQuestions(definition, page, visibleQuestions(definition, input.answers), input.answers),
    values: input.values,
    errors: input.errors,
    version: input.version,
    conflict: input.conflict ?? [],
    ambiguous: input.ambiguous ?? [],
    warnings: input.warnings ?? [],
    reasons: Object.fromEntries([...(input.reasons ?? [])].map(([k, r]) => [k, r.reason])),
    reviewRequest: reviewRequestOf(input.response),
  };
}

export interface ReviewPageInput {
  wave: WaveRow;
  definition: SurveyDefinition;
  response: ResponseRow | null;
  answers: ReadonlyMap<string, StoredAnswer>;
  /** The soft checks over all questions: warnings not yet answered, and the reasons given. */
  soft: { warnings: readonly PlausibilityWarning[]; confirmations: ReadonlyMap<string, Confirmation> };
  errors: PageFieldError[];
  /** Whether the wave still takes answers (the submit button). */
  open: boolean;
  /** Submission was held by unanswered soft checks. */
  blocked: boolean;
}

/**
 * The locals of the review page (pages/survey-review): every page with every
 * answer as text, required questions still open, and the soft-check warnings
 * with the question's label and the page to correct it on.
 */
export function reviewPage(input: ReviewPageInput, locale: Locale) {
  const { definition, answers } = input;
  const missing = new Set(missingRequired(definition, answers).map((e) => e.question));
  const questions = allQuestions(definition);
  const warnings = shownWarnings(input.soft.warnings, questions, answers, locale).map((w) => {
    const q = questions.find((x) => x.key === w.question)!;
    return { ...w, label: q.label[locale] ?? q.label.nl, page: q.pageIndex + 1 };
  });
  const pages = definition.pages.map((p, i) => ({
    page: p,
    n: i + 1,
    rows: p.questions.map((q) => ({
      q,
      text: displayValue(q, answers.get(q.key), locale),
      missing: missing.has(q.key),
      hidden: answers.get(q.key)?.hidden ?? false,
      reason: input.soft.confirmations.get(q.key)?.reason ?? null,
    })),
  }));
  return {
    title: t(locale, 'survey.review.title'),
    wave: input.wave,
    definition,
    pages,
    missing: missing.size,
    version: input.response?.version ?? 0,
    errors: input.errors,
    open: input.open,
    warnings,
    blocked: input.blocked,
    reviewRequest: reviewRequestOf(input.response),
  };
}
