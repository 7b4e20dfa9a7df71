// Which questions a respondent sees, given the answers so far (DESIGN 4.4
// visible_if). A question whose controlling question is hidden is hidden too.

import { allQuestions, type Question, type SurveyDefinition } from './definition-schema';
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
