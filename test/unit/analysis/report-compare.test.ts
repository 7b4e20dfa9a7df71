import { describe, expect, it } from 'vitest';
import { compareWaves, trendOf, withPrevious } from '../../../analysis/report/report-compare';
import type { ReportEstimate, ReportModel } from '../../../analysis/report/report-model';

const estimate = (
  domain: string,
  dimension: string | null,
  value: number | null,
  extra: Partial<ReportEstimate> = {},
) =>
  ({
    question: 'students_quit',
    statistic: 'proportion',
    method: 'stratified',
    auxiliary: null,
    category: null,
    dimension,
    domain,
    estimate: value,
    se: null,
    ci_low: value === null ? null : value - 0.05,
    ci_high: value === null ? null : value + 0.05,
    n: 10,
    n_band: null,
    N: 20,
    suppressed: value === null,
    reason: null,
    previous: null,
    change: null,
    perturbed: true,
    rounding: { estimate: 0.01, se: null },
    ...extra,
  }) as ReportEstimate;

const report = (slug: string, estimates: ReportEstimate[]) =>
  ({ wave: { slug, name: slug }, estimates }) as ReportModel;

describe('withPrevious', () => {
  it('sets the previous value and the change rounded to the published unit, without changing its input', () => {
    const now = [estimate('*', null, 0.1), estimate('Utrecht', 'province', 0.4), estimate('Zeeland', 'province', null)];
    const before = [estimate('*', null, 0.3), estimate('Zeeland', 'province', 0.2)];
    const compared = withPrevious(now, { estimates: before });
    expect(compared.map((e) => [e.previous, e.change])).toEqual([
      [0.3, -0.2],
      [null, null],
      [0.2, null],
    ]);
    expect(now[0].previous).toBeNull();
  });

  it('takes nothing from a suppressed previous value, nor from a different cell', () => {
    const now = [estimate('*', null, 0.1), estimate('*', null, 0.5, { category: 'ja' })];
    const before = [estimate('*', null, null), estimate('*', null, 0.2, { category: 'nee' })];
    expect(withPrevious(now, { estimates: before }).map((e) => e.previous)).toEqual([null, null]);
  });
});

describe('trendOf', () => {
  it('follows the whole-branch estimates of the last report through the earlier ones, oldest first', () => {
    const trend = trendOf([
      report('mei', [estimate('*', null, 0.2)]),
      report('juni', [estimate('*', null, 0.3), estimate('Utrecht', 'province', 0.9)]),
    ]);
    expect(trend.waves.map((w) => w.slug)).toEqual(['mei', 'juni']);
    expect(trend.series).toHaveLength(1);
    expect(trend.series[0].points.map((p) => p.estimate)).toEqual([0.2, 0.3]);
  });
});

describe('compareWaves', () => {
  it('uses the newest earlier report as the previous wave and leaves out waves that gave no report', () => {
    const compared = compareWaves(
      { slug: 'juli', name: 'juli' },
      [estimate('*', null, 0.4)],
      [report('juni', [estimate('*', null, 0.3)]), null, report('april', [estimate('*', null, 0.1)])],
    );
    expect(compared.previous_wave).toEqual({ slug: 'juni', name: 'juni', period: null });
    expect(compared.estimates[0].change).toBe(0.1);
    expect(compared.trend?.waves.map((w) => w.slug)).toEqual(['april', 'juni', 'juli']);
  });

  it('has no previous wave when the previous one could not give the report, but still a trend', () => {
    const compared = compareWaves(
      { slug: 'juli', name: 'juli' },
      [estimate('*', null, 0.4)],
      [null, report('mei', [estimate('*', null, 0.1)])],
    );
    expect(compared.previous_wave).toBeNull();
    expect(compared.estimates[0].previous).toBeNull();
    expect(compared.trend?.waves.map((w) => w.slug)).toEqual(['mei', 'juli']);
  });
});
