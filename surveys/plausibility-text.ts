// A soft check's warning in words, naming the figure it compared with:
// "Dit is meer dan het aantal leerlingen van uw organisatie volgens KAnS (1.240)".
import { formatCurrency, formatNumber } from '../foundation/numbers/format-dutch';
import { type Locale, t } from '../views/i18n/index';
import type { Question } from './definition-schema';
import { confirmationValue, type PlausibilityWarning } from './plausibility';
import type { StoredAnswer } from './responses/responses-repository';

function shown(value: number, money: boolean, locale: Locale): string {
  if (money) return formatCurrency(value, locale, Number.isInteger(value) ? 0 : 2);
  return formatNumber(value, locale, 2);
}

export function warningText(w: PlausibilityWarning, q: Question | undefined, locale: Locale): string {
  if (w.kind === 'above_frame') {
    const money = w.variable === 'turnover_eur' || w.variable === 'subsidy_eur';
    return t(locale, `survey.plausibility.above_frame.${w.variable}`, { figure: shown(w.figure, money, locale) });
  }
  return t(locale, `survey.plausibility.${w.kind}`, {
    wave: w.wave,
    previous: shown(w.previous, q?.type === 'currency', locale),
  });
}

/** A soft check as the form shows it: at the question, with the value it was about. */
export interface ShownWarning {
  question: string;
  texts: string[];
  value: string;
}

export function shownWarnings(
  warnings: readonly PlausibilityWarning[],
  questions: readonly Question[],
  answers: ReadonlyMap<string, StoredAnswer>,
  locale: Locale,
): ShownWarning[] {
  const out: ShownWarning[] = [];
  for (const q of questions) {
    const mine = warnings.filter((w) => w.question === q.key);
    if (mine.length === 0) continue;
    out.push({
      question: q.key,
      texts: mine.map((w) => warningText(w, q, locale)),
      value: confirmationValue(answers.get(q.key)) ?? '',
    });
  }
  return out;
}
