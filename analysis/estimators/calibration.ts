// Calibrated weighting (README "Calibration"): within the strata of the wave's
// design, the item respondents of a question are reweighted so that they
// reproduce the frame's count of every category of each categorical calibration
// variable and the frame total of each numeric one. Linear calibration (GREG) or
// raking, as R's calibrate(svydesign(ids = ~1, strata = ~h, fpc = ~N_h, data),
// ~h + VARS, population, calfun = "linear" | "raking"). Estimates are the
// calibrated design's svytotal / svymean / svyby; their variance is that of the
// stratified design applied to the calibration residuals, as R's svyrecvar.
import { cholesky, choleskySolve, independentColumns, type Matrix, solveCholesky } from './matrix';

export type CalibrationMethod = 'linear' | 'raking';

/** One item respondent: its design stratum and its value of every calibration variable. */
export interface CalibrationUnit {
  stratum: string;
  /** Categorical variables as labels, numeric ones as numbers. */
  values: Readonly<Record<string, string | number>>;
}

/** The frame's totals the respondents must reproduce (over the strata that have respondents). */
export interface CalibrationPopulation {
  strata: readonly { stratum: string; N: number }[];
  /** Frame units per category of each categorical variable. */
  counts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Frame totals of each numeric variable. */
  totals: Readonly<Record<string, number>>;
}

/** Why a calibration cannot be made; the report falls back and says so. */
export type CalibrationFailure =
  | { kind: 'empty_category'; variable: string; category: string; N: number }
  | { kind: 'empty_total'; variable: string }
  | { kind: 'conflict'; variable: string; category: string | null }
  | { kind: 'negative_weights'; count: number }
  | { kind: 'no_convergence' };

export interface Calibration {
  units: readonly CalibrationUnit[];
  /** Design weights d_i = N_h / n_h and calibrated weights w_i = g_i d_i. */
  design: Float64Array;
  weights: number[];
  /** The model rows (independent columns only), sparse, and the Cholesky factor of their d-weighted cross-product. */
  p: number;
  x: SparseRows;
  crossFactor: Matrix;
  /** Per stratum: N_h and its number of units. */
  strata: { stratum: string; N: number; n: number }[];
  /** Per unit, the index of its stratum in `strata`. */
  stratumOf: Int32Array;
  /** Per stratum: Σ w x (a part of the residual variance that does not depend on y). */
  wx: Float64Array[];
  /** Per stratum: the columns its units touch, ascending (all others are 0 in its moments). */
  active: Int32Array[];
  /** Σ over the strata with two or more units of c_h Σ w² x xᵀ, c_h = (1 − n_h/N_h) n_h/(n_h − 1). */
  pooledWwxx: Float64Array;
}

/** Rows of a model matrix by their non-zero entries: row i is col/val[start[i] … start[i+1]). */
export interface SparseRows {
  start: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

/** Xᵀ diag(w) X of sparse rows. */
function sparseCrossProduct(x: SparseRows, p: number, w: ArrayLike<number>): Matrix {
  const a: Matrix = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let i = 0; i + 1 < x.start.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    for (let s = x.start[i]; s < x.start[i + 1]; s++) {
      const v = wi * x.val[s];
      const aj = a[x.col[s]];
      for (let t = x.start[i]; t < x.start[i + 1]; t++) aj[x.col[t]] += v * x.val[t];
    }
  }
  return a;
}

/** x_iᵀ b for row i of sparse rows. */
function rowTimes(x: SparseRows, i: number, b: ArrayLike<number>): number {
  let r = 0;
  for (let s = x.start[i]; s < x.start[i + 1]; s++) r += x.val[s] * b[x.col[s]];
  return r;
}

interface Column {
  variable: string;
  category: string | null;
  total: number;
}

/**
 * The model matrix, every column of it, as sparse rows: a column per stratum, per
 * category of each categorical variable, per numeric variable (scaled to the frame
 * mean: the weights do not depend on a column's scale, the arithmetic does). A
 * unit has one entry per variable, found by lookups rather than by testing every
 * column: a report calibrates every question of 12 000 respondents.
 */
