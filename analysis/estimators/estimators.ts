// The estimators of README "Estimates for the whole branch", each equal to R's survey package (see the tests
// against test/reference/fixtures, made by test/reference/make-fixtures.R).
//
// Each works on a domain: the cells of the domain and the number of item
// respondents of every stratum (units outside the domain count 0). Each also
// returns the linear weight a_h it gives to a respondent's y in stratum h
// (estimate = Σ_h a_h Σ_{i ∈ h ∩ d} y_i), which the disclosure rules and the
// perturbation use to find the largest weighted contributions of a cell.
import { type CellSums, type Estimate, type StratumFrame, withInterval } from './design';
import { domainMoments, linearizedVariance, respondentsPerStratum, totals } from './linearization';

type Cells = readonly CellSums[];
type Frame = readonly StratumFrame[];
type CellFilter = (cell: CellSums) => boolean;

/** What an estimator needs of a domain. */
export interface Domain {
  frame: Frame;
  /** Item respondents per stratum (all of them, in the domain or not). */
  n: ReadonlyMap<string, number>;
  /** The cells of the domain only. */
  cells: Cells;
}

export interface WeightedEstimate extends Estimate {
  /** a_h per stratum: the weight of one respondent's y in the estimate. */
  weights: Map<string, number>;
}

const all: CellFilter = () => true;
const count = (cells: Cells) => cells.reduce((a, c) => a + c.n, 0);
const touchedN = (frame: Frame, cells: Cells) => {
  const strata = new Set(cells.map((c) => c.stratum));
  return frame.filter((s) => strata.has(s.stratum)).reduce((a, s) => a + s.N, 0);
};
const coveredN = (frame: Frame, cells: Cells) =>
  frame.filter((s) => cells.some((c) => c.stratum === s.stratum && c.n > 0)).reduce((a, s) => a + s.N, 0);

function domainOf(frame: Frame, cells: Cells, filter: CellFilter): Domain {
  return { frame, n: respondentsPerStratum(cells), cells: cells.filter(filter) };
}

/**
 * Expansion total of y in a domain (hidden answers count 0):
 *   T = Σ_h N_h ȳ_h (ȳ over all item respondents of h, 0 outside the domain),
 *   V = Σ_h N_h² (1 − n_h/N_h) s²_h / n_h;  a_h = N_h / n_h.
 * R: svytotal(~y, design); in a domain svyby(~y, ~d, design, svytotal).
 */
export function expansionTotalOf(d: Domain): WeightedEstimate {
  const m = domainMoments(d.frame, d.n, d.cells, ['y']);
  const [t] = totals(m);
  const est = withInterval(t ?? 0, Math.sqrt(linearizedVariance(m, [1])), count(d.cells), touchedN(d.frame, d.cells));
  return { ...est, weights: new Map(m.map((s) => [s.stratum, s.N / s.n])) };
}

/**
 * Mean of y over a domain (the respondents who saw the question, optionally in a
 * breakdown cell or `--by` domain): the ratio Σ w y 1_d / Σ w 1_d, linearized with
 * z = 1_d (y − ȳ_d) / N̂_d. Over all strata this is the stratified mean
 * ȳ = Σ_h W_h ȳ_h with V = Σ_h W_h² (1 − f_h) s²_h / n_h;  a_h = N_h / (n_h N̂_d).
 * R: svymean(~y, subset(design, shown)); svyby(~y, ~d, subset(design, shown), svymean).
 * Proportions are the mean of a 0/1 indicator.
 */
export function meanOf(d: Domain): WeightedEstimate {
  const shown = d.cells.filter((c) => c.shown);
  const m = domainMoments(d.frame, d.n, shown, ['y', 'one']);
  const [ty, tn] = totals(m);
  const mean = ty / tn;
  const v = linearizedVariance(m, [1 / tn, -mean / tn]);
  const est = withInterval(mean, Math.sqrt(v), count(shown), Math.round(tn));
  return { ...est, weights: new Map(m.map((s) => [s.stratum, s.N / (s.n * tn)])) };
}

/**
 * Separate ratio estimator of the total of y with auxiliary x, over
 * the strata the domain touches (the whole frame, one stratum, or a union of strata).
 * A stratum whose frame has none of x contributes 0; one whose respondents have
 * none of x (while the frame has) is estimated by expansion — R gives NaN there:
 *   R_h = Σy/Σx over s_h,  T = Σ_h X_h R_h,
 *   V = Σ_h X_h² (1 − n_h/N_h) s²_eh / (n_h x̄_h²),  e = y − R_h x;  a_h = X_h / Σx_h.
 * R: predict(svyratio(~y, ~x, design, separate = TRUE), total = X_h).
 */
