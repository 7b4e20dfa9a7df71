import { describe, expect, it } from 'vitest';
import { domainChartSpec, formatOf, trendChartSpec } from '../../../exports/chart-spec';
import type { ReportEstimate, ReportModel } from '../../../analysis/report/report';
import { prepareSpec } from '../../../views/static/js/impact-charts.js';

const estimate = (domain: string, dimension: string | null, value: number | null, extra: Partial<ReportEstimate> = {}): ReportEstimate => ({
  question: 'revenue_loss_eur', statistic: 'total', method: 'ratio', auxiliary: 'turnover_eur', category: null, dimension, domain,
  estimate: value, se: value === null ? null : 10, ci_low: value === null ? null : value - 20, ci_high: value === null ? null : value + 20,
  n: 10, N: 20, suppressed: value === null, reason: value === null ? 'min_n' : null, previous: null, change: null, ...extra,
});

const report = {
  wave: { slug: 'juni', name: 'Juni' },
  previous_wave: { slug: 'mei', name: 'Mei' },
  estimates: [estimate('*', null, 1000, { previous: 1500 }), estimate('Utrecht', 'province', 400), estimate('Zeeland', 'province', null), estimate('Drenthe', 'province', 600)],
} as unknown as ReportModel;

describe('chart specs', () => {
  it('builds bars per domain with intervals and leaves suppressed cells empty', () => {
    const spec = domainChartSpec(report, { question: 'revenue_loss_eur', statistic: 'total', category: null, dimension: 'province' }, { type: 'currency' }, 'Omzetderving', 'nl');
    expect(spec.type).toBe('bar');
    expect(spec.data.labels).toEqual(['Utrecht', 'Zeeland', 'Drenthe']);
    expect(spec.data.datasets[0].data).toEqual([400, null, 600]);
    expect(spec.options.plugins.impact).toEqual({ format: 'currency', locale: 'nl', intervals: [[380, 420], null, [580, 620]] });
    expect(spec.options.scales.y.suggestedMax).toBe(620);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec); // plain JSON: the same spec travels to the browser
  });

  it('draws a line across waves when there is an earlier wave', () => {
    const spec = trendChartSpec(report, { question: 'revenue_loss_eur', statistic: 'total', category: null, dimension: 'province' }, { type: 'currency' }, 'Omzetderving', 'nl')!;
    expect(spec.type).toBe('line');
    expect(spec.data.labels).toEqual(['Mei', 'Juni']);
    expect(spec.data.datasets[0].data).toEqual([1500, 1000]);
  });

  it('formats the value axis the Dutch way', () => {
    expect(formatOf({ type: 'percentage' }, 'mean')).toBe('percentage');
    expect(formatOf({ type: 'single_choice' }, 'proportion')).toBe('proportion');
    const spec = prepareSpec(domainChartSpec(report, { question: 'revenue_loss_eur', statistic: 'total', category: null, dimension: 'province' }, { type: 'currency' }, 'x', 'nl'));
    const tick = (spec.options.scales.y.ticks as { callback: (v: number) => string }).callback;
    expect(tick(2_500_000)).toBe('€ 2,5 mln');
    expect(tick(12500)).toBe('€ 12.500');
  });
});
