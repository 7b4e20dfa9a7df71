import fs from 'node:fs';
import path from 'node:path';
import { correctionMessages, correctResponse } from '../../analysis/editing/corrections';
import { dataRelease, logRelease } from '../../exports/release-log';
import { allQuestions } from '../../surveys/definition-schema';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { exportResponses } from '../../surveys/responses/responses-export';
import { type ImportError, importResponses } from '../../surveys/responses/responses-import';
import { t, tn } from '../../views/i18n/index';
import type { Command, CommandContext } from './commands';
import { openMigrated } from './open-database';
import { EXIT, InputError, parseCommandArgs, UsageError } from './usage';

const USAGE =
  'Gebruik: responses import FILE.csv --wave SLUG [--dry-run] | responses export --wave SLUG [--format csv|csv-nl] [--out FILE] | responses correct --wave SLUG --org ORG_ID --set KEY=VALUE [--set KEY=VALUE …] --reason TEXT';

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
    parsed = parseCommandArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        wave: { type: 'string' },
        'dry-run': { type: 'boolean' },
        format: { type: 'string' },
        out: { type: 'string' },
        org: { type: 'string' },
        set: { type: 'string', multiple: true },
        reason: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { positionals, values } = parsed;
  const [sub, file] = positionals;
  if (sub === 'correct') return correct(values, { config, io });
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

/**
 * `responses correct`: staff's correction of submitted answers, with a reason.
 * Every problem is named and nothing is changed; open and closed waves alike.
 */
async function correct(
  values: { wave?: string; org?: string; set?: string[]; reason?: string },
  { config, io }: CommandContext,
): Promise<number> {
  if (!values.wave || !values.org || !values.set?.length || values.reason === undefined) throw new UsageError(USAGE);
  const bad = values.set.filter((s) => !/^[^=]+=/.test(s));
  if (bad.length)
    throw new InputError(
      t('nl', 'corrections.cli.failed'),
      bad.map((s) => t('nl', 'corrections.bad_set', { value: s })),
    );
  const set = values.set.map((s) => {
    const at = s.indexOf('=');
    return [s.slice(0, at).trim(), s.slice(at + 1)] as const;
  });
  const handle = await openMigrated(config, 'responses correct');
  try {
    const result = await correctResponse(handle.db, {
      slug: values.wave,
      orgId: values.org,
      set,
      reason: values.reason,
      staff: null,
    });
    if (!result.ok)
      throw new InputError(
        t('nl', 'corrections.cli.failed'),
        correctionMessages(result.errors, result.target?.definition ?? null, 'nl'),
      );
    io.stdout.write(
      `${t('nl', 'corrections.cli.done', { org: values.org, wave: values.wave, n: result.changes.length })}\n`,
    );
    return EXIT.ok;
  } finally {
    await handle.close();
  }
}
