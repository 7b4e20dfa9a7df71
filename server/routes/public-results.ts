import { Router } from 'express';
import { findPublication, listPublications } from '../../exports/publications';
import { reportView } from '../../exports/report-view';
import type { AppContext } from '../app';
import { notFound } from '../web/http-error';
import { sendChart, sendExport } from './reports';

/** Published results: frozen, protected snapshots readable without login. */
export function publicResultRoutes(ctx: AppContext) {
  const router = Router();
  const { db } = ctx;

  async function load(slug: string) {
    const publication = await findPublication(db, slug);
    if (!publication) throw notFound();
    return publication;
  }

  router.get('/resultaten', async (_req, res) => {
    const publications = (await listPublications(db)).filter((p) => !p.withdrawn_at);
    await res.page('pages/public-list', { title: res.locals.t('public.title'), publications });
  });

  router.get('/resultaten/:slug', async (req, res) => {
    const p = await load(String(req.params.slug));
    const view = reportView(p.report, p.definition, res.locals.locale);
    await res.page('pages/public-report', { title: p.title, publication: p, view, base: `/resultaten/${p.slug}` });
  });

  router.get('/resultaten/:slug/grafiek/:index.png', async (req, res) => {
    const p = await load(String(req.params.slug));
    res.set('Cache-Control', 'public, max-age=300');
    await sendChart(res, p.report, p.definition, Number(req.params.index), res.locals.locale);
  });

  router.get('/resultaten/:slug/download.:format', async (req, res) => {
    const format = String(req.params.format);
    if (!['csv', 'csv-nl', 'pdf', 'xlsx'].includes(format)) throw notFound();
    const p = await load(String(req.params.slug));
    await sendExport(res, format, p.report, p.definition, res.locals.locale);
  });

  // An embeddable chart: its own tiny page that other sites may frame.
  router.get('/resultaten/:slug/insluiten/:index', async (req, res) => {
    const p = await load(String(req.params.slug));
    const view = reportView(p.report, p.definition, res.locals.locale);
    const section = view.sections[Number(req.params.index)];
    if (!section) throw notFound();
    res.removeHeader('X-Frame-Options');
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors *",
    );
    res.render('pages/public-embed', { section, publication: p, base: `/resultaten/${p.slug}` });
  });

  return router;
}