function modelOf(
  units: readonly CalibrationUnit[],
  population: CalibrationPopulation,
): { columns: Column[]; rows: SparseRows; stratumIndex: Int32Array } | CalibrationFailure {
  const columns: Column[] = population.strata.map((s) => ({
    variable: '(stratum)',
    category: s.stratum,
    total: s.N,
  }));
  const stratumColumn = new Map(population.strata.map((s, j) => [s.stratum, j]));
  const categorical = Object.entries(population.counts).map(([variable, counts]) => {
    const column = new Map<string, number>();
    for (const [category, N] of Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))) {
      if (N === 0) continue;
      column.set(category, columns.length);
      columns.push({ variable, category, total: N });
    }
    return { variable, column };
  });
  const N = population.strata.reduce((a, s) => a + s.N, 0);
  const numeric: { variable: string; column: number; scale: number }[] = [];
  let emptyTotal: CalibrationFailure | null = null;
  for (const [variable, total] of Object.entries(population.totals)) {
    const allZero = units.every((u) => Number(u.values[variable] ?? 0) === 0);
    if (total === 0 && allZero) continue;
    // Reported after the categorical variables' problems, as they come first in the model.
    if (allZero) emptyTotal ??= { kind: 'empty_total', variable };
    const scale = total !== 0 ? Math.abs(total) / N : 1;
    numeric.push({ variable, column: columns.length, scale });
    columns.push({ variable, category: null, total: total / scale });
  }
  const width = 1 + categorical.length + numeric.length;
  const n = units.length;
  const col = new Int32Array(n * width);
  const val = new Float64Array(n * width);
  const present = new Uint8Array(columns.length);
  // Per variable, the categories respondents have that the frame (of these strata) has not, in order of appearance.
  const absent = categorical.map(() => [] as string[]);
  const stratumIndex = new Int32Array(n).fill(-1);
  // Plain loops: this runs for every unit of every question of a report.
  for (let i = 0; i < n; i++) {
    const u = units[i];
    let e = i * width;
    const h = stratumColumn.get(u.stratum);
    if (h !== undefined) {
      col[e] = h;
      val[e] = 1;
      stratumIndex[i] = h;
    }
    e++;
    for (let v = 0; v < categorical.length; v++) {
      const c = categorical[v];
      const category = String(u.values[c.variable]);
      const j = c.column.get(category);
      if (j === undefined) {
        if (!absent[v].includes(category)) absent[v].push(category);
      } else {
        col[e] = j;
        val[e] = 1;
        present[j] = 1;
      }
      e++;
    }
    for (let k = 0; k < numeric.length; k++) {
      const c = numeric[k];
      col[e] = c.column;
      val[e] = Number(u.values[c.variable] ?? 0) / c.scale;
      e++;
    }
  }
  for (const [v, c] of categorical.entries()) {
    for (const [category, j] of c.column)
      if (!present[j]) return { kind: 'empty_category', variable: c.variable, category, N: columns[j].total };
    // A respondent in a category the frame (of these strata) does not have cannot be calibrated to it.
    if (absent[v].length > 0) return { kind: 'conflict', variable: c.variable, category: absent[v][0] };
  }
  if (emptyTotal) return emptyTotal;
  const start = Int32Array.from({ length: n + 1 }, (_, i) => i * width);
  return { columns, rows: { start, col, val }, stratumIndex };
}

/** The rows restricted to the columns kept (renumbered 0 … kept.length − 1), without zero entries. */
function keepColumns(rows: SparseRows, P: number, kept: readonly number[]): SparseRows {
  const to = new Int32Array(P).fill(-1);
  kept.forEach((c, j) => {
    to[c] = j;
  });
  const n = rows.start.length - 1;
  const start = new Int32Array(n + 1);
  let count = 0;
  for (let s = 0; s < rows.col.length; s++) if (rows.val[s] !== 0 && to[rows.col[s]] >= 0) count++;
  const col = new Int32Array(count);
  const val = new Float64Array(count);
  let e = 0;
  for (let i = 0; i < n; i++) {
    start[i] = e;
    for (let s = rows.start[i]; s < rows.start[i + 1]; s++) {
      const j = to[rows.col[s]];
      if (rows.val[s] === 0 || j < 0) continue;
      col[e] = j;
      val[e] = rows.val[s];
      e++;
    }
  }
  start[n] = e;
  return { start, col, val };
}

/**
 * The design strata the units are in (in the population's order, as R lists
 * them; the variance does not depend on it), each unit's stratum (−1: none)
 * and its design weight N_h / n_h. `stratumIndex`: each unit's stratum in the
 * population (−1: none), as the model found it.
 */
function designOf(stratumIndex: Int32Array, population: CalibrationPopulation) {
  const n = stratumIndex.length;
  const count = new Int32Array(population.strata.length);
  for (let i = 0; i < n; i++) if (stratumIndex[i] >= 0) count[stratumIndex[i]]++;
  const toDesign = new Int32Array(population.strata.length).fill(-1);
  const strata: { stratum: string; N: number; n: number }[] = [];
  population.strata.forEach((s, h) => {
    if (count[h] === 0) return;
    toDesign[h] = strata.length;
    strata.push({ stratum: s.stratum, N: s.N, n: count[h] });
  });
  const stratumOf = new Int32Array(n).fill(-1);
  const design = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (stratumIndex[i] < 0) continue;
    const k = toDesign[stratumIndex[i]];
    stratumOf[i] = k;
    design[i] = strata[k].N / strata[k].n;
  }
  return { strata, stratumOf, design };
}

