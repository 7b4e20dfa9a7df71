// The intruder of README "Protection", as code: it holds every protected output of a wave
// (many report views) plus what a strong outsider could know — the frame, which
// organisations responded and their KAnS figures, the method and its parameters,
// even each published cell's largest contribution — and tries to read back
// organisations' answers and suppressed cells by linear algebra (weighted least
// squares over all published numbers, with the rank telling what is
// determined) and by linear programming (the tightest interval each target can
// be proven to lie in). Ground truth comes from the database, as only a reviewer has it.
import highsLoader from 'highs';
import { sql } from 'kysely';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { NOISE_SD_OF_BOUND, noiseBound, noiseFloor } from '../../analysis/disclosure/perturbation';
import { aggregate } from '../../analysis/report/report';
import { estimateCells } from '../../analysis/report/report-estimate';
import type { ReportEstimate, ReportModel } from '../../analysis/report/report-model';
import { planReport } from '../../analysis/report/report-plan';
import type { DatabaseHandle } from '../../foundation/db/database';

export const VARIABLES = ['org_type', 'province', 'size_class', 'member'] as const;
type Variable = (typeof VARIABLES)[number];

/** Every view the tool can make: no breakdown or one variable, each with and without a `--by` of another variable. */
export function allViews(): { stratify: Variable[]; by: Variable | null }[] {
  const breakdowns: Variable[][] = [[], ...VARIABLES.map((v) => [v])];
  return breakdowns.flatMap((stratify) => [
    { stratify, by: null },
    ...VARIABLES.filter((v) => !stratify.includes(v)).map((by) => ({ stratify, by })),
  ]);
}

export interface Respondent {
  org_id: string;
  labels: Record<Variable, string>;
  /** The design stratum of the wave's weighting. */
  stratum: string;
  /** The answer to the attacked question; null when not answered. */
  y: number | null;
  hidden: boolean;
  /** Choice answers (for proportions): the options chosen. */
  chosen: string[];
  x: number | null;
}

export interface Truth {
  respondents: Respondent[];
  strata: Map<string, { N: number; X: number }>;
  /** Frame units, auxiliary total and largest auxiliary value per cell label key "dimension|domain". */
  cells: Map<string, { N: number; X: number; xmax: number }>;
  weighting: Variable[];
}

const labelOf = (vars: readonly Variable[], labels: Record<Variable, string>) =>
  vars.length ? vars.map((v) => labels[v]).join(' × ') : '*';

/** What only the reviewer has: who answered what, and the frame. */
export async function groundTruth(
  handle: DatabaseHandle,
  wave: string,
  question: string,
  aux: string | null,
): Promise<Truth> {
  const w = await handle.db
    .selectFrom('waves')
    .select(['id', 'frame_year', 'weighting'])
    .where('slug', '=', wave)
    .executeTakeFirstOrThrow();
  const weighting = w.weighting.split(',') as Variable[];
  const auxColumn = aux ? sql.ref(`f.${aux}`) : sql`null`;
  const frame = await sql<Record<string, string | number | boolean | null>>`
    select f.org_id, f.org_type, f.province, f.size_class, f.member, ${auxColumn}::text as x from frame_units f
    where f.year = ${w.frame_year}`.execute(handle.db);
  const answers = await sql<{
    org_id: string;
    value_num: string | null;
    hidden: boolean;
    value_bool: boolean | null;
    value_text: string | null;
    value_choices: string[] | null;
  }>`
    select r.org_id, a.value_num::text as value_num, a.hidden, a.value_bool, a.value_text, a.value_choices
    from responses r join answers a on a.response_id = r.id
    where r.wave_id = ${w.id} and r.status = 'submitted' and a.question_key = ${question}`.execute(handle.db);
  const labels = (f: Record<string, string | number | boolean | null>): Record<Variable, string> => ({
    org_type: String(f.org_type),
    province: String(f.province),
    size_class: String(f.size_class ?? '–'),
    member: f.member ? 'lid' : 'niet-lid',
  });
  const byOrg = new Map(frame.rows.map((f) => [String(f.org_id), f]));
  const strata = new Map<string, { N: number; X: number }>();
  const cells = new Map<string, { N: number; X: number; xmax: number }>();
  const add = (map: Map<string, { N: number; X: number; xmax?: number }>, key: string, x: number) => {
    const c = map.get(key) ?? { N: 0, X: 0, xmax: 0 };
    c.N += 1;
    c.X += x;
    c.xmax = Math.max(c.xmax ?? 0, Math.abs(x));
    map.set(key, c);
  };
  for (const f of frame.rows) {
    const l = labels(f);
    const x = f.x === null ? 0 : Number(f.x);
    add(strata, labelOf(weighting, l), x);
    const keys = new Set<string>(['|*']);
    for (const view of allViews())
      if (view.stratify.length) keys.add(`${view.stratify.join(',')}|${labelOf(view.stratify, l)}`);
    for (const v of VARIABLES) keys.add(`${v}|${l[v]}`);
    for (const k of keys) add(cells, k, x);
  }
  const respondents: Respondent[] = answers.rows.map((a) => {
    const f = byOrg.get(a.org_id)!;
    const l = labels(f);
    return {
      org_id: a.org_id,
      labels: l,
      stratum: labelOf(weighting, l),
      y: a.hidden ? null : a.value_num === null ? null : Number(a.value_num),
      hidden: a.hidden,
      chosen: a.hidden
        ? []
        : (a.value_choices ?? [a.value_text ?? (a.value_bool === null ? '' : String(a.value_bool))]),
      x: f.x === null ? null : Number(f.x),
    };
  });
  return { respondents, strata, cells, weighting };
}

