// The branch in figures: what the population frame (KAnS) alone says
// of the branch — organisations, members, students, turnover, subsidy, staff and
// freelance teachers — for the whole branch and per type, province and size class,
// with the change from the previous frame year. The totals are exact census
// figures, so they are protected exactly like survey estimates: a group with fewer
// than 5 organisations, or one or two organisations dominating it, is withheld;
// every other total gets cell-key noise (from keys of each organisation's
// measure and value, so a corrected value gets new noise) and is rounded, and the whole branch's noise covers every withheld group
// of a one-way table, so the whole minus the other groups never gives one away; nor
// does the sum of a fully published one-way table (a margin) minus another's groups.
import type { Kysely } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import { type BranchAtom, branchAtoms, frameYears } from '../../register/branch-repository';
import { AUX_VARIABLES, type AuxVariable } from '../../register/frame-columns';
import { noiseFloor } from '../disclosure/perturbation';
import { type CellToProtect, protectCell } from '../disclosure/protect';
import { DEFAULT_DISCLOSURE, sensitivity } from '../disclosure/rules';
import { compareLabels, type ReportVariable } from '../report/report-model';

type Db = Kysely<Database>;

/** The frame variables the branch figures add up: the frame's auxiliary variables. */
export const BRANCH_MEASURES = AUX_VARIABLES;
export type BranchMeasure = AuxVariable;

/** The breakdowns of the branch figures: one variable per table, as the survey reports. */
export const BRANCH_DIMENSIONS: ReportVariable[] = ['org_type', 'province', 'size_class'];

export interface BranchValue {
  estimate: number | null;
  suppressed: boolean;
  reason: string | null;
  previous: number | null;
  change: number | null;
}

export interface BranchCell {
  dimension: ReportVariable | null;
  domain: string;
  /** Organisations in the frame (public: the frame is shared with members). */
  organisations: number;
  members: number;
  values: Record<BranchMeasure, BranchValue>;
}

export interface BranchFigures {
  year: number;
  previousYear: number | null;
  cells: BranchCell[];
}

interface RawCell {
  dimension: ReportVariable | null;
  domain: string;
  organisations: number;
  members: number;
  sums: BranchAtom['sums'];
}

function cellsOf(list: BranchAtom[]): RawCell[] {
  const add = (into: RawCell, a: BranchAtom) => {
    into.organisations += a.n;
    into.members += a.members;
    for (const m of BRANCH_MEASURES) {
      const s = into.sums[m];
      const t = a.sums[m];
      s.count += t.count;
      s.sum += t.sum;
      s.squares += t.squares;
      s.keys += t.keys;
      const top = [...s.top, ...t.top].sort((x, y) => y - x);
      s.top = [top[0], top[1]];
    }
  };
  const empty = (dimension: ReportVariable | null, domain: string): RawCell => ({
    dimension,
    domain,
    organisations: 0,
    members: 0,
    sums: Object.fromEntries(
      BRANCH_MEASURES.map((m) => [m, { count: 0, sum: 0, squares: 0, top: [0, 0] as [number, number], keys: 0 }]),
    ) as BranchAtom['sums'],
  });
  const whole = empty(null, '*');
  for (const a of list) add(whole, a);
  const cells = [whole];
  for (const d of BRANCH_DIMENSIONS) {
    const labels = [...new Set(list.map((a) => a.labels[d]))].sort((x, y) => compareLabels(d, x, y));
    for (const label of labels) {
      const cell = empty(d, label);
      for (const a of list) if (a.labels[d] === label) add(cell, a);
      cells.push(cell);
    }
  }
  return cells;
}

function factsOf(cell: RawCell, m: BranchMeasure) {
  const s = cell.sums[m];
  const uniform = s.count >= 2 && Math.abs(s.count * s.squares - s.sum * s.sum) <= 1e-9 * Math.max(s.sum * s.sum, 1);
  return {
    n: s.count,
    kind: 'magnitude' as const,
    top: s.top,
    total: Math.abs(s.sum),
    uniform,
    uniformValue: s.count ? s.sum / s.count : 0,
  };
}

