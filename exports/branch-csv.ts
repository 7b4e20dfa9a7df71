// The branch in figures as a readable CSV (Excel flavour by default; the command
// line also writes the standard flavour), and how its download is written in the
// release log.
import { BRANCH_DIMENSIONS, BRANCH_MEASURES, type BranchFigures } from '../analysis/branch/branch-figures';
import { type CsvFlavour, toCsv } from '../foundation/csv/csv';
import { type Locale, t } from '../views/i18n/index';
import { CSV_CONTENT_TYPE, type ExportFile } from './export-file';
import type { ReleaseView } from './release-log';

/** One row per cell: year, breakdown, group, counts, then each measure and its change. */
export function branchCsv(figures: BranchFigures, locale: Locale, flavour: CsvFlavour = 'csv-nl'): ExportFile {
  const header = [
    t(locale, 'branch.col.year'),
    t(locale, 'report.table.col.uitsplitsing'),
    t(locale, 'report.table.col.groep'),
    t(locale, 'branch.col.organisations'),
    t(locale, 'branch.col.members'),
    ...BRANCH_MEASURES.flatMap((m) => [
      t(locale, `branch.measure.${m}`),
      t(locale, 'branch.col.change_of', { measure: t(locale, `branch.measure.${m}`) }),
    ]),
  ];
  const rows = figures.cells.map((c) => [
    figures.year,
    c.dimension ? t(locale, `reports.var.${c.dimension}`) : '',
    c.domain === '*' ? t(locale, 'report.whole_branch') : c.domain,
    c.organisations,
    c.members,
    ...BRANCH_MEASURES.flatMap((m) => [c.values[m].estimate, c.values[m].change]),
  ]);
  return {
    fileName: `branche-in-cijfers-${figures.year}.csv`,
    contentType: CSV_CONTENT_TYPE,
    content: toCsv(header, rows, flavour),
  };
}

/** The release-log entry of the CSV download: the frame year, every breakdown and measure. */
export function branchCsvRelease(figures: BranchFigures): { wave: string; view: ReleaseView; format: 'csv-nl' } {
  return {
    wave: `KAnS ${figures.year}`,
    view: { stratify: BRANCH_DIMENSIONS, by: null, questions: [...BRANCH_MEASURES] },
    format: 'csv-nl',
  };
}