export function separateRatioTotalOf(d: Domain): WeightedEstimate {
  const touched = new Set(d.cells.filter((c) => c.n > 0).map((c) => c.stratum));
  const m = domainMoments(d.frame, d.n, d.cells, ['y', 'x']).filter((s) => touched.has(s.stratum));
  let total = 0;
  let variance = 0;
  const weights = new Map<string, number>();
  for (const s of m) {
    const [sy, sx] = s.sums;
    const X = s.X ?? 0;
    if (X === 0) {
      // The frame has none of x in this stratum: the ratio model puts its total at 0.
      weights.set(s.stratum, 0);
      continue;
    }
    if (sx === 0) {
      // The respondents have none of x although the stratum has some: the ratio is
      // undefined (R gives NaN), so this stratum is estimated by expansion, N_h ȳ_h.
      total += (s.N * sy) / s.n;
      weights.set(s.stratum, s.N / s.n);
      variance += linearizedVariance([s], [1, 0]);
      continue;
    }
    const ratio = sy / sx;
    const xbar = sx / s.n;
    total += X * ratio;
    weights.set(s.stratum, X / sx);
    // X_h R_h = X_h ȳ_h / x̄_h; per stratum the gradient on (ȳ, x̄) scaled to totals.
    variance += (X / s.N) ** 2 * linearizedVariance([s], [1 / xbar, -ratio / xbar]);
  }
  const est = withInterval(total, Math.sqrt(variance), count(d.cells), touchedN(d.frame, d.cells));
  return { ...est, weights };
}

/**
 * Combined ratio in a domain: R_d = Σ w y 1_d / Σ w x 1_d, T_d = X_d R_d and
 * SE(T_d) = X_d SE(R_d), with z = 1_d (y − R_d x) / X̂_d;  a_h = X_d N_h / (n_h X̂_d).
 * R: svyby(~y, ~d, design, svyratio, denominator = ~x); the ratio itself is `ratio`.
 */
export function domainRatioOf(d: Domain): { ratio: number; se: number; n: number; weights: Map<string, number> } {
  const m = domainMoments(d.frame, d.n, d.cells, ['y', 'x']);
  const [ty, tx] = totals(m);
  const ratio = ty / tx;
  return {
    ratio,
    se: Math.sqrt(linearizedVariance(m, [1 / tx, -ratio / tx])),
    n: count(d.cells),
    weights: new Map(m.map((s) => [s.stratum, s.N / (s.n * tx)])),
  };
}

export function domainRatioTotalOf(d: Domain, X: number, N: number): WeightedEstimate {
  // No x in the domain's frame: the ratio model puts its total at 0. No x among its
  // respondents although the frame has some: the ratio is undefined, so expansion.
  if (X === 0)
    return {
      ...withInterval(
        0,
        0,
        d.cells.reduce((a, c) => a + c.n, 0),
        N,
      ),
      weights: new Map(),
    };
  if (d.cells.every((c) => c.sx === 0)) return expansionTotalOf(d);
  const r = domainRatioOf(d);
  const weights = new Map([...r.weights].map(([h, w]) => [h, X * w]));
  return { ...withInterval(X * r.ratio, X * r.se, r.n, N), weights };
}

// The same estimators over all cells with a domain filter (as the R tests call them).

export function expansionTotal(frame: Frame, cells: Cells, domain: CellFilter = all): Estimate {
  return expansionTotalOf(domainOf(frame, cells, domain));
}

export function domainMean(frame: Frame, cells: Cells, domain: CellFilter = all): Estimate {
  return meanOf(domainOf(frame, cells, domain));
}

export function separateRatioTotal(frame: Frame, cells: Cells, domain: CellFilter = all): Estimate {
  return separateRatioTotalOf(domainOf(frame, cells, domain));
}

export function domainRatio(frame: Frame, cells: Cells, domain: CellFilter): { ratio: number; se: number; n: number } {
  return domainRatioOf(domainOf(frame, cells, domain));
}

export function domainRatioTotal(frame: Frame, cells: Cells, domain: CellFilter, X: number, N: number): Estimate {
  return domainRatioTotalOf(domainOf(frame, cells, domain), X, N);
}

export { coveredN };
