import { describe, expect, it } from 'vitest';
import type { ReportModel } from '../../../analysis/report/report-model';
import { formatChange, keyFigures } from '../../../exports/report-text';
import { formatAmount, formatSigned } from '../../../foundation/numbers/format-dutch';
import { allQuestions } from '../../../surveys/definition-schema';
import { CORONA } from '../../support/survey-fixtures';

const question = (key: string) => allQuestions(CORONA).find((q) => q.key === key)!;

describe('report wording', () => {
  it('writes money in one style: millions with one decimal from € 1 mln, whole euros below, signs before the euro', () => {
    expect(formatAmount(5_312_000)).toBe('€ 5,3 mln');
    expect(formatAmount(455_000)).toBe('€ 455.000');
    expect(formatAmount(-7_112_567)).toBe('−€ 7,1 mln');
    expect(formatAmount(11_763, 'nl', true)).toBe('+€ 11.763');
    expect(formatAmount(2.6e9)).toBe('€ 2,6 mld');
    expect(formatSigned(-12.5)).toBe('−12,5');
    expect(formatSigned(3)).toBe('+3');
  });

  it('writes a change in proportions in percentage points, never "%"', () => {
    const risk = question('closure_risk');
    expect(formatChange(risk, { statistic: 'proportion' }, -0.099, 'nl')).toBe('−9,9 procentpunt');
    expect(formatChange(risk, { statistic: 'proportion' }, 0.021, 'en')).toBe(
      '+2,1 percentage points'.replace(',', '.'),
    );
    expect(formatChange(question('lessons_cancelled_pct'), { statistic: 'mean' }, 4.2, 'nl')).toBe('+4,2 procentpunt');
    expect(formatChange(question('revenue_loss_eur'), { statistic: 'total' }, -7_112_567, 'nl')).toBe('−€ 7,1 mln');
    expect(formatChange(question('students_quit'), { statistic: 'total' }, 120, 'nl')).toBe('+120');
    expect(formatChange(question('students_quit'), { statistic: 'total' }, null, 'nl')).toBe('–');
  });

  it('gives an amount over a period of 16 March to 30 April also per month, rounded like every published amount', () => {
    const total = {
      question: 'revenue_loss_eur',
      statistic: 'total',
      dimension: null,
      estimate: 449_000,
      ci_low: 300_000,
      ci_high: 598_000,
      reason: null,
    };
    const report = {
      estimates: [total],
      design: { min_cell: 5 },
      wave: { period: { start: '2020-03-16', end: '2020-04-30' } },
    } as unknown as ReportModel;
    const [figure] = keyFigures(report, CORONA, 'nl').filter((f) => f.question === 'revenue_loss_eur');
    // 449.000 over 46 days (1,51 months) is 297.121: published as € 297.000, three significant digits.
    expect(figure.text).toContain('— € 297.000 per maand');
  });
});
