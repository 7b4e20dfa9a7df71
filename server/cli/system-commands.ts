// The commands that need no module of their own: migrate, user create, serve.
import { AccountError, createAccount, ROLES } from '../../accounts/accounts';
import type { Role } from '../../foundation/db/schema';
import { t } from '../../views/i18n/index';
import { createLogger } from '../logger';
import { serve } from '../serve';
import { isSupervisedServer, serverProcesses, supervise } from '../supervisor';
import type { Command } from './commands';
import { openMigrated } from './open-database';
import { EXIT, InputError, parseCommandArgs, UsageError } from './usage';

type Options = NonNullable<NonNullable<Parameters<typeof parseCommandArgs>[0]>['options']>;

function parse<T extends Options>(args: string[], options: T) {
  try {
    return parseCommandArgs({ args, options, allowPositionals: true, strict: true } as const);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  if ((stdin as NodeJS.ReadStream).isTTY) {
    throw new UsageError(
      'Geef het wachtwoord via stdin, bijvoorbeeld: printf %s "$WACHTWOORD" | npx impactmonitor user create …',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export const migrate: Command = async (args, { config, io }) => {
  parse(args, {});
  const handle = await openMigrated(config, 'migrate');
  await handle.close();
  io.stdout.write(`Database bijgewerkt (${handle.kind}).\n`);
  return EXIT.ok;
};

export const user: Command = async (args, { config, io }) => {
  const { positionals, values } = parse(args, {
    email: { type: 'string' },
    role: { type: 'string' },
    org: { type: 'string' },
    name: { type: 'string' },
  });
  if (positionals[0] !== 'create')
    throw new UsageError('Gebruik: user create --email E --role admin|staff|member [--org ORG_ID] [--name N]');
  if (!values.email) throw new UsageError('--email ontbreekt.');
  if (!values.role || !ROLES.includes(values.role as Role))
    throw new UsageError('--role moet admin, staff of member zijn.');
  const password = await readStdin(io.stdin);
  const handle = await openMigrated(config, 'user create');
  try {
    const created = await createAccount(
      handle.db,
      { email: values.email, role: values.role as Role, orgId: values.org ?? null, name: values.name ?? '', password },
      null,
    );
    io.stdout.write(
      `Gebruiker ${created.email} (${created.role}${created.org_id ? `, ${created.org_id}` : ''}) aangemaakt.\n`,
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof AccountError) throw new InputError(t('nl', error.code, error.params));
    throw error;
  } finally {
    await handle.close();
  }
};

export const serveCommand: Command = async (args, { config }) => {
  const { values } = parse(args, { 'no-supervisor': { type: 'boolean' } });
  // The supervisor starts this same command again as its server process (a cluster worker).
  if (!values['no-supervisor'] && !isSupervisedServer()) {
    supervise({ processes: serverProcesses(config), logger: createLogger(config.logLevel, config.logFormat) });
    return -1;
  }
  await serve(config);
  return -1;
};
