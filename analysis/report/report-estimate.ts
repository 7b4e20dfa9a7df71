// Step 3 of the report: the estimates. Every cell — the whole branch, each
// breakdown cell, each `--by` domain — is a domain of the wave's one weighting
// design (README "Estimates for the whole branch"), so a cell's value depends only on which organisations it
// holds, never on the view it appears in. The step always estimates the whole
// universe of publishable cells (the whole branch and every value of every
// variable) so that the whole branch knows which one-way cells are sensitive
// and its noise covers them, in every view alike. Besides the estimate, each
// cell carries what the protection step needs: its largest weighted
// contributions, whether all its respondents answered alike, and the sums of its
// respondents' record keys.

import type { AuxVariable } from '../../register/frame-columns';
import { addKeys } from '../disclosure/cell-key';
import { noiseFloor } from '../disclosure/perturbation';
import type { PrecisionKind } from '../disclosure/precision';
import { type CellFacts, sensitivity } from '../disclosure/rules';
import type { Estimate, StratumFrame } from '../estimators/design';
import {
  type Domain,
  domainRatioTotalOf,
  expansionTotalOf,
  meanOf,
  separateRatioTotalOf,
  type WeightedEstimate,
} from '../estimators/estimators';
import { respondentsPerStratum } from '../estimators/linearization';
import { yieldToEventLoop } from '../yield';
import { type CalibrationData, type CalibrationNote, calibrateQuestion } from './report-calibrate';
import {
  compareLabels,
  REPORT_VARIABLES,
  type ReportEstimate,
  type ReportVariable,
  type Statistic,
} from './report-model';
import type { PlannedQuestion, ReportPlan } from './report-plan';
import type { ChoiceGroup, FrameGroup, GroupLabels, NumericGroup, RespondentGroup } from './report-repository';

/** What the aggregation step brings from the database. */
export interface ReportData {
  frame: FrameGroup[];
  numeric: NumericGroup[];
  choice: ChoiceGroup[];
  respondents: RespondentGroup[];
  outside: number;
  /** A calibrated wave's unit-level data (README "Calibration"); absent otherwise. */
  calibration?: CalibrationData;
}

/** A cell of the report: the organisations of the frame it speaks for. */
export interface CellSpec {
  /** null for the whole branch, else the variable. */
  dimension: ReportVariable | null;
  domain: string;
  N: number;
  X: Record<string, number>;
  /** Σ frame keys of the cell's units per auxiliary variable (FrameGroup.keys). */
  frameKeys: Record<string, number>;
  /** The largest absolute value of one of the cell's units per auxiliary variable. */
  xmax: Record<string, number>;
  /** The design strata the cell touches (from the frame). */
  strata: Set<string>;
  /** The cell is a union of whole design strata (then ratio totals are separate ratios). */
  unionOfStrata: boolean;
}

const contains = (cell: Pick<CellSpec, 'dimension' | 'domain'>, g: GroupLabels) =>
  cell.dimension === null || g.labels[cell.dimension] === cell.domain;

/** Every publishable cell: the whole branch and each value of each report variable. */
export function universeOf(plan: ReportPlan, frame: readonly FrameGroup[]): CellSpec[] {
  const spec = (dimension: ReportVariable | null, domain: string): CellSpec => {
    const groups = frame.filter((g) => contains({ dimension, domain }, g));
    const X: Record<string, number> = {};
    for (const g of groups) for (const [a, x] of Object.entries(g.X)) X[a] = (X[a] ?? 0) + x;
    const frameKeys: Record<string, number> = {};
    for (const g of groups) for (const [a, k] of Object.entries(g.keys)) frameKeys[a] = addKeys(frameKeys[a] ?? 0, k);
    const xmax: Record<string, number> = {};
    for (const g of groups) for (const [a, m] of Object.entries(g.xmax)) xmax[a] = Math.max(xmax[a] ?? 0, m);
    return {
      dimension,
      domain,
      N: sum(groups, (g) => g.N),
      X,
      frameKeys,
      xmax,
      strata: new Set(groups.map((g) => g.stratum)),
      unionOfStrata: dimension === null || plan.grouping.weighting.includes(dimension),
    };
  };
  const cells = [spec(null, '*')];
  for (const v of REPORT_VARIABLES)
    for (const label of [...new Set(frame.map((g) => g.labels[v]))].sort((a, b) => compareLabels(v, a, b)))
      cells.push(spec(v, label));
  return cells;
}

