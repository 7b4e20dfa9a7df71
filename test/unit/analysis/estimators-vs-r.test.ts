import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellSums, type StratumFrame } from '../../../analysis/estimators/design';
import { domainMean, domainRatio, expansionTotal, separateRatioTotal } from '../../../analysis/estimators/estimators';

interface Fixture {
  name: string;
  strata: { h: string; N: number; X: number }[];
  rows: { h: string; y: number | null; x: number | null; d: string; shown: boolean; cat: string }[];
  results: { kind: string; domain?: string[] | string; estimate: number[] | number; se: number[] | number }[];
}

const dir = path.join(__dirname, '..', '..', 'reference', 'fixtures');
const fixtures: Fixture[] = fs
  .readdirSync(dir)
  // The calibration and R-indicator fixtures have their own tests.
  .filter((f) => f.endsWith('.json') && f !== 'chisq.json' && f !== 'r-indicator.json' && !f.startsWith('calibration-'))
  .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function close(actual: number, expected: number, what: string) {
  const scale = Math.max(Math.abs(expected), 1e-300);
  // SE of a census stratum is exactly 0 in R; ours must be ~0 too.
  if (expected === 0) expect(Math.abs(actual), what).toBeLessThan(1e-6);
  else expect(Math.abs(actual - expected) / scale, `${what}: ${actual} vs R ${expected}`).toBeLessThan(1e-9);
}

describe.each(fixtures)('estimators equal R survey: $name', (fx) => {
  const frame: StratumFrame[] = fx.strata.map((s) => ({ stratum: s.h, N: s.N, X: s.X }));
  const item = fx.rows.filter((r) => r.y !== null);
  const cells = cellSums(item.map((r) => ({ stratum: r.h, domain: r.d, shown: r.shown, y: r.y! })));
  const ratioCells = cellSums(
    item.filter((r) => r.x !== null).map((r) => ({ stratum: r.h, domain: r.d, shown: r.shown, y: r.y!, x: r.x! })),
  );
  const indicator = cellSums(
    item.map((r) => ({ stratum: r.h, domain: r.d, shown: r.shown, y: r.cat === 'a' ? 1 : 0 })),
  );
  const result = (kind: string) => fx.results.find((r) => r.kind === kind)!;

  it('expansion total and stratified mean (conditional: hidden count 0 in totals, excluded from means)', () => {
    const total = expansionTotal(frame, cells);
    close(total.estimate, list(result('total').estimate)[0], 'total');
    close(total.se, list(result('total').se)[0], 'total se');
    const mean = domainMean(frame, cells);
    close(mean.estimate, list(result('mean').estimate)[0], 'mean');
    close(mean.se, list(result('mean').se)[0], 'mean se');
  });

  it('domains (--by): totals and means as svyby', () => {
    for (const [kind, fn] of [
      ['total_by_domain', expansionTotal],
      ['mean_by_domain', domainMean],
    ] as const) {
      const r = result(kind);
      list(r.domain).forEach((d, i) => {
        const e = fn(frame, cells, (c) => c.domain === d);
        close(e.estimate, list(r.estimate)[i], `${kind} ${d}`);
        close(e.se, list(r.se)[i], `${kind} ${d} se`);
      });
    }
  });

  it('stratum cells as svyby over the strata', () => {
    for (const [kind, fn] of [
      ['total_by_stratum', expansionTotal],
      ['mean_by_stratum', domainMean],
    ] as const) {
      const r = result(kind);
      list(r.domain).forEach((h, i) => {
        const e = fn(frame, cells, (c) => c.stratum === h);
        close(e.estimate, list(r.estimate)[i], `${kind} ${h}`);
        close(e.se, list(r.se)[i], `${kind} ${h} se`);
      });
    }
  });

  it('separate ratio total, and combined ratios per domain and per stratum', () => {
    const sep = separateRatioTotal(frame, ratioCells);
    close(sep.estimate, list(result('ratio_total_separate').estimate)[0], 'separate ratio total');
    close(sep.se, list(result('ratio_total_separate').se)[0], 'separate ratio se');
    for (const [kind, key] of [
      ['ratio_by_domain', 'domain'],
      ['ratio_by_stratum', 'stratum'],
    ] as const) {
      const r = result(kind);
      list(r.domain).forEach((d, i) => {
        const e = domainRatio(frame, ratioCells, (c) => (key === 'domain' ? c.domain : c.stratum) === d);
        close(e.ratio, list(r.estimate)[i], `${kind} ${d}`);
        close(e.se, list(r.se)[i], `${kind} ${d} se`);
      });
    }
  });

  it('proportions of a choice option, overall and per domain', () => {
    const p = domainMean(frame, indicator);
    close(p.estimate, list(result('proportion').estimate)[0], 'proportion');
    close(p.se, list(result('proportion').se)[0], 'proportion se');
    const r = result('proportion_by_domain');
    list(r.domain).forEach((d, i) => {
      const e = domainMean(frame, indicator, (c) => c.domain === d);
      close(e.estimate, list(r.estimate)[i], `proportion ${d}`);
      close(e.se, list(r.se)[i], `proportion ${d} se`);
    });
  });
});

