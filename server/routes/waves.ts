import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { groupWords, responseRepresentativeness } from '../../analysis/response-representativeness';
import { nonRespondersCsv } from '../../exports/non-responders-csv';
import { dataRelease, logRelease } from '../../exports/release-log';
import { formText } from '../../foundation/form-fields';
import { waveMailProgress } from '../../foundation/mail/mail-queue';
import { listYears } from '../../register/frame-repository';
import { allQuestions } from '../../surveys/definition-schema';
import { listDefinitions } from '../../surveys/definitions-repository';
import { ResponseError, reopenResponse, waveWithDefinition } from '../../surveys/responses/responses';
import { exportResponses } from '../../surveys/responses/responses-export';
import {
  nonResponders,
  nonRespondersPage,
  responseOverview,
  submittedOrganisations,
} from '../../surveys/waves/monitoring';
import { mailRequestForm, newWaveForm, newWaveFrom, reopenForm, waveStatusForm } from '../../surveys/waves/wave-forms';
import { type MailRequest, planWaveMails, queueWaveMails, sampleMail } from '../../surveys/waves/wave-mailings';
import {
  CALIBRATION_CATEGORICAL,
  CALIBRATION_NUMERIC,
  changeWaveStatus,
  createWave,
  newWaveDatabaseProblems,
  WaveError,
  WEIGHTINGS,
  waveAcceptsAnswers,
} from '../../surveys/waves/waves';
import { findWaveBySlug, listWaves } from '../../surveys/waves/waves-repository';
import { t, tn } from '../../views/i18n/index';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { sendDownload } from '../web/download';
import { checkForm, type FieldError, readForm } from '../web/form';
import { HttpError, notFound } from '../web/http-error';
import { csvFlavour, pageOfList, readQuery, searchText } from '../web/query';

/** The monitor's list of organisations that have not responded: a search and a page. */
const monitorQuery = z.object({ zoek: searchText, pagina: pageOfList });
/** A CSV download's flavour. */
const csvQuery = z.object({ formaat: csvFlavour });
/** The organisation whose submitted response is to be reopened. */
const reopenQuery = z.object({ org_id: formText });

/** The new-wave form's fields top to bottom: its error summary lists them in this order. */
const FORM_ORDER = [
  'survey',
  'name',
  'slug',
  'frame_year',
  'opens_at',
  'closes_at',
  'period_start',
  'period_end',
  'weighting',
  'calibrate',
  'calibration',
];

/** The wave of the URL's slug, or 404. */
async function loadWave(db: AppContext['db'], req: Request) {
  const wave = await findWaveBySlug(db, String(req.params.slug));
  if (!wave) throw notFound();
  return wave;
}

/** The mailing a form asks for: kind, audience and, for a selection, the organisations. */
function mailRequest(wave: Awaited<ReturnType<typeof loadWave>>, input: unknown): MailRequest {
  const form = checkForm(mailRequestForm, input);
  if (!form.ok) throw new HttpError(400, 'error.bad_request');
  return { wave, ...form.values };
}

export function waveRoutes(ctx: AppContext) {
  const router = Router();
  waveListRoutes(router, ctx);
  waveMonitorRoutes(router, ctx);
  waveMailRoutes(router, ctx);
  waveReopenRoutes(router, ctx);
  return router;
}

