// Comparisons across waves whose reference periods differ in length (June: one
// month; April: one and a half). A total of money over a period is then compared
// per month: the previous value, the change and the trend are amounts per month,
// and the table says so. Other totals (counts) are not divided — a number of
// employees is not a flow — the table states the difference below it instead.
import { publishedValue } from '../analysis/disclosure/precision';
import type { ReportEstimate, ReportModel, ReportTrend } from '../analysis/report/report-model';
import { periodMonths } from '../foundation/numbers/format-dutch';
import type { Question } from '../surveys/definition-schema';

type Period = { start: string; end: string } | null | undefined;

/** Two periods differ when one is more than 10% longer than the other. */
const TOLERANCE = 0.1;

export function monthsOf(period: Period): number | null {
  return period ? periodMonths(period.start, period.end) : null;
}

/** True when both periods are known and their lengths differ. */
export function lengthsDiffer(a: Period, b: Period): boolean {
  const ma = monthsOf(a);
  const mb = monthsOf(b);
  if (ma === null || mb === null) return false;
  return Math.abs(ma / mb - 1) > TOLERANCE;
}

/** Whether a statistic of a question is compared per month when periods differ: totals of money. */
export function comparedPerMonth(q: Pick<Question, 'type'>, statistic: ReportEstimate['statistic']): boolean {
  return q.type === 'currency' && statistic === 'total';
}

/** Whether a total that is not divided (a count) spans periods of different length. */
export function unevenTotal(q: Pick<Question, 'type'>, statistic: ReportEstimate['statistic']): boolean {
  return statistic === 'total' && !comparedPerMonth(q, statistic);
}

/** An estimate as a table shows it: with its value per month where the comparison is per month. */
export type ViewEstimate = ReportEstimate & { monthly?: number | null };

const perMonth = (value: number | null, months: number) =>
  value === null ? null : publishedValue(value / months, 'amount').value;

/**
 * The report as its pages compare it: where this wave's period and the previous
 * one's differ in length, the money totals get `monthly` (this wave per month),
 * and `previous` and `change` per month (of published, rounded values); and
 * the trend's money totals are per month wherever the trend's periods differ.
 */
export function perMonthComparison(
  report: ReportModel,
  questionOf: (key: string) => Pick<Question, 'type'>,
): { estimates: ViewEstimate[]; trend: ReportTrend | null; perMonth: boolean; trendPerMonth: boolean } {
  const now = report.wave.period;
  const before = report.previous_wave?.period;
  const differ = lengthsDiffer(now, before);
  const estimates: ViewEstimate[] = report.estimates.map((e) => {
    if (!differ || !comparedPerMonth(questionOf(e.question), e.statistic)) return e;
    const monthly = perMonth(e.estimate, monthsOf(now)!);
    const previous = perMonth(e.previous ?? null, monthsOf(before)!);
    const change = monthly === null || previous === null ? null : monthly - previous;
    return { ...e, monthly, previous, change };
  });
  const trend = report.trend;
  // The trend's last wave is this one (the compare step may not know its period).
  const periods = trend?.waves.map((w, i) => (i === trend.waves.length - 1 ? (w.period ?? now) : w.period)) ?? [];
  const trendDiffers = periods.some((p) => lengthsDiffer(p, now)) && periods.every((p) => p);
  if (!trend || !trendDiffers) return { estimates, trend: trend ?? null, perMonth: differ, trendPerMonth: false };
  const months = periods.map((p) => monthsOf(p)!);
  const series = trend.series.map((s) =>
    comparedPerMonth(questionOf(s.question), s.statistic)
      ? {
          ...s,
          points: s.points.map((p, i) => ({
            estimate: perMonth(p.estimate, months[i]),
            ci_low: perMonth(p.ci_low, months[i]),
            ci_high: perMonth(p.ci_high, months[i]),
          })),
        }
      : s,
  );
  return { estimates, trend: { ...trend, series }, perMonth: differ, trendPerMonth: true };
}
