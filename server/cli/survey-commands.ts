import fs from 'node:fs';
import {
  type DefinitionFormat,
  problemMessage,
  readDefinitionFile,
  storedVersion,
  writeDefinitionFile,
} from '../../surveys/definition-files';
import { DefinitionError, loadDefinition } from '../../surveys/definitions';
import { listDefinitions } from '../../surveys/definitions-repository';
import { t } from '../../views/i18n/index';
import type { Command } from './commands';
import { openMigrated } from './open-database';
import { EXIT, InputError, parseCommandArgs, UsageError } from './usage';

function problemsOf(error: DefinitionError): string[] {
  return error.problems.map((p) =>
    p.path
      ? t('nl', 'survey.def.problem', { path: p.path, message: t('nl', p.key, p.params) })
      : t('nl', p.key, p.params),
  );
}

const USAGE =
  'Gebruik: survey load FILE.json|FILE.xlsx | survey export KEY [--version V] [--format json|xlsx] [--out FILE] | survey list';

export const survey: Command = async (args, { config, io }) => {
  let positionals: string[];
  let values: { version?: string; format?: string; out?: string };
  try {
    ({ positionals, values } = parseCommandArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { version: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [sub, file] = positionals;
  if (sub !== 'export' && (values.version || values.format || values.out))
    throw new UsageError(`--version, --format en --out horen bij survey export. ${USAGE}`);
  if (sub === 'load' && file) {
    if (!fs.existsSync(file)) throw new InputError(`Bestand niet gevonden: ${file}`);
    const read = await readDefinitionFile(fs.readFileSync(file), file);
    if (!read.ok)
      throw new InputError(
        `De vragenlijst in ${file} is niet geldig:`,
        read.problems.map((p) => problemMessage('nl', p)),
      );
    const def = read.definition;
    for (const w of read.warnings) io.stderr.write(`Let op: ${problemMessage('nl', w)}\n`);
    const handle = await openMigrated(config, 'survey load');
    try {
      const { outcome } = await loadDefinition(handle.db, def, null);
      io.stdout.write(`${def.key} ${def.version}\n`);
      if (outcome !== 'created')
        io.stderr.write(
          outcome === 'unchanged'
            ? 'Deze versie was al geladen en is ongewijzigd.\n'
            : 'Deze versie was nog niet in gebruik en is vervangen.\n',
        );
      return EXIT.ok;
    } catch (error) {
      if (error instanceof DefinitionError) throw new InputError(problemsOf(error).join('\n'));
      throw error;
    } finally {
      await handle.close();
    }
  }
  if (sub === 'export' && file) {
    const format = (values.format ??
      (values.out?.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'json')) as DefinitionFormat;
    if (format !== 'json' && format !== 'xlsx') throw new UsageError('--format moet json of xlsx zijn.');
    if (format === 'xlsx' && !values.out) throw new UsageError('--format xlsx schrijft een bestand: geef --out FILE.');
    let version: number | undefined;
    if (values.version !== undefined) {
      if (!/^\d+$/.test(values.version)) throw new UsageError('--version moet een geheel getal zijn.');
      version = Number(values.version);
    }
    const handle = await openMigrated(config, 'survey export');
    try {
      const stored = await storedVersion(handle.db, file, version);
      if (!stored)
        throw new InputError(
          version === undefined
            ? `Vragenlijst "${file}" bestaat niet.`
            : `Vragenlijst "${file}" heeft geen versie ${version}.`,
        );
      const output = await writeDefinitionFile(stored.definition, format);
      if (values.out) {
        fs.writeFileSync(values.out, output);
        io.stdout.write(`${stored.definition.key} ${stored.definition.version} → ${values.out}\n`);
      } else io.stdout.write(output);
      return EXIT.ok;
    } finally {
      await handle.close();
    }
  }
  if (sub === 'list') {
    const handle = await openMigrated(config, 'survey list');
    try {
      const rows = await listDefinitions(handle.db);
      if (rows.length === 0) io.stdout.write('Nog geen vragenlijsten.\n');
      for (const r of rows) io.stdout.write(`${r.key}\t${r.version}\t${r.waves} metingen\t${r.title_nl}\n`);
      return EXIT.ok;
    } finally {
      await handle.close();
    }
  }
  throw new UsageError(USAGE);
};