/** The cells a view shows: the whole branch, its breakdown's cells, its `--by` cells. */
function shownIn(plan: ReportPlan, cell: CellSpec): boolean {
  return (
    plan.options.allCells === true ||
    cell.dimension === null ||
    plan.breakdown.includes(cell.dimension) ||
    plan.by === cell.dimension
  );
}

export interface EstimatedCell
  extends Pick<
    ReportEstimate,
    'question' | 'statistic' | 'method' | 'auxiliary' | 'category' | 'dimension' | 'domain'
  > {
  estimate: Estimate | null;
  /** Contributing respondents (those who answered, in the cell). */
  n: number;
  N: number;
  facts: CellFacts;
  /** The largest contribution of a sensitive one-way cell the noise must also cover (whole branch only). */
  cover: number;
  /**
   * A ratio total: the largest part of it one frame unit's auxiliary value makes
   * (the estimate's share of the largest value), which its noise also covers, so
   * a frame value corrected by a re-import does not come out of two reports' difference.
   */
  frameCover?: number;
  /** Σ record keys of the cell's respondents and of every respondent in the design strata it touches. */
  keySum: number;
  /** Σ record keys of the contributing respondents only (the noise of n). */
  countKeySum: number;
  precision: PrecisionKind;
  /** Limits of the value's scale: a proportion stays in [0, 1], a percentage in [0, 100]. */
  bounds: [number, number] | null;
  /**
   * The whole branch's total, and the largest cell of a fully published one-way
   * table (its margin): the one-way tables that hold a withheld cell (disclosure/protect.ts).
   */
  tables?: { parts: EstimatedCell[]; gap: number; floor: number; siblings?: EstimatedCell[] }[];
}

/** Something the reader should know: strata without respondents, lonely strata, missing auxiliaries. */
export type ReportNote =
  | {
      kind: 'empty_strata';
      question: string;
      strata: string[];
      shareN: number;
      shareX: number | null;
      aux: string | null;
    }
  | { kind: 'lonely'; question: string; strata: string[] }
  | { kind: 'missing_aux'; question: string; n: number; aux: string }
  | CalibrationNote;

const sum = <T>(items: readonly T[], f: (t: T) => number) => items.reduce((a, t) => a + f(t), 0);

