import { describe, expect, it } from 'vitest';
import { addKeys, cellKey, KEY_SPACE, subKey } from '../../../analysis/disclosure/cell-key';
import {
  magnitudeNoise,
  noiseBound,
  PERTURBATION,
  perturbCount,
  protectedStandardError,
} from '../../../analysis/disclosure/perturbation';
import { publishedValue, roundingUnit, roundSignificant } from '../../../analysis/disclosure/precision';
import { type CellToProtect, countBand, protectCell, unprotected } from '../../../analysis/disclosure/protect';
import { type CellFacts, DEFAULT_DISCLOSURE, sensitivity } from '../../../analysis/disclosure/rules';

const facts = (over: Partial<CellFacts> = {}): CellFacts => ({
  n: 40,
  kind: 'magnitude',
  top: [10_000, 8_000],
  total: 400_000,
  uniform: false,
  uniformValue: 0,
  ...over,
});

const cell = (over: Partial<CellToProtect> = {}): CellToProtect => ({
  estimate: { estimate: 400_000, se: 20_000, ci_low: 360_800, ci_high: 439_200 },
  n: 40,
  facts: facts(),
  cover: 0,
  keySum: 123_456_789_012,
  countKeySum: 98_765_432_101,
  shift: 'revenue_loss_eur|',
  precision: 'amount',
  bounds: null,
  ...over,
});

describe('cell keys', () => {
  it('are the same for the same respondents and unrelated when one respondent differs', () => {
    const keys = [3_000_000_000, 4_000_000_000, 123_456_789];
    const sum = keys.reduce((a, k) => a + k, 0);
    expect(cellKey(sum, 'q|')).toBe(cellKey(addKeys(keys[0], keys[1] + keys[2]), 'q|'));
    expect(cellKey(sum, 'q|')).not.toBe(cellKey(sum - keys[2], 'q|'));
    expect(cellKey(sum, 'q|')).not.toBe(cellKey(sum, 'r|'));
    expect(addKeys(KEY_SPACE - 1, 2)).toBe(1);
  });

  it('spread over [0, 1) so the noise is uniform over cells', () => {
    const keys = Array.from({ length: 4000 }, (_, i) => cellKey(i * 2_654_435_761, 'x'));
    const quarters = [0, 0, 0, 0];
    for (const k of keys) quarters[Math.floor(k * 4)]++;
    for (const q of quarters) expect(q).toBeGreaterThan(900);
    const signs = keys.filter((k) => subKey(k, 2) < 0.5).length;
    expect(signs).toBeGreaterThan(1800);
    expect(signs).toBeLessThan(2200);
  });
});

describe('cell-key noise', () => {
  it('stays within its bound, small for a cell of many contributions and large for a dominated one', () => {
    const { large, small, sensitive } = PERTURBATION.magnitude;
    // The branch total: the largest contribution is 5 % of it.
    expect(noiseBound(50_000, 1_000_000)).toBeCloseTo((large + (small - large) * 0.05) * 50_000, 6);
    // Its standard deviation (a third of the bound) is well under 1 % of the total.
    expect(noiseBound(50_000, 1_000_000) / 3 / 1_000_000).toBeLessThan(0.004);
    // One organisation is 60 % of the cell.
    expect(noiseBound(600_000, 1_000_000)).toBeCloseTo((large + (small - large) * 0.6) * 600_000, 6);
    // A sensitive cell inside must be covered too.
    expect(noiseBound(50_000, 1_000_000, 400_000)).toBe(sensitive * 400_000);
    let below = 0;
    let squares = 0;
    let outer = 0;
    for (let i = 0; i < 4000; i++) {
      const noise = magnitudeNoise(cellKey(i * 7919, 'q'), 1000);
      expect(Math.abs(noise)).toBeLessThanOrEqual(1000);
      if (noise < 0) below++;
      if (Math.abs(noise) > 800) outer++;
      squares += noise * noise;
    }
    expect(below).toBeGreaterThan(1800);
    expect(below).toBeLessThan(2200);
    // Concentrated in the middle: standard deviation a third of the bound, the outer fifth rare.
    expect(Math.sqrt(squares / 4000)).toBeGreaterThan(300);
    expect(Math.sqrt(squares / 4000)).toBeLessThan(367);
    expect(outer / 4000).toBeLessThan(0.02);
  });

  it('perturbs counts by the table and keeps them at or above min_cell', () => {
    const seen = new Map<number, number>();
    for (let i = 0; i < 5000; i++) {
      const n = perturbCount(cellKey(i * 104_729, 'n'), 20, 5);
      seen.set(n - 20, (seen.get(n - 20) ?? 0) + 1);
      expect(perturbCount(cellKey(i * 104_729, 'n'), 5, 5)).toBeGreaterThanOrEqual(5);
    }
    expect([...seen.keys()].sort()).toEqual([-1, -2, 0, 1, 2]);
    expect(seen.get(0)! / 5000).toBeGreaterThan(0.35);
    expect(seen.get(0)! / 5000).toBeLessThan(0.45);
  });

  it('withholds the standard error of very small cells, inflates it for small ones more than for large ones, never shrinks it', () => {
    for (let i = 0; i < 500; i++) {
      const key = cellKey(i, 'se');
      const se = protectedStandardError(key, 100, 12)!;
      expect(se).toBeGreaterThanOrEqual(115);
      expect(se).toBeLessThanOrEqual(160);
      // Large cells too (a correction's SEs must not give the sum of squares), by 2–20 %.
      const large = protectedStandardError(key, 100, 20)!;
      expect(large).toBeGreaterThanOrEqual(102);
      expect(large).toBeLessThanOrEqual(120);
      expect(protectedStandardError(key, 100, 9)).toBeNull();
    }
  });
});

