// All SQL on questionnaire drafts (survey_drafts, migration 0015).
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../foundation/db/schema';

type Db = Kysely<Database>;

export interface DraftRow {
  id: number;
  key: string;
  based_on_version: number | null;
  definition: unknown;
  revision: number;
  created_by: number | null;
  updated_by: number | null;
  created_at: Date;
  updated_at: Date;
}

export function findDraft(db: Db, id: number): Promise<DraftRow | undefined> {
  return db.selectFrom('survey_drafts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findDraftByKey(db: Db, key: string): Promise<DraftRow | undefined> {
  return db.selectFrom('survey_drafts').selectAll().where('key', '=', key).executeTakeFirst();
}

export function listDrafts(db: Db) {
  return db
    .selectFrom('survey_drafts as d')
    .leftJoin('users as u', 'u.id', 'd.updated_by')
    .select(['d.id', 'd.key', 'd.based_on_version', 'd.definition', 'd.updated_at', 'u.email as updated_by_email'])
    .orderBy('d.key')
    .execute();
}

export async function insertDraft(
  db: Db,
  row: { key: string; based_on_version: number | null; definition: unknown; created_by: number | null },
): Promise<DraftRow | undefined> {
  return db
    .insertInto('survey_drafts')
    .values({ ...row, definition: JSON.stringify(row.definition), updated_by: row.created_by })
    .onConflict((oc) => oc.column('key').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Store a new definition only when the draft is still at the revision the edit started from. */
export async function updateDraftIfRevision(
  db: Db,
  id: number,
  expectedRevision: number,
  definition: unknown,
  userId: number | null,
): Promise<DraftRow | undefined> {
  return db
    .updateTable('survey_drafts')
    .set({
      definition: JSON.stringify(definition),
      revision: sql<number>`revision + 1`,
      updated_by: userId,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('revision', '=', expectedRevision)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteDraftIfRevision(db: Db, id: number, expectedRevision: number) {
  return db
    .deleteFrom('survey_drafts')
    .where('id', '=', id)
    .where('revision', '=', expectedRevision)
    .returningAll()
    .executeTakeFirst();
}

export async function latestVersion(db: Db, key: string): Promise<number> {
  const row = await db
    .selectFrom('survey_definitions')
    .select(sql<number | null>`max(version)`.as('v'))
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

/** Questions of every stored version for the library, newest version first. */
export function libraryDefinitions(db: Db) {
  return db
    .selectFrom('survey_definitions')
    .select(['key', 'version', 'title_nl', 'title_en', 'definition'])
    .orderBy('key')
    .orderBy('version', 'desc')
    .execute();
}

/** The stored versions of a questionnaire, each with whether a wave uses it, newest first. */
export function versionsWithWaveUse(db: Db, key: string) {
  return db
    .selectFrom('survey_definitions as s')
    .select([
      's.version',
      's.definition',
      sql<boolean>`exists (select 1 from waves w where w.survey_id = s.id)`.as('used_by_wave'),
    ])
    .where('s.key', '=', key)
    .orderBy('s.version', 'desc')
    .execute();
}
