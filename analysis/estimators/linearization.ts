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

/**
 * Build the moments of u_k = v_k · 1[unit in domain] for each stratum, from the
 * cell sums. `inDomain` picks the cells of the domain; every cell of the stratum
 * counts towards n_h (units outside the domain have u = 0).
 */
export function stratumMoments(
  frame: readonly StratumFrame[],
  cells: readonly CellSums[],
  variables: readonly Variable[],
  inDomain: (cell: CellSums) => boolean = () => true,
): StratumMoments[] {
  const out: StratumMoments[] = [];
  for (const s of frame) {
    const own = cells.filter((c) => c.stratum === s.stratum);
    const n = own.reduce((a, c) => a + c.n, 0);
    if (n === 0) continue;
    const dom = own.filter(inDomain);
    const sum = (v: Variable) => dom.reduce((a, c) => a + (v === 'y' ? c.sy : v === 'x' ? c.sx : c.n), 0);
    const cross = (a: Variable, b: Variable) =>
      dom.reduce((acc, c) => {
        const key = [a, b].sort().join('');
        const value =
          key === 'yy'
            ? c.syy
            : key === 'xx'
              ? c.sxx
              : key === 'xy'
                ? c.sxy
                : key === 'oneone'
                  ? c.n
                  : key === 'oney'
                    ? c.sy
                    : key === 'onex'
                      ? c.sx
                      : 0;
        return acc + value;
      }, 0);
    const sums = variables.map(sum);
    const centred = variables.map((a, i) => variables.map((b, j) => cross(a, b) - (sums[i] * sums[j]) / n));
    out.push({ stratum: s.stratum, N: s.N, X: s.X, n, sums, centred });
  }
  return out;
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
