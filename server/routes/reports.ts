import { type Response, Router } from 'express';
import { z } from 'zod';
import { buildReport } from '../../analysis/report/report';
import {
  parseVariables,
  REPORT_VARIABLES,
  ReportError,
  type ReportModel,
  type ReportVariable,
} from '../../analysis/report/report-model';
import {
  findReportSetting,
  listReportSettings,
  saveReportSetting,
} from '../../analysis/report/report-settings-repository';
import { embedCode } from '../../exports/embed-code';
import { exportQueue } from '../../exports/export-queue';
import {
  findPublication,
  listPublications,
  livePublicationsOf,
  PublicationError,
  publishReport,
  revisionAudit,
  versionsOf,
  withdrawPublication,
} from '../../exports/publications';
import { listReleases, logRelease, viewOf } from '../../exports/release-log';
import { releaseLogCsv } from '../../exports/release-log-csv';
import { CONTENT_TYPES, isReportFileFormat, renderReportFile, renderSectionPng } from '../../exports/report-file';
import { reportLabel } from '../../exports/report-text';
import { reportView } from '../../exports/report-view';
import { formText } from '../../foundation/form-fields';
import { allQuestions, type SurveyDefinition } from '../../surveys/definition-schema';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { listWaves } from '../../surveys/waves/waves-repository';
import type { Locale } from '../../views/i18n/index';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { sendDownload } from '../web/download';
import { checkForm, type FieldError, readForm } from '../web/form';
import { HttpError, notFound } from '../web/http-error';
import { readQuery, textOrNull } from '../web/query';

export interface ReportQuery {
  wave: string;
  stratify: ReportVariable[];
  by: ReportVariable | null;
  questions: string[];
}

/** A repeated field or a comma-separated text as a list of texts. */
function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string' && v) return v.split(',');
  return [];
}

/** Report variables read from a field; a variable we do not know is an issue with the report's message key. */
function variables(read: (v: unknown) => string, fallback: ReportVariable[]) {
  return z
    .unknown()
    .optional()
    .transform((v, ctx) => {
      try {
        return parseVariables(read(v), fallback);
      } catch (error) {
        if (!(error instanceof ReportError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.code, params: error.params });
        return z.NEVER;
      }
    });
}

/** The report's settings, from the query string or a posted form (the preview, saving, publishing). */
export const reportQueryForm = z.object({
  wave: z
    .unknown()
    .optional()
    .transform((v) => String(v ?? '')),
  stratify: variables((v) => list(v).join(','), ['org_type']),
  by: variables((v) => (typeof v === 'string' ? v : ''), []).transform((by) => by[0] ?? null),
  q: z.unknown().optional().transform(list),
});

/** Saving the report's settings under a name, trimmed and at most 200 characters (the settings themselves are the report query). */
export const saveSettingForm = z
  .object({ name: formText.transform((name) => name.trim().slice(0, 200)) })
  .superRefine((v, ctx) => {
    if (!v.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'reports.name_required' });
  });
/** Publishing: the address, the title and the confirmation box. */
const publishForm = z.object({ slug: formText, title: formText, confirm: formText });

/** Report settings from a query string or form body; errors become a 400 with the message. */
export function reportQuery(source: unknown): ReportQuery {
  const form = checkForm(reportQueryForm, source);
  if (!form.ok) throw new HttpError(400, form.errors[0].key, form.errors[0].params);
  const { wave, stratify, by, q } = form.values;
  return { wave, stratify, by, questions: q };
}

export function queryString(q: ReportQuery): string {
  const p = new URLSearchParams({ wave: q.wave });
  for (const s of q.stratify) p.append('stratify', s);
  if (q.by) p.set('by', q.by);
  for (const k of q.questions) p.append('q', k);
  return p.toString();
}

/** The release log, of one wave or of all. */
const releasesQuery = z.object({ wave: textOrNull });

/** The report a query asks for, with its questionnaire and whether the wave is still open. */
async function loadReport(
  db: AppContext['db'],
  q: ReportQuery,
): Promise<{ report: ReportModel; definition: SurveyDefinition; open: boolean }> {
  const target = await waveWithDefinition(db, q.wave);
  if (!target) throw notFound();
  try {
    const report = await buildReport(db, {
      wave: q.wave,
      stratify: q.stratify,
      by: q.by,
      questions: q.questions.length ? q.questions : null,
    });
    return { report, definition: target.definition, open: target.wave.status !== 'closed' };
  } catch (error) {
    if (error instanceof ReportError) throw new HttpError(400, error.code, error.params);
    throw error;
  }
}

