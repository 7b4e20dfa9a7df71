// The one way to the database: a Kysely instance on PGlite (embedded, default)
// or on PostgreSQL through a pg Pool. Same queries, same migrations.
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database } from './schema';
import { lockDataDir, type DataDirLock } from './data-dir-lock';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

// pg returns int8 (count(*), bigserial) as strings; counts here always fit a number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export function postgresHandle(connectionString: string, poolSize = 10): DatabaseHandle {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

export function pgliteHandle(pglite: PGlite, lock?: DataDirLock): DatabaseHandle {
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      lock?.release();
    },
  };
}

/** Open the configured database: PostgreSQL when a URL is given, else PGlite in dataDir. */
export async function openDatabase(options: {
  databaseUrl: string | null;
  pgliteDir: string;
  lockDir: string;
  command: string;
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) return postgresHandle(options.databaseUrl);
  const lock = lockDataDir(options.lockDir, options.command);
  try {
    const pglite = await PGlite.create(options.pgliteDir);
    return pgliteHandle(pglite, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** True when the database answers within the timeout. */
export async function databaseAnswers(db: Kysely<Database>, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([sql`select 1`.execute(db).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