/** Linear calibration's g-weights: g_i = 1 + x_iᵀλ with λ solving (Xᵀ D X) λ = t − Xᵀ d. */
function linearG(x: SparseRows, crossFactor: Matrix, design: Float64Array, target: readonly number[]): Float64Array {
  const n = design.length;
  const misfit = [...target];
  for (let i = 0; i < n; i++)
    for (let s = x.start[i]; s < x.start[i + 1]; s++) misfit[x.col[s]] -= design[i] * x.val[s];
  const lambda = solveCholesky(crossFactor, misfit);
  return Float64Array.from({ length: n }, (_, i) => 1 + rowTimes(x, i, lambda));
}

/** The first column whose frame total the weights do not reach (the totals contradict each other), or null. */
function unmet(full: SparseRows, columns: readonly Column[], weights: readonly number[]): CalibrationFailure | null {
  const reached = new Float64Array(columns.length);
  for (let i = 0; i < weights.length; i++)
    for (let s = full.start[i]; s < full.start[i + 1]; s++) reached[full.col[s]] += weights[i] * full.val[s];
  const j = columns.findIndex((c, j) => Math.abs(reached[j] - c.total) > 1e-6 * (1 + Math.abs(c.total)));
  return j < 0 ? null : { kind: 'conflict', variable: columns[j].variable, category: columns[j].category };
}

/**
 * The parts of every residual variance that do not depend on y: per stratum Σ w x
 * and the columns its units touch (a stratum's units share its own column and few
 * categories), and Σ c_h Σ w² x xᵀ over the strata (c_h: their factor in the
 * variance, 0 for a stratum of one unit).
 */
function momentsOf(
  x: SparseRows,
  p: number,
  strata: readonly { N: number; n: number }[],
  stratumOf: Int32Array,
  weights: readonly number[],
) {
  const H = strata.length;
  const factor = strata.map((s) => (s.n < 2 ? 0 : (1 - s.n / s.N) * (s.n / (s.n - 1))));
  const wx = Array.from({ length: H }, () => new Float64Array(p));
  const pooledWwxx = new Float64Array(p * p);
  const touched = Array.from({ length: H }, () => new Uint8Array(p));
  for (let i = 0; i < weights.length; i++) {
    const k = stratumOf[i];
    if (k < 0) continue;
    const w = weights[i];
    const cww = factor[k] * w * w;
    for (let s = x.start[i]; s < x.start[i + 1]; s++) {
      wx[k][x.col[s]] += w * x.val[s];
      touched[k][x.col[s]] = 1;
      if (cww === 0) continue;
      const row = x.col[s] * p;
      const v = cww * x.val[s];
      for (let t = x.start[i]; t < x.start[i + 1]; t++) pooledWwxx[row + x.col[t]] += v * x.val[t];
    }
  }
  const active = touched.map((t) => Int32Array.from(t.keys()).filter((j) => t[j] === 1));
  return { wx, pooledWwxx, active };
}

/**
 * Calibrated weights of the units, or why they cannot be made: a category of the
 * frame without respondents, totals that contradict each other among the
 * respondents, weights that would turn negative (linear), no convergence (raking).
 */
export function calibrate(
  units: readonly CalibrationUnit[],
  population: CalibrationPopulation,
  method: CalibrationMethod = 'linear',
): Calibration | CalibrationFailure {
  const model = modelOf(units, population);
  if (!('rows' in model)) return model;
  const { columns, rows: full } = model;
  const { strata, stratumOf, design } = designOf(model.stratumIndex, population);
  // Columns that repeat others (the last category of each variable, next to the strata) are left out;
  // their totals are met through the others, which `unmet` confirms.
  const fullCross = sparseCrossProduct(full, columns.length, design);
  const kept = independentColumns(fullCross);
  const p = kept.length;
  const x = keepColumns(full, columns.length, kept);
  const target = kept.map((j) => columns[j].total);
  // The kept columns' cross-product is part of the full one (the same sums: dropped entries are zeros).
  const crossFactor = cholesky(kept.map((r) => kept.map((c) => fullCross[r][c])));
  if (!crossFactor) return { kind: 'no_convergence' };
  const g = method === 'linear' ? linearG(x, crossFactor, design, target) : rake(x, p, design, target);
  if (!g) return { kind: 'no_convergence' };
  const weights = Array.from(g, (gi, i) => gi * design[i]);
  const negative = weights.filter((w) => w < 0).length;
  if (negative > 0) return { kind: 'negative_weights', count: negative };
  const conflict = unmet(full, columns, weights);
  if (conflict) return conflict;
  const { wx, pooledWwxx, active } = momentsOf(x, p, strata, stratumOf, weights);
  return { units, design, weights, p, x, crossFactor, strata, stratumOf, wx, active, pooledWwxx };
}

