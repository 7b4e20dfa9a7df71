// What a report page shows, built once for the staff page, the public page and
// the PDF: key figures, one numbered section per question (one chart, one table,
// detail tables to unfold, the development across waves), response,
// representativeness, warnings and the method note.
import type { ReportEstimate, ReportModel } from '../analysis/report/report-model';
import { formatAmount, formatNumber, formatPeriod, formatProportion } from '../foundation/numbers/format-dutch';
import type { Question, SurveyDefinition } from '../surveys/definition-schema';
import { type Locale, t } from '../views/i18n/index';
import { type ChartSpec, questionChartSpec, questionTrendSpec } from './chart-spec';
import {
  comparedPerMonth,
  lengthsDiffer,
  monthsOf,
  perMonthComparison,
  unevenTotal,
  type ViewEstimate,
} from './report-periods';
import {
  categoryLabel,
  formatChange,
  formatCount,
  formatInterval,
  formatValue,
  keyFigures,
  questionOf,
  reportLabel,
  weightingWords,
} from './report-text';

/** A table as the page and the PDF draw it: a header row, then rows of a label and cells. */
export interface ViewTable {
  caption: string;
  columns: { label: string; numeric: boolean }[];
  rows: { header: string; cells: string[]; suppressed: boolean; total?: boolean }[];
}

export interface ReportSection {
  index: number;
  /** 1, 2, 3… as printed before the title. */
  number: number;
  /** The page anchor (table of contents). */
  anchor: string;
  /** A file name for the section's chart: wave and question. */
  fileName: string;
  title: string;
  chart: ChartSpec;
  /** The main table: the question's first statistic (or every option) per group. */
  table: ViewTable;
  /** Further tables, folded away on the page: other statistics, the second breakdown, each option in detail. */
  details: ViewTable[];
  trend: ChartSpec | null;
  /** The trend as a table (its text alternative): one row per wave. */
  trendTable: ViewTable | null;
  footnote: string | null;
  /** Where the reference periods of the waves compared differ in length: what the table compares. */
  periodNote: string | null;
}

export interface ReportView {
  /** "Het gaat om de periode 16 maart 2020 tot en met 31 mei 2020.", when the wave has one. */
  period: string | null;
  /** "De branche (KAnS 2019): 400 organisaties, 472.000 leerlingen, € 254 mln omzet." */
  branch: string | null;
  keyFigures: string[];
  sections: ReportSection[];
  response: { stratum: string; N: string; n: string; rate: string }[];
  /** The whole frame: N, the respondents as published and the response rate. */
  responseTotal: { N: string; n: string; rate: string } | null;
  representativeness: string | null;
  /** The R-indicator and its partial indicators in one plain sentence. */
  rIndicator: string | null;
  /** In protected output: the counts differ on purpose from the monitor's exact ones (README "Protection"). */
  countsNote: string | null;
  warnings: string[];
  method: string[];
}

/** The dimensions of the report's tables: the breakdown first, then `--by`. */
export function reportDimensions(report: ReportModel): string[] {
  const breakdown = report.design.stratify.join(',');
  return [breakdown, report.design.by].filter((d): d is string => Boolean(d));
}

/** For reports published before section-per-question: the dimension their one chart showed. */
export function chartDimension(report: ReportModel): string {
  return reportDimensions(report)[0] ?? '';
}

const groupLabel = (e: ReportEstimate, locale: Locale) =>
  e.domain === '*' ? t(locale, 'report.whole_branch') : e.domain;

function cellsOf(report: ReportModel, question: string, statistic: string, category: string | null, dimension: string) {
  const pick = (d: string | null) =>
    report.estimates.filter(
      (e) => e.question === question && e.statistic === statistic && e.category === category && e.dimension === d,
    );
  return [...pick(null), ...pick(dimension)];
}