/** The waves: the list, a new wave, opening and closing. */
function waveListRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  async function showWaves(
    res: Response,
    values: Partial<Record<keyof typeof newWaveForm.shape, string>>,
    errors: FieldError[],
    status = 200,
  ) {
    const [waves, definitions, years] = await Promise.all([listWaves(db), listDefinitions(db), listYears(db)]);
    await res.page(
      'pages/waves',
      {
        waves,
        definitions,
        years,
        values,
        errors,
        weightings: WEIGHTINGS,
        calibrationVariables: [...CALIBRATION_CATEGORICAL, ...CALIBRATION_NUMERIC],
        title: res.locals.t('waves.title'),
      },
      status,
    );
  }

  router.get('/beheer/metingen', requireStaff, async (_req, res) => {
    await showWaves(res, {}, []);
  });

  router.post('/beheer/metingen', requireStaff, async (req: Request, res: Response) => {
    const { values, errors } = readForm(newWaveForm, req.body);
    // What the database knows (questionnaire, frame year, slug in use) joins the form's own errors: all at once.
    const [key, version] = values.survey.split('@');
    for (const problem of await newWaveDatabaseProblems(db, {
      surveyKey: key,
      surveyVersion: Number(version) || null,
      frameYear: /^\d{4}$/.test(values.frame_year) ? Number(values.frame_year) : Number.NaN,
      slug: values.slug,
    }))
      if (!errors.some((e) => e.field === problem.field))
        errors.push({ field: problem.field ?? 'slug', key: problem.code, params: problem.params });
    errors.sort((a, b) => FORM_ORDER.indexOf(a.field) - FORM_ORDER.indexOf(b.field));
    if (errors.length === 0) {
      try {
        const wave = await createWave(db, newWaveFrom(values), req.user!);
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
    const form = checkForm(waveStatusForm, req.body);
    if (!form.ok) throw notFound();
    const { status } = form.values;
    const wave = await findWaveBySlug(db, String(req.params.slug));
    if (!wave) throw notFound();
    const changed = await changeWaveStatus(db, wave.slug, status, req.user!);
    req.session.flash = {
      kind: 'success',
      key: changed.status === 'open' ? 'waves.opened' : 'waves.closed',
      params: { name: changed.name },
    };
    res.redirect(303, '/beheer/metingen');
  });
}

/** A wave's response monitor and its downloads. */
function waveMonitorRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  router.get('/beheer/metingen/:slug', requireStaff, async (req, res) => {
    const wave = await loadWave(db, req);
    const { zoek: search, pagina: page } = readQuery(monitorQuery, req.query);
    const [overview, missing, submitted, mail, representativeness] = await Promise.all([
      responseOverview(db, wave),
      nonRespondersPage(db, wave, { search, page }),
      submittedOrganisations(db, wave),
      waveMailProgress(db, wave.id),
      responseRepresentativeness(db, wave),
    ]);
    await res.page('pages/wave-monitor', {
      title: res.locals.t('monitor.title', { wave: wave.name }),
      wave,
      overview,
      missing,
      search,
      submitted,
      mail,
      representativeness,
      remindFirst: representativeness.first.length
        ? groupWords(representativeness.first, res.locals.t('monitor.remind.and'))
        : null,
    });
  });

  // The preview of a mailing: who gets it, a sample, who has no address, and the confirmation.
  router.get('/beheer/metingen/:slug/berichten', requireStaff, async (req, res) => {
    const wave = await loadWave(db, req);
    const request = mailRequest(wave, { kind: 'invitation', audience: 'not_responded', ...req.query });
    const plan = await planWaveMails(db, request);
    await res.page('pages/wave-mail-preview', {
      title: res.locals.t('monitor.mail.preview_title', { wave: wave.name }),
      wave,
      request,
      plan,
      sample: sampleMail(plan, request, res.locals.locale, ctx.config.associationName),
      newAccounts: plan.reached.reduce((n, o) => n + o.recipients.filter((r) => r.account === 'new').length, 0),
    });
  });

  router.get('/beheer/metingen/:slug/niet-ingediend.csv', requireStaff, async (req, res) => {
    const wave = await loadWave(db, req);
    const flavour = readQuery(csvQuery, req.query).formaat;
    const file = nonRespondersCsv(wave.slug, await nonResponders(db, wave), flavour);
    // Names and addresses of contacts leave the tool: in the release log.
    await logRelease(db, {
      userId: req.user!.id,
      ...dataRelease({ wave: wave.slug, format: `niet-ingediend-${flavour}` }),
    });
    sendDownload(res, file);
  });

  router.get('/beheer/metingen/:slug/antwoorden.csv', requireStaff, async (req, res) => {
    const target = await waveWithDefinition(db, String(req.params.slug));
    if (!target) throw notFound();
    const flavour = readQuery(csvQuery, req.query).formaat;
    const csv = await exportResponses(db, target, flavour);
    await logRelease(db, {
      userId: req.user!.id,
      ...dataRelease({
        wave: target.wave.slug,
        format: `antwoorden-${flavour}`,
        questions: allQuestions(target.definition).map((q) => q.key),
      }),
    });
    res
      .type('text/csv; charset=utf-8')
      .attachment(`antwoorden-${target.wave.slug}${flavour === 'csv-nl' ? '-excel' : ''}.csv`)
      .send(csv);
  });
}

