// Publishing a report: a frozen, protected snapshot at /resultaten/SLUG, readable
// without login, until staff withdraw it. Only protected report models can be
// published; the snapshot never changes when new answers come in. Publishing the
// same address again makes a new version, which the address then shows. Its
// downloads and chart images are rendered once, here, and served as stored bytes.
import type { Kysely } from 'kysely';
import { buildReport } from '../analysis/report/report';
import { releasedCells } from '../analysis/report/report-compare';
import type { ReportModel } from '../analysis/report/report-model';
import { recordAudit } from '../foundation/audit/audit-log';
import type { Database, User } from '../foundation/db/schema';
import type { SurveyDefinition } from '../surveys/definition-schema';
import type { Locale } from '../views/i18n/index';
import * as repo from './publications-repository';
import { auditedQuestions, revisionAudit } from './publications-revision';
import { logRelease, viewOf } from './release-log';
import { CONTENT_TYPES, renderReportFile, renderSectionPng } from './report-file';
import { reportView } from './report-view';

type Db = Kysely<Database>;

export class PublicationError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
  }
}

export const PUBLICATION_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface PublicationFile {
  name: string;
  content_type: string;
  content: Buffer;
}

/** The downloads of a publication, stored as download.FORMAT. */
const DOWNLOADS = ['pdf', 'xlsx', 'csv', 'csv-nl', 'table'] as const;

/** Everything a publication offers for download, rendered once. */
export async function renderPublicationFiles(
  report: ReportModel,
  definition: SurveyDefinition,
  locale: Locale,
): Promise<PublicationFile[]> {
  const files: PublicationFile[] = [];
  for (const format of DOWNLOADS) {
    const file = await renderReportFile(format, report, definition, locale);
    files.push({ name: `download.${format}`, content_type: file.contentType, content: file.content });
  }
  for (const section of reportView(report, definition, locale).sections)
    files.push({
      name: `grafiek/${section.index}.png`,
      content_type: CONTENT_TYPES.png,
      content: await renderSectionPng(section),
    });
  return files;
}

export async function publishReport(
  db: Db,
  args: {
    slug: string;
    title: string;
    report: ReportModel;
    definition: SurveyDefinition;
    locale: Locale;
    actor: User;
    /** The wave was still open: the figures are provisional. */
    provisional?: boolean;
  },
): Promise<{ id: number; slug: string; version: number }> {
  const slug = args.slug.trim();
  if (!PUBLICATION_SLUG.test(slug) || slug.length > 80) throw new PublicationError('publish.slug_invalid');
  if (!args.title.trim()) throw new PublicationError('publish.title_required');
  // Only protected models leave the tool: nothing suppressed with a value, every published number perturbed.
  if (args.report.estimates.some((e) => (e.suppressed && e.estimate !== null) || (!e.suppressed && !e.perturbed)))
    throw new PublicationError('publish.unprotected');
  const earlier = await repo.latestVersion(db, slug);
  // An address belongs to one wave: its versions are that wave's figures over time.
  if (earlier?.wave_slug && earlier.wave_slug !== args.report.wave.slug)
    throw new PublicationError('publish.slug_other_wave', { wave: earlier.wave_slug });
  const version = (earlier?.version ?? 0) + 1;
  // A new version is a linked table with the one it replaces: audit the difference first.
  const audit = await revisionAudit(db, slug, args.report.wave.slug, args.definition, args.locale);
  if (audit?.problems.length) throw new PublicationError(audit.problems[0].key, audit.problems[0].params);
  const files = await renderPublicationFiles(args.report, args.definition, args.locale);
  // Every cell of the wave as this version releases them: a later wave's previous, change
  // and trend show these while the wave's answers change in a way that singles one out.
  const cells = await releasedCells(db, args.report.wave.slug, buildReport);
  return db.transaction().execute(async (trx) => {
    const id = await repo.insertVersion(
      trx,
      {
        slug,
        version,
        title: args.title.trim(),
        report: JSON.stringify(args.report),
        definition: JSON.stringify(args.definition),
        locale: args.locale,
        published_by: args.actor.id,
        wave_slug: args.report.wave.slug,
        provisional: args.provisional ?? false,
      },
      files,
    );
    // What this version was built from: the next version is audited against it.
    await repo.storePublicationAnswers(
      trx,
      id,
      args.report.wave.slug,
      auditedQuestions(args.definition, args.locale).choiceQuestions,
    );
    await repo.storePublicationCells(trx, id, cells);
    await recordAudit(trx, {
      actorUserId: args.actor.id,
      action: 'publication.publish',
      entity: 'publication',
      entityId: id,
      details: { slug, version, wave: args.report.wave.slug, provisional: args.provisional ?? false },
    });
    await logRelease(trx, {
      userId: args.actor.id,
      kind: 'publication',
      wave: args.report.wave.slug,
      view: viewOf(args.report),
      format: 'public page',
      publication: { slug, version },
    });
    return { id, slug, version };
  });
}

export async function withdrawPublication(db: Db, slug: string, actor: User) {
  const row = await repo.findLiveRow(db, slug);
  if (!row) throw new PublicationError('publish.not_found');
  await db.transaction().execute(async (trx) => {
    await repo.markWithdrawn(trx, row.id);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'publication.withdraw',
      entity: 'publication',
      entityId: row.id,
      details: { slug, version: row.version },
    });
    const report = parse<ReportModel>(row.report);
    await logRelease(trx, {
      userId: actor.id,
      kind: 'withdrawal',
      wave: row.wave_slug ?? report.wave.slug,
      view: viewOf(report),
      format: 'public page',
      publication: { slug, version: row.version },
    });
  });
}

export interface Publication {
  id: number;
  slug: string;
  version: number;
  title: string;
  report: ReportModel;
  definition: SurveyDefinition;
  locale: Locale;
  published_at: Date;
  provisional: boolean;
}

const parse = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** The version an address shows, or null when there is none (or it was withdrawn). */
export async function findPublication(db: Db, slug: string): Promise<Publication | null> {
  const row = await repo.findLiveRow(db, slug);
  if (!row) return null;
  return {
    id: row.id,
    slug: row.slug,
    version: row.version,
    title: row.title,
    report: parse<ReportModel>(row.report),
    definition: parse<SurveyDefinition>(row.definition),
    locale: row.locale as Locale,
    published_at: row.published_at,
    provisional: row.provisional,
  };
}

/**
 * A stored download or chart of a publication; one published before files were
 * kept is rendered now, once, and stored.
 */
export async function publicationFile(db: Db, publication: Publication, name: string): Promise<PublicationFile | null> {
  const stored = await repo.findFile(db, publication.id, name);
  if (stored) return { ...stored, content: Buffer.from(stored.content) };
  if (await repo.hasFiles(db, publication.id)) return null;
  const files = await renderPublicationFiles(publication.report, publication.definition, publication.locale);
  await repo.storeFiles(db, publication.id, files);
  return files.find((f) => f.name === name) ?? null;
}

export { listPublications, livePublicationsOf, versionsOf } from './publications-repository';
export { type RevisionAudit, revisionAudit } from './publications-revision';
