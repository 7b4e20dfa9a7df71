// The SQL of "De branche in cijfers" as published (branch-publications.ts).
import type { Kysely } from 'kysely';
import type { Database } from '../foundation/db/schema';

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
