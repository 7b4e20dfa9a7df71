// Importing a frame file: all or nothing. In one pass over the file (the
// checksum computed on the way), valid rows are collected in groups; each group
// goes into a staging table (COPY on PostgreSQL) and set-based statements move it
// into organisations, frame_units and organisation_contacts, while the reader
// checks the next group. All of it is one transaction: any error anywhere rolls
// everything back, so the database is exactly as before.

import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import { recordAudit } from '../foundation/audit/audit-log';
import type { OpenSource } from '../foundation/csv/csv-source';
import type { DatabaseHandle } from '../foundation/db/database';
import type { Database, User } from '../foundation/db/schema';
import { refreshStatistics } from '../foundation/db/statistics';
import { type FrameRow, type FrameSummary, readFrame } from './frame-reader';
import * as repo from './frame-repository';

type Db = Kysely<Database>;

export class FrameImportError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    readonly summary: FrameSummary | null = null,
  ) {
    super(code);
    this.name = 'FrameImportError';
  }
}

/** The years a frame (and so a wave's frame year, the branch figures) can be of. */
export const FRAME_YEARS = { min: 1990, max: 2100 } as const;

export function validYear(year: number): boolean {
  return Number.isInteger(year) && year >= FRAME_YEARS.min && year <= FRAME_YEARS.max;
}

/**
 * Opens the file to read. An import passes the database it may read through
 * (for a file stored in the database, see frame-upload.ts); a file on disk ignores it.
 */
export type FrameSource = OpenSource | ((db: Db) => Readable);

/** The file's bytes as they are read, fed to the checksum on the way (one pass for both). */
function hashing(open: () => Readable, hash: Hash): Readable {
  const source = open();
  return Readable.from(
    (async function* () {
      for await (const chunk of source) {
        hash.update(chunk as Buffer);
        yield chunk as Buffer;
      }
    })(),
  );
}

export interface FrameImportRequest {
  open: FrameSource;
  fileName: string;
  year: number;
  replace: boolean;
  actor: User | null;
  source: 'cli' | 'web' | 'demo';
  onProgress?: (rows: number) => void;
}

export interface FramePreview {
  summary: FrameSummary;
  checksum: string;
  existing: number;
  previousYear: number | null;
  added: number;
  gone: number;
}

/** Read and validate without writing: the dry run and the web preview. */
export async function previewFrame(
  db: Db,
  request: Pick<FrameImportRequest, 'open' | 'year' | 'onProgress'>,
): Promise<FramePreview> {
  if (!validYear(request.year)) throw new FrameImportError('frame.year_invalid');
  const hash = createHash('sha256');
  const [summary, years] = await Promise.all([
    readFrame(
      hashing(() => request.open(db), hash),
      { onProgress: request.onProgress },
    ),
    repo.listYears(db),
  ]);
  const checksum = hash.digest('hex');
  const existing = years.find((y) => y.year === request.year)?.organisations ?? 0;
  const previousYear =
    years
      .map((y) => y.year)
      .filter((y) => y < request.year)
      .sort((a, b) => b - a)[0] ?? null;
  let added = 0;
  let gone = 0;
  if (previousYear !== null) {
    const previous = new Set(await repo.orgIdsOfYear(db, previousYear));
    for (const id of summary.orgIds) if (!previous.has(id)) added++;
    for (const id of previous) if (!summary.orgIds.has(id)) gone++;
  }
  return { summary, checksum, existing, previousYear, added, gone };
}

export interface FrameImportResult {
  importId: number;
  summary: FrameSummary;
  replaced: boolean;
  checksum: string;
}

