import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { formText } from '../../foundation/form-fields';
import { compareYears } from '../../register/frame-comparison';
import { frameUploadForm } from '../../register/frame-forms';
import { FrameImportError, importFrame } from '../../register/frame-import';
import { ambiguousMessage, frameErrorMessage } from '../../register/frame-messages';
import * as repo from '../../register/frame-repository';
import { openUpload, type StoredPreview, storeFrameUpload, summariseUpload } from '../../register/frame-upload';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { type FieldError, readForm } from '../web/form';
import { HttpError, notFound } from '../web/http-error';
import { closeAfterResponse, readUpload } from '../web/upload';

const id = z.coerce.number().int().positive();

/** The confirm form of a frame import: only its own "vervangen" box. */
const confirmImportForm = z.object({ replace: formText });

export function frameRoutes(ctx: AppContext) {
  const router = Router();
  frameUploadRoutes(router, ctx);
  framePreviewRoutes(router, ctx);
  frameComparisonRoutes(router, ctx);
  return router;
}

/** The population page and uploading a frame file. */
function frameUploadRoutes(router: Router, ctx: AppContext) {
  const { db, config } = ctx;
  async function showOverview(res: Response, values: Record<string, string>, errors: FieldError[], status = 200) {
    const [years, imports] = await Promise.all([repo.listYears(db), repo.listImports(db)]);
    await res.page(
      'pages/frame',
      {
        years,
        imports,
        values,
        errors,
        limitMb: Math.round(config.uploadLimitBytes / 1024 / 1024),
        title: res.locals.t('frame.title'),
      },
      status,
    );
  }

  router.get('/beheer/populatie', requireStaff, async (_req, res) => {
    await showOverview(res, { year: String(new Date().getFullYear() - 1) }, []);
  });

  router.post('/beheer/populatie/upload', requireStaff, async (req, res) => {
    let upload;
    try {
      upload = await readUpload(req, {
        limitBytes: config.uploadLimitBytes,
        fileField: 'file',
        receive: async (stream, fileName) => ({
          name: fileName,
          ...(await storeFrameUpload(db, { userId: req.user!.id, fileName: fileName.slice(0, 200) }, stream)),
        }),
        discard: (file) => repo.deleteUpload(db, file.id),
      });
    } catch (error) {
      if (error instanceof HttpError && error.status === 413) {
        closeAfterResponse(req, res);
        return showOverview(res, { year: '' }, [{ field: 'file', key: error.messageKey, params: error.params }], 413);
      }
      throw error;
    }
    const { values, errors } = readForm(frameUploadForm, upload.fields);
    if (!upload.file || upload.file.bytes === 0) errors.push({ field: 'file', key: 'frame.file_required' });
    if (errors.length) {
      if (upload.file) await repo.deleteUpload(db, upload.file.id);
      return showOverview(res, values, errors, 422);
    }
    const file = upload.file!;
    // The one read of the file for its preview; the preview pages show what is stored here.
    await summariseUpload(db, {
      id: file.id,
      year: Number(values.year),
      replace: values.replace === 'ja',
      checksum: file.checksum,
    });
    res.redirect(303, `/beheer/populatie/upload/${file.id}`);
  });
}

/** An uploaded frame's preview: importing it, or cancelling. */
function framePreviewRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  async function loadUpload(req: Request) {
    const uploadId = id.safeParse(req.params.id);
    const upload = uploadId.success ? await repo.findUpload(db, uploadId.data, req.user!.id) : undefined;
    if (!upload) throw new HttpError(404, 'frame.upload_expired');
    return upload;
  }

  async function showPreview(
    res: Response,
    upload: Awaited<ReturnType<typeof loadUpload>>,
    options: { status?: number; errors?: FieldError[]; replace?: boolean; existing?: number } = {},
  ) {
    const preview = upload.summary as StoredPreview;
    const errors = options.errors ?? [];
    const messages = preview.summary.errors.map((e) => frameErrorMessage(res.locals.locale, e));
    const ambiguous = preview.summary.ambiguous.map((a) => ambiguousMessage(res.locals.locale, a));
    await res.page(
      'pages/frame-preview',
      {
        upload,
        preview,
        messages,
        ambiguous,
        errors,
        // The year may have been imported by someone else since the preview was made.
        existing: options.existing ?? preview.existing,
        replaceChecked: options.replace ?? upload.replace,
        title: res.locals.t('frame.preview.title', { year: upload.year }),
      },
      options.status ?? 200,
    );
  }

  router.get('/beheer/populatie/upload/:id', requireStaff, async (req, res) => {
    await showPreview(res, await loadUpload(req));
  });

  router.post('/beheer/populatie/upload/:id', requireStaff, async (req, res) => {
    const upload = await loadUpload(req);
    // The confirm page's own "vervangen" checkbox decides; it starts as ticked on the upload form.
    const replace = readForm(confirmImportForm, req.body).values.replace === 'ja';
    try {
      // The real import reads the stored file again and checks every row anew.
      const result = await importFrame(ctx.handle, {
        open: (readDb) => openUpload(readDb, upload.id),
        fileName: upload.file_name,
        year: upload.year,
        replace,
        actor: req.user!,
        source: 'web',
      });
      await repo.deleteUpload(db, upload.id);
      req.session.flash = {
        kind: 'success',
        key: 'frame.imported',
        params: { year: upload.year, n: result.summary.rows },
      };
      res.redirect(303, '/beheer/populatie');
    } catch (error) {
      if (!(error instanceof FrameImportError)) throw error;
      if (error.code === 'frame.year_exists') {
        const existing = (await repo.countYear(db, upload.year)) || 1;
        return showPreview(res, upload, {
          status: 422,
          replace: false,
          existing,
          errors: [{ field: 'replace', key: 'frame.preview.year_exists', params: { year: String(upload.year) } }],
        });
      }
      await showPreview(res, upload, { status: 422, replace });
    }
  });

  router.post('/beheer/populatie/upload/:id/annuleren', requireStaff, async (req, res) => {
    const upload = await loadUpload(req);
    await repo.deleteUpload(db, upload.id);
    res.redirect(303, '/beheer/populatie');
  });
}

/** Two frame years compared. */
function frameComparisonRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  router.get('/beheer/populatie/:year/vergelijking', requireStaff, async (req, res) => {
    const to = z.coerce.number().int().safeParse(req.params.year);
    const from = z.coerce.number().int().safeParse(req.query.met);
    if (!to.success || !from.success) throw notFound();
    const years = (await repo.listYears(db)).map((y) => y.year);
    if (!years.includes(to.data) || !years.includes(from.data)) throw notFound();
    const comparison = await compareYears(db, from.data, to.data);
    await res.page('pages/frame-comparison', {
      comparison,
      title: res.locals.t('frame.comparison.title', { from: from.data, to: to.data }),
    });
  });

  return router;
}
