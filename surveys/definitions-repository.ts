// All SQL on stored questionnaire definitions.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../foundation/db/schema';

type Db = Kysely<Database>;

export interface DefinitionSummary {
  id: number;
  key: string;
  version: number;
  title_nl: string;
  title_en: string;
  checksum: string;
  loaded_at: Date;
  waves: number;
}

export async function listDefinitions(db: Db): Promise<DefinitionSummary[]> {
  const rows = await db
    .selectFrom('survey_definitions as s')
    .select([
      's.id',
      's.key',
      's.version',
      's.title_nl',
      's.title_en',
      's.checksum',
      's.loaded_at',
      sql<number>`(select count(*)::int from waves w where w.survey_id = s.id)`.as('waves'),
    ])
    .orderBy('s.key')
    .orderBy('s.version', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, waves: Number(r.waves) }));
}

export function findDefinition(db: Db, key: string, version: number) {
  return db
    .selectFrom('survey_definitions')
    .selectAll()
    .where('key', '=', key)
    .where('version', '=', version)
    .executeTakeFirst();
}

export function findDefinitionById(db: Db, id: number) {
  return db.selectFrom('survey_definitions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertDefinition(
  db: Db,
  row: {
    key: string;
    version: number;
    title_nl: string;
    title_en: string;
    definition: unknown;
    checksum: string;
    loaded_by: number | null;
  },
) {
  return db
    .insertInto('survey_definitions')
    .values({ ...row, definition: JSON.stringify(row.definition) })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function replaceDefinitionContent(
  db: Db,
  id: number,
  row: { title_nl: string; title_en: string; definition: unknown; checksum: string },
) {
  await db
    .updateTable('survey_definitions')
    .set({ ...row, definition: JSON.stringify(row.definition) })
    .where('id', '=', id)
    .execute();
}

export async function definitionInUse(db: Db, id: number): Promise<boolean> {
  const row = await db.selectFrom('waves').select('id').where('survey_id', '=', id).limit(1).executeTakeFirst();
  return Boolean(row);
}

/** The highest version of a questionnaire. */
export function findLatestDefinition(db: Db, key: string) {
  return db
    .selectFrom('survey_definitions')
    .selectAll()
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The version stored just below `version`. */
export function findPreviousDefinition(db: Db, key: string, version: number) {
  return db
    .selectFrom('survey_definitions')
    .selectAll()
    .where('key', '=', key)
    .where('version', '<', version)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function listVersionChecksums(db: Db, key: string) {
  return db
    .selectFrom('survey_definitions')
    .select(['version', 'checksum'])
    .where('key', '=', key)
    .orderBy('version')
    .execute();
}

export async function countWaves(db: Db, surveyId: number): Promise<number> {
  const row = await db
    .selectFrom('waves')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('survey_id', '=', surveyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
