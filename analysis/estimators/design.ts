// The design of README "Estimates for the whole branch": stratified simple random sampling without replacement,
// as R's svydesign(ids = ~1, strata = ~h, fpc = ~N_h, data = respondents).
// Estimators work on sufficient statistics per cell (stratum × domain × shown),
// which SQL computes with GROUP BY, so a report costs per stratum, not per answer.

/** A stratum of the frame: N_h organisations, X_h the frame total of the auxiliary variable. */
export interface StratumFrame {
  stratum: string;
  N: number;
  X: number | null;
}

/**
 * Sums over the item respondents of one cell: a stratum, a domain value (the
 * `--by` variable, or null) and whether the question was shown (false: hidden by
 * visible_if; then y counts as 0). x is the auxiliary variable (0 when unused).
 */
export interface CellSums {
  stratum: string;
  domain: string | null;
  shown: boolean;
  n: number;
  sy: number;
  sx: number;
  syy: number;
  sxx: number;
  sxy: number;
}

/** Cell sums from raw respondents (for tests and as the reference for the SQL aggregation). */
export function cellSums(
  rows: readonly { stratum: string; domain?: string | null; shown?: boolean; y: number; x?: number }[],
): CellSums[] {
  const cells = new Map<string, CellSums>();
  for (const r of rows) {
    const shown = r.shown ?? true;
    const key = JSON.stringify([r.stratum, r.domain ?? null, shown]);
    const c = cells.get(key) ?? {
      stratum: r.stratum,
      domain: r.domain ?? null,
      shown,
      n: 0,
      sy: 0,
      sx: 0,
      syy: 0,
      sxx: 0,
      sxy: 0,
    };
    const y = shown ? r.y : 0;
    const x = r.x ?? 0;
    c.n += 1;
    c.sy += y;
    c.sx += x;
    c.syy += y * y;
    c.sxx += x * x;
    c.sxy += x * y;
    cells.set(key, c);
  }
  return [...cells.values()];
}

/** z = 1.959963985: the normal quantile of R's confint for a 95% interval. */
export const Z95 = 1.959963985;

export interface Estimate {
  estimate: number;
  se: number;
  ci_low: number;
  ci_high: number;
  /** Contributing respondents (in the estimate's domain). */
  n: number;
  /** Frame organisations the estimate speaks for. */
  N: number;
}

export function withInterval(estimate: number, se: number, n: number, N: number, z = Z95): Estimate {
  return { estimate, se, ci_low: estimate - z * se, ci_high: estimate + z * se, n, N };
}

/**
 * withInterval with an SE that is computed when first read. A calibrated cell's
 * SE costs a pass over its respondents; a cell that the view does not show only
 * lends its estimate to protection, so its SE is never needed.
 */
export function withLazyInterval(estimate: number, se: () => number, n: number, N: number, z = Z95): Estimate {
  let known: number | undefined;
  const seOf = () => (known ??= se());
  return {
    estimate,
    get se() {
      return seOf();
    },
    get ci_low() {
      return estimate - z * seOf();
    },
    get ci_high() {
      return estimate + z * seOf();
    },
    n,
    N,
  };
}
