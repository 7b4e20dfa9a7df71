import { describe, expect, it } from 'vitest';
import type { ReportEstimate, ReportModel } from '../../../analysis/report/report';
import { domainChartSpec, formatOf, trendChartSpec } from '../../../exports/chart-spec';
import { prepareSpec } from '../../../views/static/js/impact-charts.js';

const estimate = (
  domain: string,
  dimension: string | null,
  value: number | null,
  extra: Partial<ReportEstimate> = {},
): ReportEstimate => ({
  question: 'revenue_loss_eur',
  statistic: 'total',
  method: 'ratio',
  auxiliary: 'turnover_eur',
  category: null,
  dimension,
  domain,
  estimate: value,
  se: value === null ? null : 10,
  ci_low: value === null ? null : value - 20,
  ci_high: value === null ? null : value + 20,
  n: value === null ? null : 10,
  n_band: value === null ? '< 5' : null,
  N: 20,
  suppressed: value === null,
  reason: value === null ? 'min_n' : null,
  previous: null,
  change: null,
  perturbed: true,
  rounding: null,
  ...extra,
});

const report = {
  wave: { slug: 'juni', name: 'Juni' },
  previous_wave: { slug: 'mei', name: 'Mei' },
  estimates: [
    estimate('*', null, 1000, { previous: 1500 }),
    estimate('Utrecht', 'province', 400),
    estimate('Zeeland', 'province', null),
    estimate('Drenthe', 'province', 600),
  ],
} as unknown as ReportModel;

describe('chart specs', () => {
  it('builds bars per domain with intervals and leaves suppressed cells empty', () => {
    const spec = domainChartSpec(
      report,
      { question: 'revenue_loss_eur', statistic: 'total', category: null, dimension: 'province' },
      { type: 'currency' },
      'Omzetderving',
      'nl',
    );
    expect(spec.type).toBe('bar');
    expect(spec.data.labels).toEqual(['Utrecht', 'Zeeland', 'Drenthe']);
    expect(spec.data.datasets[0].data).toEqual([400, null, 600]);
    expect(spec.options.plugins.impact).toEqual({
      format: 'currency',
      locale: 'nl',
      intervals: [[380, 420], null, [580, 620]],
    });
    expect(spec.options.scales.y.suggestedMax).toBe(620);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec); // plain JSON: the same spec travels to the browser
  });

  it('draws the previous wave and this one for a report published before trends were kept', () => {
    const spec = trendChartSpec(
      report,
      { question: 'revenue_loss_eur', statistic: 'total', category: null, dimension: 'province' },
      { type: 'currency' },
      'Omzetderving',
      'nl',
    )!;
    expect(spec.type).toBe('line');
    expect(spec.data.labels).toEqual(['Mei', 'Juni']);
    expect(spec.data.datasets[0].data).toEqual([1500, 1000]);
  });

  it('draws every wave of the trend, with intervals, and leaves a suppressed wave as a gap', () => {
    const point = (v: number | null) => ({
      estimate: v,
      ci_low: v === null ? null : v - 50,
      ci_high: v === null ? null : v + 50,
    });
    const withTrend = {
      ...report,
      trend: {
        waves: [
          { slug: 'apr', name: 'April' },
          { slug: 'mei', name: 'Mei' },
          { slug: 'juni', name: 'Juni' },
        ],
        series: [
          {
            question: 'revenue_loss_eur',
            statistic: 'total',
            category: null,
            points: [point(2000), point(null), point(1000)],
          },
          {
            question: 'extra_costs_eur',
            statistic: 'total',
            category: null,
            points: [point(null), point(null), point(300)],
          },
        ],
      },
    } as unknown as ReportModel;
    const group = { question: 'revenue_loss_eur', statistic: 'total', category: null, dimension: null } as const;
    const spec = trendChartSpec(withTrend, group, { type: 'currency' }, 'Omzetderving', 'nl')!;
    expect(spec.data.labels).toEqual(['April', 'Mei', 'Juni']);
    expect(spec.data.datasets[0].data).toEqual([2000, null, 1000]);
    expect(spec.options.plugins.impact.intervals).toEqual([[1950, 2050], null, [950, 1050]]);
    expect(spec.options.scales.y.suggestedMax).toBe(2050);
    // One wave with a value is no line.
    expect(
      trendChartSpec(withTrend, { ...group, question: 'extra_costs_eur' }, { type: 'currency' }, 'Extra kosten', 'nl'),
    ).toBeNull();
  });

  it('formats the value axis the Dutch way', () => {
    expect(formatOf({ type: 'percentage' }, 'mean')).toBe('percentage');
    expect(formatOf({ type: 'single_choice' }, 'proportion')).toBe('proportion');
    const spec = prepareSpec(
      domainChartSpec(
        report,
        { question: 'revenue_loss_eur', statistic: 'total', category: null, dimension: 'province' },
        { type: 'currency' },
        'x',
        'nl',
      ),
    );
    const tick = (spec.options.scales.y.ticks as { callback: (v: number) => string }).callback;
    expect(tick(2_500_000)).toBe('€ 2,5 mln');
    expect(tick(12500)).toBe('€ 12.500');
  });
});
