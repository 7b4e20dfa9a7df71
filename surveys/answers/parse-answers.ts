// The ONE place that turns raw input into typed answers and checks them: used by
// the member's form (strings from inputs, radios and checkboxes) and by the
// responses CSV import (cells; multi-choice separated by `|`). Hidden questions
// are never required and their answers are discarded.

import { type NumberKind, parseDutchNumber } from '../../foundation/numbers/parse-dutch-number';
import { parseYesNo } from '../../foundation/yes-no';
import { allQuestions, type LocalText, type Question, type SurveyDefinition } from '../definition-schema';
import type { StoredAnswer } from '../responses/responses-repository';
import { type AnswerMap, visibleQuestions } from '../visibility';

export type RawValue = string | string[] | undefined;
export type RawAnswers = Record<string, RawValue>;

export interface AnswerError {
  question: string;
  key: string;
  params: Record<string, string | number>;
}

export interface AmbiguousNumber {
  question: string;
  raw: string;
  text: string;
}

const NUMBER_KIND: Partial<Record<Question['type'], NumberKind>> = {
  integer: 'integer',
  number: 'decimal',
  currency: 'currency',
  percentage: 'percentage',
};

function empty(question: string): StoredAnswer {
  return {
    question_key: question,
    hidden: false,
    value_num: null,
    value_text: null,
    value_bool: null,
    value_choices: null,
  };
}

function asList(raw: RawValue, csv: boolean): string[] {
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : csv ? raw.split('|') : [raw];
  return list.map((v) => v.trim()).filter((v) => v !== '');
}

function asText(raw: RawValue): string {
  if (raw === undefined) return '';
  return (Array.isArray(raw) ? raw.join(' ') : raw).trim();
}

/**
 * Parse the raw value of one question. Returns null for "not answered", or an
 * error. `confirmed` lists raw values the user has confirmed after we showed
 * our reading of an ambiguous number.
 */
export function parseAnswer(
  q: Question,
  raw: RawValue,
  options: { csv?: boolean; confirmed?: ReadonlySet<string> } = {},
): { answer: StoredAnswer | null; error?: AnswerError; ambiguous?: AmbiguousNumber } {
  const err = (key: string, params: Record<string, string | number> = {}) => ({
    answer: null,
    error: { question: q.key, key, params },
  });
  // NUL bytes cannot be stored (PostgreSQL text) and are never meant: refuse them.
  if ((Array.isArray(raw) ? raw : [raw ?? '']).some((v) => v.includes('\u0000')))
    return err('survey.answer.invalid_characters');
  const numberKind = NUMBER_KIND[q.type];
  if (numberKind) {
    const text = asText(raw);
    if (text === '') return { answer: null };
    const parsed = parseDutchNumber(text, numberKind);
    // "Not a number" gives an example of this kind of answer: no money example for a number of months.
    if (!parsed.ok)
      return err(
        parsed.code === 'number.empty' || parsed.code === 'number.not_a_number'
          ? `survey.answer.not_a_number.${q.type}`
          : parsed.code,
        { value: text, ...(parsed.params ?? {}) },
      );
    const min = q.min ?? (q.type === 'percentage' ? 0 : undefined);
    const max = q.max ?? (q.type === 'percentage' ? 100 : undefined);
    const outside = (min !== undefined && parsed.value < min) || (max !== undefined && parsed.value > max);
    // The questionnaire's own message (XLSForm constraint_message) in the reader's language.
    if (outside && q.constraint_message) return err('survey.answer.own_message', ownMessage(q.constraint_message));
    if (min !== undefined && parsed.value < min) return err('survey.answer.below_min', { min, value: text });
    if (max !== undefined && parsed.value > max) return err('survey.answer.above_max', { max, value: text });
    const answer = { ...empty(q.key), value_num: parsed.text };
    if (parsed.ambiguous && !options.csv && !options.confirmed?.has(text)) {
      return { answer, ambiguous: { question: q.key, raw: text, text: parsed.text } };
    }
    return { answer };
  }
  switch (q.type) {
    case 'boolean': {
      const text = asText(raw);
      if (text === '') return { answer: null };
      const value = parseYesNo(text);
      if (value === undefined) return err('survey.answer.bad_boolean', { value: asText(raw) });
      return { answer: { ...empty(q.key), value_bool: value } };
    }
    case 'single_choice': {
      const text = asText(raw);
      if (text === '') return { answer: null };
      if (!(q.options ?? []).some((o) => o.value === text)) return err('survey.answer.unknown_option', { value: text });
      return { answer: { ...empty(q.key), value_text: text } };
    }
    case 'multi_choice': {
      const values = [...new Set(asList(raw, Boolean(options.csv)))];
      if (values.length === 0) return { answer: null };
      const unknown = values.find((v) => !(q.options ?? []).some((o) => o.value === v));
      if (unknown !== undefined) return err('survey.answer.unknown_option', { value: unknown });
      const exclusive = (q.options ?? []).find((o) => o.exclusive && values.includes(o.value));
      if (exclusive && values.length > 1) return err('survey.answer.exclusive_option', { option: exclusive.value });
      const order = (q.options ?? []).map((o) => o.value);
      return { answer: { ...empty(q.key), value_choices: values.sort((a, b) => order.indexOf(a) - order.indexOf(b)) } };
    }
    case 'text': {
      const value = (Array.isArray(raw) ? raw.join('\n') : (raw ?? '')).replace(/\r\n/g, '\n').trim();
      if (value === '') return { answer: null };
      const max = q.max_length ?? 5000;
      if (value.length > max) return err('survey.answer.too_long', { max, length: value.length });
      return { answer: { ...empty(q.key), value_text: value } };
    }
    default:
      return err('survey.answer.invalid');
  }
}

