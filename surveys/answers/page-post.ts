// A posted page of the member's form, read in one place (a zod schema built from
// the page's questions) and turned into what the draft save needs: parsed answers,
// errors at their fields, and the reasons that keep a questioned answer.
import { z } from 'zod';
import { formText } from '../../foundation/form-fields';
import type { Locale } from '../../views/i18n/index';
import type { Question } from '../definition-schema';
import { cleanReason, MAX_REASON_LENGTH } from '../plausibility';
import type { StoredAnswer } from '../responses/responses-repository';
import { displayValue, inputValue } from './format-answers';
import { type ParsedAnswers, parseAnswers, type RawAnswers } from './parse-answers';

/** An error at a form field: the field's name, a message key and its parameters. */
export interface PageFieldError {
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

/** The buttons of a form page; a missing or unknown action reads as 'next'. */
export type PageAction = 'next' | 'previous' | 'save' | 'review';

export interface PagePost {
  /** The response version the form was rendered with; -1 when missing or malformed (stale). */
  version: number;
  raw: RawAnswers;
  /** Raw values the member confirmed after we showed our reading of an ambiguous number. */
  confirmed: Set<string>;
  /** A reason typed under a questioned answer, and the value it was questioned for. */
  reasons: Map<string, { reason: string; checked: string }>;
}

const optionalText = z.string().optional().catch(undefined);
const answerValue = z
  .union([z.string(), z.array(z.unknown()).transform((v) => v.filter((x): x is string => typeof x === 'string'))])
  .optional()
  .catch(undefined);
const version = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number)
  .catch(-1);

const action = z.enum(['next', 'previous', 'save', 'review']).catch('next');

/** The submit form on the review page: the confirmation box and the version the page was rendered with. */
export const submitPost = z.object({ confirm: formText, version }).superRefine((v, ctx) => {
  if (v.confirm !== 'ja')
    ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'survey.review.confirm_required' });
});

/** The button a page post was sent with. */
export function readPageAction(body: unknown): PageAction {
  return z.object({ action }).parse(objectOf(body)).action;
}

/** Read a page post: unknown fields are ignored, a malformed field counts as absent. */
export function readPagePost(body: unknown, questions: readonly Question[]): PagePost {
  const shape: Record<string, z.ZodType> = { version };
  for (const q of questions) {
    shape[q.key] = answerValue;
    shape[`confirm__${q.key}`] = optionalText;
    shape[`reason__${q.key}`] = optionalText;
    shape[`checked__${q.key}`] = optionalText;
  }
  const fields = z.object(shape).parse(objectOf(body)) as Record<string, string | string[] | number | undefined>;
  const raw: RawAnswers = {};
  const confirmed = new Set<string>();
  const reasons = new Map<string, { reason: string; checked: string }>();
  for (const q of questions) {
    const value = fields[q.key] as string | string[] | undefined;
    raw[q.key] = value;
    const confirm = fields[`confirm__${q.key}`];
    if (typeof confirm === 'string' && confirm === value) confirmed.add(confirm.trim());
    const reason = cleanReason(fields[`reason__${q.key}`]);
    if (reason) reasons.set(q.key, { reason, checked: (fields[`checked__${q.key}`] as string | undefined) ?? '' });
  }
  return { version: fields.version as number, raw, confirmed, reasons };
}

/** A calm question at a field: a number we read one way that could be meant another (not an error). */
export interface PageAsk {
  question: string;
  /** As typed: the confirm field carries it, so only this value is confirmed. */
  raw: string;
  key: string;
  params: Record<string, string | number>;
}

export interface InterpretedPage {
  parsed: ParsedAnswers;
  errors: PageFieldError[];
  /** Numbers read one way that could be meant another: asked calmly, not saved until confirmed. */
  asks: PageAsk[];
  /** Per question of the page: what was typed but is not an answer (kept as typed), or null (nothing to keep). */
  pending: Map<string, string | null>;
  /** The answers to save: every valid one, also when others on the page have errors. */
  updates: Map<string, StoredAnswer | null>;
  /** Questioned answers the member keeps, with the reason. */
  confirmations: Map<string, string>;
}

/**
 * What a page post means: parse the answers (our own rendering of a stored answer,
 * "3.250" for 3250, needs no confirmation), ask about both readings of an ambiguous
 * number, and keep a questioned answer only on the member's own click (`confirm`:
 * the form's buttons, never the autosave) and only for the value it was about.
 * What cannot be saved as an answer yet is kept as typed (`pending`).
 */