/**
 * What the whole branch's noise covers besides its own largest contribution (the
 * sensitive one-way cells inside it), per question|statistic|category. The method
 * never publishes it; the intruder is given it anyway, so its noise model is exact.
 */
export async function wholeCovers(handle: DatabaseHandle, wave: string, questions: string[]) {
  const plan = await planReport(handle.db, { wave, stratify: [], questions });
  const { cells } = await estimateCells(plan, await aggregate(handle.db, plan));
  return new Map(
    cells.filter((c) => c.dimension === null).map((c) => [`${c.question}|${c.statistic}|${c.category}`, c.cover]),
  );
}

/** Does a respondent belong to a published cell? */
export function inCell(r: Respondent, e: Pick<ReportEstimate, 'dimension' | 'domain'>): boolean {
  if (e.dimension === null) return true;
  const vars = e.dimension.split(',') as Variable[];
  return labelOf(vars, r.labels) === e.domain;
}

export interface Equation {
  /** Coefficient per respondent index (the unknowns are the respondents' answers). */
  coef: Map<number, number>;
  value: number;
  /** Standard deviation and largest size of the noise plus rounding, as the method's parameters give them. */
  sd: number;
  bound: number;
  label: string;
}

/**
 * The published cell as a linear function of the respondents' answers (y for
 * totals and means; the 0/1 choice indicator for a proportion), with the
 * weights the estimator gives them — what a strong intruder can compute from the
 * frame and knowing who responded.
 */
