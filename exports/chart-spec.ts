// The one chart-spec builder (ARCHITECTURE.md): a report model becomes a chart.js
// configuration, plain JSON, used by the browser, the PDF and the PNG download.
// Suppressed cells are null: nothing protected ever reaches a chart.
import type { ReportEstimate, ReportModel, TrendPoint } from '../analysis/report/report-model';
import { inLanguage, type Question } from '../surveys/definition-schema';
import type { Locale } from '../views/i18n/index';

export interface ChartSpec {
  type: 'bar' | 'line';
  /** How tall the chart is drawn on the page: more groups or options need more room. */
  size: 'normal' | 'tall' | 'xtall';
  data: {
    /** A label as lines (string[]) when it is too long for one: chart.js draws them one under another. */
    labels: (string | string[])[];
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
      /** The title is drawn only where the chart stands alone (PNG); on the page and in the PDF the heading says it. */
      title: { display: boolean; text: string; font: { size: number } };
      legend: { display: boolean; position?: 'top' | 'bottom' };
      impact: {
        format: 'currency' | 'number' | 'percentage' | 'proportion';
        locale: Locale;
        /** Per dataset, per bar or point: the 95% interval or null. */
        intervals: ([number, number] | null)[][];
      };
    };
    scales: Record<
      string,
      { beginAtZero?: boolean; suggestedMax?: number; ticks?: Record<string, unknown>; grid?: Record<string, unknown> }
    >;
  };
}

export const COLORS = { bar: '#1d4f91', whole: '#0b2c57', suppressed: '#c9ced6', line: '#1d4f91' };
/** Colours for the options of a choice question (Okabe–Ito, told apart also with colour blindness). */
export const SERIES_COLORS = ['#1d4f91', '#d55e00', '#009e73', '#cc79a7', '#56b4e9', '#e69f00', '#4d4d4d', '#8c6d1f'];

export function formatOf(
  q: Pick<Question, 'type'>,
  statistic: ReportEstimate['statistic'],
): ChartSpec['options']['plugins']['impact']['format'] {
  if (statistic === 'proportion') return 'proportion';
  if (q.type === 'currency') return 'currency';
  if (q.type === 'percentage') return 'percentage';
  return 'number';
}

const interval = (e: { ci_low: number | null; ci_high: number | null }): [number, number] | null =>
  e.ci_low === null || e.ci_high === null ? null : [e.ci_low, e.ci_high];

function optionLabel(q: Pick<Question, 'type' | 'options'>, category: string | null, locale: Locale): string {
  if (category === null) return '';
  if (q.type === 'boolean') return locale === 'en' ? 'yes' : 'ja';
  return inLanguage(q.options?.find((o) => o.value === category)?.label, locale) ?? category;
}

/**
 * One chart for a question: its first statistic for the whole branch beside
 * every group of the breakdown; for a choice question one bar per option in each
 * group (grouped, with legend). 95% intervals as whiskers; suppressed cells empty.
 */
