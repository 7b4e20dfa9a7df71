// A calibrated wave's report (README "Calibration") through the whole pipeline on a
// real database: its respondents reproduce the frame's totals, its estimates are the
// calibration estimator's on the raw answers, an impossible calibration falls back
// with a Dutch warning naming the category, and the wave's settings are fixed.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrate, calibratedMean, calibratedTotal } from '../../analysis/estimators/calibration';
import { aggregate, buildReport } from '../../analysis/report/report';
import { numericGroupsOfUnits } from '../../analysis/report/report-calibrate';
import { planReport } from '../../analysis/report/report-plan';
import * as repo from '../../analysis/report/report-repository';
import { reportView } from '../../exports/report-view';
import { fillDemoResponses } from '../../server/demo/demo-responses';
import { changeWaveStatus, createWave, WaveError } from '../../surveys/waves/waves';
import { type TestDatabase, testDialects } from '../support/databases';
import { CORONA, seedSurvey } from '../support/survey-fixtures';

describe.each(testDialects())('a calibrated wave on $kind', (dialect) => {
  let handle: TestDatabase;
  let frame: Awaited<ReturnType<typeof seedSurvey>>['rows'];

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle, { orgs: 160, slug: 'mei' });
    frame = seeded.rows;
    await createWave(
      handle.db,
      {
        surveyKey: 'corona-impact',
        slug: 'juni',
        name: 'Juni',
        frameYear: 2019,
        calibrate: 'province,students',
      },
      null,
    );
    await changeWaveStatus(handle.db, 'juni', 'open', null);
    await fillDemoResponses(handle.db, { slug: 'juni', frame, seed: 7, phase: 'reopening', rate: 0.6 });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('keeps the calibration fixed with the wave and refuses what cannot be calibrated', async () => {
    const wave = await sql<{ calibration: string; calibration_method: string }>`
      select calibration, calibration_method from waves where slug = 'juni'`.execute(handle.db);
    expect(wave.rows[0]).toEqual({ calibration: 'province,students', calibration_method: 'linear' });
    const attempt = (calibrateText: string, method?: string) =>
      createWave(
        handle.db,
        {
          surveyKey: 'corona-impact',
          slug: 'fout',
          name: 'Fout',
          frameYear: 2019,
          calibrate: calibrateText,
          calibrationMethod: method,
        },
        null,
      );
    await expect(attempt('org_type')).rejects.toMatchObject({ code: 'wave.calibration_is_weighting' });
    await expect(attempt('provincie')).rejects.toMatchObject({ code: 'wave.calibration_unknown' });
    await expect(attempt('province,students', 'raking')).rejects.toMatchObject({
      code: 'wave.calibration_raking_numeric',
    });
    await expect(attempt('province', 'wegen')).rejects.toBeInstanceOf(WaveError);
  });

  it('estimates with calibrated weights: the respondents reproduce the frame, and the report equals the estimator on the raw answers', async () => {
    const report = await buildReport(handle.db, {
      wave: 'juni',
      by: 'province',
      questions: ['revenue_loss_eur', 'online_lessons'],
      protect: false,
    });
    expect(report.design.calibration).toEqual({ variables: ['province', 'students'], method: 'linear' });
    const raw = await sql<{
      org_type: string;
      province: string;
      students: number | null;
      turnover: string | null;
      y: string | null;
      hidden: boolean;
    }>`
      select f.org_type, f.province, f.students, f.turnover_eur::text as turnover, a.value_num::text as y, a.hidden
      from answers a join responses r on r.id = a.response_id join frame_units f on f.org_id = r.org_id and f.year = 2019
      where r.status = 'submitted' and r.wave_id = (select id from waves where slug = 'juni')
        and a.question_key = 'revenue_loss_eur' and (a.hidden or a.value_num is not null) and f.turnover_eur is not null
      order by r.id`.execute(handle.db);
    const covered = new Set(raw.rows.map((r) => r.org_type));
    const units = await sql<{ org_type: string; province: string; students: number | null; turnover: string | null }>`
      select org_type, province, students, turnover_eur::text as turnover from frame_units where year = 2019`.execute(
      handle.db,
    );
    const inFrame = units.rows.filter((f) => covered.has(f.org_type));
    const count = (f: (r: (typeof inFrame)[number]) => string) =>
      inFrame.reduce<Record<string, number>>((a, r) => {
        a[f(r)] = (a[f(r)] ?? 0) + 1;
        return a;
      }, {});
    const cal = calibrate(
      raw.rows.map((r) => ({
        stratum: r.org_type,
        values: { province: r.province, students: r.students ?? 0, turnover_eur: Number(r.turnover) },
      })),
      {
        strata: Object.entries(count((r) => r.org_type)).map(([stratum, N]) => ({ stratum, N })),
        counts: { province: count((r) => r.province) },
        totals: {
          students: inFrame.reduce((a, r) => a + (r.students ?? 0), 0),
          turnover_eur: inFrame.reduce((a, r) => a + Number(r.turnover ?? 0), 0),
        },
      },
    );
    if (!('weights' in cal)) throw new Error(JSON.stringify(cal));
    // The calibrated weights reproduce the frame's province counts.
    const zeeland = raw.rows.reduce((a, r, i) => a + (r.province === 'Zeeland' ? cal.weights[i] : 0), 0);
    expect(zeeland).toBeCloseTo(count((r) => r.province).Zeeland ?? 0, 6);
    const y = raw.rows.map((r) => (r.hidden ? 0 : Number(r.y)));
    const all = raw.rows.map(() => true);
    const expected = calibratedTotal(cal, y, all);
    const total = report.estimates.find(
      (e) => e.question === 'revenue_loss_eur' && e.statistic === 'total' && e.domain === '*',
    )!;
    expect(total.method).toBe('calibrated');
    expect(Math.abs(total.estimate! - expected.estimate) / expected.estimate).toBeLessThan(1e-9);
    expect(Math.abs(total.se! - expected.se) / expected.se).toBeLessThan(1e-9);
    const utrecht = raw.rows.map((r) => r.province === 'Utrecht');
    const domainMean = calibratedMean(
      cal,
      y,
      utrecht.map((u, i) => u && !raw.rows[i].hidden),
    )!;
    const mean = report.estimates.find(
      (e) => e.question === 'revenue_loss_eur' && e.statistic === 'mean' && e.domain === 'Utrecht',
    )!;
    expect(Math.abs(mean.estimate! - domainMean.estimate) / domainMean.estimate).toBeLessThan(1e-9);
    // The whole's SE comes from the sums of the province cells, a cell's from its own: both as the estimator's.
    expect(Math.abs(mean.se! - domainMean.se) / domainMean.se).toBeLessThan(1e-9);
    const share = report.estimates.find((e) => e.question === 'online_lessons' && e.domain === '*')!;
    expect(share.method).toBe('calibrated');
    expect(share.estimate!).toBeGreaterThan(0);
    expect(share.estimate!).toBeLessThan(1);
  });

  it('sums its unit answers into the groups the database sums them into (the grouped query it no longer runs)', async () => {
    const plan = await planReport(handle.db, { wave: 'juni', protect: false });
    const data = await aggregate(handle.db, plan);
    const aux = Object.fromEntries(
      plan.questions.filter((q) => q.kind === 'numeric').map((q) => [q.question.key, q.aux]),
    );
    const scope = { waveId: plan.wave.id, year: plan.year };
    const fromDatabase = await repo.numericGroups(handle.db, scope, plan.grouping, aux);
    // The second largest answers the database fetches only where asked: here for every group.
    await repo.secondLargest(
      handle.db,
      scope,
      plan.grouping,
      aux,
      fromDatabase.filter((g) => g.top[1] === null),
    );
    const fromUnits = numericGroupsOfUnits(data.calibration!, aux);
    expect(data.numeric).toEqual(fromUnits);
    const key = (g: repo.NumericGroup) => JSON.stringify([g.question, g.stratum, g.labels, g.shown, g.has_x]);
    const expected = new Map(fromDatabase.map((g) => [key(g), g]));
    expect(fromUnits.map(key).sort()).toEqual([...expected.keys()].sort());
    for (const g of fromUnits) {
      const d = expected.get(key(g))!;
      expect({ n: g.n, keys: g.keys, top: g.top }).toEqual({ n: d.n, keys: d.keys, top: d.top });
      for (const sum of ['sy', 'sx', 'syy', 'sxx', 'sxy'] as const)
        expect(Math.abs(g[sum] - d[sum])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(d[sum])));
    }
    // The wave has what the groups split on: hidden answers, auxiliaries known and unknown, two or more answers.
    expect(fromUnits.some((g) => !g.shown)).toBe(true);
    expect(fromUnits.some((g) => g.has_x)).toBe(true);
    expect(fromUnits.some((g) => !g.has_x)).toBe(true);
    expect(fromUnits.some((g) => g.shown && g.top[1]! > 0)).toBe(true);
  });

  it('computes an uncalibrated wave exactly as before', async () => {
    const report = await buildReport(handle.db, { wave: 'mei', questions: ['revenue_loss_eur'], protect: false });
    expect(report.design.calibration).toBeUndefined();
    expect(new Set(report.estimates.map((e) => e.method))).toEqual(new Set(['ratio', 'stratified']));
  });

  it('falls back with a Dutch warning naming the category when a category has no respondents', async () => {
    const zeeland = frame.filter((f) => f.province === 'Zeeland').map((f) => f.org_id);
    expect(zeeland.length).toBeGreaterThan(0);
    await createWave(
      handle.db,
      { surveyKey: 'corona-impact', slug: 'juli', name: 'Juli', frameYear: 2019, calibrate: 'province' },
      null,
    );
    await changeWaveStatus(handle.db, 'juli', 'open', null);
    await fillDemoResponses(handle.db, { slug: 'juli', frame, seed: 8, phase: 'reopening', rate: 0.6, skip: zeeland });
    const report = await buildReport(handle.db, { wave: 'juli', questions: ['revenue_loss_eur'], protect: false });
    const total = report.estimates.find(
      (e) => e.question === 'revenue_loss_eur' && e.statistic === 'total' && e.domain === '*',
    )!;
    expect(total.method).toBe('ratio');
    expect(report.warnings.join('\n')).toMatch(
      /Kalibratie was niet mogelijk voor .*provincie “Zeeland” \(\d+ organisaties/,
    );
  });

  it('protects calibrated estimates like any other', async () => {
    const report = await buildReport(handle.db, { wave: 'juni', by: 'province', questions: ['revenue_loss_eur'] });
    const whole = report.estimates.find(
      (e) => e.question === 'revenue_loss_eur' && e.statistic === 'total' && e.domain === '*',
    )!;
    expect(whole.method).toBe('calibrated');
    expect(whole.perturbed).toBe(true);
    expect(report.estimates.some((e) => e.suppressed)).toBe(true);
    // The method note says in plain Dutch what calibration did, and the R-indicator what it means.
    const view = reportView(report, CORONA, 'nl');
    expect(view.method.join(' ')).toContain(
      'KAnS-aantallen en -totalen halen van: provincie (aantallen per provincie), leerlingen (totaal)',
    );
    expect(view.rIndicator).toMatch(/^R-indicator van de respons: 0,\d\d\./);
  });
});