/**
 * What calibrating many subsets of the same units to the same population shares
 * (a report calibrates each question's item respondents, most of the wave's
 * respondents, to the same frame totals): the model rows of every unit, and per
 * stratum the units' Σ x and Σ x xᵀ, from which a subset's are the whole's minus
 * those of the few units it lacks.
 */
export interface PreparedCalibration {
  population: CalibrationPopulation;
  columns: Column[];
  full: SparseRows;
  /** Per unit, its stratum in the population (−1: none). */
  stratumIndex: Int32Array;
  /** Per population stratum: its units, Σ x and Σ x xᵀ (every column). */
  counts: Int32Array;
  sums: Float64Array[];
  moments: Float64Array[];
  /** The kept columns' rows of every unit, per set of kept columns. */
  keptRows: Map<string, SparseRows>;
}

/** Σ x (into sums) and Σ x xᵀ (into moments, P × P) of row i. */
function addRow(x: SparseRows, i: number, P: number, sign: number, sums: Float64Array, moments: Float64Array) {
  for (let s = x.start[i]; s < x.start[i + 1]; s++) {
    const v = sign * x.val[s];
    sums[x.col[s]] += v;
    const row = x.col[s] * P;
    for (let t = x.start[i]; t < x.start[i + 1]; t++) moments[row + x.col[t]] += v * x.val[t];
  }
}

/** The shared part of calibrating subsets of `units` to `population`; null where the whole cannot be modelled (then each subset is calibrated on its own). */
export function prepareCalibration(
  units: readonly CalibrationUnit[],
  population: CalibrationPopulation,
): PreparedCalibration | null {
  const model = modelOf(units, population);
  if (!('rows' in model)) return null;
  const P = model.columns.length;
  const H = population.strata.length;
  const counts = new Int32Array(H);
  const sums = Array.from({ length: H }, () => new Float64Array(P));
  const moments = Array.from({ length: H }, () => new Float64Array(P * P));
  for (let i = 0; i < units.length; i++) {
    const h = model.stratumIndex[i];
    if (h < 0) continue;
    counts[h]++;
    addRow(model.rows, i, P, 1, sums[h], moments[h]);
  }
  return {
    population,
    columns: model.columns,
    full: model.rows,
    stratumIndex: model.stratumIndex,
    counts,
    sums,
    moments,
    keptRows: new Map(),
  };
}

/** The rows of the units `subset` (indexes into the prepared units), in that order. */
function gatherRows(rows: SparseRows, subset: Int32Array): SparseRows {
  let count = 0;
  for (let k = 0; k < subset.length; k++) count += rows.start[subset[k] + 1] - rows.start[subset[k]];
  const start = new Int32Array(subset.length + 1);
  const col = new Int32Array(count);
  const val = new Float64Array(count);
  let e = 0;
  for (let k = 0; k < subset.length; k++) {
    start[k] = e;
    for (let s = rows.start[subset[k]]; s < rows.start[subset[k] + 1]; s++) {
      col[e] = rows.col[s];
      val[e] = rows.val[s];
      e++;
    }
  }
  start[subset.length] = e;
  return { start, col, val };
}

/**
 * calibrate(subset's units, population, 'linear') from a preparation of all the
 * units: the same weights (up to the rounding of doubles), with the cross-product,
 * the calibration equations and the per-stratum moments taken from the whole's
 * minus the missing units' instead of a pass over the subset each. Anything
 * unusual (a category or numeric variable the subset lacks, raking) goes through
 * calibrate itself, so failures are reported exactly as it reports them.
 */
