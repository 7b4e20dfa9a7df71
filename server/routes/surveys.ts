import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { formText } from '../../foundation/form-fields';
import { changeText } from '../../surveys/definition-diff-text';
import {
  type DefinitionFormat,
  differencesFromPrevious,
  prepareNewVersion,
  problemMessage,
  readDefinitionFile,
  storeNewVersion,
  writeDefinitionFile,
} from '../../surveys/definition-files';
import { allQuestions, inLanguage, type SurveyDefinition } from '../../surveys/definition-schema';
import { XLSX_CONTENT_TYPE } from '../../surveys/definition-xlsform';
import { DefinitionError, storedDefinition } from '../../surveys/definitions';
import { findDefinition, listDefinitions } from '../../surveys/definitions-repository';
import { listDrafts } from '../../surveys/editor/drafts-repository';
import { isLocale, type Locale } from '../../views/i18n/index';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { type FieldError, readForm } from '../web/form';
import { HttpError, notFound } from '../web/http-error';
import { readQuery } from '../web/query';
import { closeAfterResponse, readUpload } from '../web/upload';

/** A questionnaire file is small; this is far above any real one. */
const DEFINITION_FILE_LIMIT_BYTES = 5 * 1024 * 1024;

const versionParam = z.coerce.number().int().positive();

/** The upload form's own field next to the file: the questionnaire the file must be (at most 60 characters). */
const uploadForm = z.object({ key: formText.transform((key) => key.slice(0, 60)) });
/** Confirming an upload: the checksum of the version and differences the preview showed. */
const confirmUploadForm = z.object({ checksum: formText });

/** The questionnaire list narrowed to one key. */
const versionsQuery = z.object({ vragenlijst: formText.transform((s) => s.slice(0, 60)) });

/**
 * Staff: the loaded questionnaires, a readable preview of each version in Dutch or
 * English with its differences from the previous version, downloads as Excel
 * (XLSForm) and JSON, and an upload of a new version with a preview of its
 * differences before it is stored.
 */

/** The largest questionnaire file read: the upload limit, at most the definition files' own. */
const limitBytes = (config: AppContext['config']) => Math.min(config.uploadLimitBytes, DEFINITION_FILE_LIMIT_BYTES);
const limitMb = (config: AppContext['config']) => Math.round(limitBytes(config) / 1024 / 1024);

export function surveyRoutes(ctx: AppContext) {
  const router = Router();
  uploadRoutes(router, ctx);
  uploadCheckRoutes(router, ctx);
  versionRoutes(router, ctx);
  return router;
}

/** The questionnaires: the list and uploading a file. */
function uploadRoutes(router: Router, ctx: AppContext) {
  const { db, config } = ctx;
  async function showUploadForm(res: Response, expectedKey: string, errors: FieldError[], status: number) {
    await res.page(
      'pages/survey-upload',
      { title: res.locals.t('survey.upload.title'), expectedKey, errors, limitMb: limitMb(config) },
      status,
    );
  }

  router.get('/beheer/vragenlijsten', requireStaff, async (_req, res) => {
    const [rows, drafts] = await Promise.all([listDefinitions(db), listDrafts(db)]);
    await res.page('pages/surveys', {
      title: res.locals.t('survey.list.title'),
      rows,
      drafts,
      limitMb: limitMb(config),
    });
  });

  router.get('/beheer/vragenlijsten/upload', requireStaff, async (req, res) => {
    const key = readQuery(versionsQuery, req.query).vragenlijst;
    await showUploadForm(res, key, [], 200);
  });

  // Multipart: web/upload.ts checks the CSRF token before it reads a byte of the file.
  router.post('/beheer/vragenlijsten/upload', requireStaff, async (req, res) => {
    let upload;
    try {
      upload = await readUpload(req, {
        limitBytes: limitBytes(config),
        fileField: 'file',
        receive: async (stream, fileName) => {
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          return { name: fileName.slice(0, 200), data: Buffer.concat(chunks) };
        },
        discard: async () => {},
      });
    } catch (error) {
      if (error instanceof HttpError && error.status === 413) {
        closeAfterResponse(req, res);
        return showUploadForm(
          res,
          '',
          [{ field: 'file', key: 'survey.file.too_large', params: { max: limitMb(config) } }],
          413,
        );
      }
      throw error;
    }
    const expectedKey = readForm(uploadForm, upload.fields).values.key;
    if (!upload.file || upload.file.data.length === 0)
      return showUploadForm(res, expectedKey, [{ field: 'file', key: 'survey.file.required' }], 422);
    const read = await readDefinitionFile(upload.file.data, upload.file.name);
    if (!read.ok) {
      const errors = read.problems.map((p) => ({
        field: 'file',
        key: 'survey.file.problem',
        params: { message: problemMessage(res.locals.locale as Locale, p) },
      }));
      return showUploadForm(res, expectedKey, errors, 422);
    }
    if (expectedKey && read.definition.key !== expectedKey)
      return showUploadForm(
        res,
        expectedKey,
        [
          {
            field: 'file',
            key: 'survey.file.key_mismatch',
            params: { found: read.definition.key, expected: expectedKey },
          },
        ],
        422,
      );
    // Nothing is stored yet: the definition waits in the session until the user confirms.
    req.session.surveyUpload = {
      definition: read.definition,
      fileName: upload.file.name,
      warnings: read.warnings.map((w) => problemMessage(res.locals.locale as Locale, w)),
    };
    res.redirect(303, '/beheer/vragenlijsten/upload/controle');
  });
}

