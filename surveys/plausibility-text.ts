// A soft check's warning in words, naming the figure it compared with:
// "Dit is meer dan het aantal leerlingen van uw organisatie volgens KAnS (1.240)".
import { formatCurrency, formatNumber } from '../foundation/numbers/format-dutch';
import { type Locale, t } from '../views/i18n/index';
import type { Question } from './definition-schema';
import type { PlausibilityWarning } from './plausibility';

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