export function calibrateSubset(
  prepared: PreparedCalibration,
  units: readonly CalibrationUnit[],
  subset: Int32Array,
  method: CalibrationMethod,
): Calibration | CalibrationFailure {
  const { population, columns, full } = prepared;
  const own = () => calibrate(units, population, method);
  if (method !== 'linear') return own();
  const P = columns.length;
  const H = population.strata.length;
  const all = prepared.stratumIndex.length;
  // The units the subset lacks, per stratum: their Σ x and Σ x xᵀ come off the whole's.
  const inSubset = new Uint8Array(all);
  for (let k = 0; k < subset.length; k++) inSubset[subset[k]] = 1;
  const counts = Int32Array.from(prepared.counts);
  const sums = prepared.sums.map((a) => Float64Array.from(a));
  const moments = prepared.moments.map((a) => Float64Array.from(a));
  for (let i = 0; i < all; i++) {
    const h = prepared.stratumIndex[i];
    if (inSubset[i] || h < 0) continue;
    counts[h]--;
    addRow(full, i, P, -1, sums[h], moments[h]);
  }
  // Every category and numeric variable must still be present among the subset (else calibrate says which is not).
  const stratumIndex = new Int32Array(subset.length);
  for (let k = 0; k < subset.length; k++) stratumIndex[k] = prepared.stratumIndex[subset[k]];
  const reached = new Float64Array(P);
  for (let h = 0; h < H; h++) for (let j = 0; j < P; j++) reached[j] += Math.abs(moments[h][j * P + j]);
  if (columns.some((c, j) => c.variable !== '(stratum)' && !(reached[j] > 1e-12 * (1 + Math.abs(c.total)))))
    return own();
  const { strata, stratumOf, design } = designOf(stratumIndex, population);
  // Per population stratum its design weight N_h / n_h (0 without units in the subset).
  const d = Array.from({ length: H }, (_, h) => (counts[h] > 0 ? population.strata[h].N / counts[h] : 0));
  const fullCross: Matrix = Array.from({ length: P }, () => new Array<number>(P).fill(0));
  for (let h = 0; h < H; h++) {
    if (d[h] === 0) continue;
    for (let j = 0; j < P; j++) for (let l = 0; l < P; l++) fullCross[j][l] += d[h] * moments[h][j * P + l];
  }
  const kept = independentColumns(fullCross);
  const p = kept.length;
  const keptKey = kept.join(',');
  let keptAll = prepared.keptRows.get(keptKey);
  if (!keptAll) prepared.keptRows.set(keptKey, (keptAll = keepColumns(full, P, kept)));
  const x = gatherRows(keptAll, subset);
  const crossFactor = cholesky(kept.map((r) => kept.map((c) => fullCross[r][c])));
  if (!crossFactor) return { kind: 'no_convergence' };
  // Linear calibration: λ solves (Xᵀ D X) λ = t − Xᵀ d, with Xᵀ d = Σ_h d_h Σ x.
  const misfit = kept.map((j) => columns[j].total);
  for (let h = 0; h < H; h++) for (let a = 0; a < p; a++) misfit[a] -= d[h] * sums[h][kept[a]];
  const lambda = solveCholesky(crossFactor, misfit);
  // Pushed, not preallocated: a packed array of doubles, read often by the variances.
  const weights: number[] = [];
  let negative = 0;
  for (let i = 0; i < subset.length; i++) {
    weights.push((1 + rowTimes(x, i, lambda)) * design[i]);
    if (weights[i] < 0) negative++;
  }
  if (negative > 0) return { kind: 'negative_weights', count: negative };
  // Σ w x per stratum, every column: d_h (Σ x + Σ x xᵀ λ), λ on the kept columns.
  const lambdaFull = new Float64Array(P);
  kept.forEach((j, a) => {
    lambdaFull[j] = lambda[a];
  });
  const wxFull = Array.from({ length: H }, (_, h) => {
    const out = new Float64Array(P);
    if (d[h] === 0) return out;
    for (let j = 0; j < P; j++) {
      let m = sums[h][j];
      for (let l = 0; l < P; l++) m += moments[h][j * P + l] * lambdaFull[l];
      out[j] = d[h] * m;
    }
    return out;
  });
  reached.fill(0);
  for (let h = 0; h < H; h++) for (let j = 0; j < P; j++) reached[j] += wxFull[h][j];
  const j = columns.findIndex((c, j) => Math.abs(reached[j] - c.total) > 1e-6 * (1 + Math.abs(c.total)));
  if (j >= 0) return { kind: 'conflict', variable: columns[j].variable, category: columns[j].category };
  // The moments of the variance: per design stratum Σ w x and the columns its units touch (kept columns), and
  // the pooled Σ c_h Σ w² x xᵀ, the one part that needs each unit's weight.
  const toDesign = new Int32Array(H).fill(-1);
  strata.forEach((s) => {
    toDesign[population.strata.findIndex((t) => t.stratum === s.stratum)] = strata.indexOf(s);
  });
  const wx: Float64Array[] = [];
  const active: Int32Array[] = [];
  for (let h = 0; h < H; h++) {
    if (toDesign[h] < 0) continue;
    wx[toDesign[h]] = Float64Array.from(kept, (c) => wxFull[h][c]);
    active[toDesign[h]] = Int32Array.from(
      kept.map((c, a) => (moments[h][c * P + c] > 0 ? a : -1)).filter((a) => a >= 0),
    );
  }
  const factor = strata.map((s) => (s.n < 2 ? 0 : (1 - s.n / s.N) * (s.n / (s.n - 1))));
  const pooledWwxx = new Float64Array(p * p);
  const { start, col, val } = x;
  for (let i = 0; i < subset.length; i++) {
    const k = stratumOf[i];
    if (k < 0) continue;
    const cww = factor[k] * weights[i] * weights[i];
    if (cww === 0) continue;
    // Each pair of a row's entries once (the matrix is symmetric: mirrored below).
    const end = start[i + 1];
    for (let s = start[i]; s < end; s++) {
      const row = col[s] * p;
      const v = cww * val[s];
      for (let t = s; t < end; t++) pooledWwxx[row + col[t]] += v * val[t];
    }
  }
  for (let j = 0; j < p; j++)
    for (let l = j + 1; l < p; l++) {
      const both = pooledWwxx[j * p + l] + pooledWwxx[l * p + j];
      pooledWwxx[j * p + l] = both;
      pooledWwxx[l * p + j] = both;
    }
  return { units, design, weights, p, x, crossFactor, strata, stratumOf, wx, active, pooledWwxx };
}

