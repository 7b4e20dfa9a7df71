import fs from 'node:fs';
import path from 'node:path';
import { formatCurrency, formatNumber } from '../../foundation/numbers/format-dutch';
import { contactErrorMessage, importContacts } from '../../register/contacts-import';
import { FrameImportError, importFrame, previewFrame } from '../../register/frame-import';
import { ambiguousMessage, frameErrorMessage } from '../../register/frame-messages';
import type { FrameSummary } from '../../register/frame-reader';
import { listYears } from '../../register/frame-repository';
import { t, tn } from '../../views/i18n/index';
import type { Command } from './commands';
import { openMigrated } from './open-database';
import { EXIT, InputError, parseCommandArgs, UsageError } from './usage';

const USAGE =
  'Gebruik: frame import FILE.csv --year YYYY [--dry-run] [--replace] | frame contacts FILE.csv --year YYYY [--dry-run] | frame list';

function parse(args: string[]) {
  try {
    return parseCommandArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { year: { type: 'string' }, 'dry-run': { type: 'boolean' }, replace: { type: 'boolean' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function describe(summary: FrameSummary): string {
  const lines = [
    t('nl', 'frame.preview.counts', {
      organisations: tn('nl', 'frame.organisations_count', summary.rows),
      members: tn('nl', 'frame.members_count', summary.members),
      students: formatNumber(summary.students),
      turnover: formatCurrency(summary.turnover_eur),
    }),
  ];
  for (const [type, totals] of Object.entries(summary.byType).sort())
    lines.push(`  ${type}: ${formatNumber(totals.organisations)} (${tn('nl', 'frame.members_count', totals.members)})`);
  if (summary.ignoredColumns.length)
    lines.push(t('nl', 'frame.preview.ignored', { columns: summary.ignoredColumns.join(', ') }));
  if (summary.ambiguousCount > 0) {
    lines.push(
      `${tn('nl', 'frame.preview.ambiguous_title', summary.ambiguousCount)}. ${t('nl', 'frame.preview.ambiguous_intro')}`,
    );
    for (const value of summary.ambiguous) lines.push(`  ${ambiguousMessage('nl', value)}`);
    if (summary.ambiguousCount > summary.ambiguous.length)
      lines.push(`  ${tn('nl', 'frame.preview.ambiguous_more', summary.ambiguousCount - summary.ambiguous.length)}`);
  }
  return `${lines.join('\n')}\n`;
}

function errorLines(summary: FrameSummary): string[] {
  const lines = summary.errors.map((e) => frameErrorMessage('nl', e));
  if (summary.errorCount > summary.errors.length)
    lines.push(tn('nl', 'frame.preview.errors_more', summary.errorCount - summary.errors.length));
  return lines;
}

export const frame: Command = async (args, { config, io }) => {
  const { positionals, values } = parse(args);
  const [sub, file] = positionals;
  if (sub === 'list') {
    const handle = await openMigrated(config, 'frame list');
    try {
      const years = await listYears(handle.db);
      if (years.length === 0) io.stdout.write(`${t('nl', 'frame.none')}\n`);
      else io.stdout.write('jaar\torganisaties\tleden\tleerlingen\tomzet\n');
      for (const y of years)
        io.stdout.write(
          `${y.year}\t${formatNumber(y.organisations)}\t${formatNumber(y.members)}\t${formatNumber(y.students)}\t${formatCurrency(y.turnover_eur)}\n`,
        );
      return EXIT.ok;
    } finally {
      await handle.close();
    }
  }
  if (sub === 'contacts' && file) return contacts(file, values, { config, io });
  if (sub !== 'import' || !file) throw new UsageError(USAGE);
  if (!values.year || !/^\d{4}$/.test(values.year)) throw new UsageError('--year YYYY ontbreekt of is geen jaartal.');
  const filePath = path.resolve(file);
  if (!fs.existsSync(filePath) || !fs.statSync(filePath).isFile())
    throw new InputError(`Bestand niet gevonden: ${file}`);
  const open = () => fs.createReadStream(filePath);
  const year = Number(values.year);
  const handle = await openMigrated(config, 'frame import');
  try {
    if (values['dry-run']) {
      const preview = await previewFrame(handle.db, { open, year });
      if (preview.summary.errorCount > 0) {
        throw new InputError(
          tn('nl', 'frame.preview.errors_title', preview.summary.errorCount),
          errorLines(preview.summary),
        );
      }
      io.stdout.write(
        `Proefimport (er is niets opgeslagen) van ${path.basename(filePath)} voor ${year}:\n${describe(preview.summary)}`,
      );
      if (preview.existing)
        io.stdout.write(
          `${t('nl', 'frame.preview.replaces', { year, n: formatNumber(preview.existing) })}${values.replace ? '' : ' Gebruik --replace.'}\n`,
        );
      return EXIT.ok;
    }
    const result = await importFrame(handle, {
      open,
      fileName: path.basename(filePath),
      year,
      replace: Boolean(values.replace),
      actor: null,
      source: 'cli',
    });
    io.stdout.write(
      `${tn('nl', 'frame.imported', result.summary.rows, { year })}${result.replaced ? ' (vervangen)' : ''}\n${describe(result.summary)}`,
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof FrameImportError) {
      if (error.summary)
        throw new InputError(
          tn('nl', 'frame.preview.errors_title', error.summary.errorCount),
          errorLines(error.summary),
        );
      throw new InputError(t('nl', error.code, error.params));
    }
    throw error;
  } finally {
    await handle.close();
  }
};

/** `frame contacts FILE.csv --year YYYY [--dry-run]`: the contacts CSV, checked against that year's frame; all or nothing. */
async function contacts(
  file: string,
  values: { year?: string; 'dry-run'?: boolean },
  { config, io }: Parameters<Command>[1],
): Promise<number> {
  if (!values.year || !/^\d{4}$/.test(values.year)) throw new UsageError('--year YYYY ontbreekt of is geen jaartal.');
  const filePath = path.resolve(file);
  if (!fs.existsSync(filePath) || !fs.statSync(filePath).isFile())
    throw new InputError(`Bestand niet gevonden: ${file}`);
  const bytes = fs.readFileSync(filePath);
  const handle = await openMigrated(config, 'frame contacts');
  try {
    const dryRun = Boolean(values['dry-run']);
    const result = await importContacts(handle.db, bytes, null, { year: Number(values.year), dryRun });
    if (!result.ok)
      throw new InputError(
        t('nl', 'contacts.errors_title', { n: result.errors.length }),
        result.errors.map((e) => contactErrorMessage('nl', e)),
      );
    const lines = [
      t('nl', dryRun ? 'contacts.dry_run' : 'contacts.imported', {
        contacts: result.contacts,
        organisations: result.organisations,
      }),
    ];
    if (result.shared.length) {
      lines.push(t('nl', 'contacts.shared_title', { n: result.shared.length }));
      for (const s of result.shared)
        lines.push(`  ${t('nl', 'contacts.shared_line', { email: s.email, orgs: s.orgIds.join(', ') })}`);
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } finally {
    await handle.close();
  }
}
