import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { textFields, type FieldError } from '../web/form';
import { notFound } from '../web/http-error';
import { changeWaveStatus, createWave, parseWaveDate, WaveError } from '../../surveys/waves/waves';
import { findWaveBySlug, listWaves } from '../../surveys/waves/waves-repository';
import { listDefinitions } from '../../surveys/definitions-repository';
import { listYears } from '../../analysis/frame/frame-repository';

const FIELDS = ['survey', 'slug', 'name', 'frame_year', 'opens_at', 'closes_at'] as const;

export function waveRoutes(ctx: AppContext) {
  const router = Router();
  const { db } = ctx;

  async function showWaves(res: Response, values: Partial<Record<(typeof FIELDS)[number], string>>, errors: FieldError[], status = 200) {
    const [waves, definitions, years] = await Promise.all([listWaves(db), listDefinitions(db), listYears(db)]);
    await res.page('pages/waves', { waves, definitions, years, values, errors, title: res.locals.t('waves.title') }, status);
  }

  router.get('/beheer/metingen', requireStaff, async (req, res) => {
    await showWaves(res, {}, []);
  });

  router.post('/beheer/metingen', requireStaff, async (req: Request, res: Response) => {
    const values = textFields(req.body, FIELDS);
    const errors: FieldError[] = [];
    const [surveyKey, surveyVersion] = values.survey.split('@');
    let opensAt: Date | null = null;
    let closesAt: Date | null = null;
    for (const [field, assign] of [['opens_at', (d: Date | null) => (opensAt = d)], ['closes_at', (d: Date | null) => (closesAt = d)]] as const) {
      try {
        assign(parseWaveDate(values[field], field));
      } catch (error) {
        if (!(error instanceof WaveError)) throw error;
        errors.push({ field, key: error.code, params: error.params });
      }
    }
    if (!surveyKey) errors.push({ field: 'survey', key: 'waves.survey_required' });
    if (!/^\d{4}$/.test(values.frame_year)) errors.push({ field: 'frame_year', key: 'wave.year_invalid' });
    if (errors.length === 0) {
      try {
        const wave = await createWave(db, { surveyKey, surveyVersion: Number(surveyVersion) || null, slug: values.slug, name: values.name, frameYear: Number(values.frame_year), opensAt, closesAt }, req.user!);
        req.session.flash = { kind: 'success', key: 'waves.created', params: { name: wave.name } };
        return res.redirect(303, '/beheer/metingen');
      } catch (error) {
        if (!(error instanceof WaveError)) throw error;
        errors.push({ field: error.field ?? 'slug', key: error.code, params: error.params });
      }
    }
    await showWaves(res, values, errors, 422);
  });

  router.post('/beheer/metingen/:slug/status', requireStaff, async (req, res) => {
    const { status } = textFields(req.body, ['status'] as const);
    if (status !== 'open' && status !== 'closed') throw notFound();
    const wave = await findWaveBySlug(db, String(req.params.slug));
    if (!wave) throw notFound();
    const changed = await changeWaveStatus(db, wave.slug, status, req.user!);
    req.session.flash = { kind: 'success', key: changed.status === 'open' ? 'waves.opened' : 'waves.closed', params: { name: changed.name } };
    res.redirect(303, '/beheer/metingen');
  });

  return router;
}