export function reportRoutes(ctx: AppContext) {
  const router = Router();
  reportPageRoutes(router, ctx);
  reportFileRoutes(router, ctx);
  publishRoutes(router, ctx);
  publicationRoutes(router, ctx);
  releaseLogRoutes(router, ctx);
  return router;
}

/** The staff report page. */
function reportPageRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  router.get('/beheer/rapportage', requireStaff, async (req, res) => {
    let query: ReportQuery | null = null;
    const settingId = z.coerce.number().int().positive().safeParse(req.query.instelling);
    if (settingId.success) {
      const saved = await findReportSetting(db, settingId.data);
      if (!saved) throw notFound();
      return res.redirect(
        303,
        `/beheer/rapportage?${queryString({ wave: saved.wave_slug, stratify: saved.stratify.split(',') as ReportVariable[], by: (saved.by_variable as ReportVariable) ?? null, questions: saved.questions ? saved.questions.split(',') : [] })}`,
      );
    }
    if (req.query.wave) query = reportQuery(req.query);
    const [waves, saved, publications] = await Promise.all([
      listWaves(db),
      listReportSettings(db),
      listPublications(db),
    ]);
    let view = null;
    let questions: { key: string; label: string }[] = [];
    let wave = null;
    if (query) {
      const { report, definition } = await loadReport(db, query);
      view = reportView(report, definition, res.locals.locale as Locale);
      wave = report.wave;
      questions = allQuestions(definition)
        .filter((q) => q.type !== 'text' && q.report?.include !== false)
        .map((q) => ({ key: q.key, label: reportLabel(q, res.locals.locale) }));
    }
    await res.page('pages/reports', {
      title: res.locals.t('reports.title'),
      waves,
      saved,
      publications,
      query,
      view,
      wave,
      questions,
      variables: REPORT_VARIABLES,
      qs: query ? queryString(query) : '',
    });
  });
}

/** A report's exports and charts, and saving a view of it. */
function reportFileRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  router.get('/beheer/rapportage/export.:format', requireStaff, async (req, res) => {
    const format = String(req.params.format);
    if (!isReportFileFormat(format)) throw notFound();
    const query = reportQuery(req.query);
    const { report, definition } = await loadReport(db, query);
    // Heavy exports one at a time; every export that leaves the tool is in the release log.
    await exportQueue.run(async () =>
      sendDownload(res, await renderReportFile(format, report, definition, res.locals.locale)),
    );
    await logRelease(db, {
      userId: req.user!.id,
      kind: 'export',
      wave: report.wave.slug,
      view: viewOf(report),
      format,
    });
  });

  router.get('/beheer/rapportage/grafiek/:index.png', requireStaff, async (req, res) => {
    const query = reportQuery(req.query);
    const { report, definition } = await loadReport(db, query);
    await sendChart(res, report, definition, Number(req.params.index), res.locals.locale);
    // The download link (not the page's own fallback image) is a copy that leaves the tool.
    if (req.query.download === '1')
      await logRelease(db, {
        userId: req.user!.id,
        kind: 'export',
        wave: report.wave.slug,
        view: viewOf(report),
        format: 'grafiek-png',
      });
  });

  router.post('/beheer/rapportage/opslaan', requireStaff, async (req, res) => {
    const query = reportQuery(req.body);
    const { values, errors } = readForm(saveSettingForm, req.body);
    if (errors.length) throw new HttpError(400, errors[0].key);
    const { name } = values;
    await saveReportSetting(
      db,
      {
        name,
        wave: query.wave,
        stratify: query.stratify,
        by: query.by,
        questions: query.questions,
      },
      req.user!.id,
    );
    req.session.flash = { kind: 'success', key: 'reports.saved', params: { name } };
    res.redirect(303, `/beheer/rapportage?${queryString(query)}`);
  });
}