export function equationOf(
  truth: Truth,
  e: ReportEstimate,
  kind: 'numeric' | 'choice',
  cover?: number,
): Equation | null {
  if (e.estimate === null) return null;
  const item = truth.respondents.filter((r) => (kind === 'numeric' ? r.hidden || r.y !== null : true));
  const ratio = e.statistic === 'total' && e.method === 'ratio';
  const base = ratio ? item.filter((r) => r.x !== null) : item;
  const nh = new Map<string, number>();
  for (const r of base) nh.set(r.stratum, (nh.get(r.stratum) ?? 0) + 1);
  const w = (r: Respondent) => truth.strata.get(r.stratum)!.N / nh.get(r.stratum)!;
  const members = base.filter((r) => !r.hidden && inCell(r, e));
  const coef = new Map<number, number>();
  const index = new Map(truth.respondents.map((r, i) => [r, i]));
  if (e.statistic === 'mean' || e.statistic === 'proportion') {
    const tn = members.reduce((a, r) => a + w(r), 0);
    for (const r of members) coef.set(index.get(r)!, w(r) / tn);
  } else if (!ratio) {
    for (const r of members) coef.set(index.get(r)!, w(r));
  } else {
    const vars = e.dimension ? (e.dimension.split(',') as Variable[]) : [];
    const union = vars.every((v) => truth.weighting.includes(v));
    if (union) {
      const sx = new Map<string, number>();
      for (const r of base) if (inCell(r, e)) sx.set(r.stratum, (sx.get(r.stratum) ?? 0) + r.x!);
      for (const r of members) coef.set(index.get(r)!, truth.strata.get(r.stratum)!.X / sx.get(r.stratum)!);
    } else {
      const X = truth.cells.get(`${e.dimension}|${e.domain}`)!.X;
      const tx = base.filter((r) => inCell(r, e)).reduce((a, r) => a + w(r) * r.x!, 0);
      for (const r of members) coef.set(index.get(r)!, (X * w(r)) / tx);
    }
  }
  // The largest contribution, which scales the noise (the intruder is given it).
  let c1 = 0;
  for (const [i, c] of coef) {
    const r = truth.respondents[i];
    const value = kind === 'numeric' ? Math.abs(r.y ?? 0) : r.chosen.includes(e.category!) ? 1 : 0;
    c1 = Math.max(c1, c * value);
  }
  // The noise lies within ±B (standard deviation B / 3); B as the method computes it, from the true
  // estimate and (for the whole branch) the sensitive cells it covers.
  // Exact output (--no-protect, or a report from before protection): no noise, no rounding.
  // A ratio total's noise also covers the largest part one unit's frame value makes of it (frameCover).
  const trueValue = trueEstimate(truth, coef, kind, e);
  const frame = ratio ? truth.cells.get(`${e.dimension ?? ''}|${e.domain}`) : undefined;
  const frameCover = frame && frame.X !== 0 ? Math.abs(trueValue) * Math.min(1, frame.xmax / Math.abs(frame.X)) : 0;
  const B = e.perturbed ? noiseBound(c1, trueValue, Math.max(cover ?? 0, frameCover)) : 1e-9 * Math.abs(e.estimate);
  // A whole-branch total may be moved out of a forbidden interval around its tables'
  // subtraction (protect.ts): up to twice the floor beyond the parts' own noise.
  const floor = e.perturbed && e.statistic === 'total' ? noiseFloor(cover ?? 0) : 0;
  const unit = e.rounding?.estimate ?? 0;
  return {
    coef,
    value: e.estimate,
    sd: Math.sqrt((B * NOISE_SD_OF_BOUND) ** 2 + floor * floor + (unit * unit) / 12),
    bound: B + 2 * floor + 1.5 * unit,
    label: `${e.question}|${e.statistic}|${e.category ?? ''}|${e.dimension ?? ''}|${e.domain}`,
  };
}

function trueEstimate(truth: Truth, coef: Map<number, number>, kind: 'numeric' | 'choice', e: ReportEstimate): number {
  let total = 0;
  for (const [i, c] of coef) {
    const r = truth.respondents[i];
    total += c * (kind === 'numeric' ? (r.y ?? 0) : r.chosen.includes(e.category!) ? 1 : 0);
  }
  return total;
}

/** Every distinct published cell of the views once (the same cell must have the same value everywhere). */
export function distinctCells(reports: ReportModel[], filter: (e: ReportEstimate) => boolean) {
  const cells = new Map<string, ReportEstimate>();
  const conflicts: string[] = [];
  for (const r of reports)
    for (const e of r.estimates) {
      if (!filter(e)) continue;
      const key = `${e.question}|${e.statistic}|${e.category}|${e.dimension}|${e.domain}`;
      const seen = cells.get(key);
      if (seen && (seen.estimate !== e.estimate || seen.se !== e.se || seen.n !== e.n)) conflicts.push(key);
      cells.set(key, e);
    }
  return { cells: [...cells.values()], conflicts };
}

export interface Target {
  name: string;
  /** Weight per respondent index (1 for a sum). */
  vector: Map<number, number>;
  truth: number;
}

export interface LinearFinding extends Target {
  identifiable: boolean;
  estimate: number;
  /** The intruder's own standard error of its estimate (from the method's parameters). */
  sd: number;
}

/**
 * Weighted least squares over all equations. A target is determined when its
 * vector lies in the row space of the equations; its estimate is then the same
 * for every solution, and its variance follows from the noise of the equations used.
 */
