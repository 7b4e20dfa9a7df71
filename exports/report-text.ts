// The words around the numbers, shared by the report page and the PDF: question
// labels, key figures ("Geschatte omzetderving branche: € 117,2 mln (95%-
// betrouwbaarheidsinterval € 113,9 – 120,5 mln)"), cell values and footnotes.
import { publishedValue } from '../analysis/disclosure/precision';
import type { ReportEstimate, ReportModel } from '../analysis/report/report-model';
import {
  formatAmount,
  formatNumber,
  formatPercentage,
  formatProportion,
  formatSigned,
  periodMonths,
} from '../foundation/numbers/format-dutch';
import {
  allQuestions,
  inLanguage,
  type Question,
  reportStatistics,
  type SurveyDefinition,
} from '../surveys/definition-schema';
import { type Locale, t } from '../views/i18n/index';

export function questionOf(def: SurveyDefinition, key: string): Question {
  return allQuestions(def).find((q) => q.key === key)!;
}

/** The short name of a question in reports, else its label. */
export function reportLabel(q: Question, locale: Locale): string {
  return q.report_label?.[locale] ?? q.report_label?.nl ?? q.label[locale] ?? q.label.nl;
}

export function categoryLabel(q: Question, category: string | null, locale: Locale): string | null {
  if (category === null) return null;
  if (q.type === 'boolean') return t(locale, 'survey.form.yes');
  return inLanguage(q.options?.find((o) => o.value === category)?.label, locale) ?? category;
}

/** The weighting design in words ("type organisatie × grootteklasse"); reports from before it was kept name their strata. */
export function weightingWords(report: ReportModel, locale: Locale): string {
  const vars = report.design.weighting ?? report.design.stratify;
  return vars.map((v) => t(locale, `reports.var.${v}`)).join(' × ');
}

/** A published count: the number, or its band ("< 5") where it is withheld. */
export function formatCount(n: number | null, band: string | null | undefined, locale: Locale): string {
  if (n !== null) return formatNumber(n, locale);
  return band ?? '–';
}

/** How many responded, as published (reports made before counts were protected summed the strata). */
export function formatRespondents(report: ReportModel, locale: Locale): string {
  if (report.respondents) return formatCount(report.respondents.n, report.respondents.n_band, locale);
  return formatNumber(
    report.response.reduce((a, r) => a + (r.n ?? 0), 0),
    locale,
  );
}

/**
 * A change between two waves: with its sign, amounts in the report's money style,
 * and proportions in percentage points ("−9,9 procentpunt"), never "%", which a
 * reader takes for a relative change.
 */
export function formatChange(
  q: Question,
  e: Pick<ReportEstimate, 'statistic'>,
  change: number | null,
  locale: Locale,
): string {
  if (change === null) return '–';
  if (e.statistic === 'proportion') return t(locale, 'report.points', { value: formatSigned(change * 100, locale, 1) });
  if (q.type === 'percentage') return t(locale, 'report.points', { value: formatSigned(change, locale, 1) });
  if (q.type === 'currency') return formatAmount(change, locale, true);
  return formatSigned(change, locale, q.type === 'integer' && e.statistic === 'total' ? 0 : 1);
}

/** A value as shown in tables: "–" when suppressed. */
export function formatValue(
  q: Question,
  e: Pick<ReportEstimate, 'statistic'>,
  value: number | null,
  locale: Locale,
  compact = false,
): string {
  if (value === null) return '–';
  if (e.statistic === 'proportion') return formatProportion(value, locale);
  if (q.type === 'percentage') return formatPercentage(value, locale);
  if (q.type === 'currency') return compact ? formatAmount(value, locale) : formatAmount(value, locale);
  return formatNumber(value, locale, q.type === 'integer' && e.statistic === 'total' ? 0 : 1);
}

export function formatInterval(
  q: Question,
  e: Pick<ReportEstimate, 'statistic' | 'ci_low' | 'ci_high'>,
  locale: Locale,
  compact = false,
): string {
  if (e.ci_low === null || e.ci_high === null) return '–';
  return `${formatValue(q, e, e.ci_low, locale, compact)} – ${formatValue(q, e, e.ci_high, locale, compact)}`;
}

export interface KeyFigure {
  question: string;
  text: string;
}

/**
 * The key figures as sentences: the questions whose `report.key_figure` gives
 * their wording (their first statistic, a total where there is one), else the
 * whole-branch totals of amounts and counts and the means of other numbers. A
 * withheld figure says why.
 */
export function keyFigures(report: ReportModel, def: SurveyDefinition, locale: Locale): KeyFigure[] {
  const worded = allQuestions(def).some((q) => q.report?.key_figure);
  const out: KeyFigure[] = [];
  for (const e of report.estimates) {
    if (e.dimension !== null || e.statistic === 'proportion') continue;
    const q = questionOf(def, e.question);
    const statistics = reportStatistics(q);
    let wanted: boolean;
    if (worded) wanted = Boolean(q.report?.key_figure) && e.statistic === statistics[0];
    else {
      // A branch total where it means something (amounts, counts with a KAnS
      // counterpart); the mean per organisation for percentages and other numbers.
      const totalMakesSense = q.type === 'currency' || Boolean(q.aux);
      wanted = e.statistic === 'total' ? totalMakesSense : !totalMakesSense;
    }
    if (!wanted) continue;
    const kind = e.statistic === 'total' ? 'total' : 'mean';
    const label = q.report?.key_figure?.[locale];
    if (e.estimate === null) {
      const reason = t(locale, `report.key.why.${e.reason ?? 'min_n'}`, { min: report.design.min_cell });
      out.push({
        question: e.question,
        text: label
          ? t(locale, 'report.key.worded_withheld', { label, reason })
          : t(locale, `report.key.${kind}_withheld`, { label: reportLabel(q, locale), reason }),
      });
      continue;
    }
    const values = { value: formatValue(q, e, e.estimate, locale, true), interval: formatInterval(q, e, locale, true) };
    const sentence = label
      ? t(locale, 'report.key.worded', { label, ...values })
      : t(locale, `report.key.${kind}`, { label: reportLabel(q, locale), ...values });
    // An amount over a reference period is also given per month: how a lobby states damage.
    // Rounded like every published amount (3 significant digits), not to the euro.
    // Not for a period of about one month: "€ 4,7 mln — € 4,6 mln per maand" says the same twice.
    const period = report.wave.period;
    const months = period ? periodMonths(period.start, period.end) : null;
    const monthly = months && months > 1.25 ? publishedValue(e.estimate / months, 'amount').value : null;
    const perMonth =
      monthly !== null && q.type === 'currency' && e.statistic === 'total'
        ? ` ${t(locale, 'report.key.per_month', { value: formatAmount(monthly, locale) })}`
        : '';
    out.push({ question: e.question, text: `${sentence}${perMonth}` });
  }
  return out;
}
