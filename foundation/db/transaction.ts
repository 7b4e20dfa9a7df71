import type { Kysely, Transaction } from 'kysely';

/** Run fn in a transaction, or in the caller's transaction when there already is one. */
export function inTransaction<DB, T>(
  db: Kysely<DB>,
  fn: (trx: Kysely<DB> | Transaction<DB>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
