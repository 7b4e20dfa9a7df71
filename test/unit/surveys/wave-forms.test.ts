import { describe, expect, it } from 'vitest';
import { readForm } from '../../../server/web/form';
import {
  mailRequestForm,
  newWaveForm,
  newWaveFrom,
  reopenForm,
  waveStatusForm,
} from '../../../surveys/waves/wave-forms';

const valid = {
  survey: 'kerncijfers@2',
  slug: 'kerncijfers-2026',
  name: 'Kerncijfers 2026',
  frame_year: '2025',
  opens_at: '2026-03-01',
  closes_at: '2026-04-30T17:00',
  weighting: 'org_type',
  period_start: '2025-01-01',
  period_end: '2025-12-31',
  calibrate: 'province,students',
  calibration: 'linear',
};

describe('newWaveForm', () => {
  it('reads a valid form as posted and turns it into the wave to create', () => {
    const { values, errors } = readForm(newWaveForm, { ...valid, calibrate: ['province', 'students'], _csrf: 'token' });
    expect(errors).toEqual([]);
    expect(values).toEqual(valid);
    expect(newWaveFrom(values)).toEqual({
      surveyKey: 'kerncijfers',
      surveyVersion: 2,
      slug: 'kerncijfers-2026',
      name: 'Kerncijfers 2026',
      frameYear: 2025,
      // Dutch time, whatever the server's zone: the start of 1 March, 17:00 on 30 April (summer time).
      opensAt: new Date('2026-02-28T23:00:00Z'),
      closesAt: new Date('2026-04-30T15:00:00Z'),
      weighting: 'org_type',
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      calibrate: 'province,students',
      calibrationMethod: 'linear',
    });
  });

  it('leaves empty dates and a survey without version empty', () => {
    const values = readForm(newWaveForm, { survey: 'kerncijfers', frame_year: '2025', slug: 'k', name: 'K' }).values;
    expect(readForm(newWaveForm, values).errors).toEqual([]);
    expect(newWaveFrom(values)).toMatchObject({
      surveyKey: 'kerncijfers',
      surveyVersion: null,
      opensAt: null,
      closesAt: null,
      periodStart: null,
      periodEnd: null,
      calibrate: '',
    });
  });

  it('shows every error at once: slug, name, date order, period, weighting and calibration', () => {
    const body = {
      ...valid,
      slug: 'Kerncijfers 2026!',
      name: ' ',
      opens_at: '2026-05-01',
      closes_at: '2026-04-01',
      period_start: '',
      weighting: 'gemeente',
      calibrate: ['leerlingen'],
      calibration: 'raking',
    };
    expect(readForm(newWaveForm, body).errors.map((e) => [e.field, e.key])).toEqual([
      ['slug', 'wave.slug_invalid'],
      ['name', 'wave.name_required'],
      ['closes_at', 'wave.dates_order'],
      ['period_start', 'wave.period_incomplete'],
      ['weighting', 'wave.weighting_invalid'],
      ['calibrate', 'wave.calibration_unknown'],
    ]);
    const calibration = readForm(newWaveForm, { ...valid, calibrate: ['org_type', 'students'] }).errors;
    expect(calibration).toEqual([
      { field: 'calibrate', key: 'wave.calibration_is_weighting', params: { value: 'org_type' } },
    ]);
    expect(readForm(newWaveForm, { ...valid, calibration: 'raking' }).errors).toEqual([
      { field: 'calibrate', key: 'wave.calibration_raking_numeric', params: { value: 'students' } },
    ]);
  });

  it('reports each error at its field, with its parameters, in the order of the form', () => {
    const body = {
      ...valid,
      survey: '@3',
      frame_year: '25',
      opens_at: 'morgen',
      closes_at: ' 1 april ',
      period_start: '2025-02-30',
      period_end: '31-12-2025',
    };
    expect(readForm(newWaveForm, body).errors).toEqual([
      { field: 'opens_at', key: 'wave.date_invalid', params: { value: 'morgen' } },
      { field: 'closes_at', key: 'wave.date_invalid', params: { value: '1 april' } },
      { field: 'period_start', key: 'wave.date_invalid', params: { value: '2025-02-30' } },
      { field: 'period_end', key: 'wave.date_invalid', params: { value: '31-12-2025' } },
      { field: 'survey', key: 'waves.survey_required' },
      { field: 'frame_year', key: 'wave.year_invalid' },
    ]);
  });

  it('reads hostile shapes as empty fields', () => {
    const hostile = { survey: ['a@1', 'b@1'], frame_year: { $gt: 0 }, opens_at: ['2026-01-01'], slug: 7 };
    const { values, errors } = readForm(newWaveForm, hostile);
    expect(values).toMatchObject({ survey: '', frame_year: '', opens_at: '', slug: '' });
    expect(errors).toEqual([
      { field: 'survey', key: 'waves.survey_required' },
      { field: 'frame_year', key: 'wave.year_invalid' },
      { field: 'slug', key: 'wave.slug_invalid', params: { value: '' } },
      { field: 'name', key: 'wave.name_required', params: {} },
    ]);
  });
});

