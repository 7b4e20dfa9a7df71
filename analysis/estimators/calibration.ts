// Calibrated weighting (README "Calibration"): within the strata of the wave's
// design, the item respondents of a question are reweighted so that they
// reproduce the frame's count of every category of each categorical calibration
// variable and the frame total of each numeric one. Linear calibration (GREG) or
// raking, as R's calibrate(svydesign(ids = ~1, strata = ~h, fpc = ~N_h, data),
// ~h + VARS, population, calfun = "linear" | "raking"). Estimates are the
// calibrated design's svytotal / svymean / svyby; their variance is that of the
// stratified design applied to the calibration residuals, as R's svyrecvar.
import { choleskySolve, independentColumns, type Matrix, weightedCrossProduct } from './matrix';

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
  design: number[];
  weights: number[];
  /** The model rows (independent columns only) and their d-weighted cross-product. */
  rows: number[][];
  cross: Matrix;
  /** Per stratum: N_h and the indices of its units. */
  strata: { stratum: string; N: number; units: number[] }[];
  /** Per unit, the index of its stratum in `strata`. */
  stratumOf: Int32Array;
  /** Per stratum: Σ w x and Σ w² x xᵀ (the parts of the residual variance that do not depend on y). */
  wx: Float64Array[];
  wwxx: Matrix[];
}

interface Column {
  variable: string;
  category: string | null;
  value: (u: CalibrationUnit) => number;
  total: number;
}

function columnsOf(
  units: readonly CalibrationUnit[],
  population: CalibrationPopulation,
): Column[] | CalibrationFailure {
  const columns: Column[] = [];
  for (const s of population.strata)
    columns.push({
      variable: '(stratum)',
      category: s.stratum,
      value: (u) => (u.stratum === s.stratum ? 1 : 0),
      total: s.N,
    });
  for (const [variable, counts] of Object.entries(population.counts)) {
    const present = new Set(units.map((u) => String(u.values[variable])));
    for (const [category, N] of Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))) {
      if (N === 0) continue;
      if (!present.has(category)) return { kind: 'empty_category', variable, category, N };
      columns.push({ variable, category, value: (u) => (String(u.values[variable]) === category ? 1 : 0), total: N });
    }
    // A respondent in a category the frame (of these strata) does not have cannot be calibrated to it.
    for (const category of present) if (!counts[category]) return { kind: 'conflict', variable, category };
  }
  const N = population.strata.reduce((a, s) => a + s.N, 0);
  for (const [variable, total] of Object.entries(population.totals)) {
    if (total === 0 && units.every((u) => Number(u.values[variable] ?? 0) === 0)) continue;
    if (units.every((u) => Number(u.values[variable] ?? 0) === 0)) return { kind: 'empty_total', variable };
    // Scaled to the frame mean: the weights do not depend on a column's scale, the arithmetic does.
    const scale = total !== 0 ? Math.abs(total) / N : 1;
    columns.push({
      variable,
      category: null,
      value: (u) => Number(u.values[variable] ?? 0) / scale,
      total: total / scale,
    });
  }
  return columns;
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
  const cols = columnsOf(units, population);
  if (!Array.isArray(cols)) return cols;
  const Nh = new Map(population.strata.map((s) => [s.stratum, s.N]));
  const strata = population.strata
    .map((s) => ({ stratum: s.stratum, N: s.N, units: [] as number[] }))
    .filter((s) => units.some((u) => u.stratum === s.stratum));
  const byStratum = new Map(strata.map((s) => [s.stratum, s]));
  units.forEach((u, i) => {
    byStratum.get(u.stratum)?.units.push(i);
  });
  const design = units.map((u) => (Nh.get(u.stratum) ?? 0) / (byStratum.get(u.stratum)?.units.length ?? 1));
  const full = units.map((u) => cols.map((c) => c.value(u)));
  // Columns that repeat others (the last category of each variable, next to the strata) are left out;
  // their totals are met through the others, which the check below confirms.
  const kept = independentColumns(weightedCrossProduct(full, design, cols.length));
  const rows = full.map((r) => kept.map((j) => r[j]));
  const target = kept.map((j) => cols[j].total);
  const cross = weightedCrossProduct(rows, design, kept.length);
  const p = kept.length;
  let g: number[];
  if (method === 'linear') {
    const sample = new Array<number>(p).fill(0);
    rows.forEach((r, i) => {
      for (let j = 0; j < p; j++) sample[j] += design[i] * r[j];
    });
    const lambda = choleskySolve(
      cross,
      target.map((t, j) => t - sample[j]),
    );
    if (!lambda) return { kind: 'no_convergence' };
    g = rows.map((r) => 1 + r.reduce((a, v, j) => a + v * lambda[j], 0));
  } else {
    const raked = rake(rows, design, target);
    if (!raked) return { kind: 'no_convergence' };
    g = raked;
  }
  const weights = g.map((gi, i) => gi * design[i]);
  const negative = weights.filter((w) => w < 0).length;
  if (negative > 0) return { kind: 'negative_weights', count: negative };
  for (const c of cols) {
    const reached = units.reduce((a, u, i) => a + weights[i] * c.value(u), 0);
    if (Math.abs(reached - c.total) > 1e-6 * (1 + Math.abs(c.total)))
      return { kind: 'conflict', variable: c.variable, category: c.category };
  }
  const stratumOf = new Int32Array(units.length).fill(-1);
  strata.forEach((st, k) => {
    for (const i of st.units) stratumOf[i] = k;
  });
  const wx = strata.map(() => new Float64Array(p));
  const wwxx = strata.map(() => Array.from({ length: p }, () => new Array<number>(p).fill(0)));
  rows.forEach((r, i) => {
    const k = stratumOf[i];
    if (k < 0) return;
    const w = weights[i];
    const m = wwxx[k];
    for (let j = 0; j < p; j++) {
      const v = w * r[j];
      if (v === 0) continue;
      wx[k][j] += v;
      for (let l = 0; l <= j; l++) m[j][l] += v * w * r[l];
    }
  });
  for (const m of wwxx) for (let j = 0; j < p; j++) for (let l = 0; l < j; l++) m[l][j] = m[j][l];
  return { units, design, weights, rows, cross, strata, stratumOf, wx, wwxx };
}

