// Kysely dialect for PGlite (embedded PostgreSQL). Kysely 0.29 ships one, but
// 0.29 declares Node ≥ 22 and we support Node 20; this is the same driver for
// Kysely 0.28 (MIT, after kysely/src/dialect/pglite), with the one-connection
// mutex that 0.29 keeps in its runtime driver.

import type { PGlite, Transaction } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}
  createAdapter(): DialectAdapter {
    return new PGliteAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite);
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}

/** PGlite is one connection, held by the migrator for the whole migration: no advisory lock needed. */
class PGliteAdapter extends PostgresAdapter {
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

/** One connection, lent to one caller at a time: a transaction never interleaves with other queries. */
class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection;
  private lock: Promise<void> | undefined;
  private unlock: (() => void) | undefined;

  constructor(private readonly pglite: PGlite) {
    this.connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {
    if (this.pglite.closed) throw new Error('PGlite instance is already closed.');
    await this.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    while (this.lock) await this.lock;
    this.lock = new Promise((resolve) => {
      this.unlock = resolve;
    });
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    const unlock = this.unlock;
    this.lock = undefined;
    this.unlock = undefined;
    unlock?.();
  }

  beginTransaction(): Promise<void> {
    return this.connection.begin();
  }
  commitTransaction(): Promise<void> {
    return this.connection.commit();
  }
  rollbackTransaction(): Promise<void> {
    return this.connection.rollback();
  }

  async destroy(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

class PGliteConnection implements DatabaseConnection {
  private transaction: Transaction | undefined;
  private finish: ((commit: boolean) => void) | undefined;
  private closed: Promise<unknown> | undefined;

  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { affectedRows, rows } = await (this.transaction ?? this.pglite).query<R>(
      query.sql,
      query.parameters as unknown[],
      { rowMode: 'object' },
    );
    return { numAffectedRows: affectedRows != null ? BigInt(affectedRows) : undefined, rows: rows ?? [] };
  }

  // biome-ignore lint/correctness/useYield: PGlite has no cursor protocol; Kysely's stream() is not used here.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported by PGlite.');
  }

  /** PGlite's own transaction() locks the instance; it stays open until commit or rollback. */
  async begin(): Promise<void> {
    let begun!: () => void;
    const started = new Promise<void>((resolve) => {
      begun = resolve;
    });
    const outcome = new Promise<boolean>((resolve) => {
      this.finish = resolve;
    });
    this.closed = this.pglite.transaction(async (tx) => {
      this.transaction = tx;
      begun();
      if (!(await outcome)) await tx.rollback();
    });
    await started;
  }

  async commit(): Promise<void> {
    this.finish?.(true);
    try {
      await this.closed;
    } finally {
      this.reset();
    }
  }

  async rollback(): Promise<void> {
    this.finish?.(false);
    await this.closed?.catch(() => {});
    this.reset();
  }

  private reset() {
    this.transaction = undefined;
    this.finish = undefined;
    this.closed = undefined;
  }
}