/**
 * Sums over some units from which the variance of a domain estimator with
 * influence z_i = (y_i − shift) · factor on them follows, for any shift and
 * factor: a cell's total and mean share them, and the sums of disjoint sets of
 * units add up (a table's cells give the whole's). y is counted from `centre`, the
 * same for every set that is added: a y equal to it counts an exact 0.
 */
export interface VarianceSums {
  centre: number;
  /** The number of units. */
  n: number;
  /** Σ d x (y − c) and Σ d x. */
  dxy: Float64Array;
  dx: Float64Array;
  /** Per design stratum h: Σ w (y − c), Σ w, Σ w² (y − c)², Σ w² (y − c), Σ w². */
  wy: Float64Array;
  w: Float64Array;
  wwyy: Float64Array;
  wwy: Float64Array;
  ww: Float64Array;
  /** Per design stratum h (row h, p wide): Σ w² x (y − c) and Σ w² x. */
  wwxy: Float64Array;
  wwx: Float64Array;
}

function emptySums(cal: Calibration, centre: number): VarianceSums {
  const H = cal.strata.length;
  const { p } = cal;
  return {
    centre,
    n: 0,
    dxy: new Float64Array(p),
    dx: new Float64Array(p),
    wy: new Float64Array(H),
    w: new Float64Array(H),
    wwyy: new Float64Array(H),
    wwy: new Float64Array(H),
    ww: new Float64Array(H),
    wwxy: new Float64Array(H * p),
    wwx: new Float64Array(H * p),
  };
}

/**
 * The sums of each cell of a table in one pass over the units idx: cellOf(i) is
 * unit i's cell (0 … cells − 1; −1: in none). y is indexed by unit. Each cell is
 * centred on the y of its first unit, so a cell whose units answered alike has
 * sums of exactly 0.
 */
export function varianceSumsByCell(
  cal: Calibration,
  idx: Int32Array,
  y: ArrayLike<number>,
  cellOf: (i: number) => number,
  cells: number,
): VarianceSums[] {
  const { p, x, design, weights, stratumOf } = cal;
  const out = Array.from({ length: cells }, () => emptySums(cal, 0));
  const { start, col, val } = x;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    const cell = cellOf(i);
    if (cell < 0) continue;
    const t = out[cell];
    if (t.n++ === 0) t.centre = y[i];
    const yc = y[i] - t.centre;
    const d = design[i];
    const h = stratumOf[i];
    const w = weights[i];
    const ww = w * w;
    const end = start[i + 1];
    for (let s = start[i]; s < end; s++) {
      t.dxy[col[s]] += d * val[s] * yc;
      t.dx[col[s]] += d * val[s];
    }
    if (h < 0) continue;
    t.wy[h] += w * yc;
    t.w[h] += w;
    t.wwyy[h] += ww * yc * yc;
    t.wwy[h] += ww * yc;
    t.ww[h] += ww;
    const row = h * p;
    for (let s = start[i]; s < end; s++) {
      t.wwxy[row + col[s]] += ww * val[s] * yc;
      t.wwx[row + col[s]] += ww * val[s];
    }
  }
  return out;
}

/**
 * The sums of several disjoint sets of units as one, centred on the first set's
 * centre: with δ = c − c', y − c' = (y − c) + δ.
 */
export function addVarianceSums(cal: Calibration, parts: readonly VarianceSums[]): VarianceSums {
  const first = parts.find((part) => part.n > 0);
  const total = emptySums(cal, first?.centre ?? 0);
  for (const part of parts) {
    if (part.n === 0) continue;
    const delta = part.centre - total.centre;
    total.n += part.n;
    for (let j = 0; j < total.dxy.length; j++) {
      total.dxy[j] += part.dxy[j] + delta * part.dx[j];
      total.dx[j] += part.dx[j];
    }
    for (let h = 0; h < total.w.length; h++) {
      total.wy[h] += part.wy[h] + delta * part.w[h];
      total.w[h] += part.w[h];
      total.wwyy[h] += part.wwyy[h] + 2 * delta * part.wwy[h] + delta * delta * part.ww[h];
      total.wwy[h] += part.wwy[h] + delta * part.ww[h];
      total.ww[h] += part.ww[h];
    }
    for (let j = 0; j < total.wwxy.length; j++) {
      total.wwxy[j] += part.wwxy[j] + delta * part.wwx[j];
      total.wwx[j] += part.wwx[j];
    }
  }
  return total;
}

