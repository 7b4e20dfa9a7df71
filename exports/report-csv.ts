// A report model as CSV: one row per estimate with every field of the JSON.
import type { ReportModel } from '../analysis/report/report-model';
import { type CsvFlavour, toCsv } from '../foundation/csv/csv';

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

export function reportCsv(report: ReportModel, flavour: CsvFlavour): string {
  const rows = report.estimates.map((e) => [
    report.wave.slug,
    ...FIELDS.map((f) => {
      const v = e[f];
      return typeof v === 'boolean' ? (v ? 'true' : 'false') : v;
    }),
  ]);
  return toCsv(['wave', ...FIELDS], rows, flavour);
}