/** A frame total as protection sees it: an exact census figure (no standard error). */
function toProtect(cell: RawCell, m: BranchMeasure, year: number, cover: number): CellToProtect {
  const sum = cell.sums[m].sum;
  return {
    estimate: { estimate: sum, se: 0, ci_low: sum, ci_high: sum },
    n: cell.sums[m].count,
    facts: factsOf(cell, m),
    cover,
    keySum: cell.sums[m].keys,
    countKeySum: cell.sums[m].keys,
    shift: `branch|${year}|${m}`,
    precision: 'amount',
    bounds: [0, Number.POSITIVE_INFINITY],
  };
}

/** The protected totals of one frame year. */
async function protectedYear(db: Db, year: number, protect: boolean) {
  const cells = cellsOf(await branchAtoms(db, year, BRANCH_MEASURES));
  const params = DEFAULT_DISCLOSURE;
  return cells.map((cell) => {
    const values = {} as Record<BranchMeasure, Omit<BranchValue, 'previous' | 'change'>>;
    for (const m of BRANCH_MEASURES) {
      const facts = factsOf(cell, m);
      if (!protect) {
        const reason = sensitivity(facts, params);
        values[m] = { estimate: cell.sums[m].sum, suppressed: reason !== null, reason };
        continue;
      }
      // The whole branch covers the largest contribution of a withheld group of any one-way
      // table, and is kept out of reach of each table's subtraction (disclosure/protect.ts).
      const coverIn = (list: RawCell[]) =>
        Math.max(
          0,
          ...list
            .filter((c) => c.dimension !== null && sensitivity(factsOf(c, m), params) !== null)
            .map((c) => (c.sums[m].count < params.minCell ? c.sums[m].sum : c.sums[m].top[0])),
        );
      const whole = cell.dimension === null;
      // A fully published one-way table is a margin as good as the whole: its largest
      // cell keeps the table's sum minus another table's published groups away from
      // that table's withheld groups, with the table's other cells as siblings.
      const margin = cells.filter((c) => c.dimension === cell.dimension);
      const anchor =
        !whole &&
        margin.every((c) => sensitivity(factsOf(c, m), params) === null) &&
        margin.reduce((a, c) => (c.sums[m].sum > a.sums[m].sum ? c : a)) === cell;
      const tables =
        whole || anchor
          ? BRANCH_DIMENSIONS.filter((d) => d !== cell.dimension).flatMap((d) => {
              const table = cells.filter((c) => c.dimension === d);
              const cover = coverIn(table);
              const sumOf = (list: RawCell[]) => list.reduce((a, c) => a + c.sums[m].sum, 0);
              return cover === 0
                ? []
                : [
                    {
                      parts: table.map((c) => toProtect(c, m, year, 0)),
                      siblings: whole
                        ? undefined
                        : margin.filter((c) => c !== cell).map((c) => toProtect(c, m, year, 0)),
                      gap: whole ? 0 : sumOf(margin) - sumOf(table),
                      floor: noiseFloor(cover),
                    },
                  ];
            })
          : undefined;
      const p = protectCell({ ...toProtect(cell, m, year, whole ? coverIn(cells) : 0), tables }, params);
      values[m] = { estimate: p.estimate, suppressed: p.suppressed, reason: p.reason };
    }
    return {
      dimension: cell.dimension,
      domain: cell.domain,
      organisations: cell.organisations,
      members: cell.members,
      values,
    };
  });
}

/** The branch in figures for a frame year (default: the latest), with the change from the year before. */
export async function branchFigures(
  db: Db,
  options: { year?: number | null; protect?: boolean } = {},
): Promise<BranchFigures | null> {
  const years = await frameYears(db);
  const year = options.year ?? years[0];
  if (year === undefined || !years.includes(year)) return null;
  const previousYear = years.find((y) => y < year) ?? null;
  const protect = options.protect ?? true;
  const current = await protectedYear(db, year, protect);
  const previous = previousYear === null ? [] : await protectedYear(db, previousYear, protect);
  const before = new Map(previous.map((c) => [`${c.dimension}|${c.domain}`, c]));
  return {
    year,
    previousYear,
    cells: current.map((c) => {
      const p = before.get(`${c.dimension}|${c.domain}`);
      const values = {} as Record<BranchMeasure, BranchValue>;
      for (const m of BRANCH_MEASURES) {
        const prev = p?.values[m].estimate ?? null;
        const now = c.values[m].estimate;
        values[m] = { ...c.values[m], previous: prev, change: prev !== null && now !== null ? now - prev : null };
      }
      return { ...c, values };
    }),
  };
}
