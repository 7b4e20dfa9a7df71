// The differences between two questionnaire versions as sentences for the staff
// pages, in Dutch or English (numbers the Dutch way).

import { formatNumber } from '../foundation/numbers/format-dutch';
import { type Locale, t } from '../views/i18n/index';
import { conditionText } from './condition-text';
import type { QuestionChange } from './definition-diff';
import type { LocalText, Question } from './definition-schema';

function value(locale: Locale, v: string | number | boolean): string {
  if (typeof v === 'boolean') return t(locale, v ? 'survey.diff.true' : 'survey.diff.false');
  if (typeof v === 'number') return formatNumber(v, locale);
  return v;
}

function condition(locale: Locale, c: Question['visible_if'] | null): string {
  return c ? conditionText(locale, c) : t(locale, 'survey.diff.always');
}

const text = (locale: Locale, x: LocalText | null) => (x ? x[locale] : t(locale, 'survey.diff.none_value'));
const bound = (locale: Locale, b: [number | null, number | null]) =>
  `${b[0] === null ? '–' : formatNumber(b[0], locale)} … ${b[1] === null ? '–' : formatNumber(b[1], locale)}`;

export function changeText(locale: Locale, c: QuestionChange): string {
  const key = `survey.diff.change.${c.kind}`;
  switch (c.kind) {
    case 'reworded':
      return t(locale, key, { before: c.before[locale] });
    case 'moved':
      return t(locale, key, { from: c.fromPage, to: c.toPage });
    case 'type':
      return t(locale, key, {
        before: t(locale, `survey.type.${c.before}`),
        after: t(locale, `survey.type.${c.after}`),
      });
    case 'unit':
      return t(locale, key, { before: text(locale, c.before), after: text(locale, c.after) });
    case 'option_added':
    case 'option_removed':
      return t(locale, key, { value: c.value, label: c.label[locale] ?? c.label.nl });
    case 'option_relabelled':
      return t(locale, key, { value: c.value, before: c.before[locale], after: c.after[locale] });
    case 'condition':
      return t(locale, key, { before: condition(locale, c.before), after: condition(locale, c.after) });
    case 'bounds':
      return t(locale, key, { before: bound(locale, c.before), after: bound(locale, c.after) });
    case 'required':
      return t(locale, key, { before: value(locale, c.before), after: value(locale, c.after) });
    case 'aux':
      return t(locale, key, {
        before: c.before ?? t(locale, 'survey.diff.none_value'),
        after: c.after ?? t(locale, 'survey.diff.none_value'),
      });
    default:
      return t(locale, key);
  }
}
