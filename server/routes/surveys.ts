import { Router } from 'express';
import { z } from 'zod';
import { allQuestions } from '../../surveys/definition-schema';
import { storedDefinition } from '../../surveys/definitions';
import { findDefinition, listDefinitions } from '../../surveys/definitions-repository';
import { listDrafts } from '../../surveys/editor/drafts-repository';
import { isLocale, type Locale } from '../../views/i18n/index';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { notFound } from '../web/http-error';

/** Staff: the loaded questionnaires and a readable preview of each, in Dutch or English. */
export function surveyRoutes(ctx: AppContext) {
  const router = Router();
  router.get('/beheer/vragenlijsten', requireStaff, async (_req, res) => {
    const [rows, drafts] = await Promise.all([listDefinitions(ctx.db), listDrafts(ctx.db)]);
    await res.page('pages/surveys', { title: res.locals.t('survey.list.title'), rows, drafts });
  });
  router.get('/beheer/vragenlijsten/:key/:version', requireStaff, async (req, res) => {
    const version = z.coerce.number().int().positive().safeParse(req.params.version);
    const row = version.success ? await findDefinition(ctx.db, String(req.params.key), version.data) : undefined;
    if (!row) throw notFound();
    const definition = storedDefinition(row);
    const previewLocale: Locale = isLocale(req.query.taal) ? req.query.taal : res.locals.locale;
    const labels = Object.fromEntries(allQuestions(definition).map((q) => [q.key, q.label[previewLocale]]));
    await res.page('pages/survey-preview', {
      title: definition.title[previewLocale],
      definition,
      previewLocale,
      labels,
      key: row.key,
      version: row.version,
    });
  });
  return router;
}
