// All SQL on the population frame: organisations, frame units per year, import history.
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../foundation/db/schema';
import { compareSizeClasses } from './frame-columns';

type Db = Kysely<Database>;

/** One organisation in one reference year, as validated by the frame reader. */
export interface FrameUnitInput {
  org_id: string;
  name: string;
  org_type: string;
  province: string;
  municipality: string | null;
  member: boolean;
  students: number | null;
  turnover_eur: string | null;
  subsidy_eur: string | null;
  fte: string | null;
  teachers_employed: number | null;
  teachers_freelance: number | null;
  size_class: string | null;
  /** Contact addresses separated by one space (frame-row.ts), and the contact's name. */
  email: string | null;
  contact_name: string | null;
}

export async function yearExists(db: Db, year: number): Promise<boolean> {
  const row = await db.selectFrom('frame_units').select('org_id').where('year', '=', year).limit(1).executeTakeFirst();
  return Boolean(row);
}

/** How many organisations the frame of a year has (0 when the year was never imported). */
export async function countYear(db: Db, year: number): Promise<number> {
  const row = await db
    .selectFrom('frame_units')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('year', '=', year)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteYear(db: Db, year: number): Promise<number> {
  const result = await db.deleteFrom('frame_units').where('year', '=', year).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertImport(
  db: Db,
  values: {
    year: number;
    importedBy: number | null;
    fileName: string;
    checksum: string;
    source: 'cli' | 'web' | 'demo';
    replaced: boolean;
    rows: number;
    members: number;
  },
) {
  return db
    .insertInto('frame_imports')
    .values({
      year: values.year,
      imported_by: values.importedBy,
      file_name: values.fileName,
      checksum: values.checksum,
      rows: values.rows,
      members: values.members,
      replaced: values.replaced,
      source: values.source,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

// An import goes through a temporary staging table, a group of rows at a time
// (frame-import.ts): the group is staged (COPY on PostgreSQL, batched inserts on
// PGlite), then three set-based statements move it into organisations,
// frame_units and organisation_contacts and the table is emptied for the next.
// The table lives in the import's transaction only (on commit drop).

/** The staging table's columns, in COPY order. */
const STAGING_COLUMNS = [
  'org_id',
  'name',
  'org_type',
  'province',
  'municipality',
  'member',
  'students',
  'turnover_eur',
  'subsidy_eur',
  'fte',
  'teachers_employed',
  'teachers_freelance',
  'size_class',
  'email',
  'contact_name',
] as const satisfies readonly (keyof FrameUnitInput)[];

/** The staging columns that go into frame_units (the contacts go to organisation_contacts). */
const UNIT_COLUMNS = STAGING_COLUMNS.filter((c) => c !== 'email' && c !== 'contact_name');

export async function createStaging(db: Db): Promise<void> {
  await sql`
    create temporary table frame_staging (
      org_id text not null, name text not null, org_type text not null, province text not null, municipality text,
      member boolean not null, students integer, turnover_eur numeric(16,2), subsidy_eur numeric(16,2), fte numeric(12,2),
      teachers_employed integer, teachers_freelance integer, size_class text, email text, contact_name text,
      record_key bigint not null
    ) on commit drop`.execute(db);
}

/**
 * Secret record keys (migration 0013) for the rows, one each, used only for an
 * organisation seen for the first time. Drawn here in one call to the CSPRNG:
 * the column default draws each in SQL (gen_random_uuid, md5), 6 µs a row.
 */
function recordKeys(count: number): number[] {
  const bytes = randomBytes(4 * count);
  return Array.from({ length: count }, (_, i) => bytes.readUInt32LE(4 * i));
}

/** COPY … FROM STDIN statement for the staging table (text format, see copyText). */
export const COPY_STAGING = `copy frame_staging (${STAGING_COLUMNS.join(', ')}, record_key) from stdin`;

/** One COPY text-format field: \N for null; backslash, tab and line breaks escaped. */
function copyField(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const text = String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : text;
}

/** Rows as COPY text-format lines for COPY_STAGING. */
export function copyText(units: readonly FrameUnitInput[]): string {
  const keys = recordKeys(units.length);
  let out = '';
  units.forEach((u, i) => {
    out += `${STAGING_COLUMNS.map((c) => copyField(u[c])).join('\t')}\t${keys[i]}\n`;
  });
  return out;
}

/**
 * A batch into the staging table with one statement: the columns travel as
 * arrays and are unnested in the database (for PGlite, which has no COPY protocol).
 */
export async function stageUnits(db: Db, units: readonly FrameUnitInput[]): Promise<void> {
  if (units.length === 0) return;
  const col = <K extends keyof FrameUnitInput>(key: K) => units.map((u) => u[key]);
  await sql`
    insert into frame_staging (${sql.raw(STAGING_COLUMNS.join(', '))}, record_key)
    select * from unnest(
      ${col('org_id')}::text[], ${col('name')}::text[], ${col('org_type')}::text[], ${col('province')}::text[],
      ${col('municipality')}::text[], ${col('member')}::boolean[], ${col('students')}::int[],
      ${col('turnover_eur')}::numeric[], ${col('subsidy_eur')}::numeric[], ${col('fte')}::numeric[],
      ${col('teachers_employed')}::int[], ${col('teachers_freelance')}::int[], ${col('size_class')}::text[],
      ${col('email')}::text[], ${col('contact_name')}::text[], ${recordKeys(units.length)}::bigint[]
    )`.execute(db);
}

/**
 * Move the staged rows into organisations (new ids added, names of the latest
 * year kept), frame_units and organisation_contacts, and empty the staging table.
 * Known organisations are written only when their years or name change: most
 * rows of a yearly import are organisations we know.
 */
export async function moveStaged(db: Db, year: number): Promise<void> {
  await sql`
    insert into organisations (org_id, name, first_year, last_year, record_key)
    select org_id, name, ${year}::int, ${year}::int, record_key from frame_staging
    on conflict (org_id) do update set
      name = case when excluded.last_year >= organisations.last_year then excluded.name else organisations.name end,
      first_year = least(organisations.first_year, excluded.first_year),
      last_year = greatest(organisations.last_year, excluded.last_year)
    where excluded.first_year < organisations.first_year
      or excluded.last_year > organisations.last_year
      or (excluded.last_year = organisations.last_year and excluded.name <> organisations.name)
  `.execute(db);
  await sql`
    insert into frame_units (year, ${sql.raw(UNIT_COLUMNS.join(', '))})
    select ${year}::int, ${sql.raw(UNIT_COLUMNS.join(', '))} from frame_staging
  `.execute(db);
  // Contacts from the frame's e-mail column: added, never removed by a later year
  // (an address may also come from the contacts CSV); a new name fills an empty one.
  // Each (org_id, email) comes once: ids are unique in the file and a cell's
  // addresses are made unique when it is read (splitEmails), so no distinct (a sort).
  await sql`
    insert into organisation_contacts (org_id, email, name, source)
    select s.org_id, e.email, coalesce(s.contact_name, ''), 'frame'
    from frame_staging s, unnest(string_to_array(s.email, ' ')) as e(email)
    where s.email is not null
    on conflict (org_id, email) do update set name = excluded.name
    where organisation_contacts.name = '' and excluded.name <> ''
  `.execute(db);
  await sql`truncate frame_staging`.execute(db);
}

export interface FrameYearSummary {
  year: number;
  organisations: number;
  members: number;
  students: number;
  turnover_eur: string;
}

export async function listYears(db: Db): Promise<FrameYearSummary[]> {
  const rows = await db
    .selectFrom('frame_units')
    .select([
      'year',
      sql<number>`count(*)::int`.as('organisations'),
      sql<number>`count(*) filter (where member)::int`.as('members'),
      sql<string>`coalesce(sum(students), 0)::text`.as('students'),
      sql<string>`coalesce(sum(turnover_eur), 0)::text`.as('turnover_eur'),
    ])
    .groupBy('year')
    .orderBy('year', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, students: Number(r.students) }));
}

export function listImports(db: Db, limit = 50) {
  return db
    .selectFrom('frame_imports')
    .leftJoin('users', 'users.id', 'frame_imports.imported_by')
    .select([
      'frame_imports.id',
      'frame_imports.year',
      'frame_imports.imported_at',
      'frame_imports.file_name',
      'frame_imports.checksum',
      'frame_imports.rows',
      'frame_imports.members',
      'frame_imports.replaced',
      'frame_imports.source',
      'users.email as imported_by_email',
    ])
    .orderBy('frame_imports.id', 'desc')
    .limit(limit)
    .execute();
}

export interface FrameTotalsRow {
  key: string;
  organisations: number;
  members: number;
  students: number;
  turnover_eur: string;
}

export async function totalsBy(
  db: Db,
  year: number,
  column: 'org_type' | 'province' | 'size_class',
): Promise<FrameTotalsRow[]> {
  const rows = await db
    .selectFrom('frame_units')
    .select([
      sql<string>`coalesce(${sql.ref(column)}, '')`.as('key'),
      sql<number>`count(*)::int`.as('organisations'),
      sql<number>`count(*) filter (where member)::int`.as('members'),
      sql<string>`coalesce(sum(students), 0)::text`.as('students'),
      sql<string>`coalesce(sum(turnover_eur), 0)::text`.as('turnover_eur'),
    ])
    .where('year', '=', year)
    .groupBy(sql.ref(column))
    .orderBy('key')
    .execute();
  // Size classes in their natural order, not as text ("1000-2499" before "250-999").
  if (column === 'size_class') rows.sort((a, b) => compareSizeClasses(a.key, b.key));
  return rows.map((r) => ({ ...r, students: Number(r.students) }));
}

/** Every frame unit of a reference year, as stored. */
export function frameUnitsOfYear(db: Db, year: number) {
  return db.selectFrom('frame_units').selectAll().where('year', '=', year).execute();
}

/** Whether the organisation is in the population frame (any year). */
export async function organisationExists(db: Db, orgId: string): Promise<boolean> {
  const row = await db.selectFrom('organisations').select('org_id').where('org_id', '=', orgId).executeTakeFirst();
  return Boolean(row);
}

export interface OrganisationMatch {
  org_id: string;
  name: string;
  /** From the organisation's latest frame year. */
  org_type: string | null;
  municipality: string | null;
  province: string | null;
  last_year: number;
}

/** A LIKE pattern that finds the text anywhere, with LIKE's own characters taken literally. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Organisations of the population frame (any year) whose name or KAnS id contains
 * the text, case-insensitively (lower() on both sides, so PGlite and PostgreSQL
 * agree): an exact id first, then names starting with the text, then the rest by
 * name. At most `limit` rows, and how many match in all.
 */
export async function searchOrganisations(
  db: Db,
  text: string,
  limit = 20,
): Promise<{ rows: OrganisationMatch[]; total: number }> {
  const q = text.trim();
  if (!q) return { rows: [], total: 0 };
  const pattern = `%${likeLiteral(q)}%`;
  const matches = db
    .selectFrom('organisations as o')
    .where((eb) =>
      eb.or([
        eb(sql`lower(o.name)`, 'like', sql`lower(${pattern})`),
        eb(sql`lower(o.org_id)`, 'like', sql`lower(${pattern})`),
      ]),
    );
  const [counted, rows] = await Promise.all([
    matches.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    matches
      .leftJoin('frame_units as f', (join) =>
        join.onRef('f.org_id', '=', 'o.org_id').onRef('f.year', '=', 'o.last_year'),
      )
      .select(['o.org_id', 'o.name', 'o.last_year', 'f.org_type', 'f.municipality', 'f.province'])
      .orderBy(
        sql`case when lower(o.org_id) = lower(${q}) then 0 when lower(o.name) like lower(${`${likeLiteral(q)}%`}) then 1 else 2 end`,
      )
      .orderBy('o.name')
      .orderBy('o.org_id')
      .limit(limit)
      .execute(),
  ]);
  return { rows, total: Number(counted.n) };
}

/** One organisation of the frame with its latest type and place, or undefined. */
export function findOrganisation(db: Db, orgId: string): Promise<OrganisationMatch | undefined> {
  return db
    .selectFrom('organisations as o')
    .leftJoin('frame_units as f', (join) => join.onRef('f.org_id', '=', 'o.org_id').onRef('f.year', '=', 'o.last_year'))
    .select(['o.org_id', 'o.name', 'o.last_year', 'f.org_type', 'f.municipality', 'f.province'])
    .where('o.org_id', '=', orgId)
    .executeTakeFirst();
}

export async function orgIdsOfYear(db: Db, year: number): Promise<string[]> {
  const rows = await db.selectFrom('frame_units').select('org_id').where('year', '=', year).execute();
  return rows.map((r) => r.org_id);
}

// An upload waiting for confirmation: a frame_uploads row (who, year, file name,
// checksum, the preview summary) and its bytes in frame_upload_chunks. Kept in the
// database, not on one instance's disk, so any instance can finish the import.

/**
 * Bytes per stored chunk: one short insert per chunk while the file arrives. On
 * PGlite every statement runs on the event loop, so no statement may be large.
 */
export const UPLOAD_CHUNK_BYTES = 256 * 1024;

/** A new upload row before its bytes arrive; year, checksum and summary follow in finishUpload. */
export async function createUpload(db: Db, upload: { userId: number; fileName: string }): Promise<number> {
  const row = await db
    .insertInto('frame_uploads')
    .values({ user_id: upload.userId, year: 0, replace: false, file_name: upload.fileName, checksum: '' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// The bytes travel as base64 text, decoded in the database: PGlite's own bytea
// parameter encoding takes ~0.4 s per MB on the event loop, base64 a tenth of that.
export async function appendUploadChunk(db: Db, uploadId: number, seq: number, bytes: Buffer): Promise<void> {
  await db
    .insertInto('frame_upload_chunks')
    .values({ upload_id: uploadId, seq, bytes: sql<Buffer>`decode(${bytes.toString('base64')}, 'base64')` })
    .execute();
}

export async function finishUpload(
  db: Db,
  id: number,
  values: { year: number; replace: boolean; checksum: string; summary: unknown },
): Promise<void> {
  await db
    .updateTable('frame_uploads')
    .set({
      year: values.year,
      replace: values.replace,
      checksum: values.checksum,
      // jsonb cannot hold U+0000 (a binary file shows it in its error messages).
      summary: JSON.stringify(values.summary, (_key, value) =>
        typeof value === 'string' ? value.replaceAll('\u0000', '\uFFFD') : value,
      ),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * The stored bytes of an upload, one chunk per query, handed on in slices of
 * at most 64 KB so a reader parses a little at a time.
 */
export async function* uploadContent(db: Db, uploadId: number): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const chunk = await db
      .selectFrom('frame_upload_chunks')
      .select(sql<string>`encode(bytes, 'base64')`.as('base64'))
      .where('upload_id', '=', uploadId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    if (!chunk) return;
    const bytes = Buffer.from(chunk.base64, 'base64');
    for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
  }
}

/** An upload is only ever visible to the user who made it, and only once its preview is ready. */
export function findUpload(db: Db, id: number, userId: number) {
  return db
    .selectFrom('frame_uploads')
    .select(['id', 'user_id', 'year', 'replace', 'file_name', 'checksum', 'created_at', 'summary'])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('summary', 'is not', null)
    .executeTakeFirst();
}

export async function deleteUpload(db: Db, id: number): Promise<void> {
  await db.deleteFrom('frame_uploads').where('id', '=', id).execute();
}

/** Drop uploads (confirmed or not, finished or abandoned half-way) made before `before`. */
export async function pruneUploads(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('frame_uploads').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
