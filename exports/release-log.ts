// The release log: everything that left the tool — each publication, withdrawal
// and export — with who, which wave, which view, which format and when, so the
// association can answer "which numbers did we send to the ministry on 12 May".
import type { Kysely } from 'kysely';
import type { ReportModel } from '../analysis/report/report-model';
import type { Database } from '../foundation/db/schema';

type Db = Kysely<Database>;

export interface ReleaseView {
  stratify: string[];
  by: string | null;
  questions: string[];
}

/** The view of a report as the log records it. */
export function viewOf(report: ReportModel): ReleaseView {
  return {
    stratify: report.design.stratify,
    by: report.design.by,
    questions: [...new Set(report.estimates.map((e) => e.question))],
  };
}

export async function logRelease(
  db: Db,
  entry: {
    userId: number | null;
    kind: 'publication' | 'export' | 'withdrawal';
    wave: string;
    view: ReleaseView;
    format: string;
    publication?: { slug: string; version: number };
    source?: 'web' | 'cli';
  },
): Promise<void> {
  await db
    .insertInto('release_log')
    .values({
      user_id: entry.userId,
      kind: entry.kind,
      wave_slug: entry.wave,
      view: JSON.stringify(entry.view),
      format: entry.format,
      publication_slug: entry.publication?.slug ?? null,
      publication_version: entry.publication?.version ?? null,
      source: entry.source ?? 'web',
    })
    .execute();
}

export interface ReleaseEntry {
  at: Date;
  who: string | null;
  kind: 'publication' | 'export' | 'withdrawal';
  wave: string;
  view: ReleaseView;
  format: string;
  publication_slug: string | null;
  publication_version: number | null;
  source: 'web' | 'cli';
}

/** The log, newest first, optionally for one wave. */
export async function listReleases(db: Db, options: { wave?: string | null; limit?: number } = {}) {
  let query = db
    .selectFrom('release_log as l')
    .leftJoin('users as u', 'u.id', 'l.user_id')
    .select([
      'l.at',
      'u.email as who',
      'l.kind',
      'l.wave_slug as wave',
      'l.view',
      'l.format',
      'l.publication_slug',
      'l.publication_version',
      'l.source',
    ])
    .orderBy('l.at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(options.limit ?? 500);
  if (options.wave) query = query.where('l.wave_slug', '=', options.wave);
  const rows = await query.execute();
  return rows.map(
    (r): ReleaseEntry => ({ ...r, view: (typeof r.view === 'string' ? JSON.parse(r.view) : r.view) as ReleaseView }),
  );
}
