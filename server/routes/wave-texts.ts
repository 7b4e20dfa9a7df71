// "Berichtteksten" of a wave (/beheer/metingen/SLUG/teksten): the invitation and
// reminder texts, each with a preview filled in for an example organisation.
import { Router } from 'express';
import { z } from 'zod';
import { formText } from '../../foundation/form-fields';
import { formatDate } from '../../foundation/numbers/format-dutch';
import { fillMailText, MAIL_PLACEHOLDERS } from '../../surveys/waves/mail-texts';
import { checkWaveTexts, saveWaveTexts } from '../../surveys/waves/wave-texts';
import { findWaveBySlug, type WaveRow } from '../../surveys/waves/waves-repository';
import { t } from '../../views/i18n/index';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { readForm } from '../web/form';
import { notFound } from '../web/http-error';

const textsForm = z.object({ invitation_text: formText, reminder_text: formText, action: formText });

export function waveTextRoutes(ctx: AppContext) {
  const router = Router();
  const { db } = ctx;

  async function loadWave(slug: string) {
    const wave = await findWaveBySlug(db, slug);
    if (!wave) throw notFound();
    return wave;
  }

  function previews(wave: WaveRow, texts: Record<'invitation_text' | 'reminder_text', string>, locale: 'nl' | 'en') {
    const example = {
      naam: 'Anna de Vries',
      organisatie: 'Muziekschool Voorbeeld',
      meting: wave.name,
      sluitdatum: wave.closes_at ? formatDate(wave.closes_at, locale) : '',
      link: `${t(locale, 'mail.wave.login')}\n${t(locale, 'monitor.mail.link_placeholder')}`,
      afzender: ctx.config.associationName,
    };
    return {
      invitation_text: texts.invitation_text.trim() ? fillMailText(texts.invitation_text, example) : null,
      reminder_text: texts.reminder_text.trim() ? fillMailText(texts.reminder_text, example) : null,
    };
  }

  async function show(
    res: Parameters<Parameters<typeof router.get>[1]>[1],
    wave: WaveRow,
    values: Record<'invitation_text' | 'reminder_text', string>,
    errors: ReturnType<typeof checkWaveTexts>,
    preview: boolean,
    status = 200,
  ) {
    await res.page(
      'pages/wave-texts',
      {
        title: res.locals.t('wavetexts.title', { wave: wave.name }),
        wave,
        values,
        errors,
        placeholders: MAIL_PLACEHOLDERS,
        sender: ctx.config.associationName,
        preview: preview && errors.length === 0 ? previews(wave, values, res.locals.locale) : null,
      },
      status,
    );
  }

  router.get('/beheer/metingen/:slug/teksten', requireStaff, async (req, res) => {
    const wave = await loadWave(String(req.params.slug));
    const values = { invitation_text: wave.invitation_text ?? '', reminder_text: wave.reminder_text ?? '' };
    await show(res, wave, values, [], true);
  });

  router.post('/beheer/metingen/:slug/teksten', requireStaff, async (req, res) => {
    const wave = await loadWave(String(req.params.slug));
    const { values } = readForm(textsForm, req.body);
    const texts = { invitation_text: values.invitation_text, reminder_text: values.reminder_text };
    if (values.action === 'preview') {
      const errors = checkWaveTexts(texts);
      return show(res, wave, texts, errors, true, errors.length ? 422 : 200);
    }
    const errors = await saveWaveTexts(db, { wave, texts, actor: req.user! });
    if (errors.length) return show(res, wave, texts, errors, false, 422);
    req.session.flash = { kind: 'success', key: 'wavetexts.saved' };
    res.redirect(303, `/beheer/metingen/${wave.slug}/teksten`);
  });

  return router;
}