/** One statistic of a question per group: estimate, interval, previous wave and change, n, N. */
function statisticTable(q: Question, cells: ViewEstimate[], caption: string, locale: Locale): ViewTable {
  const hasPrevious = cells.some((c) => c.previous !== null);
  // Periods of different length: this wave per month beside its total, the comparison per month.
  const monthly = hasPrevious && cells.some((c) => c.monthly !== undefined);
  const suffix = monthly ? '_per_month' : '';
  return {
    caption,
    columns: [
      { label: t(locale, 'report.col.domain'), numeric: false },
      { label: t(locale, 'report.col.estimate'), numeric: true },
      { label: t(locale, 'report.col.interval'), numeric: true },
      ...(monthly ? [{ label: t(locale, 'report.col.per_month'), numeric: true }] : []),
      ...(hasPrevious
        ? [
            { label: t(locale, `report.col.previous${suffix}`), numeric: true },
            { label: t(locale, `report.col.change${suffix}`), numeric: true },
          ]
        : []),
      { label: t(locale, 'report.col.n'), numeric: true },
      { label: t(locale, 'report.col.N'), numeric: true },
    ],
    rows: cells.map((c) => ({
      header: groupLabel(c, locale),
      cells: [
        formatValue(q, c, c.estimate, locale),
        formatInterval(q, c, locale),
        ...(monthly ? [formatValue(q, c, c.monthly ?? null, locale)] : []),
        ...(hasPrevious ? [formatValue(q, c, c.previous, locale), formatChange(q, c, c.change, locale)] : []),
        formatCount(c.n, c.n_band, locale),
        formatNumber(c.N, locale),
      ],
      suppressed: c.suppressed,
      total: c.domain === '*',
    })),
  };
}

/** Every option of a choice question side by side per group (shares), with n. */
function optionsTable(
  report: ReportModel,
  q: Question,
  categories: string[],
  dimension: string,
  caption: string,
  locale: Locale,
): ViewTable {
  const columns = categories.map((c) => cellsOf(report, q.key, 'proportion', c, dimension));
  const first = columns[0] ?? [];
  return {
    caption,
    columns: [
      { label: t(locale, 'report.col.domain'), numeric: false },
      ...categories.map((c) => ({ label: categoryLabel(q, c, locale) ?? c, numeric: true })),
      { label: t(locale, 'report.col.n'), numeric: true },
    ],
    rows: first.map((cell, i) => ({
      header: groupLabel(cell, locale),
      cells: [
        ...columns.map((col) => formatValue(q, col[i], col[i].estimate, locale)),
        formatCount(cell.n, cell.n_band, locale),
      ],
      suppressed: columns.every((col) => col[i].suppressed),
      total: cell.domain === '*',
    })),
  };
}

function statisticCaption(q: Question, statistic: string, locale: Locale, category: string | null = null) {
  const label = reportLabel(q, locale);
  return t(locale, `report.statistic.${statistic}`, {
    label: label.charAt(0).toUpperCase() + label.slice(1),
    category: categoryLabel(q, category, locale) ?? '',
  });
}

function dimensionWords(dimension: string, locale: Locale): string {
  return dimension
    .split(',')
    .map((v) => t(locale, `reports.var.${v}`))
    .join(' × ');
}

