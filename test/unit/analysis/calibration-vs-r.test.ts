// Calibrated estimates against R's calibrate() + svytotal / svymean / svyby
// (test/reference/make-calibration-fixtures.R, fixtures/calibration-*.json).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addVarianceSums,
  type Calibration,
  type CalibrationMethod,
  type CalibrationPopulation,
  calibrate,
  calibratedMean,
  calibratedTotal,
  calibrateSubset,
  domainMeanOf,
  domainTotal,
  domainVariance,
  prepareCalibration,
  varianceFromSums,
  varianceSumsByCell,
} from '../../../analysis/estimators/calibration';

interface Row {
  h: string;
  province: string;
  size_class: string;
  students: number;
  x: number;
  y: number;
  d: string;
  shown: boolean;
  cat: string;
}
interface Fixture {
  name: string;
  calfun: CalibrationMethod;
  vars: string[] | string;
  numeric: string[] | string;
  aux: boolean;
  frame: {
    strata: { h: string; N: number }[];
    counts: { variable: string; categories: { category: string; N: number }[] }[];
    totals: { variable: string; total: number }[];
  };
  rows: Row[];
  weights: number[];
  results: { kind: string; estimate: number | number[]; se: number | number[]; domain?: string[] }[];
}

const dir = path.join(__dirname, '..', '..', 'reference', 'fixtures');
const fixtures = fs
  .readdirSync(dir)
  .filter((f) => f.startsWith('calibration-'))
  .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Fixture);
const list = (v: string[] | string) => (Array.isArray(v) ? v : v ? [v] : []);

/** A fixture's frame totals and respondents as calibrate takes them. */
function calibrationInput(fx: Fixture) {
  const population: CalibrationPopulation = {
    strata: fx.frame.strata.map((s) => ({ stratum: s.h, N: s.N })),
    counts: Object.fromEntries(
      fx.frame.counts.map((c) => [c.variable, Object.fromEntries(c.categories.map((k) => [k.category, k.N]))]),
    ),
    totals: Object.fromEntries(fx.frame.totals.map((t) => [t.variable, t.total])),
  };
  const vars = [...list(fx.vars), ...list(fx.numeric), ...(fx.aux ? ['x'] : [])];
  const units = fx.rows.map((r) => ({
    stratum: r.h,
    values: Object.fromEntries(vars.map((v) => [v, r[v as keyof Row] as string | number])),
  }));
  return { population, units };
}

/**
 * The fixture's weights by calibrate itself ('direct'), or as a report makes them
 * ('subset'): prepared on more units than the item respondents (here copies of
 * every fifth row with other numbers, in the same strata and categories), then
 * calibrated on the fixture's rows as a subset of them.
 */
