import { describe, expect, it } from 'vitest';
import type { ReportEstimate, ReportModel } from '../../../analysis/report/report-model';
import { formatOf, questionChartSpec, questionTrendSpec } from '../../../exports/chart-spec';
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

const money = { key: 'revenue_loss_eur', type: 'currency' as const };

describe('chart specs', () => {
  it('builds bars for the whole branch beside every group, with intervals, suppressed cells empty', () => {
    const spec = questionChartSpec(report, money, 'total', [null], 'province', 'nl', 'Omzetderving');
    expect(spec.type).toBe('bar');
    expect(spec.data.labels).toEqual(['Hele branche', 'Utrecht', 'Zeeland', 'Drenthe']);
    expect(spec.data.datasets).toHaveLength(1);
    expect(spec.data.datasets[0].data).toEqual([1000, 400, null, 600]);
    expect(spec.options.plugins.impact).toEqual({
      format: 'currency',
      locale: 'nl',
      intervals: [[[980, 1020], [380, 420], null, [580, 620]]],
    });
    // The page's heading says what the chart is; only a PNG on its own draws the title.
    expect(spec.options.plugins.title).toMatchObject({ display: false, text: 'Omzetderving' });
    expect(spec.options.plugins.legend.display).toBe(false);
    expect(spec.options.scales.y.suggestedMax).toBe(1020);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec); // plain JSON: the same spec travels to the browser
  });

  it('groups the options of a choice question in one chart with a legend', () => {
    const risk = {
      key: 'closure_risk',
      type: 'single_choice' as const,
      options: [
        { value: 'none', label: { nl: 'Geen risico', en: 'No risk' } },
        { value: 'large', label: { nl: 'Groot risico', en: 'Large risk' } },
      ],
    };
    const share = (domain: string, dimension: string | null, category: string, value: number | null) =>
      estimate(domain, dimension, value, {
        question: 'closure_risk',
        statistic: 'proportion',
        category,
        ci_low: null,
        ci_high: null,
      });
    const choices = {
      ...report,
      estimates: [
        share('*', null, 'none', 0.2),
        share('Utrecht', 'province', 'none', 0.3),
        share('*', null, 'large', 0.1),
        share('Utrecht', 'province', 'large', null),
      ],
    } as unknown as ReportModel;
    const spec = questionChartSpec(choices, risk, 'proportion', ['none', 'large'], 'province', 'nl');
    expect(spec.data.labels).toEqual(['Hele branche', 'Utrecht']);
    expect(spec.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['Geen risico', [0.2, 0.3]],
      ['Groot risico', [0.1, null]],
    ]);
    expect(spec.options.plugins.legend.display).toBe(true);
    expect(spec.options.plugins.impact.format).toBe('proportion');
  });

  it('draws the previous wave and this one for a report published before trends were kept', () => {
    const trend = questionTrendSpec(report, money, 'total', [null], 'nl')!;
    expect(trend.chart.type).toBe('line');
    expect(trend.waves).toEqual(['Mei', 'Juni']);
    expect(trend.chart.data.datasets[0].data).toEqual([1500, 1000]);
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
    const trend = questionTrendSpec(withTrend, money, 'total', [null], 'nl')!;
    expect(trend.waves).toEqual(['April', 'Mei', 'Juni']);
    expect(trend.chart.data.datasets[0].data).toEqual([2000, null, 1000]);
    expect(trend.chart.options.plugins.impact.intervals).toEqual([[[1950, 2050], null, [950, 1050]]]);
    expect(trend.chart.options.scales.y.suggestedMax).toBe(2050);
    // One wave with a value is no line.
    expect(
      questionTrendSpec(withTrend, { key: 'extra_costs_eur', type: 'currency' }, 'total', [null], 'nl'),
    ).toBeNull();
  });

  it('formats the value axis the Dutch way', () => {
    expect(formatOf({ type: 'percentage' }, 'mean')).toBe('percentage');
    expect(formatOf({ type: 'single_choice' }, 'proportion')).toBe('proportion');
    const spec = prepareSpec(questionChartSpec(report, money, 'total', [null], 'province', 'nl'));
    const tick = (spec.options.scales.y.ticks as { callback: (v: number) => string }).callback;
    expect(tick(2_500_000)).toBe('€ 2,5 mln');
    expect(tick(12500)).toBe('€ 12.500');
  });
});
