// What a report page shows, built once for the staff page and the public page:
// key figures, per estimate group a table with formatted values and footnotes and
// the chart spec, response, representativeness, warnings and the method note.
import type { ReportModel } from '../analysis/report/report';
import type { SurveyDefinition } from '../surveys/definition-schema';
import { type Locale, t } from '../views/i18n/index';
import { type ChartSpec, domainChartSpec, groupEstimates, trendChartSpec } from './chart-spec';
import { formatNumber, formatProportion } from './format-dutch';
import {
  estimateGroups,
  formatChange,
  formatCount,
  formatInterval,
  formatValue,
  groupTitle,
  keyFigures,
  questionOf,
  type TrendRow,
  trendRows,
  weightingWords,
} from './report-text';

export interface ReportSection {
  index: number;
  /** A file name for the section's chart: wave, question, statistic and option. */
  fileName: string;
  title: string;
  chart: ChartSpec;
  trend: ChartSpec | null;
  /** The trend as a table (its text alternative): one row per wave, oldest first; empty without a trend. */
  trendRows: TrendRow[];
  hasPrevious: boolean;
  rows: {
    domain: string;
    estimate: string;
    interval: string;
    previous: string;
    change: string;
    n: string;
    N: string;
    suppressed: boolean;
    reason: string | null;
  }[];
  footnote: string | null;
}

export interface ReportView {
  keyFigures: string[];
  sections: ReportSection[];
  response: { stratum: string; N: string; n: string; rate: string }[];
  /** The whole frame: N, the respondents as published and the response rate. */
  responseTotal: { N: string; n: string; rate: string } | null;
  representativeness: string | null;
  warnings: string[];
  method: string[];
}

export function chartDimension(report: ReportModel): string {
  return report.design.by ?? report.design.stratify.join(',');
}

export function reportView(report: ReportModel, def: SurveyDefinition, locale: Locale): ReportView {
  const dimension = chartDimension(report);
  const sections = estimateGroups(report).map((g, index): ReportSection => {
    const q = questionOf(def, g.question);
    const title = groupTitle(def, g, locale);
    const group = { ...g, dimension };
    const cells = [...groupEstimates(report, { ...g, dimension: null }), ...groupEstimates(report, group)];
    const hasPrevious = cells.some((c) => c.previous !== null);
    const reasons = [...new Set(cells.filter((c) => c.suppressed && c.reason).map((c) => c.reason!))];
    const trend = trendChartSpec(report, group, q, title, locale);
    return {
      index,
      fileName: [report.wave.slug, g.question, g.statistic, g.category]
        .filter(Boolean)
        .join('-')
        .replace(/[^A-Za-z0-9_-]+/g, '_'),
      title,
      chart: domainChartSpec(report, group, q, title, locale),
      trend,
      trendRows: trend ? trendRows(report, group, q, locale) : [],
      hasPrevious,
      rows: cells.map((c) => ({
        domain: c.domain === '*' ? t(locale, 'report.whole_branch') : c.domain,
        estimate: formatValue(q, c, c.estimate, locale),
        interval: formatInterval(q, c, locale),
        previous: formatValue(q, c, c.previous, locale),
        change: formatChange(q, c, c.change, locale),
        n: formatCount(c.n, c.n_band, locale),
        N: formatNumber(c.N, locale),
        suppressed: c.suppressed,
        reason: c.reason ? t(locale, `report.reason.${c.reason}`, { min: report.design.min_cell }) : null,
      })),
      footnote: reasons.length
        ? t(locale, 'report.footnote', {
            reason: reasons.map((r) => t(locale, `report.reason.${r}`, { min: report.design.min_cell })).join('; '),
          })
        : null,
    };
  });
  const c = report.representativeness;
  return {
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
    representativeness: c
      ? t(locale, 'report.response.chi', {
          statistic: formatNumber(c.statistic, locale, 2),
          df: c.df,
          p: formatNumber(c.p, locale, 3),
          verdict: t(locale, c.p < 0.05 ? 'report.response.skewed' : 'report.response.representative'),
        })
      : null,
    warnings: report.warnings,
    method: [
      t(locale, 'report.method.text', { year: report.frame.year, stratify: weightingWords(report, locale) }),
      t(locale, 'report.method.disclosure', {
        min: report.design.min_cell,
        k: Math.round(report.design.dominance.k * 100),
        p: Math.round(report.design.dominance.p * 100),
      }),
    ],
  };
}
