// Showing a stored answer: back in a form field, on the review page, in a CSV cell.

import type { CsvCell } from '../../foundation/csv/csv';
import {
  formatCurrency,
  formatInputNumber,
  formatNumber,
  formatPercentage,
} from '../../foundation/numbers/format-dutch';
import type { Locale } from '../../views/i18n/index';
import { t } from '../../views/i18n/index';
import { inLanguage, type Question } from '../definition-schema';
import type { StoredAnswer } from '../responses/responses-repository';

/** The value to put back into the form field(s) of a question. */
export function inputValue(q: Question, answer: StoredAnswer | undefined, locale: Locale): string | string[] {
  if (!answer || answer.hidden) return q.type === 'multi_choice' ? [] : '';
  switch (q.type) {
    case 'integer':
    case 'number':
    case 'percentage':
      return answer.value_num === null ? '' : formatInputNumber(answer.value_num, locale);
    case 'currency':
      return answer.value_num === null
        ? ''
        : formatInputNumber(answer.value_num, locale, answer.value_num.includes('.') ? 2 : 0);
    case 'boolean':
      return answer.value_bool === null ? '' : String(answer.value_bool);
    case 'multi_choice':
      return answer.value_choices ?? [];
    default:
      return answer.value_text ?? '';
  }
}

/** Readable text of an answer ("€ 12.500", "45%", "Ja", option labels). */
export function displayValue(q: Question, answer: StoredAnswer | undefined, locale: Locale): string {
  if (!answer) return t(locale, 'survey.form.not_answered');
  if (answer.hidden) return t(locale, 'survey.hidden_answer');
  const label = (value: string) => inLanguage(q.options?.find((o) => o.value === value)?.label, locale) ?? value;
  switch (q.type) {
    case 'currency':
      return formatCurrency(answer.value_num!, locale, answer.value_num!.includes('.') ? 2 : 0);
    case 'percentage':
      return formatPercentage(answer.value_num!, locale, 2);
    case 'integer':
    case 'number':
      return `${formatNumber(answer.value_num!, locale, 4)}${q.unit ? ` ${q.unit[locale] ?? q.unit.nl}` : ''}`;
    case 'boolean':
      return t(locale, answer.value_bool ? 'survey.form.yes' : 'survey.form.no');
    case 'single_choice':
      return label(answer.value_text!);
    case 'multi_choice':
      return (answer.value_choices ?? []).map(label).join(', ');
    default:
      return answer.value_text ?? '';
  }
}

/** A CSV cell as the responses import reads it back (multi-choice joined by `|`). */
export function csvValue(q: Question, answer: StoredAnswer | undefined): CsvCell {
  if (!answer || answer.hidden) return null;
  switch (q.type) {
    case 'integer':
    case 'number':
    case 'percentage':
    case 'currency':
      return answer.value_num === null ? null : { decimal: answer.value_num };
    case 'boolean':
      return answer.value_bool;
    case 'multi_choice':
      return (answer.value_choices ?? []).join('|');
    default:
      return answer.value_text;
  }
}
