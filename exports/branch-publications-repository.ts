// The SQL of "De branche in cijfers" as published (branch-publications.ts).
import { type Kysely, sql } from 'kysely';
import type { Database } from '../foundation/db/schema';
import { AUX_VARIABLES } from '../register/frame-columns';

type Db = Kysely<Database>;

/** The next version number of a year's publication (1 for the first). */
export async function nextVersion(db: Db, year: number): Promise<number> {
  const row = await db
    .selectFrom('branch_publications')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('year', '=', year)
    .executeTakeFirst();
  return Number(row?.v ?? 0) + 1;
}

export async function insertVersion(
  db: Db,
  row: { year: number; version: number; figures: string; csv: Buffer; pdf: Buffer; published_by: number },
): Promise<number> {
  const inserted = await db.insertInto('branch_publications').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** The newest version of a year, unless it was withdrawn. */
export async function findLive(db: Db, year: number) {
  return db
    .selectFrom('branch_publications')
    .selectAll()
    .where('year', '=', year)
    .where('withdrawn_at', 'is', null)
    .where('version', '=', (eb) =>
      eb
        .selectFrom('branch_publications as b')
        .select((e) => e.fn.max('b.version').as('v'))
        .where('b.year', '=', year),
    )
    .executeTakeFirst();
}

/** The newest live version of every published year, newest year first (without the files). */
export async function listLive(db: Db) {
  return db
    .selectFrom('branch_publications as p')
    .select(['p.id', 'p.year', 'p.version', 'p.published_at'])
    .where('p.withdrawn_at', 'is', null)
    .where('p.version', '=', (eb) =>
      eb
        .selectFrom('branch_publications as b')
        .select((e) => e.fn.max('b.version').as('v'))
        .whereRef('b.year', '=', 'p.year'),
    )
    .orderBy('p.year', 'desc')
    .execute();
}

export async function markWithdrawn(db: Db, id: number): Promise<void> {
  await db.updateTable('branch_publications').set({ withdrawn_at: new Date() }).where('id', '=', id).execute();
}

/** The newest version of a year, withdrawn or not (a withdrawn version was public once), or undefined. */
export async function latestVersion(db: Db, year: number) {
  return db
    .selectFrom('branch_publications')
    .select(['id', 'version'])
    .where('year', '=', year)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The variables a version is audited on: the measures, and what places an organisation in a count. */
export const BRANCH_PLACEMENT = ['org_type', 'province', 'size_class', 'member'] as const;

export interface FrameValueRow {
  org_id: string;
  variable: string;
  value_num: string | null;
  value_text: string | null;
}

/** Every organisation's measures and placement in the frame year, one row per value. */
function frameValues(year: number) {
  const rows = [
    ...AUX_VARIABLES.map((m) => sql`(${m}, f.${sql.ref(m)}::numeric, null::text)`),
    ...BRANCH_PLACEMENT.map((d) => sql`(${d}, null::numeric, f.${sql.ref(d)}::text)`),
  ];
  return sql`
    select f.org_id, v.variable, v.value_num, v.value_text
    from frame_units f
    cross join lateral (values ${sql.join(rows)}) as v(variable, value_num, value_text)
    where f.year = ${year} and (v.value_num is not null or v.value_text is not null)`;
}

/** The frame year's values now. */
export async function currentFrameValues(db: Db, year: number): Promise<FrameValueRow[]> {
  const rows = await sql<FrameValueRow>`
    select org_id, variable, value_num::text as value_num, value_text from (${frameValues(year)}) v`.execute(db);
  return rows.rows;
}

/** Keep the frame year's values with the version built from them: the next version is audited against them. */
export async function storeFrameValues(db: Db, publicationId: number, year: number): Promise<void> {
  await sql`
    insert into branch_publication_values (publication_id, org_id, variable, value_num, value_text)
    select ${publicationId}::int, org_id, variable, value_num, value_text from (${frameValues(year)}) v`.execute(db);
}

/** The values a version was built from; empty for a version published before they were kept. */
export async function valuesOfVersion(db: Db, publicationId: number): Promise<FrameValueRow[]> {
  return db
    .selectFrom('branch_publication_values')
    .select(['org_id', 'variable', sql<string | null>`value_num::text`.as('value_num'), 'value_text'])
    .where('publication_id', '=', publicationId)
    .execute();
}
