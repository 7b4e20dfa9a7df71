// All SQL on app_settings: instance-wide values kept in the database.
import type { Kysely } from 'kysely';
import type { Database } from './schema';

type Db = Kysely<Database>;

/** The stored value of a setting; stores `candidate` first when there is none (the first instance wins a race). */
export async function settingOrInsert(db: Db, key: string, candidate: string): Promise<string> {
  await db
    .insertInto('app_settings')
    .values({ key, value: candidate })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('app_settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
