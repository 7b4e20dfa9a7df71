import { describe, expect, it } from 'vitest';
import type { ComparisonRow } from '../../../analysis/comparison/member-comparison';
import { comparisonChart, comparisonView, submittedPage } from '../../../exports/member-comparison-view';
import type { OwnAnswers } from '../../../exports/own-answer-model';
import { ownAnswersPage } from '../../../exports/own-answers';
import type { ResponseRow } from '../../../surveys/responses/responses-repository';
import type { WaveRow } from '../../../surveys/waves/waves-repository';
import { CORONA } from '../../support/survey-fixtures';

const [revenue, costs] = CORONA.pages[0].questions;
const rows: ComparisonRow[] = [
  { question: revenue, own: 12500, group: '10–19', band: { low: 1000, high: 20000 }, quarter: 3, suppressed: null },
  { question: costs, own: null, group: '10–19', band: null, quarter: null, suppressed: 'min_n' },
];
const asOf = new Date('2020-06-01T10:00:00Z');
const wave = { id: 1, slug: 'corona', name: 'Corona mei 2020', period_start: null, period_end: null } as WaveRow;

describe('the member comparison on the member pages', () => {
  it('draws a bar per question at its quarter, grey when there is none, with the titled chart', () => {
    const chart = comparisonChart(rows, 'nl');
    expect(chart.data.datasets[0].data).toEqual([3, null]);
    expect(chart.data.datasets[0].label).toBe(
      'Uw positie per vraag: in welk kwart van de branche (1 = laagste, 4 = hoogste)',
    );
    expect(chart.data.labels).toHaveLength(2);
  });

  it('has no comparison before submission', () => {
    expect(comparisonView(null, 'nl')).toEqual({ comparison: null, asOf: null, pending: false, chart: null });
    expect(comparisonView({ asOf, rows }, 'nl')).toMatchObject({ comparison: rows, asOf });
  });

  it('draws no chart under 10 answers (a sentence says so instead)', () => {
    const few = rows.map((r) => ({ ...r, band: null, quarter: null, suppressed: 'min_n' as const }));
    expect(comparisonView({ asOf, rows: few }, 'nl').chart).toBeNull();
    expect(submittedPage({ wave, response: null }, { asOf, rows: few, pending: false }, 'nl').chart).toBeNull();
    expect(comparisonView({ asOf, rows, pending: true }, 'nl')).toMatchObject({ pending: true });
  });

  it('builds the submitted page and the own-answers page with the answers as text', () => {
    const response = { status: 'submitted', submitted_at: asOf, updated_at: asOf } as ResponseRow;
    expect(submittedPage({ wave, response }, { asOf, rows }, 'nl')).toMatchObject({
      title: 'Bedankt, uw antwoorden zijn ingediend',
      response,
      comparison: rows,
    });
    const own: OwnAnswers = {
      organisation: { org_id: 'ORG1', name: 'Muziekschool' },
      wave,
      definition: CORONA,
      response,
      pages: [{ page: CORONA.pages[0], rows: [{ question: revenue, answer: undefined }] }],
    };
    const page = ownAnswersPage(own, null, 'nl');
    expect(page.title).toBe('Uw antwoorden – Corona mei 2020');
    expect(page.own.pages[0].rows).toEqual([{ question: revenue, text: 'niet beantwoord' }]);
    expect(page.header[0]).toContain('Muziekschool');
    expect(page.chart).toBeNull();
  });
});
