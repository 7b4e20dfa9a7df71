// Which questions a respondent sees, given the answers so far (README "Questionnaires"
// visible_if). The one evaluator of conditions: the member's form, the exports and
// analyses, and corrections all ask this module.
//
// A condition is a comparison on an earlier question, or `all` (and), `any` (or) and
// `not` over conditions. A comparison on a question that is unanswered or hidden is
// false (so a question whose only controller is hidden is hidden too); `not` turns
// that around, as XLSForm's not() does with an empty answer.

import {
  allQuestions,
  type Condition,
  type ConditionLeaf,
  conditionQuestions,
  isLeaf,
  type Page,
  type Question,
  type SurveyDefinition,
} from './definition-schema';
import type { StoredAnswer } from './responses/responses-repository';

export type AnswerMap = ReadonlyMap<string, StoredAnswer>;

function leafHolds(leaf: ConditionLeaf, controller: Question, answer: StoredAnswer | undefined): boolean {
  if (!answer || answer.hidden) return false;
  const values: (string | number | boolean)[] = [];
  if (controller.type === 'boolean' && answer.value_bool !== null) values.push(answer.value_bool);
  else if (controller.type === 'multi_choice') values.push(...(answer.value_choices ?? []));
  else if (controller.type === 'single_choice' || controller.type === 'text') {
    if (answer.value_text !== null) values.push(answer.value_text);
  } else if (answer.value_num !== null) values.push(Number(answer.value_num));
  if (values.length === 0) return false;
  if (leaf.equals !== undefined) return values.includes(leaf.equals);
  if (leaf.in !== undefined) return values.some((v) => leaf.in!.includes(v));
  if (leaf.not_equals !== undefined) return !values.includes(leaf.not_equals);
  const n = values[0];
  if (typeof n !== 'number') return false;
  if (leaf.gt !== undefined) return n > leaf.gt;
  if (leaf.lt !== undefined) return n < leaf.lt;
  if (leaf.gte !== undefined) return n >= leaf.gte;
  if (leaf.lte !== undefined) return n <= leaf.lte;
  return false;
}

/** Whether a condition holds, with `leafValue` answering each comparison. */
function evaluate(c: Condition, leafValue: (leaf: ConditionLeaf) => boolean): boolean {
  if (isLeaf(c)) return leafValue(c);
  if ('not' in c) return !evaluate(c.not, leafValue);
  if ('all' in c) return c.all.every((part) => evaluate(part, leafValue));
  return c.any.some((part) => evaluate(part, leafValue));
}

/** Whether `condition` holds for these answers, given the questions visible so far. */
export function conditionHolds(
  def: SurveyDefinition,
  condition: Condition,
  answers: AnswerMap,
  visible: ReadonlySet<string>,
): boolean {
  const byKey = new Map(allQuestions(def).map((q) => [q.key, q]));
  return evaluate(condition, (leaf) => {
    const controller = byKey.get(leaf.question);
    return !!controller && visible.has(leaf.question) && leafHolds(leaf, controller, answers.get(leaf.question));
  });
}

/** The set of visible question keys. Definitions only refer to earlier questions, so one pass suffices. */
export function visibleQuestions(def: SurveyDefinition, answers: AnswerMap): Set<string> {
  const visible = new Set<string>();
  for (const q of allQuestions(def)) {
    if (!q.visible_if || conditionHolds(def, q.visible_if, answers, visible)) visible.add(q.key);
  }
  return visible;
}

/** A condition for the live form: comparisons on other pages already decided (`const`). */
export type LiveCondition =
  | ConditionLeaf
  | { const: boolean }
  | { all: LiveCondition[] }
  | { any: LiveCondition[] }
  | { not: LiveCondition };

/** The condition with every comparison outside `onPage` replaced by its value, simplified. */
function fold(c: Condition, onPage: ReadonlySet<string>, decided: (leaf: ConditionLeaf) => boolean): LiveCondition {
  if (isLeaf(c)) return onPage.has(c.question) ? c : { const: decided(c) };
  if ('not' in c) {
    const inner = fold(c.not, onPage, decided);
    return 'const' in inner ? { const: !inner.const } : { not: inner };
  }
  const and = 'all' in c;
  const parts = (and ? c.all : c.any).map((part) => fold(part, onPage, decided));
  // A decided part that settles the whole (false in `all`, true in `any`) settles it.
  if (parts.some((p) => 'const' in p && p.const !== and)) return { const: !and };
  const open = parts.filter((p) => !('const' in p));
  if (open.length === 0) return { const: and };
  if (open.length === 1) return open[0];
  return and ? { all: open } : { any: open };
}

/** One question of a form page as the page shows it. */
export interface PageQuestion {
  q: Question;
  /** False when answers on earlier pages hide it: it is not shown at all. */
  shown: boolean;
  /** The first question on the same page its condition refers to (the page hides it live), or null. */
  controller: Question | null;
  /** The condition the page evaluates live (answers on other pages folded in), or null. */
  live: LiveCondition | null;
}

/**
 * The questions of one page (by index or the page itself) as the form shows them:
 * a question hidden by answers on earlier pages is not shown; one whose condition
 * still depends on a question on the same page is shown (without JavaScript), with
 * its controller for the hint and the condition for the live hiding. `visibleKeys`
 * is `visibleQuestions(...)` with the `answers` it was computed from, or 'all' for a
 * preview where everything is visible.
 */
export function pageQuestions(
  def: SurveyDefinition,
  pageIndexOrPage: number | Page,
  visibleKeys: ReadonlySet<string> | 'all',
  answers: AnswerMap = new Map(),
): PageQuestion[] {
  const page = typeof pageIndexOrPage === 'number' ? def.pages[pageIndexOrPage] : pageIndexOrPage;
  const keysOnPage = new Set(page.questions.map((q) => q.key));
  const byKey = new Map(allQuestions(def).map((q) => [q.key, q]));
  return page.questions.map((q) => {
    if (!q.visible_if) return { q, shown: true, controller: null, live: null };
    const decided = (leaf: ConditionLeaf) =>
      visibleKeys === 'all'
        ? true
        : visibleKeys.has(leaf.question) && leafHolds(leaf, byKey.get(leaf.question)!, answers.get(leaf.question));
    const live = fold(q.visible_if, keysOnPage, decided);
    if ('const' in live) {
      return { q, shown: visibleKeys === 'all' || visibleKeys.has(q.key), controller: null, live: null };
    }
    const first = conditionQuestions(q.visible_if).find((k) => keysOnPage.has(k));
    return { q, shown: true, controller: first ? (byKey.get(first) ?? null) : null, live };
  });
}