/**
 * The variance of a domain estimator whose influence is z_i = (y_i − shift) · factor
 * on the units of `sums` and 0 elsewhere: O(H p + p²), whatever the number of
 * units. The residual is that of z on the model (least squares with the design
 * weights), as R's svyrecvar for a calibrated design.
 */
export function varianceFromSums(cal: Calibration, sums: VarianceSums, shift = 0, factor = 1): number {
  const { p } = cal;
  const H = cal.strata.length;
  // With s = shift − c, z = ((y − c) − s) f: each sum of z follows from those of y − c.
  const s = shift - sums.centre;
  const b = new Float64Array(p);
  for (let j = 0; j < p; j++) b[j] = factor * (sums.dxy[j] - s * sums.dx[j]);
  const beta = solveCholesky(cal.crossFactor, b);
  // u_i = w_i z_i − w_i x_iᵀβ. Per stratum h, with c_h = (1 − n_h/N_h) n_h/(n_h − 1):
  // c_h (Σu² − (Σu)²/n_h), where Σu² = Σ(wz)² − 2βᵀΣ w² z x + βᵀ(Σ w² x xᵀ)β. The last
  // term summed over the strata is βᵀ(Σ c_h Σ w² x xᵀ)β: one product with the pooled moments.
  let v = 0;
  for (let h = 0; h < H; h++) {
    const n = cal.strata[h].n;
    if (n < 2) continue;
    const su = factor * (sums.wy[h] - s * sums.w[h]);
    const suu = factor * factor * (sums.wwyy[h] - 2 * s * sums.wwy[h] + s * s * sums.ww[h]);
    let bwx = 0;
    let bwzx = 0;
    const wx = cal.wx[h];
    const active = cal.active[h];
    const row = h * p;
    for (let a = 0; a < active.length; a++) {
      const j = active[a];
      bwx += beta[j] * wx[j];
      bwzx += beta[j] * factor * (sums.wwxy[row + j] - s * sums.wwx[row + j]);
    }
    const sum = su - bwx;
    v += (1 - n / cal.strata[h].N) * (n / (n - 1)) * (suu - 2 * bwzx - (sum * sum) / n);
  }
  const m = cal.pooledWwxx;
  for (let j = 0; j < p; j++) {
    if (beta[j] === 0) continue;
    let row = 0;
    for (let l = 0; l < p; l++) row += m[j * p + l] * beta[l];
    v += beta[j] * row;
  }
  return Math.max(0, v);
}

/**
 * The variance of a domain estimator whose influence is z_i = (y_i − shift) · factor
 * on the units idx and 0 elsewhere (y indexed by unit): one pass over them, then
 * varianceFromSums.
 */
export function domainVariance(cal: Calibration, idx: Int32Array, y: Float64Array, shift = 0, factor = 1): number {
  const [sums] = varianceSumsByCell(cal, idx, y, () => 0, 1);
  return varianceFromSums(cal, sums, shift, factor);
}

/**
 * Total Σ w y over the units idx (y indexed by unit), with its SE. The SE is
 * computed each time it is read (a pass over the units): read it once, or not at
 * all where it is not needed; idx and y must not change in between.
 */
export function domainTotal(cal: Calibration, idx: Int32Array, y: Float64Array) {
  let estimate = 0;
  for (let k = 0; k < idx.length; k++) estimate += cal.weights[idx[k]] * y[idx[k]];
  return {
    estimate,
    get se() {
      return Math.sqrt(domainVariance(cal, idx, y));
    },
    scale: 1,
  };
}

/**
 * Mean Σ w y / Σ w over the units idx (y indexed by unit), with its SE (computed
 * when read, as in domainTotal); a unit's weight in it is w_i · scale. Null without weight.
 */
export function domainMeanOf(cal: Calibration, idx: Int32Array, y: Float64Array) {
  let sw = 0;
  let swy = 0;
  for (let k = 0; k < idx.length; k++) {
    const w = cal.weights[idx[k]];
    sw += w;
    swy += w * y[idx[k]];
  }
  if (sw <= 0) return null;
  const mean = swy / sw;
  return {
    estimate: mean,
    get se() {
      return Math.sqrt(domainVariance(cal, idx, y, mean, 1 / sw));
    },
    scale: 1 / sw,
  };
}