function calibrated(fx: Fixture, path: 'direct' | 'subset' = 'direct'): Calibration {
  const { population, units } = calibrationInput(fx);
  let cal: ReturnType<typeof calibrate>;
  if (path === 'direct') cal = calibrate(units, population, fx.calfun);
  else {
    const others = units
      .filter((_, i) => i % 5 === 0)
      .map((u, i) => ({
        stratum: u.stratum,
        values: Object.fromEntries(
          Object.entries(u.values).map(([v, value]) => [v, typeof value === 'number' ? value * 1.5 + i : value]),
        ),
      }));
    // The item respondents between the others, as a question's are among a wave's respondents.
    const everyone = [...others.slice(0, 3), ...units, ...others.slice(3)];
    const prepared = prepareCalibration(everyone, population);
    if (!prepared) throw new Error('no preparation');
    const subset = Int32Array.from(units, (_, i) => i + 3);
    cal = calibrateSubset(prepared, units, subset, fx.calfun);
  }
  if (!('weights' in cal)) throw new Error(`calibration failed: ${JSON.stringify(cal)}`);
  return cal;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe.each(fixtures.flatMap((fx) => (['direct', 'subset'] as const).map((path) => ({ ...fx, path }))))(
  'calibration $name ($calfun, $path) equals R',
  (fx) => {
    const tolerance = fx.calfun === 'linear' ? 1e-7 : 1e-6;
    const cal = calibrated(fx, fx.path);
    const y = fx.rows.map((r) => r.y);
    const a = fx.rows.map((r) => (r.cat === 'a' ? 1 : 0));
    const all = fx.rows.map(() => true);
    const shown = fx.rows.map((r) => r.shown);
    const result = (kind: string) => fx.results.find((r) => r.kind === kind)!;
    const expectClose = (got: { estimate: number; se: number } | null, estimate: number, se: number) => {
      expect(rel(got!.estimate, estimate)).toBeLessThan(tolerance);
      // An SE below 1e-9 of its estimate is zero in both programs (a stratum of one
      // respondent, R: 1.3e-10 on 1.1 million): compared on that scale, not relatively.
      const zero = 1e-9 * Math.abs(estimate);
      if (Math.abs(se) < zero) expect(Math.abs(got!.se)).toBeLessThan(zero);
      else expect(rel(got!.se, se)).toBeLessThan(tolerance);
    };
    const byDomain = (
      kind: string,
      key: keyof Row,
      f: (inDomain: boolean[]) => { estimate: number; se: number } | null,
    ) => {
      const r = result(kind);
      const domains = list(r.domain ?? []);
      expect(domains.length).toBeGreaterThan(1);
      domains.forEach((d, i) => {
        expectClose(
          f(fx.rows.map((row) => String(row[key]) === d)),
          (r.estimate as number[])[i],
          (r.se as number[])[i],
        );
      });
    };

    it('has R’s calibrated weights', () => {
      fx.weights.forEach((w, i) => {
        expect(rel(cal.weights[i], w)).toBeLessThan(tolerance);
      });
    });
    it('has R’s total and mean', () => {
      expectClose(calibratedTotal(cal, y, all), result('total').estimate as number, result('total').se as number);
      expectClose(calibratedMean(cal, y, shown), result('mean').estimate as number, result('mean').se as number);
    });
    it('has R’s domain totals and means (svyby)', () => {
      byDomain('total_by_domain', 'd', (d) => calibratedTotal(cal, y, d));
      byDomain('mean_by_domain', 'd', (d) =>
        calibratedMean(
          cal,
          y,
          d.map((v, i) => v && shown[i]),
        ),
      );
      byDomain('total_by_stratum', 'h', (d) => calibratedTotal(cal, y, d));
      byDomain('total_by_province', 'province', (d) => calibratedTotal(cal, y, d));
    });
    it('has R’s domain estimates also by the per-cell path the report uses', () => {
      const cellOf = (d: boolean[]) => {
        const idx = Int32Array.from(d.flatMap((v, i) => (v ? [i] : [])));
        // The report's path reads y by unit.
        return { idx, at: (v: number[]) => Float64Array.from(v) };
      };
      byDomain('total_by_domain', 'd', (d) => {
        const c = cellOf(d);
        return domainTotal(cal, c.idx, c.at(y));
      });
      byDomain('mean_by_domain', 'd', (d) => {
        const c = cellOf(d.map((v, i) => v && shown[i]));
        return domainMeanOf(cal, c.idx, c.at(y));
      });
      byDomain('proportion_by_domain', 'd', (d) => {
        const c = cellOf(d.map((v, i) => v && shown[i]));
        return domainMeanOf(cal, c.idx, c.at(a));
      });
      const whole = cellOf(all);
      expectClose(
        domainTotal(cal, whole.idx, whole.at(y)),
        result('total').estimate as number,
        result('total').se as number,
      );
    });
    it('has R’s proportions', () => {
      expectClose(
        calibratedMean(cal, a, shown),
        result('proportion').estimate as number,
        result('proportion').se as number,
      );
      byDomain('proportion_by_domain', 'd', (d) =>
        calibratedMean(
          cal,
          a,
          d.map((v, i) => v && shown[i]),
        ),
      );
    });
  },
);

describe('an infeasible calibration', () => {
  const units = [
    { stratum: 'A', values: { province: 'Utrecht' } },
    { stratum: 'A', values: { province: 'Utrecht' } },
    { stratum: 'A', values: { province: 'Limburg' } },
  ];
  const population = (counts: Record<string, number>): CalibrationPopulation => ({
    strata: [{ stratum: 'A', N: 30 }],
    counts: { province: counts },
    totals: {},
  });

  it('names the category of the frame without respondents', () => {
    expect(calibrate(units, population({ Utrecht: 10, Limburg: 8, Zeeland: 12 }))).toEqual({
      kind: 'empty_category',
      variable: 'province',
      category: 'Zeeland',
      N: 12,
    });
  });

  it('refuses weights that would turn negative', () => {
    const skewed = [
      { stratum: 'A', values: { students: 100 } },
      { stratum: 'A', values: { students: 110 } },
      { stratum: 'A', values: { students: 900 } },
    ];
    expect(calibrate(skewed, { strata: [{ stratum: 'A', N: 30 }], counts: {}, totals: { students: 200 } })).toEqual({
      kind: 'negative_weights',
      count: 1,
    });
  });

  it('calibrates exactly when it can', () => {
    const cal = calibrate(units, population({ Utrecht: 20, Limburg: 10 })) as Calibration;
    expect(cal.weights.map((w) => Math.round(w * 1e9) / 1e9)).toEqual([10, 10, 10]);
  });
});

describe('calibrating a subset of prepared units', () => {
  const fx = fixtures.find((f) => f.calfun === 'linear' && list(f.vars).includes('province'))!;
  const { population, units } = calibrationInput(fx);
  const prepared = prepareCalibration(units, population)!;
  const subsetOf = (keep: (u: (typeof units)[number], i: number) => boolean) => {
    const subset = Int32Array.from(units.flatMap((u, i) => (keep(u, i) ? [i] : [])));
    return { subset, members: Array.from(subset, (i) => units[i]) };
  };

  it('fails as calibrate fails when the subset lacks a category of the frame', () => {
    const province = fx.rows[0].province;
    const { subset, members } = subsetOf((u) => u.values.province !== province);
    const failure = calibrateSubset(prepared, members, subset, 'linear');
    expect(failure).toMatchObject({ kind: 'empty_category', variable: 'province', category: province });
    expect(failure).toEqual(calibrate(members, population, 'linear'));
  });

  it('gives calibrate’s weights for any subset that can be calibrated', () => {
    const { subset, members } = subsetOf((_, i) => i % 7 !== 3);
    const fast = calibrateSubset(prepared, members, subset, 'linear');
    const own = calibrate(members, population, 'linear');
    if (!('weights' in fast) || !('weights' in own)) throw new Error(`not calibrated: ${JSON.stringify([fast, own])}`);
    expect(subset.length).toBeLessThan(units.length);
    fast.weights.forEach((w, i) => {
      expect(rel(w, own.weights[i])).toBeLessThan(1e-10);
    });
    expect(
      Array.from(fast.pooledWwxx).every((v, i) => Math.abs(v - own.pooledWwxx[i]) <= 1e-8 * (1 + Math.abs(v))),
    ).toBe(true);
    fast.wx.forEach((wx, h) => {
      wx.forEach((v, j) => {
        expect(Math.abs(v - own.wx[h][j])).toBeLessThan(1e-8 * (1 + Math.abs(v)));
      });
    });
    const idx = Int32Array.from(members.keys());
    const y = Float64Array.from(members, (_, i) => (i % 5) * 1000 + 17);
    expect(rel(domainTotal(fast, idx, y).se, domainTotal(own, idx, y).se)).toBeLessThan(1e-9);
  });
});

describe('variance sums', () => {
  const fx = fixtures.find((f) => f.calfun === 'linear')!;
  const cal = calibrated(fx);
  const y = Float64Array.from(fx.rows, (r) => r.y);
  const all = Int32Array.from(fx.rows.keys());

  it('of two cells, added, give the variance of their union, for a total and a mean', () => {
    const [even, odd] = varianceSumsByCell(cal, all, y, (i) => i % 2, 2);
    expect(even.centre).not.toBe(odd.centre);
    const union = addVarianceSums(cal, [even, odd]);
    expect(union.n).toBe(all.length);
    for (const [shift, factor] of [
      [0, 1],
      [1234.5, 1 / 50],
    ])
      expect(rel(varianceFromSums(cal, union, shift, factor), domainVariance(cal, all, y, shift, factor))).toBeLessThan(
        1e-10,
      );
  });

  it('give a cell whose units answered alike a variance of exactly 0 around its value', () => {
    const alike = Float64Array.from(fx.rows, () => 123_456.78);
    const [sums] = varianceSumsByCell(cal, all, alike, () => 0, 1);
    expect(varianceFromSums(cal, sums, 123_456.78, 1 / 1000)).toBe(0);
  });
});
