import fs from 'node:fs';
import { buildReport } from '../../analysis/report/report';
import { parseVariables, ReportError } from '../../analysis/report/report-model';
import { isReportFileFormat, renderReportFile } from '../../exports/report-file';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { t } from '../../views/i18n/index';
import type { Command } from './commands';
import { openMigrated } from './open-database';
import { EXIT, InputError, parseCommandArgs, UsageError } from './usage';

export const report: Command = async (args, { config, io }) => {
  let values;
  try {
    ({ values } = parseCommandArgs({
      args,
      strict: true,
      options: {
        wave: { type: 'string' },
        stratify: { type: 'string' },
        by: { type: 'string' },
        questions: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        'no-protect': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!values.wave) throw new UsageError('--wave SLUG ontbreekt.');
  const format = values.format ?? 'json';
  if (format !== 'json' && !isReportFileFormat(format))
    throw new UsageError('--format moet json, csv, csv-nl, xlsx of pdf zijn.');
  if ((format === 'xlsx' || format === 'pdf') && !values.out)
    throw new UsageError(`--format ${format} schrijft een bestand: geef --out FILE.`);
  let stratify;
  let by;
  try {
    stratify = values.stratify ? parseVariables(values.stratify, []) : undefined;
    by = values.by ? parseVariables(values.by, [])[0] : null;
  } catch (error) {
    if (error instanceof ReportError) throw new UsageError(t('nl', error.code, error.params));
    throw error;
  }
  const questions = values.questions
    ? values.questions
        .split(',')
        .map((q) => q.trim())
        .filter(Boolean)
    : null;
  const handle = await openMigrated(config, 'report');
  try {
    const model = await buildReport(handle.db, {
      wave: values.wave,
      stratify,
      by,
      questions,
      protect: !values['no-protect'],
    });
    const definition = (await waveWithDefinition(handle.db, values.wave))!.definition;
    const output =
      format === 'json'
        ? `${JSON.stringify(model, null, 2)}\n`
        : (await renderReportFile(format, model, definition, 'nl')).content;
    if (values.out) fs.writeFileSync(values.out, output);
    else io.stdout.write(output);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ReportError) {
      if (error.usage) throw new UsageError(t('nl', error.code, error.params));
      throw new InputError(t('nl', error.code, error.params));
    }
    throw error;
  } finally {
    await handle.close();
  }
};