export function interpretPagePost(
  questions: readonly Question[],
  post: PagePost,
  stored: ReadonlyMap<string, StoredAnswer>,
  locale: Locale,
  options: { confirm: boolean },
): InterpretedPage {
  const confirmed = new Set(options.confirm ? post.confirmed : []);
  for (const q of questions) {
    const own = inputValue(q, stored.get(q.key), locale);
    if (typeof own === 'string' && own !== '' && post.raw[q.key] === own) confirmed.add(own.trim());
  }
  const parsed = parseAnswers(questions, post.raw, { confirmed });
  const errors: PageFieldError[] = parsed.errors.map((e) => ({ field: e.question, key: e.key, params: e.params }));
  const asks = parsed.ambiguous.map((a) => ambiguityAsk(a.question, a.raw, a.text, locale));
  const pending = new Map<string, string | null>();
  for (const q of questions) {
    const raw = post.raw[q.key];
    const open = errors.some((e) => e.field === q.key) || asks.some((a) => a.question === q.key);
    pending.set(q.key, open && typeof raw === 'string' && raw.trim() !== '' ? raw : null);
  }
  const updates = new Map(
    [...parsed.answers].filter(
      ([key]) => !parsed.ambiguous.some((a) => a.question === key) && !parsed.errors.some((e) => e.question === key),
    ),
  );
  const confirmations = new Map<string, string>();
  for (const [key, r] of post.reasons) {
    if (r.reason.length > MAX_REASON_LENGTH) {
      errors.push({
        field: `reason__${key}`,
        key: 'survey.plausibility.reason_too_long',
        params: { max: MAX_REASON_LENGTH },
      });
      continue;
    }
    const value = updates.get(key)?.value_num;
    if (options.confirm && value != null && r.checked !== '' && Number(value) === Number(r.checked))
      confirmations.set(key, r.reason);
  }
  return { parsed, errors, asks, pending, updates, confirmations };
}

/**
 * What a page shows for inputs kept as typed (`pendingInputsOf`): the typed text in
 * its field, with its error or its question, as when it was typed.
 */
export function pendingShown(
  questions: readonly Question[],
  pending: ReadonlyMap<string, string>,
  locale: Locale,
): { values: Record<string, string>; errors: PageFieldError[]; asks: PageAsk[] } {
  const onPage = questions.filter((q) => pending.has(q.key));
  const raw = Object.fromEntries(onPage.map((q) => [q.key, pending.get(q.key)!]));
  const parsed = parseAnswers(onPage, raw);
  return {
    values: raw,
    errors: parsed.errors.map((e) => ({ field: e.question, key: e.key, params: e.params })),
    asks: parsed.ambiguous.map((a) => ambiguityAsk(a.question, a.raw, a.text, locale)),
  };
}

/** Whether a page post must have its required questions answered: going forward, not back or saving for later. */
export function requiresAnswers(action: PageAction): boolean {
  return action === 'next' || action === 'review';
}

/** The page a post leads to (page count + 1 is the review page). */
export function nextPage(action: PageAction, n: number, total: number): number {
  if (action === 'save') return n;
  if (action === 'previous') return Math.max(1, n - 1);
  return action === 'review' || n === total ? total + 1 : n + 1;
}

/** A question whose stored value differs from what a post carries: both, as the conflict screen shows them. */
export interface PageDifference {
  question: Question;
  yours: string;
  theirs: string;
}

/**
 * The page's questions whose stored value differs from what this post carries;
 * the same answer typed differently ("45%" and "45") is no difference.
 */
export function pageDifferences(
  questions: readonly Question[],
  post: { raw: RawAnswers; parsed: ParsedAnswers; errors: readonly PageFieldError[] },
  stored: ReadonlyMap<string, StoredAnswer>,
  locale: Locale,
): PageDifference[] {
  return questions
    .map((q) => {
      const typed = post.raw[q.key];
      const yours = Array.isArray(typed) ? typed.join(', ') : String(typed ?? '');
      const theirsValue = inputValue(q, stored.get(q.key), locale);
      const theirs = Array.isArray(theirsValue) ? theirsValue.join(', ') : theirsValue;
      const read = post.parsed.answers.get(q.key);
      const same =
        yours.trim() === theirs.trim() ||
        (read !== undefined &&
          !post.errors.some((e) => e.field === q.key) &&
          displayValue(q, read ?? undefined, locale) === displayValue(q, stored.get(q.key), locale));
      return { question: q, yours, theirs: displayValue(q, stored.get(q.key), locale), same };
    })
    .filter((x) => !x.same)
    .map(({ question, yours, theirs }) => ({ question, yours, theirs }));
}

/** Both readings of "1.250" or "1,250", without thousands separators, so there is no doubt which one we took. */
function ambiguityAsk(question: string, raw: string, read: string, locale: Locale): PageAsk {
  const plain = (text: string) => (locale === 'nl' ? text.replace('.', ',') : text);
  const digits = raw.replace(/[^0-9]/g, '');
  const other = read.includes('.') ? read.replace('.', '') : `${digits.slice(0, -3)}.${digits.slice(-3)}`;
  return {
    question,
    raw,
    key: 'survey.answer.confirm_ambiguous',
    params: { value: raw, read: plain(read), other: plain(String(Number(other))) },
  };
}

function objectOf(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