describe('waveStatusForm', () => {
  it('accepts open and closed only', () => {
    expect(waveStatusForm.safeParse({ status: 'open' }).data).toEqual({ status: 'open' });
    expect(waveStatusForm.safeParse({ status: 'closed' }).data).toEqual({ status: 'closed' });
    for (const status of ['draft', '', ['open'], { open: 1 }, undefined])
      expect(waveStatusForm.safeParse({ status }).success).toBe(false);
  });
});

describe('mailRequestForm', () => {
  it('reads kind, audience and the chosen organisations', () => {
    expect(mailRequestForm.parse({ kind: 'reminder', audience: 'selection', org_id: ['K1', 'K2'] })).toEqual({
      kind: 'reminder',
      audience: 'selection',
      orgIds: ['K1', 'K2'],
    });
    expect(mailRequestForm.parse({ kind: 'invitation', audience: 'all', org_id: 'K1' }).orgIds).toEqual(['K1']);
    expect(mailRequestForm.parse({ kind: 'invitation', audience: 'members' }).orgIds).toEqual([]);
  });

  it('keeps only text organisation ids, at most 5000', () => {
    const many = Array.from({ length: 6000 }, (_, i) => `K${i}`);
    expect(mailRequestForm.parse({ kind: 'invitation', audience: 'selection', org_id: many }).orgIds).toHaveLength(
      5000,
    );
    expect(
      mailRequestForm.parse({ kind: 'invitation', audience: 'selection', org_id: ['K1', { x: 1 }, ['K2'], 3] }).orgIds,
    ).toEqual(['K1']);
    expect(mailRequestForm.parse({ kind: 'invitation', audience: 'selection', org_id: { a: 'K1' } }).orgIds).toEqual(
      [],
    );
  });

  it('refuses an unknown or hostile kind or audience', () => {
    for (const body of [
      { kind: 'spam', audience: 'all' },
      { kind: 'invitation', audience: 'everyone' },
      { kind: ['invitation'], audience: 'all' },
      { kind: 'invitation', audience: { all: 1 } },
      {},
    ])
      expect(mailRequestForm.safeParse(body).success).toBe(false);
  });
});

describe('reopenForm', () => {
  it('reopens only when confirmed with "ja"', () => {
    expect(readForm(reopenForm, { org_id: 'K1', bevestigd: 'ja' }).values).toEqual({ org_id: 'K1', bevestigd: true });
    expect(readForm(reopenForm, { org_id: 'K1', bevestigd: 'nee' }).values.bevestigd).toBe(false);
    expect(readForm(reopenForm, { org_id: ['K1'], bevestigd: ['ja'] }).values).toEqual({
      org_id: '',
      bevestigd: false,
    });
  });
});