/** Publishing a report: the preview and the publication. */
function publishRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  /** The preview of a publication: exactly what will be public, with the warnings that matter. */
  async function showPreview(
    res: Response,
    query: ReportQuery,
    values: { title?: string; slug?: string },
    errors: FieldError[],
    status = 200,
  ) {
    const { report, definition, open } = await loadReport(db, query);
    const existing = await livePublicationsOf(db, report.wave.slug);
    // Republishing an address: the audit of the difference with the version it replaces, shown before confirming.
    const revision = await revisionAudit(
      db,
      values.slug ?? existing[0]?.slug ?? report.wave.slug,
      report.wave.slug,
      definition,
      res.locals.locale as Locale,
    );
    await res.page(
      'pages/publish-preview',
      {
        title: res.locals.t('publish.preview_title', { wave: report.wave.name }),
        wave: report.wave,
        query,
        qs: queryString(query),
        view: reportView(report, definition, res.locals.locale as Locale),
        provisional: open,
        existing,
        revision,
        // Earlier waves shown in previous, change and trend as released (issue 22.3), and why.
        held: report.revisions_held ?? [],
        values: {
          title: values.title ?? report.wave.name,
          slug: values.slug ?? existing[0]?.slug ?? report.wave.slug,
        },
        errors,
      },
      status,
    );
  }

  router.get('/beheer/rapportage/publiceren', requireStaff, async (req, res) => {
    await showPreview(res, reportQuery(req.query), {}, []);
  });

  router.post('/beheer/rapportage/publiceren', requireStaff, async (req, res) => {
    const query = reportQuery(req.body);
    const { slug, title, confirm } = readForm(publishForm, req.body).values;
    const values = { slug: slug.trim(), title };
    if (confirm !== 'ja')
      return showPreview(res, query, values, [{ field: 'confirm', key: 'publish.confirm_required' }], 422);
    const { report, definition, open } = await loadReport(db, query);
    let published: { slug: string; version: number };
    try {
      published = await exportQueue.run(() =>
        publishReport(db, {
          slug: values.slug,
          title,
          report,
          definition,
          locale: res.locals.locale,
          actor: req.user!,
          provisional: open,
        }),
      );
    } catch (error) {
      if (error instanceof PublicationError) {
        const field = error.code === 'publish.title_required' ? 'title' : 'slug';
        return showPreview(res, query, values, [{ field, key: error.code, params: error.params }], 422);
      }
      throw error;
    }
    req.session.flash = { kind: 'success', key: 'publish.done', params: { version: published.version } };
    res.redirect(303, `/beheer/publicaties/${published.slug}`);
  });
}

/** A publication's staff page, and withdrawing it. */
function publicationRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  router.get('/beheer/publicaties/:slug', requireStaff, async (req, res) => {
    const slug = String(req.params.slug);
    const versions = await versionsOf(db, slug);
    if (versions.length === 0) throw notFound();
    const publication = await findPublication(db, slug);
    await res.page('pages/publication', {
      title: publication?.title ?? slug,
      slug,
      publication,
      versions,
      sections: publication ? reportView(publication.report, publication.definition, res.locals.locale).sections : [],
      publicUrl: ctx.config.publicUrl,
      embedCode,
    });
  });

  router.post('/beheer/publicaties/:slug/intrekken', requireStaff, async (req, res) => {
    try {
      await withdrawPublication(db, String(req.params.slug), req.user!);
    } catch (error) {
      if (error instanceof PublicationError) throw notFound();
      throw error;
    }
    req.session.flash = { kind: 'success', key: 'reports.withdrawn' };
    res.redirect(303, `/beheer/publicaties/${String(req.params.slug)}`);
  });
}

/** The release log, on the page and as CSV. */
function releaseLogRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  router.get('/beheer/uitgiftes', requireStaff, async (req, res) => {
    const { wave } = readQuery(releasesQuery, req.query);
    const [entries, waves] = await Promise.all([listReleases(db, { wave }), listWaves(db)]);
    await res.page('pages/releases', { title: res.locals.t('releases.title'), entries, waves, wave });
  });

  router.get('/beheer/uitgiftes.csv', requireStaff, async (req, res) => {
    const { wave } = readQuery(releasesQuery, req.query);
    const entries = await listReleases(db, { wave, limit: 100_000 });
    sendDownload(res, releaseLogCsv(entries));
  });

  return router;
}

async function sendChart(
  res: Response,
  report: ReportModel,
  definition: SurveyDefinition,
  index: number,
  locale: Locale,
) {
  const section = reportView(report, definition, locale).sections[index];
  if (!section) throw notFound();
  res
    .type(CONTENT_TYPES.png)
    .set('Cache-Control', 'private, max-age=60')
    .set('Content-Disposition', `inline; filename="${section.fileName}.png"`)
    .send(await renderSectionPng(section));
}
