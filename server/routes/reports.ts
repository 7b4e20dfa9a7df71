import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import {
  buildReport,
  parseVariables,
  REPORT_VARIABLES,
  ReportError,
  type ReportModel,
  type ReportVariable,
} from '../../analysis/report/report';
import { renderChartPng } from '../../exports/chart-image';
import { renderReportPdf } from '../../exports/pdf-report';
import { listPublications, PublicationError, publishReport, withdrawPublication } from '../../exports/publications';
import { reportCsv } from '../../exports/report-csv';
import { reportLabel } from '../../exports/report-text';
import { reportView } from '../../exports/report-view';
import { renderReportXlsx } from '../../exports/xlsx-report';
import { allQuestions, type SurveyDefinition } from '../../surveys/definition-schema';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { listWaves } from '../../surveys/waves/waves-repository';
import type { Locale } from '../../views/i18n/index';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { textFields } from '../web/form';
import { HttpError, notFound } from '../web/http-error';

export interface ReportQuery {
  wave: string;
  stratify: ReportVariable[];
  by: ReportVariable | null;
  questions: string[];
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string' && v) return v.split(',');
  return [];
}

/** Report settings from a query string or form body; errors become a 400 with the message. */
export function reportQuery(source: Record<string, unknown>): ReportQuery {
  try {
    const stratify = parseVariables(list(source.stratify).join(','), ['org_type']);
    const byText = typeof source.by === 'string' ? source.by : '';
    return {
      wave: String(source.wave ?? ''),
      stratify,
      by: byText ? parseVariables(byText, [])[0] : null,
      questions: list(source.q),
    };
  } catch (error) {
    if (error instanceof ReportError) throw new HttpError(400, error.code, error.params);
    throw error;
  }
}

export function queryString(q: ReportQuery): string {
  const p = new URLSearchParams({ wave: q.wave });
  for (const s of q.stratify) p.append('stratify', s);
  if (q.by) p.set('by', q.by);
  for (const k of q.questions) p.append('q', k);
  return p.toString();
}

