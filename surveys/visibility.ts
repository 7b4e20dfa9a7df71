// Which questions a respondent sees, given the answers so far (README "Questionnaires"
// visible_if). A question whose controlling question is hidden is hidden too.

import { allQuestions, type Page, type Question, type SurveyDefinition } from './definition-schema';
import type { StoredAnswer } from './responses/responses-repository';

export type AnswerMap = ReadonlyMap<string, StoredAnswer>;

function conditionHolds(
  condition: NonNullable<Question['visible_if']>,
  controller: Question,
  answer: StoredAnswer | undefined,
): boolean {
  if (!answer || answer.hidden) return false;
  const values: (string | number | boolean)[] = [];
  if (controller.type === 'boolean' && answer.value_bool !== null) values.push(answer.value_bool);
  else if (controller.type === 'multi_choice') values.push(...(answer.value_choices ?? []));
  else if (controller.type === 'single_choice' || controller.type === 'text') {
    if (answer.value_text !== null) values.push(answer.value_text);
  } else if (answer.value_num !== null) values.push(Number(answer.value_num));
  if (values.length === 0) return false;
  if (condition.equals !== undefined) return values.includes(condition.equals);
  if (condition.in !== undefined) return values.some((v) => condition.in!.includes(v));
  if (condition.gt !== undefined) return typeof values[0] === 'number' && values[0] > condition.gt;
  if (condition.lt !== undefined) return typeof values[0] === 'number' && values[0] < condition.lt;
  return false;
}

/** The set of visible question keys. Definitions only refer to earlier questions, so one pass suffices. */
export function visibleQuestions(def: SurveyDefinition, answers: AnswerMap): Set<string> {
  const visible = new Set<string>();
  const byKey = new Map(allQuestions(def).map((q) => [q.key, q]));
  for (const q of allQuestions(def)) {
    if (!q.visible_if) {
      visible.add(q.key);
      continue;
    }
    const controller = byKey.get(q.visible_if.question)!;
    if (visible.has(controller.key) && conditionHolds(q.visible_if, controller, answers.get(controller.key)))
      visible.add(q.key);
  }
  return visible;
}

/** One question of a form page as the page shows it. */
export interface PageQuestion {
  q: Question;
  /** False when an answer on an earlier page hides it: it is not shown at all. */
  shown: boolean;
  /** The question on the same page that controls it (the page hides it live), or null. */
  controller: Question | null;
}

/**
 * The questions of one page (by index or the page itself) as the form shows them:
 * a question hidden by an answer on an earlier page is not shown; one controlled
 * by a question on the same page is shown, with its controller for the hint and
 * the live hiding. `visibleKeys` is `visibleQuestions(...)`, or 'all' for a
 * preview where everything is visible.
 */
export function pageQuestions(
  def: SurveyDefinition,
  pageIndexOrPage: number | Page,
  visibleKeys: ReadonlySet<string> | 'all',
): PageQuestion[] {
  const page = typeof pageIndexOrPage === 'number' ? def.pages[pageIndexOrPage] : pageIndexOrPage;
  const keysOnPage = new Set(page.questions.map((q) => q.key));
  return page.questions.map((q) => {
    const onPage = q.visible_if !== undefined && keysOnPage.has(q.visible_if.question);
    return {
      q,
      shown: !q.visible_if || onPage || visibleKeys === 'all' || visibleKeys.has(q.key),
      controller: onPage ? (allQuestions(def).find((c) => c.key === q.visible_if!.question) ?? null) : null,
    };
  });
}
