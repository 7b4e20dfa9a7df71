import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { DefinitionError, loadDefinition, parseDefinitionText } from '../../surveys/definitions';
import { listDefinitions } from '../../surveys/definitions-repository';
import { t } from '../../views/i18n/index';
import type { Command } from './commands';
import { openMigrated } from './open-database';
import { EXIT, InputError, UsageError } from './usage';

function problemsOf(error: DefinitionError): string[] {
  return error.problems.map((p) =>
    p.path
      ? t('nl', 'survey.def.problem', { path: p.path, message: t('nl', p.key, p.params) })
      : t('nl', p.key, p.params),
  );
}

export const survey: Command = async (args, { config, io }) => {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [sub, file] = positionals;
  if (sub === 'load' && file) {
    if (!fs.existsSync(file)) throw new InputError(`Bestand niet gevonden: ${file}`);
    let def;
    try {
      def = parseDefinitionText(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      if (error instanceof DefinitionError)
        throw new InputError(`De vragenlijst in ${file} is niet geldig:`, problemsOf(error));
      throw error;
    }
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
  throw new UsageError('Gebruik: survey load FILE.json | survey list');
};
