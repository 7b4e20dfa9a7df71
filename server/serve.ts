// Start the web app on the configured database and stop cleanly on SIGINT/SIGTERM.
import type { Server } from 'node:http';
import { refreshStatistics, STATISTICS_INTERVAL_MS } from '../foundation/db/statistics';
import { type AppContext, createApp } from './app';
import { openMigrated } from './cli/open-database';
import type { AppConfig } from './config';
import { createLogger } from './logger';
import { startCleanUp } from './maintenance';
import { isSupervisedServer, reportCrashes } from './supervisor';

export async function serve(config: AppConfig, options: { announce?: (url: string) => void } = {}): Promise<Server> {
  const logger = createLogger(config.logLevel, config.logFormat);
  // Under the supervisor a crash is logged with its cause and this process ends; it starts a new one.
  if (isSupervisedServer()) reportCrashes(logger);
  const handle = await openMigrated(config, 'serve');
  const app = await createApp({ handle, config, logger });
  // The mail worker runs in every instance; the queue hands each message to one of them.
  const { mailQueue } = app.locals.ctx as AppContext;
  mailQueue.start();
  // Old auth attempts, expired sessions and abandoned uploads, hourly (unref'ed timer).
  const stopCleanUp = startCleanUp(handle.db, logger);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(config.port, () => resolve(s));
  });
  const url = `http://localhost:${config.port}`;
  logger.info({ url, database: handle.kind }, 'Impactmonitor is running');
  options.announce?.(url);
  const statistics = setInterval(() => {
    refreshStatistics(handle.db).catch((error: unknown) => logger.warn({ err: error }, 'refreshing statistics failed'));
  }, STATISTICS_INTERVAL_MS);
  statistics.unref();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(statistics);
    logger.info('stopping');
    server.close();
    server.closeAllConnections();
    stopCleanUp();
    await mailQueue.stop();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}