/** One question's section: its chart, main table, detail tables, trend and footnote. */
function sectionOf(
  report: ReportModel,
  def: SurveyDefinition,
  key: string,
  index: number,
  dimensions: string[],
  trendPerMonth: boolean,
  locale: Locale,
): ReportSection {
  const [primary = '', ...others] = dimensions;
  const q = questionOf(def, key);
  const own = report.estimates.filter((e) => e.question === key);
  const statistics = [...new Set(own.map((e) => e.statistic))];
  const categories = [...new Set(own.map((e) => e.category))].filter((c): c is string => c !== null);
  const choice = statistics[0] === 'proportion' && categories.length > 1;
  const label = reportLabel(q, locale);
  const title = label.charAt(0).toUpperCase() + label.slice(1);
  const per = (dimension: string) => t(locale, 'report.table.per', { dimension: dimensionWords(dimension, locale) });
  let table: ViewTable;
  const details: ViewTable[] = [];
  if (choice) {
    table = optionsTable(report, q, categories, primary, `${title} ${per(primary)}`, locale);
    for (const d of others) details.push(optionsTable(report, q, categories, d, `${title} ${per(d)}`, locale));
    for (const c of categories)
      for (const d of dimensions)
        details.push(
          statisticTable(
            q,
            cellsOf(report, key, 'proportion', c, d),
            `${statisticCaption(q, 'proportion', locale, c)} ${per(d)}`,
            locale,
          ),
        );
  } else {
    const [first, ...rest] = statistics;
    const category = categories[0] ?? null;
    const caption = (s: string, d: string) => `${statisticCaption(q, s, locale, category)} ${per(d)}`;
    table = statisticTable(q, cellsOf(report, key, first, category, primary), caption(first, primary), locale);
    for (const d of others)
      details.push(statisticTable(q, cellsOf(report, key, first, category, d), caption(first, d), locale));
    for (const s of rest)
      for (const d of dimensions)
        details.push(statisticTable(q, cellsOf(report, key, s, category, d), caption(s, d), locale));
  }
  const reasons = [...new Set(own.filter((c) => c.suppressed && c.reason).map((c) => c.reason!))];
  const trendMonthly = trendPerMonth && comparedPerMonth(q, statistics[0]);
  const trendTitle = `${t(locale, 'report.trend.title')}: ${title}${trendMonthly ? ` (${t(locale, 'report.per_month_words')})` : ''}`;
  const trend = questionTrendSpec(
    report,
    q,
    statistics[0],
    choice ? categories : [categories[0] ?? null],
    locale,
    trendTitle,
  );
  return {
    index,
    number: index + 1,
    anchor: `vraag-${key}`,
    fileName: `${report.wave.slug}-${key}`.replace(/[^A-Za-z0-9_-]+/g, '_'),
    title,
    chart: questionChartSpec(
      report,
      q,
      statistics[0],
      choice ? categories : [categories[0] ?? null],
      primary,
      locale,
      choice ? title : statisticCaption(q, statistics[0], locale, categories[0] ?? null),
    ),
    table,
    details,
    trend: trend?.chart ?? null,
    trendTable: trend ? trendTableOf(q, statistics[0], trend, trendTitle, locale, trendMonthly) : null,
    footnote: reasons.length
      ? t(locale, 'report.footnote', {
          reason: reasons.map((r) => t(locale, `report.reason.${r}`, { min: report.design.min_cell })).join('; '),
        })
      : null,
    periodNote: periodNote(report, q, statistics[0], own, trend !== null, locale),
  };
}

/** Under the table: that the periods compared differ in length, and what is compared therefore. */
export function periodNote(
  report: ReportModel,
  q: Question,
  statistic: ReportEstimate['statistic'],
  own: ReportEstimate[],
  hasTrend: boolean,
  locale: Locale,
): string | null {
  const now = report.wave.period;
  const before = report.previous_wave?.period;
  const comparesPrevious = own.some((e) => e.previous !== null) && lengthsDiffer(now, before);
  const trendDiffers = hasTrend && (report.trend?.waves ?? []).some((w) => lengthsDiffer(w.period, now));
  if (!comparesPrevious && !trendDiffers) return null;
  const months = (p: typeof now) => formatNumber(monthsOf(p)!, locale, 1);
  const params = {
    wave: report.wave.name,
    months: months(now),
    previous: report.previous_wave?.name ?? '',
    previous_months: before ? months(before) : '–',
  };
  const key = comparedPerMonth(q, statistic)
    ? 'report.periods.per_month'
    : unevenTotal(q, statistic)
      ? 'report.periods.uneven'
      : null;
  if (!key) return null;
  return t(locale, comparesPrevious ? key : `${key}_trend`, params);
}

/** The trend of a question as a table: one row per wave. */
function trendTableOf(
  q: Question,
  statistic: ReportEstimate['statistic'],
  trend: NonNullable<ReturnType<typeof questionTrendSpec>>,
  caption: string,
  locale: Locale,
  monthly = false,
): ViewTable {
  const estimate = t(locale, monthly ? 'report.col.estimate_per_month' : 'report.col.estimate');
  return {
    caption,
    columns: [
      { label: t(locale, 'report.col.wave'), numeric: false },
      ...trend.series.map((s) => ({
        label: trend.series.length > 1 ? (categoryLabel(q, s.category, locale) ?? '') : estimate,
        numeric: true,
      })),
      ...(trend.series.length === 1 ? [{ label: t(locale, 'report.col.interval'), numeric: true }] : []),
    ],
    rows: trend.waves.map((wave, i) => ({
      header: wave,
      cells:
        trend.series.length === 1
          ? [
              formatValue(q, { statistic: statistic }, trend.series[0].points[i].estimate, locale),
              formatInterval(q, { statistic: statistic, ...trend.series[0].points[i] }, locale),
            ]
          : trend.series.map((s) => formatValue(q, { statistic: statistic }, s.points[i].estimate, locale)),
      suppressed: false,
    })),
  };
}

