import { describe, expect, it } from 'vitest';
import { largestRemainder, sharesAddUp } from '../../../analysis/disclosure/shares';
import type { ReportEstimate } from '../../../analysis/report/report-model';

const cell = (question: string, category: string, estimate: number | null, domain = '*'): ReportEstimate => ({
  question,
  statistic: 'proportion',
  method: 'stratified',
  auxiliary: null,
  category,
  dimension: domain === '*' ? null : 'org_type',
  domain,
  estimate,
  se: null,
  ci_low: null,
  ci_high: null,
  n: 50,
  n_band: null,
  N: 100,
  suppressed: estimate === null,
  reason: null,
  previous: null,
  change: null,
  perturbed: true,
  rounding: null,
});

const percentSum = (values: number[]) => Math.round(values.reduce((a, v) => a + v, 0) * 1000);

describe('shares of a single-choice question add up to 100 %', () => {
  it('rounds by largest remainder to whole steps that add up exactly', () => {
    // Published with noise: 99,6 % in all; scaled and rounded: 100,0 %.
    const shares = largestRemainder([0.157, 0.32, 0.376, 0.143], 1000);
    expect(shares).toEqual([0.158, 0.321, 0.377, 0.144]);
    expect(percentSum(shares)).toBe(1000);
    // Three equal thirds: 33,4 + 33,3 + 33,3 (the first gets the left-over step).
    expect(largestRemainder([1, 1, 1], 1000)).toEqual([0.334, 0.333, 0.333]);
    // 100,4 % in all comes down to 100,0 %, nobody's share goes below 0.
    const high = largestRemainder([0.208, 0.501, 0.201, 0.094, 0], 1000);
    expect(percentSum(high)).toBe(1000);
    expect(high[4]).toBe(0);
    // Nothing to scale: left as it is.
    expect(largestRemainder([0, 0], 1000)).toEqual([0, 0]);
  });

  it('makes each cell of a single-choice question whole, and leaves multi-choice questions and cells with a withheld option alone', () => {
    const estimates = [
      cell('risk', 'none', 0.208),
      cell('risk', 'small', 0.501),
      cell('risk', 'real', 0.201),
      cell('risk', 'large', 0.094),
      cell('risk', 'none', 0.3, 'muziekschool'),
      cell('risk', 'small', null, 'muziekschool'),
      cell('risk', 'real', 0.6, 'muziekschool'),
      cell('schemes', 'NOW', 0.43),
      cell('schemes', 'TVL', 0.29),
    ];
    const out = sharesAddUp(estimates, new Set(['risk']));
    expect(percentSum(out.slice(0, 4).map((e) => e.estimate!))).toBe(1000);
    // A withheld option: the others are not made up to 100 % (that would give it away).
    expect(out.slice(4, 7).map((e) => e.estimate)).toEqual([0.3, null, 0.6]);
    // Multi-choice: shares of one organisation overlap, nothing to add up.
    expect(out.slice(7).map((e) => e.estimate)).toEqual([0.43, 0.29]);
    // Everything else of an estimate stays.
    expect(out[0]).toMatchObject({ question: 'risk', category: 'none', domain: '*', n: 50 });
  });
});
