// The SQL of publications: versions of an address, their stored files, what is live.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../foundation/db/schema';

type Db = Kysely<Database>;

export interface NewPublication {
  slug: string;
  version: number;
  title: string;
  report: string;
  definition: string;
  locale: string;
  published_by: number;
  wave_slug: string;
  provisional: boolean;
}

export interface StoredFile {
  name: string;
  content_type: string;
  content: Buffer;
}

/** The version an address shows: the newest that is neither withdrawn nor replaced. */
function live(db: Db) {
  return db.selectFrom('publications').where('withdrawn_at', 'is', null).where('replaced_at', 'is', null);
}

/** The newest version of an address (withdrawn or not), with the wave it belongs to. */
export function latestVersion(db: Db, slug: string) {
  return db
    .selectFrom('publications')
    .select(['id', 'wave_slug', 'version'])
    .where('slug', '=', slug)
    .orderBy('version', 'desc')
    .executeTakeFirst();
}

/** Store a new version of an address with its files; the version it replaces stops being live. */
export async function insertVersion(
  db: Db,
  publication: NewPublication,
  files: readonly StoredFile[],
): Promise<number> {
  await db
    .updateTable('publications')
    .set({ replaced_at: new Date() })
    .where('slug', '=', publication.slug)
    .where('replaced_at', 'is', null)
    .execute();
  const row = await db.insertInto('publications').values(publication).returning('id').executeTakeFirstOrThrow();
  await db
    .insertInto('publication_files')
    .values(files.map((f) => ({ publication_id: row.id, ...f })))
    .execute();
  return row.id;
}

export function findLiveRow(db: Db, slug: string) {
  return live(db).selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function markWithdrawn(db: Db, id: number): Promise<void> {
  await db.updateTable('publications').set({ withdrawn_at: new Date() }).where('id', '=', id).execute();
}

export function findFile(db: Db, publicationId: number, name: string) {
  return db
    .selectFrom('publication_files')
    .select(['name', 'content_type', 'content'])
    .where('publication_id', '=', publicationId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function hasFiles(db: Db, publicationId: number): Promise<boolean> {
  const any = await db
    .selectFrom('publication_files')
    .select('name')
    .where('publication_id', '=', publicationId)
    .executeTakeFirst();
  return Boolean(any);
}

/** Files of a publication made before files were kept: stored once, a concurrent request's copy wins. */
export async function storeFiles(db: Db, publicationId: number, files: readonly StoredFile[]): Promise<void> {
  await db
    .insertInto('publication_files')
    .values(files.map((f) => ({ publication_id: publicationId, ...f })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** What /resultaten lists: the version each address shows. */
export function listPublications(db: Db) {
  return db
    .selectFrom('publications')
    .select(['slug', 'title', 'published_at', 'withdrawn_at', 'version', 'wave_slug', 'provisional', 'replaced_at'])
    .where('replaced_at', 'is', null)
    .orderBy('published_at', 'desc')
    .execute();
}

/** The live publications of a wave (the preview warns before a second address is made). */
export function livePublicationsOf(db: Db, waveSlug: string) {
  return live(db).select(['id', 'slug', 'version', 'wave_slug']).where('wave_slug', '=', waveSlug).execute();
}

/** Every version of an address, newest first. */
export function versionsOf(db: Db, slug: string) {
  return db
    .selectFrom('publications')
    .select(['version', 'title', 'published_at', 'withdrawn_at', 'replaced_at', 'provisional'])
    .where('slug', '=', slug)
    .orderBy('version', 'desc')
    .execute();
}

/** Keep the numeric answers of the wave's submitted responses with the version built from them. */
export async function storePublicationAnswers(db: Db, publicationId: number, waveSlug: string): Promise<void> {
  await sql`
    insert into publication_answers (publication_id, org_id, question_key, value_num)
    select ${publicationId}, r.org_id, a.question_key, a.value_num
    from answers a
    join responses r on r.id = a.response_id
    join waves w on w.id = r.wave_id
    where w.slug = ${waveSlug} and r.status = 'submitted' and not a.hidden and a.value_num is not null`.execute(db);
}

export type AnswerTable = Map<string, Map<string, number>>;

function byOrganisation(rows: { org_id: string; question_key: string; value_num: string }[]): AnswerTable {
  const out: AnswerTable = new Map();
  for (const r of rows) {
    const answers = out.get(r.org_id) ?? new Map<string, number>();
    answers.set(r.question_key, Number(r.value_num));
    out.set(r.org_id, answers);
  }
  return out;
}

/** The answers a version was built from; empty for a version published before they were kept. */
export async function answersOfPublication(db: Db, publicationId: number): Promise<AnswerTable> {
  const rows = await db
    .selectFrom('publication_answers')
    .select(['org_id', 'question_key', sql<string>`value_num::text`.as('value_num')])
    .where('publication_id', '=', publicationId)
    .execute();
  return byOrganisation(rows);
}

/** The numeric answers of the wave's submitted responses now. */
export async function currentAnswers(db: Db, waveSlug: string): Promise<AnswerTable> {
  const rows = await db
    .selectFrom('answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .innerJoin('waves as w', 'w.id', 'r.wave_id')
    .select(['r.org_id', 'a.question_key', sql<string>`a.value_num::text`.as('value_num')])
    .where('w.slug', '=', waveSlug)
    .where('r.status', '=', 'submitted')
    .where('a.hidden', '=', false)
    .where('a.value_num', 'is not', null)
    .execute();
  return byOrganisation(rows as { org_id: string; question_key: string; value_num: string }[]);
}