/** Raking: g = exp(xᵀλ), Newton steps on the calibration equations (R's grake with cal.raking). */
function rake(x: SparseRows, p: number, design: Float64Array, target: number[]): Float64Array | null {
  const n = design.length;
  const gOf = (lambda: readonly number[]) =>
    Float64Array.from({ length: n }, (_, i) => Math.exp(rowTimes(x, i, lambda)));
  const misfitOf = (g: Float64Array) => {
    const misfit = [...target];
    for (let i = 0; i < n; i++)
      for (let s = x.start[i]; s < x.start[i + 1]; s++) misfit[x.col[s]] -= design[i] * g[i] * x.val[s];
    return misfit;
  };
  let lambda = new Array<number>(p).fill(0);
  let g = new Float64Array(n).fill(1);
  for (let iteration = 0; iteration < 100; iteration++) {
    const misfit = misfitOf(g);
    if (misfit.every((m, j) => Math.abs(m) / (1 + Math.abs(target[j])) < 1e-13)) return g;
    const step = choleskySolve(
      sparseCrossProduct(
        x,
        p,
        design.map((d, i) => d * g[i]),
      ),
      misfit,
    );
    if (!step) return null;
    let factor = 1;
    for (let half = 0; half < 30; half++) {
      const next = lambda.map((l, j) => l + factor * step[j]);
      const nextG = gOf(next);
      if (nextG.every(Number.isFinite)) {
        lambda = next;
        g = nextG;
        break;
      }
      factor /= 2;
    }
  }
  return misfitOf(g).every((m, j) => Math.abs(m) < 1e-7 * (1 + Math.abs(target[j]))) ? g : null;
}

/**
 * The variance of an estimator with per-unit influence z_i (its linearisation on
 * the scale of the units): the stratified design's variance of u_i = w_i e_i,
 * e the residual of z on the calibration variables (least squares with the design
 * weights), as R's svyrecvar does for a calibrated design. Strata with one
 * respondent add nothing (survey.lonely.psu = "remove").
 */
export function calibratedVariance(cal: Calibration, z: readonly number[]): number {
  const { x } = cal;
  // β of the least-squares fit of z on the model, with the design weights.
  const b = new Float64Array(cal.p);
  z.forEach((zi, i) => {
    const dz = cal.design[i] * zi;
    if (dz !== 0) for (let s = x.start[i]; s < x.start[i + 1]; s++) b[x.col[s]] += x.val[s] * dz;
  });
  const beta = solveCholesky(cal.crossFactor, b);
  const H = cal.strata.length;
  const u = z.map((zi, i) => cal.weights[i] * (zi - rowTimes(x, i, beta)));
  const sums = new Float64Array(H);
  u.forEach((ui, i) => {
    if (cal.stratumOf[i] >= 0) sums[cal.stratumOf[i]] += ui;
  });
  const squares = new Float64Array(H);
  u.forEach((ui, i) => {
    const h = cal.stratumOf[i];
    if (h >= 0) squares[h] += (ui - sums[h] / cal.strata[h].n) ** 2;
  });
  let v = 0;
  cal.strata.forEach((s, h) => {
    if (s.n < 2) return;
    v += (1 - s.n / s.N) * (s.n / (s.n - 1)) * squares[h];
  });
  return v;
}

export interface CalibratedEstimate {
  estimate: number;
  se: number;
  /** The weight of each unit's y in the estimate (0 outside the domain): what protection looks at. */
  unitWeights: number[];
}

/** Σ w y over a domain (hidden answers count 0). R: svytotal(~y, cal); svyby(~y, ~d, cal, svytotal). */
export function calibratedTotal(
  cal: Calibration,
  y: readonly number[],
  inDomain: readonly boolean[],
): CalibratedEstimate {
  const z = y.map((v, i) => (inDomain[i] ? v : 0));
  const estimate = z.reduce((a, v, i) => a + cal.weights[i] * v, 0);
  return {
    estimate,
    se: Math.sqrt(calibratedVariance(cal, z)),
    unitWeights: cal.weights.map((w, i) => (inDomain[i] ? w : 0)),
  };
}

/**
 * Σ w y / Σ w over a domain (for a conditional question, those who saw it).
 * R: svymean(~y, subset(cal, shown)); svyby(~y, ~d, subset(cal, shown), svymean).
 * Null for a domain without weight.
 */
export function calibratedMean(
  cal: Calibration,
  y: readonly number[],
  inDomain: readonly boolean[],
): CalibratedEstimate | null {
  let sw = 0;
  let swy = 0;
  y.forEach((v, i) => {
    if (!inDomain[i]) return;
    sw += cal.weights[i];
    swy += cal.weights[i] * v;
  });
  if (sw <= 0) return null;
  const mean = swy / sw;
  const z = y.map((v, i) => (inDomain[i] ? (v - mean) / sw : 0));
  return {
    estimate: mean,
    se: Math.sqrt(calibratedVariance(cal, z)),
    unitWeights: cal.weights.map((w, i) => (inDomain[i] ? w / sw : 0)),
  };
}
