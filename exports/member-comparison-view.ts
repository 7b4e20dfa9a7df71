// The member comparison as the member's pages show it: where the organisation's
// answers fall in the branch, as rows and as the one chart (page and PNG alike).
import type { ComparisonRow } from '../analysis/comparison/member-comparison';
import type { ResponseRow } from '../surveys/responses/responses-repository';
import type { WaveRow } from '../surveys/waves/waves-repository';
import { type Locale, t } from '../views/i18n/index';
import { type ChartSpec, comparisonChartSpec } from './chart-spec';
import { reportLabel } from './report-text';

export interface MemberComparison {
  asOf: Date;
  rows: ComparisonRow[];
  /** Submitted or changed after the snapshot: the position follows at the next renewal. */
  pending?: boolean;
}

/** A chart only where there is something to compare with: under 10 answers a sentence says so instead. */
export function hasComparison(rows: readonly ComparisonRow[]): boolean {
  return rows.some((r) => r.band !== null);
}

/** The comparison chart, drawn by the one chart-spec builder as the reports are: a bar per question, its quarter. */
export function comparisonChart(rows: readonly ComparisonRow[], locale: Locale): ChartSpec {
  return comparisonChartSpec(
    rows.map((r) => ({ label: reportLabel(r.question, locale), quarter: r.quarter })),
    t(locale, 'comparison.chart_title'),
    locale,
  );
}

/** The comparison locals of a member page (rows, date, chart); all null when there is none (not submitted). */
export function comparisonView(comparison: MemberComparison | null, locale: Locale) {
  return {
    comparison: comparison?.rows ?? null,
    asOf: comparison?.asOf ?? null,
    pending: comparison?.pending ?? false,
    chart: comparison && hasComparison(comparison.rows) ? comparisonChart(comparison.rows, locale) : null,
  };
}

/** The locals of the page after submitting (pages/survey-submitted): the response and the comparison. */
export function submittedPage(
  form: { wave: WaveRow; response: ResponseRow | null },
  comparison: MemberComparison,
  locale: Locale,
) {
  return {
    title: t(locale, 'survey.submitted.title'),
    wave: form.wave,
    response: form.response,
    comparison: comparison.rows,
    asOf: comparison.asOf,
    pending: comparison.pending ?? false,
    chart: hasComparison(comparison.rows) ? comparisonChart(comparison.rows, locale) : null,
  };
}
