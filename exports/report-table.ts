// The report as a table for people (beside the analysts' CSV of report-csv.ts):
// Dutch column names, question texts, the published values as the page shows
// them, "–" with the reason where a value is withheld. One row per estimate.
import type { ReportModel } from '../analysis/report/report-model';
import { type CsvFlavour, toCsv } from '../foundation/csv/csv';
import { formatNumber } from '../foundation/numbers/format-dutch';
import type { SurveyDefinition } from '../surveys/definition-schema';
import { type Locale, t } from '../views/i18n/index';
import {
  categoryLabel,
  formatChange,
  formatCount,
  formatInterval,
  formatValue,
  questionOf,
  reportLabel,
} from './report-text';

export function readableTable(report: ReportModel, def: SurveyDefinition, locale: Locale) {
  const header = [
    'meting',
    'vraag',
    'statistiek',
    'antwoord',
    'uitsplitsing',
    'groep',
    'schatting',
    '95%-betrouwbaarheidsinterval',
    'vorige meting',
    'verandering',
    'organisaties met antwoord (n)',
    'organisaties in de populatie (N)',
    'toelichting',
  ].map((h) => t(locale, `report.table.col.${h}`));
  const rows = report.estimates.map((e) => {
    const q = questionOf(def, e.question);
    return [
      report.wave.name,
      q.label[locale] ?? q.label.nl,
      t(locale, `report.table.statistic.${e.statistic}`),
      categoryLabel(q, e.category, locale) ?? '',
      e.dimension === null
        ? ''
        : e.dimension
            .split(',')
            .map((v) => t(locale, `reports.var.${v}`))
            .join(' × '),
      e.domain === '*' ? t(locale, 'report.whole_branch') : e.domain,
      formatValue(q, e, e.estimate, locale),
      formatInterval(q, e, locale),
      formatValue(q, e, e.previous, locale),
      formatChange(q, e, e.change, locale),
      formatCount(e.n, e.n_band, locale),
      formatNumber(e.N, locale),
      e.reason ? t(locale, `report.reason.${e.reason}`, { min: report.design.min_cell }) : '',
    ];
  });
  return { header, rows, label: (key: string) => reportLabel(questionOf(def, key), locale) };
}

/** The readable table as an Excel (NL) CSV. */
export function readableCsv(
  report: ReportModel,
  def: SurveyDefinition,
  locale: Locale,
  flavour: CsvFlavour = 'csv-nl',
) {
  const { header, rows } = readableTable(report, def, locale);
  return toCsv(header, rows, flavour);
}