describe('published precision', () => {
  it('rounds amounts to 3 significant digits, decimals to one, proportions to 0,1 point', () => {
    expect(publishedValue(455_072.4, 'amount').value).toBe(455_000);
    expect(publishedValue(12_345_678, 'amount').value).toBe(12_300_000);
    expect(publishedValue(946.4, 'amount').value).toBe(946);
    expect(publishedValue(24.34, 'decimal').value).toBe(24.3);
    expect(publishedValue(1234.5, 'decimal').value).toBe(1230);
    expect(publishedValue(0.20549, 'proportion').value).toBe(0.205);
    expect(roundingUnit(455_072, 'amount')).toBe(1000);
    expect(roundSignificant(5398.3, 2)).toBe(5400);
    expect(roundSignificant(0.0123, 2)).toBe(0.012);
  });
});

describe('sensitive cells', () => {
  it('are small, dominated, or all alike; a cell without respondents is not sensitive by itself', () => {
    expect(sensitivity(facts({ n: 0 }))).toBe('no_respondents');
    expect(sensitivity(facts({ n: 4 }))).toBe('min_n');
    expect(sensitivity(facts({ top: [300_000, 50_000] }))).toBe('dominance');
    expect(sensitivity(facts({ total: 400_000, top: [370_000, 1_000] }))).toBe('dominance');
    expect(sensitivity(facts({ uniform: true, uniformValue: 30_000 }))).toBe('uniform');
    expect(sensitivity(facts({ uniform: true, uniformValue: 0, top: [0, 0], total: 0 }))).toBeNull();
    expect(sensitivity(facts({ kind: 'proportion', n: 8, uniform: true, uniformValue: 1 }))).toBe('uniform');
    expect(sensitivity(facts({ kind: 'proportion', n: 8, uniform: true, uniformValue: 0 }))).toBe('uniform');
    expect(sensitivity(facts({ kind: 'proportion', n: 12, uniform: true, uniformValue: 1 }))).toBeNull();
    expect(sensitivity(facts({ kind: 'percentage', n: 8, uniform: true, uniformValue: 100 }))).toBe('uniform');
    expect(sensitivity(facts())).toBeNull();
  });
});

describe('protecting one cell', () => {
  it('publishes a perturbed, rounded estimate with a wider or equal interval centred on it', () => {
    const c = cell({ n: 12, facts: facts({ n: 12, top: [100_000, 80_000] }) });
    const p = protectCell(c, DEFAULT_DISCLOSURE);
    const noise = p.estimate! - c.estimate!.estimate;
    expect(Math.abs(noise)).toBeLessThanOrEqual(noiseBound(100_000, 400_000) + 500);
    expect(p.estimate! % 1000).toBe(0);
    expect(p.se!).toBeGreaterThanOrEqual(20_000 * 1.15 - 1000);
    expect(p.ci_low).toBe(publishedValue(p.estimate! - 1.959963985 * p.se!, 'amount').value);
    expect(p.perturbed).toBe(true);
    expect(p.n).toBeGreaterThanOrEqual(10);
    expect(p.n).toBeLessThanOrEqual(14);
    // Deterministic: the same cell gives the same numbers every time.
    expect(protectCell(c, DEFAULT_DISCLOSURE)).toEqual(p);
    // Another question of the same respondents gets other noise.
    expect(protectCell({ ...c, shift: 'extra_costs_eur|' }, DEFAULT_DISCLOSURE).estimate).not.toBe(p.estimate);
  });

  it('keeps a proportion between 0 and 1', () => {
    for (let i = 0; i < 200; i++) {
      const p = protectCell(
        cell({
          estimate: { estimate: 1, se: 0, ci_low: 1, ci_high: 1 },
          keySum: i * 31337,
          facts: facts({ kind: 'proportion', n: 40, top: [0.05, 0.05], total: 1, uniform: true, uniformValue: 1 }),
          precision: 'proportion',
          bounds: [0, 1],
        }),
        DEFAULT_DISCLOSURE,
      );
      expect(p.estimate!).toBeLessThanOrEqual(1);
      expect(p.estimate!).toBeGreaterThanOrEqual(1 - noiseBound(0.05, 1) - 0.0005);
    }
  });

  it('withholds a suppressed cell with its count as a band, and shows no respondents as too few', () => {
    const small = protectCell(cell({ n: 1, facts: facts({ n: 1 }) }), DEFAULT_DISCLOSURE);
    expect(small).toMatchObject({
      estimate: null,
      se: null,
      n: null,
      n_band: '< 5',
      reason: 'min_n',
      suppressed: true,
    });
    const none = protectCell(cell({ n: 0, estimate: null, facts: facts({ n: 0 }) }), DEFAULT_DISCLOSURE);
    expect(none).toMatchObject({ n: null, n_band: '< 5', reason: 'min_n' });
    const dominated = protectCell(cell({ facts: facts({ top: [390_000, 5_000] }) }), DEFAULT_DISCLOSURE);
    expect(dominated).toMatchObject({ estimate: null, n: null, n_band: '20–49', reason: 'dominance' });
    expect(countBand(7, 5)).toBe('5–9');
    expect(countBand(120, 5)).toBe('≥ 50');
  });

  it('shows everything exactly with --no-protect, with the rules verdict', () => {
    const p = unprotected(cell({ n: 3, facts: facts({ n: 3 }) }), DEFAULT_DISCLOSURE);
    expect(p).toMatchObject({
      estimate: 400_000,
      se: 20_000,
      n: 3,
      reason: 'min_n',
      suppressed: true,
      perturbed: false,
    });
  });
});
