// The one way to the database: a Kysely instance on PGlite (embedded, default)
// or on PostgreSQL through a pg Pool. Same queries, same migrations.

import type { Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type DataDirLock, lockDataDir } from './data-dir-lock';
import { PGliteDialect } from './pglite-dialect';
import type { Database } from './schema';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** One connection held for a unit of work such as a bulk import; release it when done. */
  reserve(): Promise<ReservedConnection>;
  close(): Promise<void>;
}

/**
 * A connection of its own: `db` runs every query on it (so a transaction
 * begun there covers `copyIn` too). `copyIn` is PostgreSQL's COPY … FROM
 * STDIN as a writable stream, the fastest way to load many rows; null on
 * PGlite, whose driver has no COPY protocol.
 */
export interface ReservedConnection {
  db: Kysely<Database>;
  copyIn: ((statement: string) => Writable) | null;
  release(): Promise<void>;
}

// pg returns int8 (count(*), bigserial) as strings; counts here always fit a number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export function postgresHandle(connectionString: string, poolSize = 10): DatabaseHandle {
  // No statement runs longer than a minute: a runaway query cannot hold a connection
  // (reports are bounded by design and take a fraction of that).
  // JIT compilation is off: the report's aggregations are estimated as costly enough to
  // trigger it, and compiling them took longer (about 0.5 s) than running them.
  // work_mem 32 MB (the server default is 4 MB): a wave's numeric sums are one hash
  // aggregation of about 20 MB; with less they are sorted on disk first, a third slower.
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    statement_timeout: 60_000,
    options: '-c jit=off -c work_mem=32MB',
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', reserve: () => reservePostgres(pool), close: () => db.destroy() };
}

async function reservePostgres(pool: pg.Pool): Promise<ReservedConnection> {
  const client = await pool.connect();
  // A pool of one for Kysely: every query of `db` goes to this client; the
  // client goes back to the real pool only on release().
  const single = { query: client.query.bind(client), release: () => {} } as unknown as pg.PoolClient;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: { connect: async () => single, end: async () => {} } }),
  });
  let released = false;
  return {
    db,
    copyIn: (statement) => client.query(copyFrom(statement)),
    release: async () => {
      if (released) return;
      released = true;
      await db.destroy();
      client.release();
    },
  };
}

export function pgliteHandle(pglite: PGlite, lock?: DataDirLock): DatabaseHandle {
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    // PGlite is one connection already; Kysely's PGlite driver queues queries on it.
    reserve: async () => ({ db, copyIn: null, release: async () => {} }),
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
