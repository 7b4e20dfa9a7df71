// The R-indicator and its partial indicators against R's glm computation
// (test/reference/make-calibration-fixtures.R, fixtures/r-indicator.json).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROPENSITY_VARIABLES, reminderPriorities, rIndicator } from '../../../analysis/representativeness';

interface Fixture {
  name: string;
  units: { org_type: string; province: string; size_class: string; member: string; response: boolean }[];
  R: number;
  sd: number;
  mean: number;
  aliased: number;
  partial: {
    variable: string;
    partial: number;
    categories: { category: string; N: number; mean: number; partial: number }[];
  }[];
}

const fixtures = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'reference', 'fixtures', 'r-indicator.json'), 'utf8'),
) as Fixture[];

/** Units with identical variables as one group, as the report's atoms are. */
function groupsOf(units: Fixture['units']) {
  const groups = new Map<string, { labels: Record<string, string>; N: number; n: number }>();
  for (const u of units) {
    const labels = { org_type: u.org_type, province: u.province, size_class: u.size_class, member: u.member };
    const key = JSON.stringify(labels);
    const g = groups.get(key) ?? { labels, N: 0, n: 0 };
    g.N += 1;
    g.n += u.response ? 1 : 0;
    groups.set(key, g);
  }
  return [...groups.values()];
}

describe('R-indicator', () => {
  it.each(fixtures)('equals R glm for $name', (fx) => {
    const r = rIndicator(groupsOf(fx.units))!;
    expect(Math.abs(r.R - fx.R)).toBeLessThan(1e-6);
    expect(Math.abs(r.sd - fx.sd)).toBeLessThan(1e-6);
    expect(Math.abs(r.mean - fx.mean)).toBeLessThan(1e-9);
    expect(r.N).toBe(fx.units.length);
    for (const expected of fx.partial) {
      const got = r.partials.find((p) => p.variable === expected.variable)!;
      expect(Math.abs(got.partial - expected.partial)).toBeLessThan(1e-6);
      expect(got.categories.map((c) => c.category).sort()).toEqual(expected.categories.map((c) => c.category).sort());
      for (const c of expected.categories) {
        const mine = got.categories.find((g) => g.category === c.category)!;
        expect(mine.N).toBe(c.N);
        expect(Math.abs(mine.propensity - c.mean)).toBeLessThan(1e-6);
        expect(Math.abs(mine.partial - c.partial)).toBeLessThan(1e-6);
      }
    }
  });

  it('gives R = 1 when every group responds alike, and lower when one group stays behind', () => {
    const even = [
      { labels: { org_type: 'a', province: 'X', size_class: 's', member: 'lid' }, N: 40, n: 20 },
      { labels: { org_type: 'b', province: 'Y', size_class: 's', member: 'lid' }, N: 60, n: 30 },
    ];
    expect(rIndicator(even, PROPENSITY_VARIABLES)!.R).toBeCloseTo(1, 12);
    const uneven = [even[0], { ...even[1], n: 6 }];
    const r = rIndicator(uneven)!;
    expect(r.R).toBeLessThan(0.7);
    const type = r.partials.find((p) => p.variable === 'org_type')!;
    expect(type.categories.find((c) => c.category === 'b')!.partial).toBeLessThan(0);
  });

  it('stays finite when a category has no response at all (the fit drifts to 0 there, as glm does)', () => {
    const groups = [
      { labels: { org_type: 'a', province: 'X', size_class: 's', member: 'lid' }, N: 30, n: 12 },
      { labels: { org_type: 'b', province: 'X', size_class: 's', member: 'lid' }, N: 20, n: 0 },
      { labels: { org_type: 'a', province: 'Y', size_class: 's', member: 'niet-lid' }, N: 25, n: 9 },
    ];
    const r = rIndicator(groups)!;
    expect(Number.isFinite(r.R)).toBe(true);
    const b = r.partials.find((p) => p.variable === 'org_type')!.categories.find((c) => c.category === 'b')!;
    expect(b.propensity).toBeLessThan(1e-6);
  });
});

describe('whom to remind first', () => {
  // Four types in four provinces, 20 organisations each; particulier in Zeeland and Drenthe lag behind.
  const types = ['centrum', 'muziekschool', 'particulier', 'kunstencentrum'];
  const provinces = ['Drenthe', 'Zeeland', 'Utrecht', 'Limburg'];
  const groups = types.flatMap((org_type) =>
    provinces.map((province) => ({
      stratum: org_type,
      labels: { org_type, province, size_class: '<250', member: 'lid' },
      N: 20,
      n: org_type === 'particulier' && (province === 'Zeeland' || province === 'Drenthe') ? 2 : 10,
    })),
  );

  it('ranks first the groups whose response is lowest and whose extra response raises R most', () => {
    const ranking = reminderPriorities(groups);
    expect(ranking).toHaveLength(16);
    expect(
      ranking
        .slice(0, 2)
        .map((g) => `${g.org_type} ${g.province}`)
        .sort(),
    ).toEqual(['particulier Drenthe', 'particulier Zeeland']);
    expect(ranking[0].gainR).toBeGreaterThan(0);
    expect(ranking[0].gainPrecision).toBeGreaterThan(ranking[ranking.length - 1].gainPrecision);
    // A group that is already over-represented lowers R when it responds even more.
    expect(ranking[ranking.length - 1].gainR).toBeLessThan(ranking[0].gainR);
  });

  it('puts a stratum without any response first: there one response makes the estimate possible at all', () => {
    const empty = groups.map((g) => (g.labels.org_type === 'kunstencentrum' ? { ...g, n: 0 } : g));
    const top = reminderPriorities(empty)[0];
    expect(top.org_type).toBe('kunstencentrum');
    expect(top.gainPrecision).toBe(1);
  });
});
