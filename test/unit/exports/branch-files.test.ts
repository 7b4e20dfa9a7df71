import { describe, expect, it } from 'vitest';
import {
  BRANCH_MEASURES,
  type BranchFigures,
  type BranchMeasure,
  type BranchValue,
} from '../../../analysis/branch/branch-figures';
import { branchCsv, branchCsvRelease } from '../../../exports/branch-csv';
import { branchTables, shownBranchValue } from '../../../exports/branch-view';

const value = (estimate: number | null, change: number | null = null, suppressed = false): BranchValue => ({
  estimate,
  suppressed,
  reason: suppressed ? 'n' : null,
  previous: null,
  change,
});

function values(overrides: Partial<Record<BranchMeasure, BranchValue>> = {}): Record<BranchMeasure, BranchValue> {
  return Object.fromEntries(BRANCH_MEASURES.map((m) => [m, overrides[m] ?? value(10)])) as Record<
    BranchMeasure,
    BranchValue
  >;
}

const figures: BranchFigures = {
  year: 2024,
  previousYear: 2023,
  cells: [
    {
      dimension: null,
      domain: '*',
      organisations: 1200,
      members: 400,
      values: values({ turnover_eur: value(254_000_000, -2_000_000), fte: value(12.25, 1.5) }),
    },
    {
      dimension: 'org_type',
      domain: 'muziekschool',
      organisations: 3,
      members: 1,
      values: values({ students: value(null, null, true) }),
    },
  ],
};

describe('branch view', () => {
  it('shows amounts in the report style, fte with one decimal and "–" where withheld', () => {
    expect(shownBranchValue('fte', 12.25, 'nl')).toBe('12,3');
    expect(shownBranchValue('students', null, 'nl')).toBe('–');
    expect(shownBranchValue('turnover_eur', 254_000_000, 'nl')).toMatch(/^€\s?254/);
  });

  it('makes one table for the whole branch, then one per breakdown, rows in their own table', () => {
    const tables = branchTables(figures, 'nl');
    expect(tables.map((t) => t.caption)).toEqual([
      'Hele branche',
      'per type organisatie',
      'per provincie',
      'per grootteklasse',
    ]);
    expect(tables[0].columns.slice(0, 4)).toEqual(['Groep', 'Organisaties', 'Leden', 'Leerlingen']);
    const [whole] = tables[0].rows;
    expect(whole.header).toBe('Hele branche');
    expect(whole.cells.slice(0, 2)).toEqual(['1.200', '400']);
    expect(whole.changes[BRANCH_MEASURES.indexOf('fte')]).toBe('+1,5');
    expect(whole.changes[BRANCH_MEASURES.indexOf('turnover_eur')]).toMatch(/^−€\s?2/);
    expect(whole.changes[BRANCH_MEASURES.indexOf('students')]).toBe('–');
    expect(whole.suppressed).toBe(false);
    expect(tables[1].rows).toHaveLength(1);
    expect(tables[1].rows[0]).toMatchObject({ header: 'muziekschool', suppressed: true });
    expect(tables[1].rows[0].cells[2]).toBe('–');
    expect(tables[2].rows).toEqual([]);
  });
});

describe('branch CSV', () => {
  it('writes one Excel-flavoured row per cell with each measure and its change', () => {
    const file = branchCsv(figures, 'nl');
    expect(file.fileName).toBe('branche-in-cijfers-2024.csv');
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    const lines = String(file.content)
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain(
      'Peiljaar;uitsplitsing;groep;Organisaties;Leden;Leerlingen;"verandering Leerlingen";Omzet',
    );
    expect(lines[1]).toMatch(/^2024;"";"Hele branche";1200;400;10;;254000000;-2000000;/);
    expect(lines[2]).toMatch(/^2024;"type organisatie";"muziekschool";3;1;;;/);
  });

  it('is logged as an export of the frame year with every breakdown and measure', () => {
    expect(branchCsvRelease(figures)).toEqual({
      wave: 'KAnS 2024',
      view: { stratify: ['org_type', 'province', 'size_class'], by: null, questions: [...BRANCH_MEASURES] },
      format: 'csv-nl',
    });
  });
});
