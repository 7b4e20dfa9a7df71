// The release log: everything that left the tool — each publication, withdrawal
// and export — with who, which wave, which view, which format and when, so the
// association can answer "which numbers did we send to the ministry on 12 May".
import type { Kysely } from 'kysely';
import type { ReportModel } from '../analysis/report/report-model';
import type { Database } from '../foundation/db/schema';
import { findReleases, insertRelease } from './release-log-repository';

type Db = Kysely<Database>;

export interface ReleaseView {
  stratify: string[];
  by: string | null;
  questions: string[];
  /** The organisations whose own data left (a single response's page), when it is not all of them. */
  organisations?: string[];
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
  await insertRelease(db, {
    user_id: entry.userId,
    kind: entry.kind,
    wave_slug: entry.wave,
    view: JSON.stringify(entry.view),
    format: entry.format,
    publication_slug: entry.publication?.slug ?? null,
    publication_version: entry.publication?.version ?? null,
    source: entry.source ?? 'web',
  });
}

/**
 * What organisations' own data (not protected figures) a download or page carried, as a
 * release-log entry: the raw answers (`antwoorden-csv`, `antwoorden-csv-nl`), the
 * non-responders with their contacts (`niet-ingediend-csv…`), one response's page on the
 * data-editing page (`antwoord-pagina`, with its organisation), a staff chart image
 * (`grafiek-png`).
 */
export function dataRelease(args: {
  wave: string;
  format: string;
  questions?: string[];
  organisations?: string[];
  stratify?: string[];
  by?: string | null;
}): { kind: 'export'; wave: string; view: ReleaseView; format: string } {
  return {
    kind: 'export',
    wave: args.wave,
    view: {
      stratify: args.stratify ?? [],
      by: args.by ?? null,
      questions: args.questions ?? [],
      ...(args.organisations ? { organisations: args.organisations } : {}),
    },
    format: args.format,
  };
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
  const rows = await findReleases(db, options);
  return rows.map(
    (r): ReleaseEntry => ({ ...r, view: (typeof r.view === 'string' ? JSON.parse(r.view) : r.view) as ReleaseView }),
  );
}
