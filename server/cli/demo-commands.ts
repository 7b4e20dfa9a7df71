import path from 'node:path';
import { DemoNotEmptyError, demoAccounts, demoIsLoaded, describeAccounts, fillDemo } from '../demo/demo';
import { createLogger } from '../logger';
import { serve } from '../serve';
import { isSupervisedServer, restartsBefore, supervise } from '../supervisor';
import type { Command } from './commands';
import { openMigrated } from './open-database';
import { EXIT, InputError, parseCommandArgs, UsageError } from './usage';

function options(args: string[]) {
  let values;
  try {
    ({ values } = parseCommandArgs({
      args,
      strict: true,
      options: { orgs: { type: 'string' }, seed: { type: 'string' }, 'no-supervisor': { type: 'boolean' } },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const orgs = values.orgs === undefined ? 400 : Number(values.orgs);
  const seed = values.seed === undefined ? 2020 : Number(values.seed);
  if (!Number.isInteger(orgs) || orgs < 20 || orgs > 200_000)
    throw new UsageError('--orgs moet een geheel getal tussen 20 en 200000 zijn.');
  if (!Number.isInteger(seed)) throw new UsageError('--seed moet een geheel getal zijn.');
  return { orgs, seed, supervised: !values['no-supervisor'] };
}

/** `demo`: fill the current database with synthetic data. */
export const demo: Command = async (args, { config, io }) => {
  const opts = options(args);
  const handle = await openMigrated(config, 'demo');
  try {
    const accounts = await fillDemo(handle, opts);
    io.stdout.write(`Demo geladen: ${opts.orgs} organisaties (seed ${opts.seed}).\n${describeAccounts(accounts)}`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof DemoNotEmptyError) throw new InputError(error.message);
    throw error;
  } finally {
    await handle.close();
  }
};

/** `npm run demo`: the app on its own demo database (./data-demo), filled on first start. */
export const demoServe: Command = async (args, { config, io }) => {
  const opts = options(args);
  const demoConfig = {
    ...config,
    databaseUrl: null,
    dataDir: path.resolve(process.env.IMPACT_DEMO_DIR ?? path.join(process.cwd(), 'data-demo')),
  };
  const handle = await openMigrated(demoConfig, 'demo');
  let accounts;
  try {
    accounts = (await demoIsLoaded(handle.db)) ? await demoAccounts(handle.db) : await fillDemo(handle, opts);
  } finally {
    await handle.close();
  }
  // Filled once by the supervisor; its server process (this command again, as a cluster worker) serves.
  if (opts.supervised && !isSupervisedServer()) {
    supervise({ processes: 1, logger: createLogger(config.logLevel, config.logFormat) });
    return -1;
  }
  await serve(demoConfig, {
    announce: (url) =>
      restartsBefore() === 0 &&
      io.stdout.write(
        `\nImpactmonitor demo draait op ${url} (gegevens in ${demoConfig.dataDir}).\n${describeAccounts(accounts)}`,
      ),
  });
  return -1;
};