export async function importFrame(database: DatabaseHandle, request: FrameImportRequest): Promise<FrameImportResult> {
  if (!validYear(request.year)) throw new FrameImportError('frame.year_invalid');
  const connection = await database.reserve();
  try {
    const result = await connection.db.transaction().execute(async (trx) => {
      const exists = await repo.yearExists(trx, request.year);
      if (exists && !request.replace) throw new FrameImportError('frame.year_exists', { year: request.year });
      if (exists) await repo.deleteYear(trx, request.year);
      await repo.createStaging(trx);
      const hash = createHash('sha256');
      // Groups of rows are staged and moved into the frame's tables while the file
      // is still being read: on PostgreSQL the database writes one group while
      // Node reads and checks the next.
      const copyIn = connection.copyIn;
      const writer = groupWriter(
        copyIn ? (rows) => copyRows(copyIn(repo.COPY_STAGING), rows) : (rows) => stageInBatches(trx, rows),
        () => repo.moveStaged(trx, request.year),
      );
      // A file kept in the database is read through the pool on PostgreSQL (this
      // connection is busy writing) and through this transaction on PGlite (its
      // one connection is held by the transaction).
      const readDb = copyIn ? database.db : trx;
      let summary: FrameSummary;
      try {
        summary = await readFrame(
          hashing(() => request.open(readDb), hash),
          {
            onProgress: request.onProgress,
            onBatch: writer.write,
          },
        );
        if (summary.errorCount === 0) await writer.end();
      } finally {
        // Nothing may still be writing when the transaction commits or rolls back.
        await writer.settle();
      }
      if (summary.errorCount > 0)
        throw new FrameImportError('frame.invalid_file', { count: summary.errorCount }, summary);
      const checksum = hash.digest('hex');
      const { id: importId } = await repo.insertImport(trx, {
        year: request.year,
        importedBy: request.actor?.id ?? null,
        fileName: request.fileName,
        checksum,
        source: request.source,
        replaced: exists,
        rows: summary.rows,
        members: summary.members,
      });
      await recordAudit(trx, {
        actorUserId: request.actor?.id ?? null,
        action: exists ? 'frame.replace' : 'frame.import',
        entity: 'frame',
        entityId: request.year,
        details: {
          file: request.fileName,
          checksum,
          rows: summary.rows,
          members: summary.members,
          source: request.source,
        },
      });
      return { importId, summary, replaced: exists, checksum };
    });
    // Only the tables the import wrote: responses and answers did not change.
    await refreshStatistics(connection.db, ['organisations', 'frame_units']);
    return result;
  } finally {
    await connection.release();
  }
}

/** Rows per group: staged, then moved into the frame's tables with three statements. */
const GROUP_ROWS = 10_000;

interface GroupWriter {
  /** Takes a batch of valid rows; waits only when a full group would queue behind one still being written. */
  write(rows: FrameRow[]): Promise<void>;
  /** Writes the last group and waits for it; throws the first failure. */
  end(): Promise<void>;
  /** Waits until nothing is being written any more, failed or not. */
  settle(): Promise<void>;
}

/**
 * Collects rows into groups and writes each group (stage, then move) while the
 * next one is collected. At most one group is being written and one collected,
 * so memory stays flat; the first failure stops all later writing and is thrown
 * to the reader at its next full group, or by end().
 */
export function groupWriter(
  stage: (rows: FrameRow[]) => Promise<void>,
  move: () => Promise<void>,
  groupRows = GROUP_ROWS,
): GroupWriter {
  let group: FrameRow[] = [];
  let writing: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | null = null;
  const startGroup = async () => {
    await writing;
    if (failure) throw failure.error;
    const rows = group;
    group = [];
    writing = (async () => {
      await stage(rows);
      await move();
    })().catch((error) => {
      failure ??= { error };
    });
  };
  return {
    async write(rows) {
      if (failure) throw failure.error;
      for (const row of rows) group.push(row);
      if (group.length >= groupRows) await startGroup();
    },
    async end() {
      if (group.length > 0) await startGroup();
      await writing;
      if (failure) throw failure.error;
    },
    settle: () => writing,
  };
}

/**
 * Rows into the staging table through one COPY (PostgreSQL), written in slices
 * of 2000 rows (one string for the whole group measured slower, BENCHMARKS).
 */
async function copyRows(stream: Writable, rows: readonly FrameRow[]): Promise<void> {
  const done = finished(stream);
  done.catch(() => {});
  for (let i = 0; i < rows.length; i += 2000)
    if (!stream.write(repo.copyText(rows.slice(i, i + 2000)))) await once(stream, 'drain');
  stream.end();
  await done;
}

/** Rows into the staging table in inserts of 2000 (PGlite, which has no COPY; no statement may be large there). */
async function stageInBatches(db: Db, rows: readonly FrameRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) await repo.stageUnits(db, rows.slice(i, i + 2000));
}
