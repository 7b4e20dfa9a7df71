// "De branche in cijfers" on the public results page (README "The branch in
// figures"): staff publish a frame year's protected figures as a numbered
// version, with the CSV and the PDF rendered once; the public page shows the
// newest version until it is withdrawn. The figures are the protected ones of the
// staff page, never exact values. Republishing after a frame import is safe
// because each figure's noise comes from the keys of the organisations and
// values in it: an unchanged figure keeps its value, a changed one gets new noise
// (test/integration/intruder-revisions.test.ts, case 6).
import type { Kysely } from 'kysely';
import { type BranchFigures, branchFigures } from '../analysis/branch/branch-figures';
import { recordAudit } from '../foundation/audit/audit-log';
import type { Database, User } from '../foundation/db/schema';
import type { Locale } from '../views/i18n/index';
import { branchCsv, branchCsvRelease } from './branch-csv';
import { renderBranchPdf } from './branch-pdf';
import * as repo from './branch-publications-repository';
import { exportQueue } from './export-queue';
import { logRelease } from './release-log';

type Db = Kysely<Database>;

export interface BranchPublication {
  id: number;
  year: number;
  version: number;
  published_at: Date;
  figures: BranchFigures;
}

export class BranchPublicationError extends Error {
  constructor(readonly key: 'branch.publish.no_year' | 'branch.publish.not_published') {
    super(key);
  }
}

/** Publish the protected figures of a frame year as its next version; returns that version. */
export async function publishBranch(db: Db, year: number, actor: User, locale: Locale): Promise<number> {
  const figures = await branchFigures(db, { year, protect: true });
  if (!figures || figures.year !== year) throw new BranchPublicationError('branch.publish.no_year');
  const csv = branchCsv(figures, locale).content;
  const pdf = await exportQueue.run(() => renderBranchPdf(figures, locale));
  return db.transaction().execute(async (trx) => {
    const version = await repo.nextVersion(trx, year);
    const id = await repo.insertVersion(trx, {
      year,
      version,
      figures: JSON.stringify(figures),
      csv: Buffer.from(csv),
      pdf,
      published_by: actor.id,
    });
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'branch.publish',
      entity: 'branch_publication',
      entityId: id,
      details: { year, version },
    });
    await logRelease(trx, {
      userId: actor.id,
      kind: 'publication',
      ...branchCsvRelease(figures),
      format: 'public page',
      publication: { slug: branchSlug(year), version },
    });
    return version;
  });
}

/** Take a year's published figures off the public page (the versions stay in the release log). */
export async function withdrawBranch(db: Db, year: number, actor: User): Promise<void> {
  const live = await repo.findLive(db, year);
  if (!live) throw new BranchPublicationError('branch.publish.not_published');
  const figures = JSON.parse(live.figures) as BranchFigures;
  await db.transaction().execute(async (trx) => {
    await repo.markWithdrawn(trx, live.id);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'branch.withdraw',
      entity: 'branch_publication',
      entityId: live.id,
      details: { year, version: live.version },
    });
    await logRelease(trx, {
      userId: actor.id,
      kind: 'withdrawal',
      ...branchCsvRelease(figures),
      format: 'public page',
      publication: { slug: branchSlug(year), version: live.version },
    });
  });
}

/** The address of a year's figures under /resultaten, as the release log names it. */
export const branchSlug = (year: number) => `branche-in-cijfers/${year}`;

/** The version the public page shows, or null. */
export async function findBranchPublication(db: Db, year: number): Promise<BranchPublication | null> {
  const row = await repo.findLive(db, year);
  if (!row) return null;
  return {
    id: row.id,
    year: row.year,
    version: row.version,
    published_at: row.published_at,
    figures: JSON.parse(row.figures),
  };
}

/** A stored download of the version the public page shows. */
export async function branchPublicationFile(db: Db, year: number, format: 'csv' | 'pdf') {
  const row = await repo.findLive(db, year);
  if (!row) return null;
  return {
    version: row.version,
    content: Buffer.from(format === 'csv' ? row.csv : row.pdf),
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf',
    fileName: `branche-in-cijfers-${year}.${format}`,
  };
}

export { listLive as listBranchPublications } from './branch-publications-repository';
