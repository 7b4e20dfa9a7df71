import { Readable } from 'node:stream';
import { median } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { DEMO_PROVINCES, demoFrameCsv, generateDemoFrame } from '../../../register/demo-frame';
import { readFrame } from '../../../register/frame-reader';

describe('demo frame', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    expect(generateDemoFrame({ orgs: 50, seed: 7 })).toEqual(generateDemoFrame({ orgs: 50, seed: 7 }));
    expect(generateDemoFrame({ orgs: 50, seed: 7 })).not.toEqual(generateDemoFrame({ orgs: 50, seed: 8 }));
  });

  it('looks like the branch of DOMAIN.md', () => {
    const rows = generateDemoFrame({ orgs: 4000, seed: 1 });
    const share = (type: string) => rows.filter((r) => r.org_type === type).length / rows.length;
    expect(share('centrum voor de kunsten')).toBeCloseTo(0.38, 1);
    expect(share('particuliere aanbieder')).toBeCloseTo(0.3, 1);
    expect(rows.filter((r) => r.member).length / rows.length).toBeGreaterThan(0.62);
    expect(rows.filter((r) => r.member).length / rows.length).toBeLessThan(0.78);
    const students = (type: string) => median(rows.filter((r) => r.org_type === type).map((r) => r.students!));
    expect(students('centrum voor de kunsten')).toBeGreaterThan(1400);
    expect(students('centrum voor de kunsten')).toBeLessThan(2300);
    expect(students('particuliere aanbieder')).toBeLessThan(170);
    expect(
      rows
        .filter((r) => r.org_type === 'particuliere aanbieder')
        .every((r) => r.subsidy_eur === '0' && r.teachers_employed === 0),
    ).toBe(true);
    const provinces = new Set(rows.map((r) => r.province));
    expect(provinces.size).toBe(12);
    const zh = rows.filter((r) => r.province === 'Zuid-Holland').length;
    const zl = rows.filter((r) => r.province === 'Zeeland').length;
    expect(zh).toBeGreaterThan(5 * zl);
    expect(new Set(rows.map((r) => r.org_id)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
  });

  it('has turnover, subsidy, staff and teachers in the proportions of DOMAIN.md', () => {
    const rows = generateDemoFrame({ orgs: 4000, seed: 2 });
    const of = (type: string) => rows.filter((r) => r.org_type === type);
    const perStudent = (type: string) => median(of(type).map((r) => Number(r.turnover_eur) / r.students!));
    expect(perStudent('centrum voor de kunsten')).toBeGreaterThan(470);
    expect(perStudent('centrum voor de kunsten')).toBeLessThan(570);
    expect(perStudent('particuliere aanbieder')).toBeGreaterThan(640);
    const subsidyShare = (type: string) => median(of(type).map((r) => Number(r.subsidy_eur) / Number(r.turnover_eur)));
    expect(subsidyShare('centrum voor de kunsten')).toBeCloseTo(0.45, 1);
    expect(subsidyShare('muziekschool')).toBeCloseTo(0.35, 1);
    for (const r of rows) expect(Math.abs(Number(r.fte) - Number(r.turnover_eur) / 72000)).toBeLessThanOrEqual(0.051);
    expect(rows.filter((r) => Number(r.subsidy_eur) > 0).every((r) => r.teachers_employed! >= 1)).toBe(true);
    const freelancePerStudent = rows.map((r) => r.teachers_freelance! / r.students!);
    expect(Math.max(...freelancePerStudent.filter((_, i) => rows[i].students! >= 600))).toBeLessThan(1 / 55);
    // A municipality always lies in its province.
    for (const [province, , municipalities] of DEMO_PROVINCES) {
      for (const r of rows.filter((x) => x.province === province)) expect(municipalities).toContain(r.municipality);
    }
    // The first wave's sanity check: a branch of ~400 turns over some € 20–30 million a month.
    const branch = generateDemoFrame({ seed: 2020 });
    const monthly = branch.reduce((s, r) => s + Number(r.turnover_eur), 0) / 12;
    expect(branch).toHaveLength(400);
    expect(monthly).toBeGreaterThan(12e6);
    expect(monthly).toBeLessThan(40e6);
  });

  it('writes a CSV that the frame reader reads back unchanged', async () => {
    const rows = generateDemoFrame({ orgs: 300, seed: 3 });
    const csv = [...demoFrameCsv(rows)].join('');
    const read: typeof rows = [];
    const summary = await readFrame(() => Readable.from([Buffer.from(csv)]), {
      onBatch: async (b) => void read.push(...b),
    });
    expect(summary.errors).toEqual([]);
    expect(read).toEqual(rows);
  });
});