/** Invitations and reminders of a wave. */
function waveMailRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  router.post('/beheer/metingen/:slug/berichten', requireStaff, async (req, res) => {
    const wave = await loadWave(db, req);
    const request = mailRequest(wave, req.body);
    const result = await queueWaveMails(db, {
      ...request,
      actor: req.user!,
      publicUrl: ctx.config.publicUrl,
      locale: res.locals.locale,
      sender: ctx.config.associationName,
    });
    ctx.mailQueue.wake();
    const { locale } = res.locals;
    const counts = {
      messages: tn(locale, 'monitor.mail.n_messages', result.queued),
      organisations: tn(locale, 'monitor.mail.n_organisations', result.reached),
      without: tn(locale, 'monitor.mail.n_without', result.withoutAddress.length),
    };
    // A message that failed is named with its organisations and reason; the others went out.
    req.session.flash = result.failed.length
      ? {
          kind: 'error',
          key: 'monitor.mail.queued_with_failures',
          params: {
            ...counts,
            failed: t(locale, 'monitor.mail.failed', {
              n: tn(locale, 'monitor.mail.n_messages', result.failed.length),
              list: result.failed
                .map((f) =>
                  t(locale, 'monitor.mail.failed_item', {
                    email: f.email,
                    organisations: f.organisations.map((o) => `${o.name} (${o.org_id})`).join(', '),
                    reason: f.reason.slice(0, 200),
                  }),
                )
                .join('; '),
            }),
          },
        }
      : { kind: 'success', key: 'monitor.mail.queued', params: counts };
    res.redirect(303, `/beheer/metingen/${wave.slug}#mail-title`);
  });
}

/** Reopening one organisation's response. */
function waveReopenRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  // Reopening a submitted response asks first: the link in the list opens this page.
  router.get('/beheer/metingen/:slug/heropenen', requireStaff, async (req, res) => {
    const wave = await loadWave(db, req);
    const orgId = readQuery(reopenQuery, req.query).org_id;
    const response = (await submittedOrganisations(db, wave)).find((o) => o.org_id === orgId);
    if (!response) throw notFound();
    await res.page('pages/wave-reopen', {
      title: res.locals.t('monitor.reopen_title', { org: response.name || orgId }),
      wave,
      response,
      closed: !waveAcceptsAnswers(wave),
    });
  });

  router.post('/beheer/metingen/:slug/heropenen', requireStaff, async (req, res) => {
    const wave = await loadWave(db, req);
    const { values } = readForm(reopenForm, req.body);
    const { org_id, bevestigd } = values;
    if (!bevestigd)
      return res.redirect(303, `/beheer/metingen/${wave.slug}/heropenen?org_id=${encodeURIComponent(org_id)}`);
    try {
      await reopenResponse(db, { wave, orgId: org_id, staff: req.user! });
    } catch (error) {
      if (error instanceof ResponseError && error.code === 'monitor.reopen_closed')
        throw new HttpError(409, error.code);
      if (error instanceof ResponseError) throw new HttpError(404, error.code);
      throw error;
    }
    req.session.flash = { kind: 'success', key: 'monitor.reopened', params: { org: org_id } };
    res.redirect(303, `/beheer/metingen/${wave.slug}`);
  });

  return router;
}
