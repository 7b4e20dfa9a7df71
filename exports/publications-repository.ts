// The SQL of publications: versions of an address, their stored files, what is live.
import type { Kysely } from 'kysely';
import type { Database } from '../foundation/db/schema';

export type { AnswerTable } from '../analysis/disclosure/revision-audit';

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

/** Keep every cell of the wave, as this version released them, with it (a later wave's report may show them). */
export async function storePublicationCells(db: Db, publicationId: number, model: unknown): Promise<void> {
  await db
    .insertInto('publication_cells')
    .values({ publication_id: publicationId, model: JSON.stringify(model) })
    .execute();
}

export { answersOfPublication, currentAnswers, storePublicationAnswers } from '../analysis/report/report-repository';