/** What calibration did to a calibrated wave's figures, in plain words; null when it is not calibrated. */
export function calibrationText(report: ReportModel, locale: Locale): string | null {
  const c = report.design.calibration;
  if (!c) return null;
  const words = c.variables.map((v) => t(locale, `waves.calibrate.var.${v}`));
  return t(locale, c.method === 'raking' ? 'report.method.calibration_raking' : 'report.method.calibration', {
    variables: words.join(', '),
  });
}

/** Whether the report's numbers are protected (then its counts are not the monitor's exact ones). */
export function isProtected(report: Pick<ReportModel, 'protection'>): boolean {
  return report.protection.method !== 'none';
}

/** "R-indicator 0,78 …; the response differs most by type (0,09), then …". */
export function rIndicatorText(report: ReportModel, locale: Locale): string | null {
  const r = report.representativeness?.r_indicator;
  if (!r) return null;
  const partials = [...r.partials]
    .filter((p) => p.partial > 0)
    .sort((a, b) => b.partial - a.partial)
    .map((p) => `${t(locale, `reports.var.${p.variable}`)} (${formatNumber(p.partial, locale, r.rounded ? 2 : 3)})`);
  return t(locale, partials.length ? 'report.response.r_indicator' : 'report.response.r_indicator_even', {
    R: formatNumber(r.R, locale, r.rounded ? 2 : 3),
    partials: partials.join(', '),
  });
}

export function reportView(model: ReportModel, def: SurveyDefinition, locale: Locale): ReportView {
  const dimensions = reportDimensions(model);
  const compared = perMonthComparison(model, (key) => questionOf(def, key));
  // The sections compare as the periods allow (per month where they differ); the rest shows the model.
  const report = { ...model, estimates: compared.estimates, trend: compared.trend };
  const questions = [...new Set(report.estimates.map((e) => e.question))];
  const sections = questions.map((key, index) =>
    sectionOf(report, def, key, index, dimensions, compared.trendPerMonth, locale),
  );
  const c = report.representativeness;
  return {
    period: report.wave.period
      ? t(locale, 'wave.period', formatPeriod(report.wave.period.start, report.wave.period.end, locale))
      : null,
    branch: report.branch
      ? t(locale, isProtected(report) ? 'report.branch_context_protected' : 'report.branch_context', {
          year: report.frame.year,
          organisations: formatNumber(report.branch.organisations, locale),
          students: report.branch.students === null ? '–' : formatNumber(report.branch.students, locale),
          turnover: report.branch.turnover_eur === null ? '–' : formatAmount(report.branch.turnover_eur, locale),
        })
      : null,
    keyFigures: keyFigures(report, def, locale).map((k) => k.text),
    sections,
    response: report.response.map((r) => ({
      stratum: r.stratum,
      N: formatNumber(r.N, locale),
      n: formatCount(r.n, r.n_band, locale),
      rate: r.rate === null ? '–' : formatProportion(r.rate, locale),
    })),
    responseTotal: report.respondents
      ? {
          N: formatNumber(report.frame.N, locale),
          n: formatCount(report.respondents.n, report.respondents.n_band, locale),
          rate: report.respondents.n === null ? '–' : formatProportion(report.respondents.n / report.frame.N, locale),
        }
      : null,
    representativeness:
      c && c.p !== null
        ? t(locale, 'report.response.chi', {
            statistic: formatNumber(c.statistic!, locale, 2),
            df: c.df!,
            p: formatNumber(c.p, locale, 3),
            verdict: t(locale, c.p < 0.05 ? 'report.response.skewed' : 'report.response.representative'),
          })
        : null,
    rIndicator: rIndicatorText(report, locale),
    countsNote: isProtected(report) ? t(locale, 'report.response.protected') : null,
    warnings: report.warnings,
    method: [
      t(locale, 'report.method.text', { year: report.frame.year, stratify: weightingWords(report, locale) }),
      ...(calibrationText(report, locale) ? [calibrationText(report, locale)!] : []),
      t(locale, 'report.method.disclosure', {
        min: report.design.min_cell,
        k: Math.round(report.design.dominance.k * 100),
        p: Math.round(report.design.dominance.p * 100),
      }),
    ],
  };
}
