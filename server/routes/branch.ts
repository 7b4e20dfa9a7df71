// The branch in figures: what the population frame alone says, protected like any
// report (analysis/branch/branch-figures.ts), as a page, a readable CSV and a PDF.
import { type Response, Router } from 'express';
import { z } from 'zod';
import { type BranchFigures, branchFigures } from '../../analysis/branch/branch-figures';
import { branchCsv, branchCsvRelease } from '../../exports/branch-csv';
import { renderBranchPdf } from '../../exports/branch-pdf';
import {
  BranchPublicationError,
  branchRevisionAudit,
  findBranchPublication,
  publishBranch,
  withdrawBranch,
} from '../../exports/branch-publications';
import { branchTables } from '../../exports/branch-view';
import { exportQueue } from '../../exports/export-queue';
import { logRelease } from '../../exports/release-log';
import { validYear } from '../../register/frame-import';
import { listYears } from '../../register/frame-repository';
import { type Locale, t } from '../../views/i18n/index';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { sendDownload } from '../web/download';
import { checkForm } from '../web/form';
import { notFound } from '../web/http-error';

/** The publish and withdraw buttons: the frame year. */
const publishForm = z.object({
  jaar: z.coerce
    .number()
    .int()
    .refine((y) => validYear(y)),
});

export function branchRoutes(ctx: AppContext) {
  const router = Router();
  const { db } = ctx;
  const year = (value: unknown) => {
    const parsed = z.coerce.number().safeParse(value);
    return parsed.success && validYear(parsed.data) ? parsed.data : null;
  };

  async function load(requested: unknown) {
    const figures = await branchFigures(db, { year: year(requested) });
    if (!figures) throw notFound();
    return figures;
  }

  router.get('/beheer/branche', requireStaff, async (req, res) => {
    const figures = await branchFigures(db, { year: year(req.query.jaar) });
    const years = (await listYears(db)).map((r) => r.year);
    await res.page('pages/branch', {
      title: t(res.locals.locale, 'branch.title'),
      figures,
      years,
      tables: figures ? branchTables(figures, res.locals.locale) : [],
      published: figures ? await findBranchPublication(db, figures.year) : null,
    });
  });

  /** The preview: exactly the tables the public page will show, and what is public now. */
  async function showPublishPreview(res: Response, figures: BranchFigures, status = 200) {
    await res.page(
      'pages/branch-publish',
      {
        title: t(res.locals.locale, 'branch.publish.title', { year: figures.year }),
        figures,
        tables: branchTables(figures, res.locals.locale),
        published: await findBranchPublication(db, figures.year),
        // A new version is audited against the one before (README "The branch in figures").
        revision: await branchRevisionAudit(db, figures.year, res.locals.locale as Locale),
      },
      status,
    );
  }

  router.get('/beheer/branche/publiceren', requireStaff, async (req, res) => {
    await showPublishPreview(res, await load(req.query.jaar));
  });

  router.post('/beheer/branche/publiceren', requireStaff, async (req, res) => {
    const form = checkForm(publishForm, req.body);
    if (!form.ok) throw notFound();
    let version: number;
    try {
      version = await publishBranch(db, form.values.jaar, req.user!, res.locals.locale as Locale);
    } catch (error) {
      if (!(error instanceof BranchPublicationError)) throw error;
      // Refused as a revision: the preview again, saying why (409: the state of the data, not the request).
      if (error.key === 'branch.publish.revision_refused')
        return showPublishPreview(res, await load(form.values.jaar), 409);
      throw notFound();
    }
    req.session.flash = { kind: 'success', key: 'branch.publish.done', params: { year: form.values.jaar, version } };
    res.redirect(303, `/beheer/branche?jaar=${form.values.jaar}`);
  });

  router.post('/beheer/branche/intrekken', requireStaff, async (req, res) => {
    const form = checkForm(publishForm, req.body);
    if (!form.ok) throw notFound();
    await withdrawBranch(db, form.values.jaar, req.user!).catch((error: unknown) => {
      if (error instanceof BranchPublicationError) throw notFound();
      throw error;
    });
    req.session.flash = { kind: 'success', key: 'branch.publish.withdrawn', params: { year: form.values.jaar } };
    res.redirect(303, `/beheer/branche?jaar=${form.values.jaar}`);
  });

  router.get('/beheer/branche.csv', requireStaff, async (req, res) => {
    const figures = await load(req.query.jaar);
    await logRelease(db, { userId: req.user!.id, kind: 'export', ...branchCsvRelease(figures) });
    sendDownload(res, branchCsv(figures, res.locals.locale as Locale));
  });

  router.get('/beheer/branche.pdf', requireStaff, async (req, res) => {
    const figures = await load(req.query.jaar);
    // A PDF is a heavy export: one at a time, like a report's.
    const content = await exportQueue.run(() => renderBranchPdf(figures, res.locals.locale as Locale));
    await logRelease(db, { userId: req.user!.id, kind: 'export', ...branchCsvRelease(figures), format: 'pdf' });
    sendDownload(res, {
      fileName: `branche-in-cijfers-${figures.year}.pdf`,
      contentType: 'application/pdf',
      content,
    });
  });

  return router;
}