/**
 * The same variance for an influence that is z_k on the units idx_k and 0
 * elsewhere, from the per-stratum moments: O(|idx| p + H p²) instead of O(n p),
 * which matters when every cell of every question needs one.
 */
export function domainVariance(cal: Calibration, idx: ArrayLike<number>, z: ArrayLike<number>): number {
  const p = cal.cross.length;
  const b = new Array<number>(p).fill(0);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    const dz = cal.design[i] * z[k];
    if (dz === 0) continue;
    const r = cal.rows[i];
    for (let j = 0; j < p; j++) b[j] += r[j] * dz;
  }
  const beta = choleskySolve(cal.cross, b) ?? new Array<number>(p).fill(0);
  const H = cal.strata.length;
  const su = new Float64Array(H);
  const suu = new Float64Array(H);
  const wzx = Array.from({ length: H }, () => new Float64Array(p));
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    const h = cal.stratumOf[i];
    if (h < 0) continue;
    const wz = cal.weights[i] * z[k];
    if (wz === 0) continue;
    su[h] += wz;
    suu[h] += wz * wz;
    const r = cal.rows[i];
    const acc = wzx[h];
    const ww = cal.weights[i] * wz;
    for (let j = 0; j < p; j++) acc[j] += ww * r[j];
  }
  let v = 0;
  cal.strata.forEach((s, h) => {
    const n = s.units.length;
    if (n < 2) return;
    // u_i = w_i z_i − w_i x_iᵀβ: Σu and Σu² from the moments.
    let bwx = 0;
    let bwzx = 0;
    let bMb = 0;
    const m = cal.wwxx[h];
    for (let j = 0; j < p; j++) {
      bwx += beta[j] * cal.wx[h][j];
      bwzx += beta[j] * wzx[h][j];
      let row = 0;
      for (let l = 0; l < p; l++) row += m[j][l] * beta[l];
      bMb += beta[j] * row;
    }
    const sum = su[h] - bwx;
    const squares = suu[h] - 2 * bwzx + bMb;
    v += (1 - n / s.N) * (n / (n - 1)) * Math.max(0, squares - (sum * sum) / n);
  });
  return v;
}