/** The design strata with N_h and the frame total of an auxiliary. */
export function strataOf(frame: readonly FrameGroup[], aux: AuxVariable | null): StratumFrame[] {
  const strata = new Map<string, StratumFrame>();
  for (const g of frame) {
    const s = strata.get(g.stratum) ?? { stratum: g.stratum, N: 0, X: aux ? 0 : null };
    s.N += g.N;
    if (aux) s.X = (s.X ?? 0) + (g.X[aux] ?? 0);
    strata.set(g.stratum, s);
  }
  return [...strata.values()].sort((a, b) => a.stratum.localeCompare(b.stratum));
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** The two largest of a list of weighted contributions. */
export function topTwo(values: number[]): [number, number] {
  let a = 0;
  let b = 0;
  for (const v of values) {
    if (v > a) [a, b] = [v, a];
    else if (v > b) b = v;
  }
  return [a, b];
}

/**
 * Magnitude facts of a cell from its shown groups and the estimator's weights.
 * The two largest weighted contributions are exact once the group holding the
 * largest knows its second largest answer; until then (`open`), the second lies
 * between `top[1]` and `upper`.
 */
function magnitudeFacts(
  groups: readonly NumericGroup[],
  weights: Map<string, number>,
  estimate: number,
  kind: CellFacts['kind'],
): { facts: CellFacts; upper: number; open: NumericGroup | null } {
  const shown = groups.filter((g) => g.shown);
  const w = (g: NumericGroup) => weights.get(g.stratum) ?? 0;
  let largest: NumericGroup | null = null;
  let x1 = 0;
  for (const g of shown)
    if (w(g) * g.top[0] > x1) {
      x1 = w(g) * g.top[0];
      largest = g;
    }
  // The second: every other group's largest, and every second largest that is known.
  let x2 = 0;
  for (const g of shown) {
    if (g !== largest) x2 = Math.max(x2, w(g) * g.top[0]);
    if (g.top[1] !== null) x2 = Math.max(x2, w(g) * g.top[1]);
  }
  const open = largest && largest.top[1] === null ? largest : null;
  const n = sum(shown, (g) => g.n);
  const sy = sum(shown, (g) => g.sy);
  const syy = sum(shown, (g) => g.syy);
  // Zero variance: n Σy² = (Σy)², up to the rounding of doubles.
  const uniform = n >= 2 && Math.abs(n * syy - sy * sy) <= 1e-9 * Math.max(sy * sy, 1);
  return {
    facts: { n, kind, top: [x1, x2], total: Math.abs(estimate), uniform, uniformValue: n ? sy / n : 0 },
    upper: open ? x1 : x2,
    open,
  };
}

function precisionOf(q: PlannedQuestion, statistic: Statistic): PrecisionKind {
  if (statistic === 'proportion') return 'proportion';
  if (q.question.type === 'percentage') return 'decimal';
  if (q.question.type === 'currency' || statistic === 'total') return 'amount';
  return 'decimal';
}

function boundsOf(q: PlannedQuestion, statistic: Statistic): [number, number] | null {
  if (statistic === 'proportion') return [0, 1];
  if (q.question.type === 'percentage') return [0, 100];
  // An answer that cannot be negative (a count, an amount with minimum 0) has no negative
  // total or mean, and no interval below 0 (issue 21.6).
  if (q.question.min !== undefined && q.question.min >= 0) return [0, Number.POSITIVE_INFINITY];
  return null;
}

/** A cell's estimate and facts, before it is known what its noise must cover. */
export type Estimated = Omit<EstimatedCell, 'cover'> & {
  /** Per design stratum: the cell's shown answers' sum and two largest values, for the cover of the whole. */
  parts: { stratum: string; sy: number; top: readonly number[] }[];
  weights: Map<string, number>;
};

/**
 * The noise of the whole branch must cover every sensitive one-way cell: the
 * whole minus the other cells of that cell's table leaves the cell. What must be
 * covered is the cell's contribution to the whole — all of it for a cell with
 * too few respondents, its largest respondent's for a dominated or uniform cell.
 */
function coverOf(whole: Estimated, cells: Estimated[], params: ReportPlan['params']): number {
  let cover = 0;
  for (const c of cells) {
    if (c.dimension === null || c.estimate === null) continue;
    const reason = sensitivity(c.facts, params);
    if (reason === null || reason === 'no_respondents') continue;
    const w = (h: string) => whole.weights.get(h) ?? 0;
    const contribution =
      reason === 'min_n'
        ? Math.abs(sum(c.parts, (p) => w(p.stratum) * p.sy))
        : Math.max(0, ...c.parts.map((p) => w(p.stratum) * (p.top[0] ?? 0)));
    cover = Math.max(cover, contribution);
  }
  return cover;
}

/** The cells of every question and statistic with their estimates, plus notes for the warnings. */
/** What every question's estimation shares: the plan, the data, the universe of cells. */
interface EstimationContext {
  plan: ReportPlan;
  data: ReportData;
  universe: CellSpec[];
  /** The sum of the record keys of a cell's design strata (part of its cell key). */
  designKeys: (cell: CellSpec) => number;
  /** Groups whose second largest answer decides a dominance rule but is not fetched yet. */
  undecided: Set<NumericGroup>;
}

/**
 * Estimate every question over the universe of cells, and keep the cells the
 * view shows. `undecided` lists the groups whose second largest answer must be
 * fetched (repo.secondLargest) before the cells can be trusted; estimate again then.
 */
export async function estimateCells(
  plan: ReportPlan,
  data: ReportData,
): Promise<{ cells: EstimatedCell[]; notes: ReportNote[]; undecided: NumericGroup[] }> {
  const strataKeys = new Map<string, number>();
  for (const r of data.respondents) strataKeys.set(r.stratum, (strataKeys.get(r.stratum) ?? 0) + r.keys);
  const context: EstimationContext = {
    plan,
    data,
    universe: universeOf(plan, data.frame),
    designKeys: (cell) => sum([...cell.strata], (h) => strataKeys.get(h) ?? 0),
    undecided: new Set(),
  };
  const numericByQuestion = groupBy(data.numeric, (g) => g.question);
  const choiceByQuestion = groupBy(data.choice, (g) => g.question);
  const cells: EstimatedCell[] = [];
  const notes: ReportNote[] = [];
  for (const q of plan.questions) {
    await yieldToEventLoop();
    let estimated =
      q.kind === 'numeric'
        ? estimateNumeric(context, q, numericByQuestion.get(q.question.key) ?? [], notes)
        : estimateChoice(context, q, choiceByQuestion.get(q.question.key) ?? []);
    // A calibrated wave: the same cells, their estimates from the calibrated design.
    if (plan.calibration && data.calibration)
      estimated = withCalibrationKeys(
        context,
        calibrateQuestion(
          plan.params.minCell,
          plan.calibration,
          data.calibration,
          context.universe,
          context.universe.map((cell) => shownIn(plan, cell)),
          q,
          estimated,
          notes,
        ),
      );
    for (const statisticCells of estimated) cells.push(...keepShown(context, statisticCells));
  }
  return { cells, notes, undecided: [...context.undecided] };
}

/**
 * A calibrated cell stands on the frame totals of the calibration's numeric
 * variables: their keys (of the whole frame) join its cell key, so a frame value
 * replaced by an import gives it new noise.
 */
function withCalibrationKeys({ plan, universe }: EstimationContext, estimated: Estimated[][]): Estimated[][] {
  const whole = universe.find((c) => c.dimension === null);
  const variables = plan.calibration?.numeric ?? [];
  if (!whole || variables.length === 0) return estimated;
  const keys = addKeys(...variables.map((v) => whole.frameKeys[v] ?? 0));
  return estimated.map((cells) =>
    cells.map((c) => (c.method === 'calibrated' ? { ...c, keySum: addKeys(c.keySum, keys) } : c)),
  );
}

/** Give the whole branch its cover (from the whole universe) and keep the view's cells. */
function keepShown({ plan, universe }: EstimationContext, estimated: Estimated[]): EstimatedCell[] {
  const whole = estimated.find((c) => c.dimension === null)!;
  const out: EstimatedCell[] = [];
  for (const c of estimated) {
    if (
      c.dimension !== null &&
      !shownIn(plan, universe.find((u) => u.dimension === c.dimension && u.domain === c.domain)!)
    )
      continue;
    const { parts: _parts, weights: _weights, ...cell } = c;
    if (c !== whole) out.push({ ...cell, cover: 0, tables: marginTables(whole, c, estimated, plan) });
    else
      out.push({
        ...cell,
        cover: coverOf(whole, estimated, plan.params),
        tables: coveredTables(whole, estimated, plan),
      });
  }
  return out;
}

/**
 * The one-way tables under the whole branch's total that hold a withheld cell:
 * their cells, how far the estimators' cells fall short of adding up to the
 * whole, and how far the subtraction must stay from the withheld cells.
 */
function coveredTables(whole: Estimated, cells: Estimated[], plan: ReportPlan): EstimatedCell['tables'] {
  if (whole.statistic !== 'total' || whole.estimate === null) return undefined;
  const tables: NonNullable<EstimatedCell['tables']> = [];
  for (const dimension of REPORT_VARIABLES) {
    const table = cells.filter((c) => c.dimension === dimension);
    const cover = coverOf(whole, table, plan.params);
    if (cover === 0) continue;
    tables.push({
      parts: table.map(({ parts: _p, weights: _w, ...c }) => ({ ...c, cover: 0 })),
      gap: whole.estimate.estimate - sum(table, (c) => c.estimate?.estimate ?? 0),
      floor: noiseFloor(cover),
    });
  }
  return tables;
}

/**
 * A fully published one-way table adds up to the whole as well as the whole does:
 * its sum (a margin) minus the published cells of another table holding a withheld
 * cell leaves that withheld cell. Its largest published cell carries the condition
 * that this subtraction stays away from the withheld cells in every draw, with the
 * table's other cells as siblings; every other cell, and a table with a withheld
 * cell of its own, carries none (undefined).
 */
function marginTables(
  whole: Estimated,
  cell: Estimated,
  cells: Estimated[],
  plan: ReportPlan,
): EstimatedCell['tables'] {
  if (cell.statistic !== 'total' || cell.dimension === null || cell.estimate === null) return undefined;
  const margin = cells.filter((c) => c.dimension === cell.dimension);
  if (margin.some((c) => c.estimate === null || sensitivity(c.facts, plan.params) !== null)) return undefined;
  const anchor = margin.reduce((a, c) => (Math.abs(c.estimate!.estimate) > Math.abs(a.estimate!.estimate) ? c : a));
  if (anchor !== cell) return undefined;
  const strip = (list: Estimated[]) => list.map(({ parts: _p, weights: _w, ...c }) => ({ ...c, cover: 0 }));
  const total = sum(margin, (c) => c.estimate?.estimate ?? 0);
  const tables: NonNullable<EstimatedCell['tables']> = [];
  for (const dimension of REPORT_VARIABLES) {
    if (dimension === cell.dimension) continue;
    const table = cells.filter((c) => c.dimension === dimension);
    const cover = coverOf(whole, table, plan.params);
    if (cover === 0) continue;
    tables.push({
      parts: strip(table),
      siblings: strip(margin.filter((c) => c !== cell)),
      gap: total - sum(table, (c) => c.estimate?.estimate ?? 0),
      floor: noiseFloor(cover),
    });
  }
  return tables.length ? tables : undefined;
}

/** A numeric question: per statistic (total, mean) every cell of the universe. */
function estimateNumeric(
  context: EstimationContext,
  q: PlannedQuestion,
  groups: NumericGroup[],
  notes: ReportNote[],
): Estimated[][] {
  const strata = strataOf(context.data.frame, q.aux);
  notes.push(...questionNotes(q, strata, groups));
  const respondents = {
    all: respondentsPerStratum(groups),
    withX: respondentsPerStratum(groups.filter((g) => g.has_x)),
  };
  return q.statistics.map((statistic) =>
    context.universe.map((cell) => numericCell(context, q, statistic, cell, groups, strata, respondents)),
  );
}

/** One cell of a numeric question: the design's estimator for the statistic, and the facts protection needs. */
function numericCell(
  { designKeys, plan, undecided }: EstimationContext,
  q: PlannedQuestion,
  statistic: Statistic,
  cell: CellSpec,
  groups: NumericGroup[],
  strata: StratumFrame[],
  respondents: { all: Map<string, number>; withX: Map<string, number> },
): Estimated {
  const kind: CellFacts['kind'] = q.question.type === 'percentage' ? 'percentage' : 'magnitude';
  const ratio = statistic === 'total' && q.aux !== null;
  const inCell = groups.filter((g) => contains(cell, g));
  const used = ratio ? inCell.filter((g) => g.has_x) : inCell;
  const domain: Domain = { frame: strata, n: ratio ? respondents.withX : respondents.all, cells: used };
  let estimate: WeightedEstimate | null = null;
  if (statistic === 'mean') {
    if (used.some((g) => g.shown && g.n > 0)) estimate = meanOf(domain);
  } else if (used.some((g) => g.n > 0)) {
    if (!ratio) estimate = expansionTotalOf(domain);
    else if (cell.unionOfStrata) estimate = separateRatioTotalOf(domain);
    else estimate = domainRatioTotalOf(domain, cell.X[q.aux!] ?? 0, cell.N);
  }
  // A value the estimator cannot give (no auxiliary anywhere) is no estimate.
  if (estimate && !Number.isFinite(estimate.estimate)) estimate = null;
  const shown = inCell.filter((g) => g.shown);
  const n = sum(shown, (g) => g.n);
  const magnitude = estimate ? magnitudeFacts(used, estimate.weights, estimate.estimate, kind) : null;
  const facts: CellFacts = magnitude
    ? { ...magnitude.facts, n }
    : { n, kind, top: [0, 0], total: 0, uniform: false, uniformValue: 0 };
  // The rules give the same answer for any second largest in [top[1], upper]: no need to fetch it.
  if (
    magnitude?.open &&
    sensitivity(facts, plan.params) !== sensitivity({ ...facts, top: [facts.top[0], magnitude.upper] }, plan.params)
  )
    undecided.add(magnitude.open);
  return {
    question: q.question.key,
    category: null,
    statistic,
    method: statistic === 'mean' ? 'stratified' : ratio ? 'ratio' : 'expansion',
    auxiliary: ratio ? q.aux : null,
    dimension: cell.dimension,
    domain: cell.domain,
    estimate,
    n,
    N: cell.N,
    facts,
    frameCover:
      ratio && estimate && (cell.X[q.aux!] ?? 0) !== 0
        ? Math.abs(estimate.estimate) * Math.min(1, (cell.xmax[q.aux!] ?? 0) / Math.abs(cell.X[q.aux!]))
        : 0,
    // A ratio total also stands on the frame's values of its auxiliary: their keys are part of its cell key.
    keySum: addKeys(
      sum(inCell, (g) => g.keys),
      designKeys(cell),
      ratio ? (cell.frameKeys[q.aux!] ?? 0) : 0,
    ),
    countKeySum: sum(shown, (g) => g.keys),
    precision: precisionOf(q, statistic),
    bounds: boundsOf(q, statistic),
    parts: used.filter((g) => g.shown).map((g) => ({ stratum: g.stratum, sy: g.sy, top: [g.top[0]] })),
    weights: estimate?.weights ?? new Map(),
  };
}

/** A choice question: per option, the share choosing it (the mean of a 0/1 indicator) in every cell. */
function estimateChoice(context: EstimationContext, q: PlannedQuestion, rows: ChoiceGroup[]): Estimated[][] {
  const strata = strataOf(context.data.frame, null);
  const respondents = rows.filter((r) => r.category === null);
  const all = respondentsPerStratum(
    respondents.map((r) => ({ ...r, domain: null, sy: 0, sx: 0, syy: 0, sxx: 0, sxy: 0 })),
  );
  const atom = (r: ChoiceGroup, category: string | null) =>
    JSON.stringify([category, r.stratum, ...REPORT_VARIABLES.map((v) => r.labels[v])]);
  const chosen = new Map(rows.filter((r) => r.category !== null).map((r) => [atom(r, r.category), r.n]));
  return q.categories.map((category) => {
    // The 0/1 indicator of the option, as cell sums per group of respondents.
    const groups: IndicatorGroup[] = respondents.map((r) => {
      const k = r.shown ? (chosen.get(atom(r, category)) ?? 0) : 0;
      return {
        stratum: r.stratum,
        labels: r.labels,
        domain: null,
        shown: r.shown,
        n: r.n,
        sy: k,
        sx: 0,
        syy: k,
        sxx: 0,
        sxy: 0,
        keys: r.keys,
      };
    });
    return context.universe.map((cell) => choiceCell(context, q, category, cell, groups, strata, all));
  });
}

type IndicatorGroup = Pick<ChoiceGroup, 'stratum' | 'labels' | 'shown' | 'n' | 'keys'> & {
  domain: null;
  sy: number;
  sx: number;
  syy: number;
  sxx: number;
  sxy: number;
};

/** One cell of one option: the stratified proportion, and the facts protection needs. */
function choiceCell(
  { designKeys }: EstimationContext,
  q: PlannedQuestion,
  category: string,
  cell: CellSpec,
  groups: IndicatorGroup[],
  strata: StratumFrame[],
  all: Map<string, number>,
): Estimated {
  const inCell = groups.filter((g) => contains(cell, g));
  const shown = inCell.filter((g) => g.shown);
  const n = sum(shown, (g) => g.n);
  const estimate = n > 0 ? meanOf({ frame: strata, n: all, cells: inCell }) : null;
  const k = sum(shown, (g) => g.sy);
  const weights = estimate?.weights ?? new Map<string, number>();
  const contributions = shown.flatMap((g) => {
    const w = weights.get(g.stratum) ?? 0;
    return g.sy >= 2 ? [w, w] : g.sy === 1 ? [w] : [];
  });
  return {
    question: q.question.key,
    auxiliary: null,
    statistic: 'proportion',
    method: 'stratified',
    category,
    dimension: cell.dimension,
    domain: cell.domain,
    estimate,
    n,
    N: cell.N,
    facts: {
      n,
      kind: 'proportion',
      top: topTwo(contributions),
      total: Math.abs(estimate?.estimate ?? 0),
      uniform: n > 0 && (k === 0 || k === n),
      uniformValue: n ? k / n : 0,
    },
    keySum: sum(inCell, (g) => g.keys) + designKeys(cell),
    countKeySum: sum(shown, (g) => g.keys),
    precision: 'proportion',
    bounds: [0, 1],
    parts: shown.map((g) => ({ stratum: g.stratum, sy: g.sy, top: g.sy > 0 ? [1, g.sy > 1 ? 1 : 0] : [0, 0] })),
    weights,
  };
}

/** Strata without respondents, strata with one respondent, respondents without the auxiliary value. */
function questionNotes(q: PlannedQuestion, strata: StratumFrame[], groups: readonly NumericGroup[]): ReportNote[] {
  const notes: ReportNote[] = [];
  const n = respondentsPerStratum(groups);
  const frameN = sum(strata, (s) => s.N);
  const missing = strata.filter((s) => !n.get(s.stratum));
  if (missing.length) {
    const totalX = sum(strata, (s) => s.X ?? 0);
    notes.push({
      kind: 'empty_strata',
      question: q.question.key,
      strata: missing.map((s) => s.stratum),
      shareN: sum(missing, (s) => s.N) / frameN,
      shareX: q.aux && totalX > 0 ? sum(missing, (s) => s.X ?? 0) / totalX : null,
      aux: q.aux,
    });
  }
  const lonely = strata.filter((s) => n.get(s.stratum) === 1);
  if (lonely.length) notes.push({ kind: 'lonely', question: q.question.key, strata: lonely.map((s) => s.stratum) });
  const missingX = q.aux
    ? sum(
        groups.filter((g) => !g.has_x && g.shown),
        (g) => g.n,
      )
    : 0;
  if (missingX && q.aux) notes.push({ kind: 'missing_aux', question: q.question.key, n: missingX, aux: q.aux });
  return notes;
}
