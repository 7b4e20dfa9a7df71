// `branch --year YYYY [--format json|csv|csv-nl|pdf] [--out FILE]`: the branch in
// figures of a frame year, protected as on the page (analysis/branch/branch-figures.ts):
// JSON (the figures), CSV (standard or Excel (NL)) or the PDF. Each file that
// leaves the tool is in the release log, as the download on the page is.
import fs from 'node:fs';
import { branchFigures } from '../../analysis/branch/branch-figures';
import { branchCsv, branchCsvRelease } from '../../exports/branch-csv';
import { renderBranchPdf } from '../../exports/branch-pdf';
import { logRelease } from '../../exports/release-log';
import { validYear } from '../../register/frame-import';
import { listYears } from '../../register/frame-repository';
import { t } from '../../views/i18n/index';
import type { Command } from './commands';
import { openMigrated } from './open-database';
import { EXIT, InputError, parseCommandArgs, UsageError } from './usage';

const FORMATS = ['json', 'csv', 'csv-nl', 'pdf'] as const;
type BranchFormat = (typeof FORMATS)[number];

export const branch: Command = async (args, { config, io }) => {
  let values;
  try {
    ({ values } = parseCommandArgs({
      args,
      strict: true,
      options: { year: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!values.year) throw new UsageError(t('nl', 'branch.cli.year_missing'));
  const year = Number(values.year);
  if (!/^\d{4}$/.test(values.year) || !validYear(year))
    throw new UsageError(t('nl', 'branch.cli.year_invalid', { value: values.year }));
  const format = (values.format ?? 'json') as BranchFormat;
  if (!FORMATS.includes(format)) throw new UsageError(t('nl', 'branch.cli.format', { value: values.format ?? '' }));
  if (format === 'pdf' && !values.out) throw new UsageError(t('nl', 'branch.cli.pdf_out'));
  const handle = await openMigrated(config, 'branch');
  try {
    const figures = await branchFigures(handle.db, { year });
    if (!figures) {
      const years = (await listYears(handle.db)).map((r) => r.year);
      throw new InputError(
        years.length
          ? t('nl', 'branch.cli.unknown_year', { year, years: years.join(', ') })
          : t('nl', 'branch.cli.no_frame', { year }),
      );
    }
    const output =
      format === 'json'
        ? `${JSON.stringify(figures, null, 2)}\n`
        : format === 'pdf'
          ? await renderBranchPdf(figures, 'nl')
          : branchCsv(figures, 'nl', format).content;
    if (values.out) fs.writeFileSync(values.out, output);
    else io.stdout.write(output);
    const release = branchCsvRelease(figures);
    await logRelease(handle.db, {
      userId: null,
      source: 'cli',
      kind: 'export',
      wave: release.wave,
      view: release.view,
      format,
    });
    return EXIT.ok;
  } finally {
    await handle.close();
  }
};