/** An uploaded questionnaire's check: the comparison with the version before, storing or cancelling it. */
function uploadCheckRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  function pendingUpload(req: Request) {
    const pending = req.session.surveyUpload;
    if (!pending) throw new HttpError(404, 'survey.file.expired');
    return pending;
  }

  async function showUploadPreview(
    res: Response,
    pending: { definition: SurveyDefinition; fileName: string; warnings?: string[] },
    errors: FieldError[] = [],
    status = 200,
  ) {
    const prepared = await prepareNewVersion(db, pending.definition);
    await res.page(
      'pages/survey-upload-preview',
      {
        title: res.locals.t('survey.upload.preview_title', {
          title: inLanguage(prepared.definition.title, res.locals.locale as Locale),
        }),
        prepared,
        fileName: pending.fileName,
        warnings: pending.warnings ?? [],
        questionCount: allQuestions(prepared.definition).length,
        changeText: (c: Parameters<typeof changeText>[1]) => changeText(res.locals.locale as Locale, c),
        errors,
      },
      status,
    );
    return prepared;
  }

  router.get('/beheer/vragenlijsten/upload/controle', requireStaff, async (req, res) => {
    await showUploadPreview(res, pendingUpload(req));
  });

  router.post('/beheer/vragenlijsten/upload/controle', requireStaff, async (req, res) => {
    const pending = pendingUpload(req);
    const prepared = await prepareNewVersion(db, pending.definition);
    const { checksum } = readForm(confirmUploadForm, req.body).values;
    // The version and differences the user confirmed must still be the ones that would be stored.
    if (checksum !== prepared.checksum || prepared.sameAs !== null)
      return showUploadPreview(res, pending, [{ field: 'confirm', key: 'survey.file.stale' }], 409);
    try {
      await storeNewVersion(db, prepared, req.user!, { fileName: pending.fileName });
    } catch (error) {
      if (!(error instanceof DefinitionError)) throw error;
      return showUploadPreview(res, pending, [{ field: 'confirm', key: 'survey.file.stale' }], 409);
    }
    delete req.session.surveyUpload;
    const { key, version } = prepared.definition;
    req.session.flash = { kind: 'success', key: 'survey.file.stored', params: { key, version } };
    res.redirect(303, `/beheer/vragenlijsten/${key}/${version}`);
  });

  router.post('/beheer/vragenlijsten/upload/annuleren', requireStaff, async (req, res) => {
    delete req.session.surveyUpload;
    res.redirect(303, '/beheer/vragenlijsten');
  });
}

/** A stored version of a questionnaire and its downloads. */
function versionRoutes(router: Router, ctx: AppContext) {
  const { db, config } = ctx;
  async function loadVersion(req: Request) {
    const version = versionParam.safeParse(req.params.version);
    const row = version.success ? await findDefinition(db, String(req.params.key), version.data) : undefined;
    if (!row) throw notFound();
    return storedDefinition(row);
  }

  router.get('/beheer/vragenlijsten/:key/:version', requireStaff, async (req, res) => {
    const definition = await loadVersion(req);
    const previewLocale: Locale = isLocale(req.query.taal) ? req.query.taal : res.locals.locale;
    const labels = Object.fromEntries(allQuestions(definition).map((q) => [q.key, q.label[previewLocale]]));
    await res.page('pages/survey-preview', {
      title: definition.title[previewLocale],
      definition,
      previewLocale,
      labels,
      key: definition.key,
      version: definition.version,
      diff: await differencesFromPrevious(db, definition),
      changeText: (c: Parameters<typeof changeText>[1]) => changeText(res.locals.locale as Locale, c),
      limitMb: limitMb(config),
    });
  });

  router.get('/beheer/vragenlijsten/:key/:version/download/:format', requireStaff, async (req, res) => {
    const format = req.params.format as DefinitionFormat;
    if (format !== 'xlsx' && format !== 'json') throw notFound();
    const definition = await loadVersion(req);
    const file = await writeDefinitionFile(definition, format);
    res
      .type(format === 'xlsx' ? XLSX_CONTENT_TYPE : 'application/json; charset=utf-8')
      .attachment(`${definition.key}-versie-${definition.version}.${format}`)
      .send(file);
  });
  return router;
}
