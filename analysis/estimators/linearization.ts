// Variance by linearization, as R's survey package computes it: an estimator is a
// smooth function of estimated totals T_k = Σ_h N_h ū_hk of per-unit variables
// u_k; with gradient g at the estimate,
//   V = Σ_h N_h² (1 − n_h/N_h) gᵀ C_h g / n_h,
// C_h the sample covariance (n_h − 1 denominator) of u within stratum h.
// Strata with one respondent add nothing (survey.lonely.psu = "remove").
import type { CellSums, StratumFrame } from './design';

/** Per stratum: N_h, n_h, the totals of the u variables and their centred cross-products. */
export interface StratumMoments {
  stratum: string;
  N: number;
  X: number | null;
  n: number;
  /** Σ u_k over the stratum's respondents. */
  sums: number[];
  /** Σ (u_j − ū_j)(u_k − ū_k). */
  centred: number[][];
}

export type Variable = 'y' | 'x' | 'one';

/** Item respondents per stratum: every cell of the stratum counts, in the domain or not. */
export function respondentsPerStratum(cells: readonly CellSums[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const c of cells) n.set(c.stratum, (n.get(c.stratum) ?? 0) + c.n);
  return n;
}

function crossSum(c: CellSums, a: Variable, b: Variable): number {
  const key = a < b ? `${a}${b}` : `${b}${a}`;
  switch (key) {
    case 'yy':
      return c.syy;
    case 'xx':
      return c.sxx;
    case 'xy':
      return c.sxy;
    case 'oneone':
      return c.n;
    case 'oney':
      return c.sy;
    case 'onex':
      return c.sx;
    default:
      return 0;
  }
}

function sumOf(c: CellSums, v: Variable): number {
  return v === 'y' ? c.sy : v === 'x' ? c.sx : c.n;
}

/**
 * The moments of u_k = v_k · 1[unit in domain] per stratum, from the cells of the
 * domain and the number of item respondents of each stratum (units outside the
 * domain count with u = 0). Strata without respondents are left out.
 */
export function domainMoments(
  frame: readonly StratumFrame[],
  nByStratum: ReadonlyMap<string, number>,
  domainCells: readonly CellSums[],
  variables: readonly Variable[],
): StratumMoments[] {
  const byStratum = new Map<string, CellSums[]>();
  for (const c of domainCells) {
    const list = byStratum.get(c.stratum);
    if (list) list.push(c);
    else byStratum.set(c.stratum, [c]);
  }
  const out: StratumMoments[] = [];
  for (const s of frame) {
    const n = nByStratum.get(s.stratum) ?? 0;
    if (n === 0) continue;
    const dom = byStratum.get(s.stratum) ?? [];
    const sums = variables.map((v) => dom.reduce((a, c) => a + sumOf(c, v), 0));
    const centred = variables.map((a, i) =>
      variables.map((b, j) => dom.reduce((acc, c) => acc + crossSum(c, a, b), 0) - (sums[i] * sums[j]) / n),
    );
    out.push({ stratum: s.stratum, N: s.N, X: s.X, n, sums, centred });
  }
  return out;
}

/**
 * The same from all cells and a domain filter: every cell of a stratum counts
 * towards n_h, only the domain's cells towards the sums.
 */
export function stratumMoments(
  frame: readonly StratumFrame[],
  cells: readonly CellSums[],
  variables: readonly Variable[],
  inDomain: (cell: CellSums) => boolean = () => true,
): StratumMoments[] {
  return domainMoments(frame, respondentsPerStratum(cells), cells.filter(inDomain), variables);
}

/** Estimated totals T_k = Σ_h N_h ū_hk. */
export function totals(moments: readonly StratumMoments[]): number[] {
  const k = moments[0]?.sums.length ?? 0;
  return Array.from({ length: k }, (_, i) => moments.reduce((a, m) => a + (m.N * m.sums[i]) / m.n, 0));
}

/** Variance contribution of one stratum for gradient g. */
export function stratumVariance(m: StratumMoments, g: readonly number[]): number {
  if (m.n < 2) return 0;
  let quad = 0;
  for (let i = 0; i < g.length; i++) for (let j = 0; j < g.length; j++) quad += g[i] * g[j] * m.centred[i][j];
  const s2 = quad / (m.n - 1);
  return (m.N * m.N * (1 - m.n / m.N) * s2) / m.n;
}

export function linearizedVariance(moments: readonly StratumMoments[], g: readonly number[]): number {
  return moments.reduce((a, m) => a + stratumVariance(m, g), 0);
}