describe('estimator properties', () => {
  const fx = fixtures.find((f) => f.name === 'one-stratifier')!;
  const frame: StratumFrame[] = fx.strata.map((s) => ({ stratum: s.h, N: s.N, X: s.X }));
  const cells = cellSums(
    fx.rows.filter((r) => r.y !== null && r.x !== null).map((r) => ({ stratum: r.h, domain: r.d, y: r.y!, x: r.x! })),
  );

  it('stratum totals add up to the whole, for expansion and separate ratio totals', () => {
    for (const fn of [expansionTotal, separateRatioTotal]) {
      const whole = fn(frame, cells).estimate;
      const parts = frame.reduce((a, s) => a + fn(frame, cells, (c) => c.stratum === s.stratum).estimate, 0);
      expect(Math.abs(parts - whole) / whole).toBeLessThan(1e-12);
    }
  });

  it('a census stratum has SE 0', () => {
    const census = cellSums([10, 20, 30].map((y) => ({ stratum: 'all', y, x: y * 2 })));
    expect(expansionTotal([{ stratum: 'all', N: 3, X: 120 }], census).se).toBe(0);
    expect(separateRatioTotal([{ stratum: 'all', N: 3, X: 120 }], census).se).toBe(0);
    expect(domainMean([{ stratum: 'all', N: 3, X: 120 }], census).se).toBe(0);
  });

  it('a lonely stratum adds no variance', () => {
    const lonely = cellSums([
      { stratum: 'a', y: 5 },
      { stratum: 'b', y: 1 },
      { stratum: 'b', y: 3 },
    ]);
    const frame2 = [
      { stratum: 'a', N: 10, X: null },
      { stratum: 'b', N: 10, X: null },
    ];
    const onlyB = expansionTotal(
      [frame2[1]],
      lonely.filter((c) => c.stratum === 'b'),
    );
    expect(expansionTotal(frame2, lonely).se).toBeCloseTo(onlyB.se, 12);
    expect(expansionTotal(frame2, lonely).estimate).toBe(10 * 5 + 10 * 2);
  });
});

describe('ratio estimator where the auxiliary is zero', () => {
  const frame: StratumFrame[] = [
    { stratum: 'a', N: 10, X: 1000 },
    { stratum: 'b', N: 8, X: 0 },
    { stratum: 'c', N: 6, X: 600 },
  ];
  it('gives a stratum whose frame has none of x a total of 0, and one whose respondents have none the expansion total', () => {
    const cells = cellSums([
      { stratum: 'a', y: 10, x: 100 },
      { stratum: 'a', y: 30, x: 300 },
      { stratum: 'b', y: 5, x: 0 },
      { stratum: 'b', y: 7, x: 0 },
      { stratum: 'c', y: 4, x: 0 },
      { stratum: 'c', y: 8, x: 0 },
    ]);
    const t = separateRatioTotal(frame, cells);
    // a: X·Σy/Σx = 1000 · 40/400 = 100; b: 0; c: N·ȳ = 6 · 6 = 36.
    expect(t.estimate).toBeCloseTo(136, 9);
    expect(Number.isFinite(t.se)).toBe(true);
  });
});
