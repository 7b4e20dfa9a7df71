// All SQL of response monitoring: response counts per frame variable, submitted
// responses outside the frame, non-responders with their addresses and last mail,
// and the submitted organisations of a wave.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import type { WaveRow } from './waves-repository';

type Db = Kysely<Database>;

export interface ResponseCount {
  group: string;
  N: number;
  submitted: number;
  drafts: number;
}

/** Frame units, submitted and draft responses per value of a frame variable (one group `'*'` for `null`). */
export async function responseCounts(
  db: Db,
  wave: WaveRow,
  column: 'org_type' | 'size_class' | 'province' | null,
): Promise<ResponseCount[]> {
  const group = column ? sql<string>`coalesce(f.${sql.ref(column)}, '–')` : sql<string>`'*'`;
  const rows = await db
    .selectFrom('frame_units as f')
    .leftJoin('responses as r', (join) => join.onRef('r.org_id', '=', 'f.org_id').on('r.wave_id', '=', wave.id))
    .select([
      group.as('group'),
      sql<number>`count(*)::int`.as('N'),
      sql<number>`count(*) filter (where r.status = 'submitted')::int`.as('submitted'),
      sql<number>`count(*) filter (where r.status = 'draft')::int`.as('drafts'),
    ])
    .where('f.year', '=', wave.frame_year)
    .groupBy(sql`1`)
    .orderBy(sql`1`)
    .execute();
  return rows.map((r) => ({
    group: r.group,
    N: Number(r.N),
    submitted: Number(r.submitted),
    drafts: Number(r.drafts),
  }));
}

/** Submitted responses of organisations that are not in the wave's frame. */
export async function submittedOutsideFrame(db: Db, wave: WaveRow): Promise<number> {
  const row = await db
    .selectFrom('responses as r')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('r.wave_id', '=', wave.id)
    .where('r.status', '=', 'submitted')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('frame_units as f')
            .select('f.org_id')
            .whereRef('f.org_id', '=', 'r.org_id')
            .where('f.year', '=', wave.frame_year),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NonResponder {
  org_id: string;
  name: string;
  org_type: string;
  province: string;
  member: boolean;
  status: 'none' | 'draft';
  contacts: string[];
  last_mail: Date | null;
}

function nonRespondersQuery(db: Db, wave: WaveRow, search: string) {
  let query = db
    .selectFrom('frame_units as f')
    .leftJoin('responses as r', (join) => join.onRef('r.org_id', '=', 'f.org_id').on('r.wave_id', '=', wave.id))
    .where('f.year', '=', wave.frame_year)
    .where((eb) => eb.or([eb('r.status', 'is', null), eb('r.status', '=', 'draft')]));
  const q = search.trim().toLowerCase();
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(f.name)`, 'like', pattern),
        eb(sql`lower(f.org_id)`, 'like', pattern),
        eb(sql`lower(f.org_type)`, 'like', pattern),
        eb(sql`lower(f.province)`, 'like', pattern),
      ]),
    );
  }
  return query;
}

/** How many non-responders match a search (name, KAnS id, type or province). */
export async function countNonResponders(db: Db, wave: WaveRow, search: string): Promise<number> {
  const counted = await nonRespondersQuery(db, wave, search)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(counted.n);
}

/** The non-responders matching a search, by KAnS id, optionally one page of them. */
export async function findNonResponders(
  db: Db,
  wave: WaveRow,
  search: string,
  page?: { offset: number; limit: number },
): Promise<NonResponder[]> {
  let query = nonRespondersQuery(db, wave, search)
    .select([
      'f.org_id',
      'f.name',
      'f.org_type',
      'f.province',
      'f.member',
      sql<'none' | 'draft'>`case when r.status = 'draft' then 'draft' else 'none' end`.as('status'),
      sql<string[] | null>`(select array_agg(a.email order by a.email) from (
        select u.email from users u where u.role = 'member' and u.active and (u.org_id = f.org_id
          or exists (select 1 from user_organisations uo where uo.user_id = u.id and uo.org_id = f.org_id))
        union select c.email from organisation_contacts c where c.org_id = f.org_id
          and not exists (select 1 from users o where o.email = c.email and (o.role <> 'member' or not o.active))
      ) a)`.as('contacts'),
      sql<Date | null>`(select max(m.created_at) from mail_messages m where m.related_org_id = f.org_id and m.related_wave_id = ${wave.id})`.as(
        'last_mail',
      ),
    ])
    .orderBy('f.org_id');
  if (page) query = query.offset(page.offset).limit(page.limit);
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, contacts: r.contacts ?? [], last_mail: r.last_mail ? new Date(r.last_mail) : null }));
}

export async function submittedOrganisations(db: Db, wave: WaveRow) {
  return db
    .selectFrom('responses as r')
    .leftJoin('organisations as o', 'o.org_id', 'r.org_id')
    .select(['r.org_id', 'o.name', 'r.submitted_at', 'r.source'])
    .where('r.wave_id', '=', wave.id)
    .where('r.status', '=', 'submitted')
    .orderBy('r.org_id')
    .execute();
}