/** Total Σ w y over the units idx (y_k the value of unit idx_k), with its SE. */
export function domainTotal(cal: Calibration, idx: ArrayLike<number>, y: ArrayLike<number>) {
  let estimate = 0;
  for (let k = 0; k < idx.length; k++) estimate += cal.weights[idx[k]] * y[k];
  return { estimate, se: Math.sqrt(domainVariance(cal, idx, y)), scale: 1 };
}

/** Mean Σ w y / Σ w over the units idx, with its SE; a unit's weight in it is w_i · scale. Null without weight. */
export function domainMeanOf(cal: Calibration, idx: ArrayLike<number>, y: ArrayLike<number>) {
  let sw = 0;
  let swy = 0;
  for (let k = 0; k < idx.length; k++) {
    sw += cal.weights[idx[k]];
    swy += cal.weights[idx[k]] * y[k];
  }
  if (sw <= 0) return null;
  const mean = swy / sw;
  const z = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) z[k] = (y[k] - mean) / sw;
  return { estimate: mean, se: Math.sqrt(domainVariance(cal, idx, z)), scale: 1 / sw };
}

/** Raking: g = exp(xᵀλ), Newton steps on the calibration equations (R's grake with cal.raking). */
function rake(rows: number[][], design: number[], target: number[]): number[] | null {
  const p = target.length;
  let lambda = new Array<number>(p).fill(0);
  let g = rows.map(() => 1);
  for (let iteration = 0; iteration < 100; iteration++) {
    const dg = design.map((d, i) => d * g[i]);
    const misfit = [...target];
    rows.forEach((r, i) => {
      for (let j = 0; j < p; j++) misfit[j] -= dg[i] * r[j];
    });
    if (misfit.every((m, j) => Math.abs(m) / (1 + Math.abs(target[j])) < 1e-13)) return g;
    const step = choleskySolve(weightedCrossProduct(rows, dg, p), misfit);
    if (!step) return null;
    let factor = 1;
    for (let half = 0; half < 30; half++) {
      const next = lambda.map((l, j) => l + factor * step[j]);
      const nextG = rows.map((r) => Math.exp(r.reduce((a, v, j) => a + v * next[j], 0)));
      if (nextG.every(Number.isFinite)) {
        lambda = next;
        g = nextG;
        break;
      }
      factor /= 2;
    }
  }
  const dg = design.map((d, i) => d * g[i]);
  const ok = target.every(
    (t, j) => Math.abs(t - rows.reduce((a, r, i) => a + dg[i] * r[j], 0)) < 1e-7 * (1 + Math.abs(t)),
  );
  return ok ? g : null;
}

/**
 * The variance of an estimator with per-unit influence z_i (its linearisation on
 * the scale of the units): the stratified design's variance of u_i = w_i e_i,
 * e the residual of z on the calibration variables (least squares with the design
 * weights), as R's svyrecvar does for a calibrated design. Strata with one
 * respondent add nothing (survey.lonely.psu = "remove").
 */
export function calibratedVariance(cal: Calibration, z: readonly number[]): number {
  const p = cal.cross.length;
  const b = new Array<number>(p).fill(0);
  cal.rows.forEach((r, i) => {
    const dz = cal.design[i] * z[i];
    if (dz === 0) return;
    for (let j = 0; j < p; j++) b[j] += r[j] * dz;
  });
  const beta = choleskySolve(cal.cross, b) ?? new Array<number>(p).fill(0);
  const u = cal.rows.map((r, i) => cal.weights[i] * (z[i] - r.reduce((a, v, j) => a + v * beta[j], 0)));
  let v = 0;
  for (const s of cal.strata) {
    const n = s.units.length;
    if (n < 2) continue;
    const mean = s.units.reduce((a, i) => a + u[i], 0) / n;
    const ss = s.units.reduce((a, i) => a + (u[i] - mean) ** 2, 0);
    v += (1 - n / s.N) * (n / (n - 1)) * ss;
  }
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
