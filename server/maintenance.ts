// Periodic clean-up in the serving process: records that only matter for a while.
// Failed-login and other auth attempts count for 15 minutes (kept a day), sessions
// end at expires_at, and an upload not confirmed within a day (or left half-way)
// is dropped with its bytes.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { pruneAttempts, pruneSessions } from '../accounts/users-repository';
import type { Database } from '../foundation/db/schema';
import { pruneUploads } from '../register/frame-repository';

const DAY_MS = 24 * 3_600_000;

export interface CleanUpResult {
  attempts: number;
  sessions: number;
  uploads: number;
}

export async function cleanUp(db: Kysely<Database>, now = new Date()): Promise<CleanUpResult> {
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const attempts = await pruneAttempts(db, dayAgo);
  const sessions = await pruneSessions(db, now);
  const uploads = await pruneUploads(db, dayAgo);
  return { attempts, sessions, uploads };
}

/** Run cleanUp now and every hour; the timer does not keep the process alive. Returns a stop function. */
export function startCleanUp(db: Kysely<Database>, logger: Logger, everyMs = 3_600_000): () => void {
  const run = () =>
    cleanUp(db).then(
      (result) => logger.debug(result, 'clean-up done'),
      (err) => logger.warn({ err }, 'clean-up failed'),
    );
  void run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
