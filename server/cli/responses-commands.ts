import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dataRelease, logRelease } from '../../exports/release-log';
import { allQuestions } from '../../surveys/definition-schema';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { exportResponses } from '../../surveys/responses/responses-export';
import { type ImportError, importResponses } from '../../surveys/responses/responses-import';
import { t, tn } from '../../views/i18n/index';
import type { Command } from './commands';
import { openMigrated } from './open-database';
import { EXIT, InputError, UsageError } from './usage';

const USAGE =
  'Gebruik: responses import FILE.csv --wave SLUG [--dry-run] | responses export --wave SLUG [--format csv|csv-nl] [--out FILE]';

export function importErrorMessage(e: ImportError): string {
  const message = t('nl', e.key, e.params);
  if (e.line === 0) return message;
  return e.column
    ? t('nl', 'responses.error.at', { line: e.line, column: e.column, message })
    : t('nl', 'responses.error.at_line', { line: e.line, message });
}

export const responses: Command = async (args, { config, io }) => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        wave: { type: 'string' },
        'dry-run': { type: 'boolean' },
        format: { type: 'string' },
        out: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { positionals, values } = parsed;
  const [sub, file] = positionals;
  if (!values.wave || (sub !== 'import' && sub !== 'export') || (sub === 'import' && !file))
    throw new UsageError(USAGE);
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'csv-nl') throw new UsageError('--format moet csv of csv-nl zijn.');
  if (sub === 'import' && !fs.existsSync(file)) throw new InputError(`Bestand niet gevonden: ${file}`);
  const handle = await openMigrated(config, `responses ${sub}`);
  try {
    const target = await waveWithDefinition(handle.db, values.wave);
    if (!target) throw new InputError(t('nl', 'wave.not_found', { value: values.wave }));
    if (sub === 'export') {
      const csv = await exportResponses(handle.db, target, format);
      if (values.out) fs.writeFileSync(values.out, csv);
      else io.stdout.write(csv);
      await logRelease(handle.db, {
        userId: null,
        source: 'cli',
        ...dataRelease({
          wave: target.wave.slug,
          format: `antwoorden-${format}`,
          questions: allQuestions(target.definition).map((q) => q.key),
        }),
      });
      return EXIT.ok;
    }
    const result = await importResponses(handle.db, {
      open: () => fs.createReadStream(path.resolve(file)),
      target,
      dryRun: Boolean(values['dry-run']),
      actor: null,
    });
    if (result.errors.length)
      throw new InputError(
        tn('nl', 'responses.cli.errors', result.errors.length),
        result.errors.map(importErrorMessage),
      );
    io.stdout.write(
      `${values['dry-run'] ? 'Proefimport (niets opgeslagen)' : 'Geïmporteerd en ingediend'}: ${tn('nl', 'responses.cli.rows', result.rows)} (${result.created} nieuw, ${tn('nl', 'responses.cli.replaced', result.replaced)}).\n`,
    );
    return EXIT.ok;
  } finally {
    await handle.close();
  }
};
