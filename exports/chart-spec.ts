// The one chart-spec builder (DESIGN 2): a report model becomes a chart.js
// configuration, plain JSON, used by the browser, the PDF and the PNG download.
// Suppressed cells are null: nothing protected ever reaches a chart.
import type { ReportEstimate, ReportModel, TrendPoint } from '../analysis/report/report';
import type { Question } from '../surveys/definition-schema';
import type { Locale } from '../views/i18n/index';

export interface ChartSpec {
  type: 'bar' | 'line';
  data: {
    labels: string[];
    datasets: {
      label: string;
      data: (number | null)[];
      backgroundColor: string | string[];
      borderColor: string;
      borderWidth: number;
    }[];
  };
  options: {
    responsive: boolean;
    maintainAspectRatio: boolean;
    animation: false;
    indexAxis: 'x' | 'y';
    plugins: {
      title: { display: boolean; text: string; font: { size: number } };
      legend: { display: false };
      impact: {
        format: 'currency' | 'number' | 'percentage' | 'proportion';
        locale: Locale;
        intervals: ([number, number] | null)[];
      };
    };
    scales: Record<
      string,
      { beginAtZero?: boolean; suggestedMax?: number; ticks?: Record<string, unknown>; grid?: Record<string, unknown> }
    >;
  };
}

export const COLORS = { bar: '#1d4f91', suppressed: '#c9ced6', line: '#1d4f91' };

export function formatOf(
  q: Pick<Question, 'type'>,
  statistic: ReportEstimate['statistic'],
): ChartSpec['options']['plugins']['impact']['format'] {
  if (statistic === 'proportion') return 'proportion';
  if (q.type === 'currency') return 'currency';
  if (q.type === 'percentage') return 'percentage';
  return 'number';
}

export interface EstimateGroup {
  question: string;
  statistic: ReportEstimate['statistic'];
  category: string | null;
  dimension: string | null;
}

/** The estimates of one group (one question, statistic and category) over one dimension. */
export function groupEstimates(report: ReportModel, group: EstimateGroup): ReportEstimate[] {
  return report.estimates.filter(
    (e) =>
      e.question === group.question &&
      e.statistic === group.statistic &&
      e.category === group.category &&
      e.dimension === group.dimension,
  );
}

/** Bars per stratum or domain, with 95% intervals as whiskers. */
export function domainChartSpec(
  report: ReportModel,
  group: EstimateGroup,
  q: Pick<Question, 'type'>,
  title: string,
  locale: Locale,
): ChartSpec {
  const cells = groupEstimates(report, group);
  const horizontal = cells.length > 6;
  return {
    type: 'bar',
    data: {
      labels: cells.map((c) => c.domain),
      datasets: [
        {
          label: title,
          data: cells.map((c) => c.estimate),
          backgroundColor: cells.map((c) => (c.estimate === null ? COLORS.suppressed : COLORS.bar)),
          borderColor: COLORS.bar,
          borderWidth: 0,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: horizontal ? 'y' : 'x',
      plugins: {
        title: { display: true, text: title, font: { size: 14 } },
        legend: { display: false },
        impact: {
          format: formatOf(q, group.statistic),
          locale,
          intervals: cells.map((c) => (c.ci_low === null || c.ci_high === null ? null : [c.ci_low, c.ci_high])),
        },
      },
      // The axis reaches the highest interval, so no whisker is cut off.
      scales: {
        [horizontal ? 'x' : 'y']: {
          beginAtZero: true,
          suggestedMax: Math.max(0, ...cells.map((c) => c.ci_high ?? c.estimate ?? 0)),
        },
        [horizontal ? 'y' : 'x']: { grid: { display: false } },
      },
    },
  };
}

/**
 * The whole-branch estimate across waves: a line through every wave of the
 * questionnaire up to this one, with 95% intervals; a suppressed wave is a gap.
 * Null when fewer than two waves have a value.
 */
export function trendChartSpec(
  report: ReportModel,
  group: EstimateGroup,
  q: Pick<Question, 'type'>,
  title: string,
  locale: Locale,
): ChartSpec | null {
  const points = trendPoints(report, group);
  if (!points || points.filter((p) => p.estimate !== null).length < 2) return null;
  return {
    type: 'line',
    data: {
      labels: points.map((p) => p.label),
      datasets: [
        {
          label: title,
          data: points.map((p) => p.estimate),
          backgroundColor: COLORS.line,
          borderColor: COLORS.line,
          borderWidth: 2,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: 'x',
      plugins: {
        title: { display: true, text: title, font: { size: 14 } },
        legend: { display: false },
        impact: {
          format: formatOf(q, group.statistic),
          locale,
          intervals: points.map((p) => (p.ci_low === null || p.ci_high === null ? null : [p.ci_low, p.ci_high])),
        },
      },
      scales: {
        y: { beginAtZero: true, suggestedMax: Math.max(0, ...points.map((p) => p.ci_high ?? p.estimate ?? 0)) },
      },
    },
  };
}

/** The points of the trend line of a group (whole branch), labelled by wave; null when there is no earlier wave. */
export function trendPoints(report: ReportModel, group: EstimateGroup): ({ label: string } & TrendPoint)[] | null {
  const series = report.trend?.series.find(
    (s) => s.question === group.question && s.statistic === group.statistic && s.category === group.category,
  );
  if (report.trend && series) return series.points.map((p, i) => ({ label: report.trend!.waves[i].name, ...p }));
  // A report published before trends were kept: the previous wave's value and this one.
  const whole = report.estimates.find(
    (e) =>
      e.question === group.question &&
      e.statistic === group.statistic &&
      e.category === group.category &&
      e.dimension === null,
  );
  if (!whole || !report.previous_wave || whole.previous === null) return null;
  return [
    { label: report.previous_wave.name, estimate: whole.previous, ci_low: null, ci_high: null },
    { label: report.wave.name, estimate: whole.estimate, ci_low: whole.ci_low, ci_high: whole.ci_high },
  ];
}

/**
 * The member's comparison (where do we stand): the organisation's percentile per
 * numeric question among the respondents; withheld questions stay empty.
 */
export function comparisonChartSpec(
  rows: { label: string; quarter: number | null }[],
  title: string,
  locale: Locale,
): ChartSpec {
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.label),
      datasets: [
        {
          label: title,
          data: rows.map((r) => r.quarter),
          backgroundColor: rows.map((r) => (r.quarter === null ? COLORS.suppressed : COLORS.bar)),
          borderColor: COLORS.bar,
          borderWidth: 0,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: 'y',
      plugins: {
        title: { display: true, text: title, font: { size: 14 } },
        legend: { display: false },
        impact: { format: 'number', locale, intervals: rows.map(() => null) },
      },
      // The quarter of the branch the organisation's answer falls in: 1 = lowest quarter, 4 = highest.
      scales: { x: { beginAtZero: true, suggestedMax: 4, ticks: { stepSize: 1 } }, y: { grid: { display: false } } },
    },
  };
}