export function reportRoutes(ctx: AppContext) {
  const router = Router();
  const { db } = ctx;

  async function load(q: ReportQuery): Promise<{ report: ReportModel; definition: SurveyDefinition }> {
    const target = await waveWithDefinition(db, q.wave);
    if (!target) throw notFound();
    try {
      const report = await buildReport(db, {
        wave: q.wave,
        stratify: q.stratify,
        by: q.by,
        questions: q.questions.length ? q.questions : null,
      });
      return { report, definition: target.definition };
    } catch (error) {
      if (error instanceof ReportError) throw new HttpError(400, error.code, error.params);
      throw error;
    }
  }

  router.get('/beheer/rapportage', requireStaff, async (req, res) => {
    let query: ReportQuery | null = null;
    const settingId = z.coerce.number().int().positive().safeParse(req.query.instelling);
    if (settingId.success) {
      const saved = await db
        .selectFrom('report_settings')
        .selectAll()
        .where('id', '=', settingId.data)
        .executeTakeFirst();
      if (!saved) throw notFound();
      return res.redirect(
        303,
        `/beheer/rapportage?${queryString({ wave: saved.wave_slug, stratify: saved.stratify.split(',') as ReportVariable[], by: (saved.by_variable as ReportVariable) ?? null, questions: saved.questions ? saved.questions.split(',') : [] })}`,
      );
    }
    if (req.query.wave) query = reportQuery(req.query as Record<string, unknown>);
    const [waves, saved, publications] = await Promise.all([
      listWaves(db),
      db.selectFrom('report_settings').selectAll().orderBy('name').execute(),
      listPublications(db),
    ]);
    let view = null;
    let questions: { key: string; label: string }[] = [];
    let wave = null;
    if (query) {
      const { report, definition } = await load(query);
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

  router.get('/beheer/rapportage/export.:format', requireStaff, async (req, res) => {
    const format = String(req.params.format);
    if (!['csv', 'csv-nl', 'xlsx', 'pdf'].includes(format)) throw notFound();
    const query = reportQuery(req.query as Record<string, unknown>);
    const { report, definition } = await load(query);
    await sendExport(res, format, report, definition, res.locals.locale);
  });

  router.get('/beheer/rapportage/grafiek/:index.png', requireStaff, async (req, res) => {
    const query = reportQuery(req.query as Record<string, unknown>);
    const { report, definition } = await load(query);
    await sendChart(res, report, definition, Number(req.params.index), res.locals.locale);
  });

  router.post('/beheer/rapportage/opslaan', requireStaff, async (req, res) => {
    const query = reportQuery(req.body as Record<string, unknown>);
    const { name } = textFields(req.body, ['name'] as const);
    if (!name.trim()) throw new HttpError(400, 'reports.name_required');
    await db
      .insertInto('report_settings')
      .values({
        name: name.trim().slice(0, 200),
        wave_slug: query.wave,
        stratify: query.stratify.join(','),
        by_variable: query.by,
        questions: query.questions.join(',') || null,
        created_by: req.user!.id,
      })
      .execute();
    req.session.flash = { kind: 'success', key: 'reports.saved', params: { name: name.trim() } };
    res.redirect(303, `/beheer/rapportage?${queryString(query)}`);
  });

  router.post('/beheer/rapportage/publiceren', requireStaff, async (req, res) => {
    const query = reportQuery(req.body as Record<string, unknown>);
    const { slug, title } = textFields(req.body, ['slug', 'title'] as const);
    const { report, definition } = await load(query);
    try {
      await publishReport(db, {
        slug: slug.trim(),
        title,
        report,
        definition,
        locale: res.locals.locale,
        actor: req.user!,
      });
    } catch (error) {
      if (error instanceof PublicationError) {
        req.session.flash = { kind: 'error', key: error.code };
        return res.redirect(303, `/beheer/rapportage?${queryString(query)}`);
      }
      throw error;
    }
    req.session.flash = { kind: 'success', key: 'reports.published', params: { url: `/resultaten/${slug.trim()}` } };
    res.redirect(303, `/beheer/rapportage?${queryString(query)}`);
  });

  router.post('/beheer/publicaties/:slug/intrekken', requireStaff, async (req, res) => {
    try {
      await withdrawPublication(db, String(req.params.slug), req.user!);
    } catch (error) {
      if (error instanceof PublicationError) throw notFound();
      throw error;
    }
    req.session.flash = { kind: 'success', key: 'reports.withdrawn' };
    res.redirect(303, '/beheer/rapportage');
  });

  return router;
}

export async function sendExport(
  res: Response,
  format: string,
  report: ReportModel,
  definition: SurveyDefinition,
  locale: Locale,
) {
  const name = `impactmonitor-${report.wave.slug}`;
  if (format === 'csv' || format === 'csv-nl') {
    res
      .type('text/csv; charset=utf-8')
      .attachment(`${name}${format === 'csv-nl' ? '-excel' : ''}.csv`)
      .send(reportCsv(report, format));
  } else if (format === 'xlsx') {
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .attachment(`${name}.xlsx`)
      .send(await renderReportXlsx(report, definition, locale));
  } else {
    res
      .type('application/pdf')
      .attachment(`${name}.pdf`)
      .send(await renderReportPdf(report, definition, locale));
  }
}

export async function sendChart(
  res: Response,
  report: ReportModel,
  definition: SurveyDefinition,
  index: number,
  locale: Locale,
) {
  const view = reportView(report, definition, locale);
  const section = view.sections[index];
  if (!section) throw notFound();
  res
    .type('image/png')
    .set('Cache-Control', 'private, max-age=60')
    .set('Content-Disposition', `inline; filename="${section.fileName}.png"`)
    .send(
      await renderChartPng(section.chart, {
        title: true,
        height: { normal: 420, tall: 640, xtall: 900 }[section.chart.size],
      }),
    );
}

export type { Request };
