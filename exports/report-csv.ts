// A report model as CSV: one row per estimate with every field of the JSON. The
// standard flavour names its columns as the JSON does (`question`, `estimate`, …)
// and writes `true`/`false`; Excel (NL) names them in Dutch (`vraagcode`,
// `schatting`, …: `report.field.*`) and writes `ja`/`nee`. The values are the same
// published numbers in both.
import type { ReportModel } from '../analysis/report/report-model';
import { type CsvFlavour, toCsv } from '../foundation/csv/csv';
import { t } from '../views/i18n/index';

const FIELDS = [
  'question',
  'statistic',
  'method',
  'auxiliary',
  'category',
  'dimension',
  'domain',
  'estimate',
  'se',
  'ci_low',
  'ci_high',
  'n',
  'n_band',
  'N',
  'suppressed',
  'reason',
  'previous',
  'change',
  'perturbed',
] as const;

/** The column names of a flavour: the JSON's fields, or their Dutch names for Excel (NL). */
export function reportCsvHeader(flavour: CsvFlavour): string[] {
  const names = ['wave', ...FIELDS];
  return flavour === 'csv-nl' ? names.map((f) => t('nl', `report.field.${f}`)) : names;
}

export function reportCsv(report: ReportModel, flavour: CsvFlavour): string {
  const rows = report.estimates.map((e) => [
    report.wave.slug,
    ...FIELDS.map((f) => {
      const v = e[f];
      return typeof v === 'boolean' && flavour === 'csv' ? (v ? 'true' : 'false') : v;
    }),
  ]);
  return toCsv(reportCsvHeader(flavour), rows, flavour);
}
