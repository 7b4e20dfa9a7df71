// "De branche in cijfers" on the public results page (README "The branch in
// figures"): staff publish a frame year's protected figures as a numbered
// version, with the CSV and the PDF rendered once; the public page shows the
// newest version until it is withdrawn. The figures are the protected ones of the
// staff page, never exact values. Each figure's noise comes from the keys of the
// organisations and values in it: an unchanged figure keeps its value, a changed
// one gets new noise (test/integration/intruder-revisions.test.ts, case 6). And a
// new version is a linked table with the one before: it is audited against the
// frame values that version was built from (branch_publication_values), and
// refused while the difference is about fewer than min_cell organisations or
// dominated by one (analysis/disclosure/revision-audit.ts).
import type { Kysely } from 'kysely';
import { type BranchFigures, branchFigures } from '../analysis/branch/branch-figures';
import {
  type AnswerTable,
  auditRevision,
  choiceKey,
  type RevisionAudit,
  type RevisionProblem,
} from '../analysis/disclosure/revision-audit';
import { recordAudit } from '../foundation/audit/audit-log';
import type { Database, User } from '../foundation/db/schema';
import { AUX_VARIABLES } from '../register/frame-columns';
import { type Locale, t } from '../views/i18n/index';
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
  constructor(
    readonly key: 'branch.publish.no_year' | 'branch.publish.not_published' | 'branch.publish.revision_refused',
    /** For a refused revision: why, as the preview says it. */
    readonly problems: RevisionProblem[] = [],
  ) {
    super(key);
  }
}

/** Measures by value; a type, province, size class or membership as 1 under choiceKey (a move is a change of 1 in two counts). */
function frameTable(rows: readonly repo.FrameValueRow[]): AnswerTable {
  const out: AnswerTable = new Map();
  for (const r of rows) {
    const values = out.get(r.org_id) ?? new Map<string, number>();
    if (r.value_num !== null) values.set(r.variable, Number(r.value_num));
    else if (r.value_text !== null) values.set(choiceKey(r.variable, r.value_text), 1);
    out.set(r.org_id, values);
  }
  return out;
}

/**
 * The audit of publishing a frame year again, against the frame values its newest
 * version (withdrawn or not: it was public) was built from; null without one.
 */
export async function branchRevisionAudit(db: Db, year: number, locale: Locale): Promise<RevisionAudit | null> {
  const earlier = await repo.latestVersion(db, year);
  if (!earlier) return null;
  const kept = await repo.valuesOfVersion(db, earlier.id);
  if (kept.length === 0) return null;
  const before = frameTable(kept);
  const after = frameTable(await repo.currentFrameValues(db, year));
  const placements = new Set<string>();
  for (const table of [before, after])
    for (const values of table.values()) for (const key of values.keys()) if (key.includes('=')) placements.add(key);
  const keys = [
    ...AUX_VARIABLES.map((m) => ({ key: m, label: t(locale, `branch.measure.${m}`) })),
    ...[...placements].sort().map((key) => {
      const at = key.indexOf('=');
      const [variable, value] = [key.slice(0, at), key.slice(at + 1)];
      const shown = variable === 'member' ? t(locale, value === 'true' ? 'frame.yes' : 'frame.no') : value;
      return { key, label: `${t(locale, `reports.var.${variable}`)}: ${shown}` };
    }),
  ];
  const audit = auditRevision(before, after, keys, earlier.version);
  // The same rules as a wave's publication, said of the KAnS figures instead of answers.
  return { ...audit, problems: audit.problems.map((p) => ({ ...p, key: `branch.${p.key}` })) };
}

/** Publish the protected figures of a frame year as its next version; returns that version. */
export async function publishBranch(db: Db, year: number, actor: User, locale: Locale): Promise<number> {
  const figures = await branchFigures(db, { year, protect: true });
  if (!figures || figures.year !== year) throw new BranchPublicationError('branch.publish.no_year');
  const audit = await branchRevisionAudit(db, year, locale);
  if (audit?.problems.length) throw new BranchPublicationError('branch.publish.revision_refused', audit.problems);
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
    // What this version was built from: the next version is audited against it.
    await repo.storeFrameValues(trx, id, year);
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
