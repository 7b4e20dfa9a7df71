// `npm start` and `npm run demo` keep the server running: this process (node:cluster's
// primary) starts the server processes and starts a new one within a second when one
// ends without being asked to, logging why. With PostgreSQL it can run several
// (WEB_CONCURRENCY), which share sessions, login counters and the mail queue through
// the database and the port through cluster; PGlite allows exactly one process on its
// data directory, so there it is always one. A server that crashes again at once is
// restarted after a growing pause (up to 30 s), so a broken start-up does not spin.

import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { AppConfig } from './config';

/** The number of server processes: WEB_CONCURRENCY with PostgreSQL (default 1), always 1 on PGlite. */
export function serverProcesses(config: Pick<AppConfig, 'databaseUrl'>, env: NodeJS.ProcessEnv = process.env): number {
  if (!config.databaseUrl) return 1;
  const n = Number(env.WEB_CONCURRENCY ?? 1);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 64) : 1;
}

/** Whether this process is a server started by the supervisor (then it serves; else it supervises). */
export const isSupervisedServer = () => cluster.isWorker;

/** How often this server process was started before (0 the first time): the demo's accounts are shown once. */
export const restartsBefore = () => Number(process.env.IMPACT_SERVER_START ?? 0);

/** In a server process: log a crash's cause and tell the supervisor before the process ends. */
export function reportCrashes(logger: Logger): void {
  const crash = (error: unknown) => {
    const err = error instanceof Error ? error : new Error(String(error));
    logger.fatal({ err }, 'the server crashed');
    try {
      process.send?.({ type: 'impactmonitor:crash', cause: `${err.name}: ${err.message}` });
    } finally {
      setTimeout(() => process.exit(1), 100).unref();
    }
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

/**
 * Run as the supervisor: start `processes` servers (this same command in a cluster
 * worker) and keep them running until SIGINT or SIGTERM, which is passed on to them.
 */
export function supervise(options: { processes: number; logger: Logger; stopAfterMs?: number }): void {
  const { processes, logger } = options;
  let starts = 0;
  let stopping = false;
  const causes = new Map<number, string>();
  const recent: number[] = [];

  const start = () => {
    if (stopping) return;
    const worker = cluster.fork({ IMPACT_SERVER_START: String(starts++) });
    worker.on('message', (message: { type?: string; cause?: string }) => {
      if (message?.type === 'impactmonitor:crash' && message.cause && worker.process.pid)
        causes.set(worker.process.pid, message.cause);
    });
    logger.info({ pid: worker.process.pid }, 'server process started');
  };

  cluster.on('exit', (worker: Worker, code: number | null, signal: string | null) => {
    const pid = worker.process.pid ?? 0;
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const cause =
      causes.get(pid) ??
      (signal
        ? `ended by ${signal}${signal === 'SIGKILL' ? ' (out of memory or killed by hand)' : ''}`
        : `exit code ${code}`);
    causes.delete(pid);
    const now = Date.now();
    recent.push(now);
    while (recent.length && recent[0]! < now - 60_000) recent.shift();
    // 0.5 s after a single crash; doubling while crashes follow each other within a minute.
    const delay = Math.min(30_000, 500 * 2 ** Math.max(0, recent.length - 1));
    logger.error({ pid, code, signal, cause, restartInMs: delay }, 'server process ended; restarting');
    setTimeout(start, delay);
  });

  const stop = () => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping the server processes');
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    if (workers.length === 0) process.exit(0);
    for (const w of workers) w.process.kill('SIGTERM');
    setTimeout(() => {
      for (const w of workers) w.process.kill('SIGKILL');
      process.exit(0);
    }, 10_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (let i = 0; i < processes; i++) start();
}
