// Publishing a report: a frozen, protected snapshot at /resultaten/SLUG, readable
// without login, until staff withdraw it. Only protected report models can be
// published; the snapshot never changes when new answers come in.
import type { Kysely } from 'kysely';
import type { ReportModel } from '../analysis/report/report';
import { recordAudit } from '../server/audit/audit-log';
import type { Database, User } from '../server/db/schema';
import type { SurveyDefinition } from '../surveys/definition-schema';
import type { Locale } from '../views/i18n/index';

type Db = Kysely<Database>;

export class PublicationError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

export const PUBLICATION_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export async function publishReport(
  db: Db,
  args: { slug: string; title: string; report: ReportModel; definition: SurveyDefinition; locale: Locale; actor: User },
) {
  if (!PUBLICATION_SLUG.test(args.slug) || args.slug.length > 80) throw new PublicationError('publish.slug_invalid');
  if (!args.title.trim()) throw new PublicationError('publish.title_required');
  // Only protected models leave the tool: nothing suppressed with a value, every published number perturbed.
  if (args.report.estimates.some((e) => (e.suppressed && e.estimate !== null) || (!e.suppressed && !e.perturbed)))
    throw new PublicationError('publish.unprotected');
  const existing = await db.selectFrom('publications').select('id').where('slug', '=', args.slug).executeTakeFirst();
  if (existing) throw new PublicationError('publish.slug_taken');
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('publications')
      .values({
        slug: args.slug,
        title: args.title.trim(),
        report: JSON.stringify(args.report),
        definition: JSON.stringify(args.definition),
        locale: args.locale,
        published_by: args.actor.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: args.actor.id,
      action: 'publication.publish',
      entity: 'publication',
      entityId: row.id,
      details: { slug: args.slug, wave: args.report.wave.slug },
    });
    return row;
  });
}

export async function withdrawPublication(db: Db, slug: string, actor: User) {
  const row = await db
    .updateTable('publications')
    .set({ withdrawn_at: new Date() })
    .where('slug', '=', slug)
    .where('withdrawn_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!row) throw new PublicationError('publish.not_found');
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'publication.withdraw',
    entity: 'publication',
    entityId: row.id,
    details: { slug },
  });
}

export interface Publication {
  slug: string;
  title: string;
  report: ReportModel;
  definition: SurveyDefinition;
  locale: Locale;
  published_at: Date;
}

const parse = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export async function findPublication(db: Db, slug: string): Promise<Publication | null> {
  const row = await db
    .selectFrom('publications')
    .selectAll()
    .where('slug', '=', slug)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  return {
    slug: row.slug,
    title: row.title,
    report: parse<ReportModel>(row.report),
    definition: parse<SurveyDefinition>(row.definition),
    locale: row.locale as Locale,
    published_at: row.published_at,
  };
}

export function listPublications(db: Db) {
  return db
    .selectFrom('publications')
    .select(['slug', 'title', 'published_at', 'withdrawn_at'])
    .orderBy('published_at', 'desc')
    .execute();
}
