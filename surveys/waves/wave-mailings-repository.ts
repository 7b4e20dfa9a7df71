// All SQL of planning a wave's mailing: the organisations of the wave's frame
// and the accounts that may receive it.
import type { Kysely } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import type { WaveRow } from './waves-repository';

type Db = Kysely<Database>;

/** The organisations in the wave's frame, by KAnS id: all, only members, or only the given ids. */
export async function frameOrganisations(
  db: Db,
  wave: WaveRow,
  filter: { membersOnly?: boolean; orgIds?: readonly string[] },
): Promise<{ org_id: string; name: string }[]> {
  let query = db
    .selectFrom('frame_units')
    .select(['org_id', 'name'])
    .where('year', '=', wave.frame_year)
    .orderBy('org_id');
  if (filter.membersOnly) query = query.where('member', '=', true);
  if (filter.orgIds) {
    const ids = [...new Set(filter.orgIds)];
    if (ids.length === 0) return [];
    query = query.where('org_id', 'in', ids);
  }
  return query.execute();
}

/** The accounts bound or linked to these organisations, or holding one of their contact addresses. */
export async function accountsOfOrganisations(db: Db, orgIds: readonly string[]) {
  if (orgIds.length === 0) return [];
  const ids = [...orgIds];
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'org_id', 'role', 'active', 'password_hash'])
    .where((eb) =>
      eb.or([
        eb('org_id', 'in', ids),
        eb('id', 'in', db.selectFrom('user_organisations').select('user_id').where('org_id', 'in', ids)),
        eb('email', 'in', db.selectFrom('organisation_contacts').select('email').where('org_id', 'in', ids)),
      ]),
    )
    .execute();
}
