// Planner statistics. PostgreSQL's autovacuum keeps them current on a server, but
// PGlite has no autovacuum: without ANALYZE its planner believes every table has
// one row and joins answers × responses × frame units in nested loops (a report
// of the demo took 2 s instead of 0,1 s, a cross-classified one a minute). So the
// tables a report reads are analysed after anything that fills them in bulk, at
// start-up, and periodically while the server runs.
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema';

const TABLES = ['organisations', 'frame_units', 'responses', 'answers', 'waves'] as const;

/** ANALYZE the tables reports read, or those of them a bulk write filled (sampled by PostgreSQL: milliseconds on small tables). */
export async function refreshStatistics(
  db: Kysely<Database>,
  tables: readonly (typeof TABLES)[number][] = TABLES,
): Promise<void> {
  await sql.raw(`analyze ${tables.join(', ')}`).execute(db);
}

/** How often the server refreshes them while it runs. */
export const STATISTICS_INTERVAL_MS = 10 * 60 * 1000;
