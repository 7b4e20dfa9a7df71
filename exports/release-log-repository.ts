// All SQL of the release log.
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../foundation/db/schema';

type Db = Kysely<Database>;

export async function insertRelease(db: Db, row: Insertable<Database['release_log']>): Promise<void> {
  await db.insertInto('release_log').values(row).execute();
}

/** The log with the e-mail address of who released, newest first, optionally for one wave. */
export function findReleases(db: Db, options: { wave?: string | null; limit?: number }) {
  let query = db
    .selectFrom('release_log as l')
    .leftJoin('users as u', 'u.id', 'l.user_id')
    .select([
      'l.at',
      'u.email as who',
      'l.kind',
      'l.wave_slug as wave',
      'l.view',
      'l.format',
      'l.publication_slug',
      'l.publication_version',
      'l.source',
    ])
    .orderBy('l.at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(options.limit ?? 500);
  if (options.wave) query = query.where('l.wave_slug', '=', options.wave);
  return query.execute();
}