export function questionChartSpec(
  report: ReportModel,
  q: Pick<Question, 'type' | 'options' | 'key'>,
  statistic: ReportEstimate['statistic'],
  categories: (string | null)[],
  dimension: string,
  locale: Locale,
  title = '',
): ChartSpec {
  const cellsOf = (category: string | null) =>
    report.estimates.filter(
      (e) =>
        e.question === q.key &&
        e.statistic === statistic &&
        e.category === category &&
        (e.dimension === null || e.dimension === dimension),
    );
  const series = categories.map(cellsOf);
  const first = series[0] ?? [];
  const whole = locale === 'en' ? 'Whole branch' : 'Hele branche';
  const labels = first.map((c) => (c.domain === '*' ? whole : c.domain));
  const bars = labels.length * series.length;
  const horizontal = labels.length > 6 || bars > 12;
  const single = series.length === 1;
  return {
    type: 'bar',
    size: bars > 40 ? 'xtall' : bars > 14 ? 'tall' : 'normal',
    data: {
      labels,
      datasets: series.map((cells, i) => ({
        label: single ? title : optionLabel(q, categories[i], locale),
        data: cells.map((c) => c.estimate),
        backgroundColor: single
          ? cells.map((c) => (c.estimate === null ? COLORS.suppressed : c.domain === '*' ? COLORS.whole : COLORS.bar))
          : SERIES_COLORS[i % SERIES_COLORS.length],
        borderColor: single ? COLORS.bar : SERIES_COLORS[i % SERIES_COLORS.length],
        borderWidth: 0,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: horizontal ? 'y' : 'x',
      plugins: {
        title: { display: false, text: title, font: { size: 16 } },
        legend: { display: !single, position: 'top' },
        impact: { format: formatOf(q, statistic), locale, intervals: series.map((cells) => cells.map(interval)) },
      },
      // The axis reaches the highest interval, so no whisker is cut off.
      scales: {
        [horizontal ? 'x' : 'y']: {
          beginAtZero: true,
          suggestedMax: Math.max(0, ...series.flat().map((c) => c.ci_high ?? c.estimate ?? 0)),
        },
        [horizontal ? 'y' : 'x']: { grid: { display: false } },
      },
    },
  };
}

/** A question's whole-branch development across waves: the chart and its series (for the table). */
export interface QuestionTrend {
  chart: ChartSpec;
  waves: string[];
  series: { category: string | null; points: TrendPoint[] }[];
}

/**
 * The whole branch across waves: one line for a number, one line per option for a
 * choice question, with 95% intervals; a suppressed wave is a gap. Null when fewer
 * than two waves have a value.
 */
export function questionTrendSpec(
  report: ReportModel,
  q: Pick<Question, 'type' | 'options' | 'key'>,
  statistic: ReportEstimate['statistic'],
  categories: (string | null)[],
  locale: Locale,
  title = '',
): QuestionTrend | null {
  const series = categories.map((category) => ({
    category,
    points: trendPoints(report, { question: q.key, statistic, category, dimension: null }),
  }));
  const waves = series[0]?.points?.map((p) => p.label) ?? [];
  if (!series.every((s) => s.points) || waves.length < 2) return null;
  if (!series.some((s) => s.points!.filter((p) => p.estimate !== null).length >= 2)) return null;
  const single = series.length === 1;
  return {
    waves,
    series: series.map((s) => ({ category: s.category, points: s.points! })),
    chart: {
      type: 'line',
      size: 'normal',
      data: {
        labels: waves,
        datasets: series.map((s, i) => ({
          label: single ? title : optionLabel(q, s.category, locale),
          data: s.points!.map((p) => p.estimate),
          backgroundColor: SERIES_COLORS[i % SERIES_COLORS.length],
          borderColor: SERIES_COLORS[i % SERIES_COLORS.length],
          borderWidth: 2,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: 'x',
        plugins: {
          title: { display: false, text: title, font: { size: 16 } },
          legend: { display: !single, position: 'top' },
          impact: { format: formatOf(q, statistic), locale, intervals: series.map((s) => s.points!.map(interval)) },
        },
        scales: {
          y: {
            beginAtZero: true,
            suggestedMax: Math.max(0, ...series.flatMap((s) => s.points!.map((p) => p.ci_high ?? p.estimate ?? 0))),
          },
        },
      },
    },
  };
}

export interface EstimateGroup {
  question: string;
  statistic: ReportEstimate['statistic'];
  category: string | null;
  dimension: string | null;
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
/** A label broken into lines of about `width` characters, at spaces. */
export function wrapLabel(label: string, width: number): string | string[] {
  if (label.length <= width) return label;
  const lines: string[] = [];
  for (const word of label.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

export function comparisonChartSpec(
  rows: { label: string; quarter: number | null }[],
  title: string,
  locale: Locale,
): ChartSpec {
  return {
    type: 'bar',
    size: rows.length > 8 ? 'tall' : 'normal',
    data: {
      // Long labels in lines, so they fit beside the bars on a phone instead of being cut off.
      labels: rows.map((r) => wrapLabel(r.label, 18)),
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
        title: { display: false, text: title, font: { size: 16 } },
        legend: { display: false },
        impact: { format: 'number', locale, intervals: [rows.map(() => null)] },
      },
      // The quarter of the branch the organisation's answer falls in: 1 = lowest quarter, 4 = highest.
      scales: {
        x: { beginAtZero: true, suggestedMax: 4, ticks: { stepSize: 1 } },
        // Every question's label, never skipped for lack of room.
        y: { grid: { display: false }, ticks: { autoSkip: false } },
      },
    },
  };
}
