// A condition (visible_if) as a sentence for the staff pages, e.g.
// `q1 = ja en (q2 ≥ 10 of niet q3: "Sport" gekozen)`: question keys, option labels,
// numbers the Dutch way, parentheses where an and/or sits inside the other.

import { formatNumber } from '../foundation/numbers/format-dutch';
import { type Locale, t } from '../views/i18n/index';
import { allQuestions, type Condition, type ConditionValue, isLeaf, type SurveyDefinition } from './definition-schema';

export function conditionText(
  locale: Locale,
  c: Condition,
  def?: SurveyDefinition,
  options: { labels?: boolean } = {},
): string {
  const questions = new Map(def ? allQuestions(def).map((q) => [q.key, q]) : []);
  // The preview names questions by their text, as the member reads them; the editor by key.
  const name = (key: string): string => {
    const label = options.labels ? questions.get(key)?.label : undefined;
    return label ? `"${label[locale] ?? label.nl}"` : key;
  };
  const value = (question: string, v: ConditionValue): string => {
    if (typeof v === 'boolean') return t(locale, v ? 'survey.diff.true' : 'survey.diff.false');
    if (typeof v === 'number') return formatNumber(v, locale);
    const option = questions.get(question)?.options?.find((o) => o.value === v);
    return `"${option ? (option.label[locale] ?? option.label.nl) : v}"`;
  };
  const walk = (node: Condition, inside: 'all' | 'any' | 'not' | null): string => {
    if (isLeaf(node)) {
      const q = node.question;
      const named = name(q);
      if (questions.get(q)?.type === 'multi_choice' && (node.equals !== undefined || node.in !== undefined)) {
        const values = (node.in ?? [node.equals!]).map((v) => value(q, v));
        return t(locale, 'survey.condition.chosen', {
          question: named,
          values: values.join(t(locale, 'survey.condition.or_value')),
        });
      }
      if (node.equals !== undefined) return `${named} = ${value(q, node.equals)}`;
      if (node.in !== undefined)
        return `${named} = ${node.in.map((v) => value(q, v)).join(t(locale, 'survey.condition.or_value'))}`;
      if (node.not_equals !== undefined) return `${named} ≠ ${value(q, node.not_equals)}`;
      const [op, n] =
        node.gt !== undefined
          ? ['>', node.gt]
          : node.lt !== undefined
            ? ['<', node.lt]
            : node.gte !== undefined
              ? ['≥', node.gte]
              : ['≤', node.lte!];
      return `${named} ${op} ${formatNumber(n, locale)}`;
    }
    if ('not' in node) return `${t(locale, 'survey.condition.not')} ${walk(node.not, 'not')}`;
    const kind = 'all' in node ? 'all' : 'any';
    const text = ('all' in node ? node.all : node.any)
      .map((part) => walk(part, kind))
      .join(` ${t(locale, kind === 'all' ? 'survey.condition.and' : 'survey.condition.or')} `);
    return inside && inside !== kind ? `(${text})` : text;
  };
  return walk(c, null);
}
