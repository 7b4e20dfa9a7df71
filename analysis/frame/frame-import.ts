// Importing a frame file: all or nothing. Valid rows are inserted in batches while
// the file streams, inside one transaction; any error anywhere rolls everything
// back, so the database is exactly as before.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, User } from '../../server/db/schema';
import { recordAudit } from '../../server/audit/audit-log';
import type { OpenSource } from './csv-source';
import { readFrame, type FrameSummary } from './frame-reader';
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

export function validYear(year: number): boolean {
  return Number.isInteger(year) && year >= 1990 && year <= 2100;
}

export async function checksumOf(open: OpenSource): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of open()) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface FrameImportRequest {
  open: OpenSource;
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
export async function previewFrame(db: Db, request: Pick<FrameImportRequest, 'open' | 'year' | 'onProgress'>): Promise<FramePreview> {
  if (!validYear(request.year)) throw new FrameImportError('frame.year_invalid');
  const [summary, checksum, years] = await Promise.all([
    readFrame(request.open, { onProgress: request.onProgress }),
    checksumOf(request.open),
    repo.listYears(db),
  ]);
  const existing = years.find((y) => y.year === request.year)?.organisations ?? 0;
  const previousYear = years.map((y) => y.year).filter((y) => y < request.year).sort((a, b) => b - a)[0] ?? null;
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

export async function importFrame(db: Db, request: FrameImportRequest): Promise<FrameImportResult> {
  if (!validYear(request.year)) throw new FrameImportError('frame.year_invalid');
  const checksum = await checksumOf(request.open);
  return db.transaction().execute(async (trx) => {
    const exists = await repo.yearExists(trx, request.year);
    if (exists && !request.replace) throw new FrameImportError('frame.year_exists', { year: request.year });
    if (exists) await repo.deleteYear(trx, request.year);
    const { id: importId } = await repo.insertImport(trx, { year: request.year, importedBy: request.actor?.id ?? null, fileName: request.fileName, checksum, source: request.source, replaced: exists });
    const summary = await readFrame(request.open, {
      onProgress: request.onProgress,
      onBatch: (rows) => repo.insertUnits(trx, request.year, importId, rows),
    });
    if (summary.errorCount > 0) throw new FrameImportError('frame.invalid_file', { count: summary.errorCount }, summary);
    await repo.finishImport(trx, importId, summary.rows, summary.members);
    await recordAudit(trx, {
      actorUserId: request.actor?.id ?? null,
      action: exists ? 'frame.replace' : 'frame.import',
      entity: 'frame',
      entityId: request.year,
      details: { file: request.fileName, checksum, rows: summary.rows, members: summary.members, source: request.source },
    });
    return { importId, summary, replaced: exists, checksum };
  });
}
