import { type Request, type Response, Router } from 'express';
import {
  branchPublicationFile,
  findBranchPublication,
  listBranchPublications,
} from '../../exports/branch-publications';
import { branchTables } from '../../exports/branch-view';
import { findPublication, listPublications, publicationFile } from '../../exports/publications';
import { reportView } from '../../exports/report-view';
import { formatPeriod } from '../../foundation/numbers/format-dutch';
import type { AppContext } from '../app';
import { HttpError, notFound } from '../web/http-error';
import { RateLimiter } from '../web/rate-limiter';

// Stored bytes cost little, but a flood of anonymous downloads should not fill the line:
// 120 a minute per address, one limiter per application.
const limiters = new WeakMap<AppContext, RateLimiter>();
function downloadsOf(ctx: AppContext): RateLimiter {
  let limiter = limiters.get(ctx);
  if (!limiter) limiters.set(ctx, (limiter = new RateLimiter({ limit: 120, windowMs: 60_000 })));
  return limiter;
}

async function load(db: AppContext['db'], slug: string) {
  const publication = await findPublication(db, slug);
  if (!publication) throw notFound();
  return publication;
}

/** "De branche in cijfers" of a frame year, as published (404 when it is not, or was withdrawn). */
async function loadBranch(db: AppContext['db'], value: string) {
  const year = /^\d{4}$/.test(value) ? Number(value) : null;
  const published = year === null ? null : await findBranchPublication(db, year);
  if (!published) throw notFound();
  return published;
}

/** Published results: frozen, protected snapshots readable without login. */
export function publicResultRoutes(ctx: AppContext) {
  const router = Router();
  publicListRoutes(router, ctx);
  publicReportRoutes(router, ctx);
  publicFileRoutes(router, ctx);
  embedRoutes(router, ctx);
  return router;
}

/** The list of what is published, and the branch in figures as published. */
function publicListRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  router.get('/resultaten', async (_req, res) => {
    const publications = (await listPublications(db)).filter((p) => !p.withdrawn_at);
    const branch = await listBranchPublications(db);
    await res.page('pages/public-list', { title: res.locals.t('public.title'), publications, branch });
  });

  router.get('/resultaten/branche-in-cijfers/:year', async (req, res) => {
    const published = await loadBranch(db, String(req.params.year));
    await res.page('pages/public-branch', {
      title: res.locals.t('branch.public_title', { year: published.year }),
      published,
      figures: published.figures,
      tables: branchTables(published.figures, res.locals.locale),
    });
  });

  router.get('/resultaten/branche-in-cijfers/:year/download.:format', async (req, res) => {
    const format = String(req.params.format);
    if (format !== 'csv' && format !== 'pdf') throw notFound();
    if (!downloadsOf(ctx).allow(req.ip ?? 'unknown')) throw new HttpError(429, 'public.too_many');
    const published = await loadBranch(db, String(req.params.year));
    const file = await branchPublicationFile(db, published.year, format);
    if (!file) throw notFound();
    const etag = `"branche-${published.year}-${file.version}-${format}"`;
    res.set('Cache-Control', 'public, max-age=300').set('ETag', etag);
    if (req.get('if-none-match') === etag) return res.status(304).end();
    res.attachment(file.fileName);
    res.type(file.contentType);
    res.send(file.content);
  });
}

/** A published report's page. */
function publicReportRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  router.get('/resultaten/:slug', async (req, res) => {
    const p = await load(db, String(req.params.slug));
    const view = reportView(p.report, p.definition, res.locals.locale);
    await res.page('pages/public-report', { title: p.title, publication: p, view, base: `/resultaten/${p.slug}` });
  });
}

/** A published report's stored files: charts and downloads. */
function publicFileRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  /**
   * A stored file of the publication: rendered once when it was published, served as
   * bytes with caching headers (an address can get a new version, so not forever;
   * the ETag names the version). Anonymous downloads are limited per address.
   */
  async function sendStored(
    req: Request,
    res: Response,
    slug: string,
    name: string,
    attachment: string | null | ((contentType: string) => string),
  ) {
    if (!downloadsOf(ctx).allow(req.ip ?? 'unknown')) throw new HttpError(429, 'public.too_many');
    const p = await load(db, slug);
    const file = await publicationFile(db, p, name);
    if (!file) throw notFound();
    if (typeof attachment === 'function') attachment = attachment(file.content_type);
    const etag = `"${p.slug}-${p.version}-${name}"`;
    res.set('Cache-Control', 'public, max-age=300').set('ETag', etag);
    if (req.get('if-none-match') === etag) return res.status(304).end();
    // attachment() sets a type from the name's extension: the stored type goes last.
    if (attachment) res.attachment(attachment);
    res.type(file.content_type);
    res.send(file.content);
  }

  router.get('/resultaten/:slug/grafiek/:index.png', async (req, res) => {
    const slug = String(req.params.slug);
    const index = Number(req.params.index);
    if (!Number.isInteger(index) || index < 0) throw notFound();
    await sendStored(req, res, slug, `grafiek/${index}.png`, null);
  });

  router.get('/resultaten/:slug/download.:format', async (req, res) => {
    const format = String(req.params.format);
    if (!['csv', 'csv-nl', 'table', 'pdf', 'xlsx'].includes(format)) throw notFound();
    const slug = String(req.params.slug);
    const fileName: Record<string, string> = {
      csv: `${slug}.csv`,
      'csv-nl': `${slug}-excel.csv`,
      pdf: `${slug}.pdf`,
      xlsx: `${slug}.xlsx`,
    };
    // The readable table is a workbook; versions published before it was one keep their CSV.
    await sendStored(
      req,
      res,
      slug,
      `download.${format}`,
      format === 'table'
        ? (type: string) => `${slug}-tabel.${type.startsWith('text/csv') ? 'csv' : 'xlsx'}`
        : fileName[format]!,
    );
  });
}

/** An embeddable chart: its own tiny page that other sites may frame. */
function embedRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  // An embeddable chart: its own tiny page that other sites may frame.
  router.get('/resultaten/:slug/insluiten/:index', async (req, res) => {
    const p = await load(db, String(req.params.slug));
    const view = reportView(p.report, p.definition, res.locals.locale);
    const section = view.sections[Number(req.params.index)];
    if (!section) throw notFound();
    res.removeHeader('X-Frame-Options');
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors *",
    );
    // Each embed says what it shows: wave, period, source, and "voorlopige cijfers" when it applies.
    const period = p.report.wave.period;
    const meta = {
      wave: p.report.wave.name,
      period: period ? res.locals.t('embed.period', formatPeriod(period.start, period.end, res.locals.locale)) : null,
      provisional: p.provisional,
      year: p.report.frame.year,
    };
    res.render('pages/public-embed', { section, publication: p, meta, base: `/resultaten/${p.slug}` });
  });

  return router;
}