export function linearAttack(equations: Equation[], unknowns: number, targets: Target[]): LinearFinding[] {
  const A = new Matrix(equations.length, unknowns);
  const b = new Matrix(equations.length, 1);
  equations.forEach((eq, row) => {
    for (const [i, c] of eq.coef) A.set(row, i, c / eq.sd);
    b.set(row, 0, eq.value / eq.sd);
  });
  const svd = new SingularValueDecomposition(A, { autoTranspose: true });
  const s = svd.diagonal;
  const V = svd.rightSingularVectors;
  const U = svd.leftSingularVectors;
  const tolerance = Math.max(...s) * 1e-9 * Math.max(equations.length, unknowns);
  const rank = s.filter((x) => x > tolerance).length;
  // ŷ = V S⁻¹ Uᵀ b over the non-zero singular values.
  const utb = Array.from({ length: rank }, (_, k) => {
    let acc = 0;
    for (let row = 0; row < equations.length; row++) acc += U.get(row, k) * b.get(row, 0);
    return acc / s[k];
  });
  return targets.map((t) => {
    const proj = Array.from({ length: rank }, (_, k) => {
      let acc = 0;
      for (const [i, w] of t.vector) acc += V.get(i, k) * w;
      return acc;
    });
    const norm = Math.sqrt([...t.vector.values()].reduce((a, w) => a + w * w, 0));
    const projected = Math.sqrt(proj.reduce((a, p) => a + p * p, 0));
    const identifiable = Math.abs(norm - projected) < 1e-6 * norm;
    const estimate = proj.reduce((a, p, k) => a + p * utb[k], 0);
    const sd = Math.sqrt(proj.reduce((a, p, k) => a + (p / s[k]) ** 2, 0));
    return { ...t, identifiable, estimate, sd };
  });
}

export interface IntervalFinding extends Target {
  low: number;
  high: number;
}

/**
 * The τ-ARGUS-style audit: the smallest and largest value of each target over
 * every set of answers (≥ 0, at most `max`) that agrees with every published
 * number within its largest possible noise and rounding. `known` fixes answers
 * the intruder knows (its own).
 */
export async function intervalAttack(
  equations: Equation[],
  unknowns: number,
  targets: Target[],
  options: { max: number; known?: Map<number, number> },
): Promise<IntervalFinding[]> {
  const highs = await highsLoader();
  const name = (i: number) => `y${i}`;
  const expr = (coef: Map<number, number>) =>
    [...coef].map(([i, c]) => `${c >= 0 ? '+' : '-'} ${Math.abs(c).toPrecision(15)} ${name(i)}`).join(' ');
  const constraints = equations.flatMap((eq, j) => {
    if (eq.coef.size === 0) return [];
    return [
      ` c${j}a: ${expr(eq.coef)} >= ${(eq.value - eq.bound).toPrecision(15)}`,
      ` c${j}b: ${expr(eq.coef)} <= ${(eq.value + eq.bound).toPrecision(15)}`,
    ];
  });
  const bounds = Array.from({ length: unknowns }, (_, i) => {
    const known = options.known?.get(i);
    return known === undefined ? ` 0 <= ${name(i)} <= ${options.max}` : ` ${name(i)} = ${known}`;
  });
  const solve = (sense: 'Minimize' | 'Maximize', t: Target) => {
    const model = [sense, ` obj: ${expr(t.vector)}`, 'Subject To', ...constraints, 'Bounds', ...bounds, 'End'].join(
      '\n',
    );
    const result = highs.solve(model);
    if (result.Status !== 'Optimal') throw new Error(`LP ${sense} ${t.name}: ${result.Status}`);
    return result.ObjectiveValue;
  };
  return targets.map((t) => ({ ...t, low: solve('Minimize', t), high: solve('Maximize', t) }));
}

/** The intruder pins a value within ±p when its whole interval lies within ±p of the truth. */
export function pinned(low: number, high: number, truth: number, p = 0.1): boolean {
  if (truth === 0) return high - low < 1e-9;
  return low >= truth - p * Math.abs(truth) && high <= truth + p * Math.abs(truth);
}
