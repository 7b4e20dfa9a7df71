import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DISCLOSURE,
  DisclosureParameterError,
  dominanceNK,
  pPercent,
  primarySuppression,
  publicParameters,
} from '../../../analysis/disclosure/rules';
import { chiSquareGoodnessOfFit } from '../../../analysis/representativeness';

describe('primary disclosure rules', () => {
  it('suppresses cells with fewer than 5 respondents (min_n) and empty cells', () => {
    expect(primarySuppression(0, [])).toBe('no_respondents');
    expect(primarySuppression(4, [1, 2, 3, 4])).toBe('min_n');
    expect(primarySuppression(5, [10, 11, 12, 13, 14])).toBeNull();
  });

  it('applies the (n,k) rule: two largest above 85% of the total', () => {
    expect(dominanceNK([100, 90, 5, 5, 5], 2, 0.85)).toBe(true);
    expect(dominanceNK([50, 40, 30, 20, 10], 2, 0.85)).toBe(false);
    expect(primarySuppression(5, [1000, 800, 10, 10, 10])).toBe('dominance');
  });

  it('applies the p% rule: the rest is less than 10% of the largest', () => {
    // 100 + 50 + (4 + 3 + 2) = 159: the rest (9) < 10% of 100 → fires; (n,k): 150/159 = 94% too.
    expect(pPercent([100, 50, 4, 3, 2], 0.1)).toBe(true);
    // With the default parameters the p% rule never fires alone (rest < 10% of x1 implies
    // x1 + x2 > 85% of the total); with a looser k it shows its own effect.
    const values = [100, 50, 5];
    expect(dominanceNK(values, 2, 0.99)).toBe(false);
    expect(pPercent(values, 0.1)).toBe(true);
    expect(pPercent([100, 50, 11], 0.1)).toBe(false);
  });

  it('uses only the frequency rule for proportions and percentages', () => {
    expect(primarySuppression(5, null)).toBeNull();
  });

  it('refuses parameters below the defaults for public output', () => {
    expect(publicParameters()).toEqual(DEFAULT_DISCLOSURE);
    expect(publicParameters({ minCell: 5 })).toEqual(DEFAULT_DISCLOSURE);
    // Stricter is refused too: two parameter sets would give one cell two noise bounds.
    expect(() => publicParameters({ minCell: 10 })).toThrow(DisclosureParameterError);
    expect(() => publicParameters({ minCell: 3 })).toThrow(DisclosureParameterError);
    expect(() => publicParameters({ dominanceK: 0.95 })).toThrow(DisclosureParameterError);
    expect(() => publicParameters({ p: 0.05 })).toThrow(DisclosureParameterError);
  });
});

describe('representativeness', () => {
  const fixtures = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'reference', 'fixtures', 'chisq.json'), 'utf8'),
  ) as { n: number[]; N: number[]; statistic: number; df: number; p: number }[];
  it.each(fixtures)('equals R chisq.test for n = $n', (fx) => {
    const r = chiSquareGoodnessOfFit(fx.n, fx.N)!;
    expect(r.df).toBe(fx.df);
    expect(Math.abs(r.statistic - fx.statistic) / fx.statistic).toBeLessThan(1e-9);
    expect(Math.abs(r.p - fx.p) / fx.p).toBeLessThan(1e-9);
  });
});
