// The staff's wave forms, each read by one zod schema: text fields as posted (anything
// but a string reads as ''), and the checks the form makes before the domain function
// runs, each an issue at its field with a message key as message (and its parameters).
import { z } from 'zod';
import { formText } from '../../foundation/form-fields';
import { type NewWave, newWaveProblems, parsePeriodDate, parseWaveDate, WaveError } from './waves';

/** Checkboxes of one name: one value, several, or none, as "a,b" (anything but strings reads as nothing). */
const formChoices = z
  .unknown()
  .transform((v) =>
    (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '').join(','),
  )
  .catch('');

const DATE_FIELDS = ['opens_at', 'closes_at'] as const;
const PERIOD_FIELDS = ['period_start', 'period_end'] as const;

/** "Nieuwe meting" (/beheer/metingen): `survey` is "key@version" (or just the key: its newest version). */
export const newWaveForm = z
  .object({
    survey: formText,
    slug: formText,
    name: formText,
    frame_year: formText,
    opens_at: formText,
    closes_at: formText,
    weighting: formText,
    period_start: formText,
    period_end: formText,
    calibrate: formChoices,
    calibration: formText,
  })
  .superRefine((v, ctx) => {
    const dateIssue = (field: string, read: () => unknown) => {
      try {
        read();
      } catch (error) {
        if (!(error instanceof WaveError)) throw error;
        ctx.addIssue({ code: 'custom', path: [field], message: error.code, params: error.params });
      }
    };
    for (const field of DATE_FIELDS) dateIssue(field, () => parseWaveDate(v[field], field));
    for (const field of PERIOD_FIELDS) dateIssue(field, () => parsePeriodDate(v[field], field));
    if (!v.survey.split('@')[0]) ctx.addIssue({ code: 'custom', path: ['survey'], message: 'waves.survey_required' });
    if (!/^\d{4}$/.test(v.frame_year))
      ctx.addIssue({ code: 'custom', path: ['frame_year'], message: 'wave.year_invalid' });
    // Every other check at once (slug, name, date order, period, weighting, calibration), so the
    // form shows all its errors together; a date that does not read is already reported above.
    const date = <T>(read: () => T): T | null => {
      try {
        return read();
      } catch {
        return null;
      }
    };
    for (const problem of newWaveProblems({
      slug: v.slug,
      name: v.name,
      opensAt: date(() => parseWaveDate(v.opens_at, 'opens_at')),
      closesAt: date(() => parseWaveDate(v.closes_at, 'closes_at')),
      periodStart: date(() => parsePeriodDate(v.period_start, 'period_start')),
      periodEnd: date(() => parsePeriodDate(v.period_end, 'period_end')),
      weighting: v.weighting,
      calibrate: v.calibrate,
      calibrationMethod: v.calibration,
    }))
      ctx.addIssue({ code: 'custom', path: [problem.field ?? 'slug'], message: problem.code, params: problem.params });
  });

/** The wave a checked "Nieuwe meting" form asks for (createWave checks slug, name, survey and weighting). */
export function newWaveFrom(values: z.output<typeof newWaveForm>): NewWave {
  const [surveyKey, surveyVersion] = values.survey.split('@');
  return {
    surveyKey,
    surveyVersion: Number(surveyVersion) || null,
    slug: values.slug,
    name: values.name,
    frameYear: Number(values.frame_year),
    opensAt: parseWaveDate(values.opens_at, 'opens_at'),
    closesAt: parseWaveDate(values.closes_at, 'closes_at'),
    weighting: values.weighting,
    periodStart: parsePeriodDate(values.period_start, 'period_start'),
    periodEnd: parsePeriodDate(values.period_end, 'period_end'),
    calibrate: values.calibrate,
    calibrationMethod: values.calibration,
  };
}

/** Opening or closing a wave; any other status is not a form we render. */
export const waveStatusForm = z.object({ status: z.enum(['open', 'closed']) });

/** A mailing to a wave's organisations: kind, audience and, for a selection, the chosen organisations (org_id). */
export const mailRequestForm = z
  .object({
    kind: z.enum(['invitation', 'reminder']),
    audience: z.enum(['all', 'members', 'not_responded', 'selection']),
    org_id: z.unknown().optional(),
  })
  .transform(({ kind, audience, org_id }) => ({
    kind,
    audience,
    orgIds: (Array.isArray(org_id) ? org_id : org_id === undefined ? [] : [org_id])
      .filter((v): v is string => typeof v === 'string')
      .slice(0, 5000),
  }));

/** Reopening a submitted response: the organisation and the confirmation ("ja"). */
export const reopenForm = z.object({ org_id: formText, bevestigd: formText.transform((b) => b === 'ja') });