export interface ParsedAnswers {
  /** Parsed answers of the given questions: null = not answered. */
  answers: Map<string, StoredAnswer | null>;
  errors: AnswerError[];
  ambiguous: AmbiguousNumber[];
}

/** Parse the raw values of some questions (one page, or all for an import). */
export function parseAnswers(
  questions: readonly Question[],
  raw: RawAnswers,
  options: { csv?: boolean; confirmed?: ReadonlySet<string> } = {},
): ParsedAnswers {
  const out: ParsedAnswers = { answers: new Map(), errors: [], ambiguous: [] };
  for (const q of questions) {
    const result = parseAnswer(q, raw[q.key], options);
    if (result.error) out.errors.push(result.error);
    if (result.ambiguous) out.ambiguous.push(result.ambiguous);
    if (!result.error) out.answers.set(q.key, result.answer);
  }
  return out;
}

/**
 * Merge new answers into the stored ones and settle visibility: hidden questions
 * get a hidden marker (their answer is discarded), questions that became visible
 * again lose their marker. Returns the complete new answer map.
 */
export function mergeAnswers(
  def: SurveyDefinition,
  stored: AnswerMap,
  updates: ReadonlyMap<string, StoredAnswer | null>,
): Map<string, StoredAnswer> {
  const merged = new Map<string, StoredAnswer>();
  for (const [k, v] of stored) if (!v.hidden) merged.set(k, v);
  for (const [k, v] of updates) {
    if (v) merged.set(k, v);
    else merged.delete(k);
  }
  const visible = visibleQuestions(def, merged);
  for (const q of allQuestions(def)) {
    if (!visible.has(q.key)) merged.set(q.key, { ...empty(q.key), hidden: true });
  }
  return merged;
}

/** Required visible questions without an answer (checked on submit, and per page on "next"). */
export function missingRequired(
  def: SurveyDefinition,
  answers: AnswerMap,
  questions: readonly Question[] = allQuestions(def),
): AnswerError[] {
  const visible = visibleQuestions(def, answers);
  return questions
    .filter((q) => q.required && visible.has(q.key) && !answers.get(q.key))
    .map((q) =>
      q.required_message
        ? { question: q.key, key: 'survey.answer.own_message', params: ownMessage(q.required_message) }
        : { question: q.key, key: 'survey.answer.required', params: {} },
    );
}

/**
 * A questionnaire's own message as the params of `survey.answer.own_message`, which is
 * `{nl}` in Dutch and `{en}` in English: the Dutch text where no English is given.
 */
export function ownMessage(text: LocalText): { nl: string; en: string } {
  return { nl: text.nl, en: text.en ?? text.nl };
}
