// A value as the audit log records it (responses.ts auditValue: the number as
// decimal text, the option code, true/false, the list of codes, "hidden") shown
// the Dutch way on the data-editing history: € 45.000, ja/nee, option labels.
import { displayValue } from '../../surveys/answers/format-answers';
import type { Question } from '../../surveys/definition-schema';
import type { StoredAnswer } from '../../surveys/responses/responses-repository';
import { type Locale, t } from '../../views/i18n/index';

/** The stored answer a recorded value stands for, as far as the question's type says. */
function asAnswer(q: Question, raw: unknown): StoredAnswer {
  const answer: StoredAnswer = {
    question_key: q.key,
    hidden: false,
    value_num: null,
    value_text: null,
    value_bool: null,
    value_choices: null,
  };
  switch (q.type) {
    case 'integer':
    case 'number':
    case 'percentage':
    case 'currency':
      return { ...answer, value_num: String(raw) };
    case 'boolean':
      return { ...answer, value_bool: raw === true || raw === 'true' };
    case 'multi_choice':
      return { ...answer, value_choices: Array.isArray(raw) ? raw.map(String) : [String(raw)] };
    default:
      return { ...answer, value_text: String(raw) };
  }
}

/** "–" for no answer; the readable text of the answer otherwise. Unknown questions show the value as recorded. */
export function historyValue(q: Question | undefined, raw: unknown, locale: Locale): string {
  if (raw === null || raw === undefined) return '–';
  if (raw === 'hidden' && q?.type !== 'text') return t(locale, 'survey.hidden_answer');
  if (!q) return Array.isArray(raw) ? raw.join(', ') : String(raw);
  if (['integer', 'number', 'percentage', 'currency'].includes(q.type) && !/^-?\d+(\.\d+)?$/.test(String(raw)))
    return String(raw);
  return displayValue(q, asAnswer(q, raw), locale);
}
