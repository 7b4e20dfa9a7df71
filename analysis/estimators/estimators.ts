// The estimators of DESIGN 5, each equal to R's survey package (see the tests
// against test/reference/fixtures, made by test/reference/make-fixtures.R).
import { type CellSums, type Estimate, type StratumFrame, withInterval } from './design';
import { linearizedVariance, stratumMoments, totals } from './linearization';

type Cells = readonly CellSums[];
type Frame = readonly StratumFrame[];
type CellFilter = (cell: CellSums) => boolean;

const all: CellFilter = () => true;
const count = (cells: Cells, f: CellFilter) => cells.filter(f).reduce((a, c) => a + c.n, 0);
const coveredN = (frame: Frame, cells: Cells) =>
  frame.filter((s) => cells.some((c) => c.stratum === s.stratum && c.n > 0)).reduce((a, s) => a + s.N, 0);

/**
 * Expansion total of y in a domain (hidden answers count 0):
 *   T = Σ_h N_h ȳ_h (ȳ over all item respondents of h, 0 outside the domain),
 *   V = Σ_h N_h² (1 − n_h/N_h) s²_h / n_h.
 * R: svytotal(~y, design); in a domain svyby(~y, ~d, design, svytotal).
 */
export function expansionTotal(frame: Frame, cells: Cells, domain: CellFilter = all): Estimate {
  const m = stratumMoments(frame, cells, ['y'], domain);
  const [t] = totals(m);
  const strata = new Set(cells.filter(domain).map((c) => c.stratum));
  return withInterval(
    t ?? 0,
    Math.sqrt(linearizedVariance(m, [1])),
    count(cells, domain),
    frame.filter((s) => strata.has(s.stratum)).reduce((a, s) => a + s.N, 0),
  );
}

/**
 * Mean of y over a domain (the respondents who saw the question, optionally in a
 * `--by` domain or one stratum): the ratio Σ w y 1_d / Σ w 1_d, linearized with
 * z = 1_d (y − ȳ_d) / N̂_d. Over all strata this is the stratified mean
 * ȳ = Σ_h W_h ȳ_h with V = Σ_h W_h² (1 − f_h) s²_h / n_h.
 * R: svymean(~y, subset(design, shown)); svyby(~y, ~d, subset(design, shown), svymean).
 * Proportions are the mean of a 0/1 indicator.
 */
export function domainMean(frame: Frame, cells: Cells, domain: CellFilter = all): Estimate {
  const inDomain = (c: CellSums) => c.shown && domain(c);
  const m = stratumMoments(frame, cells, ['y', 'one'], inDomain);
  const [ty, tn] = totals(m);
  const mean = ty / tn;
  const v = linearizedVariance(m, [1 / tn, -mean / tn]);
  return withInterval(mean, Math.sqrt(v), count(cells, inDomain), Math.round(tn));
}

/**
 * Separate ratio estimator of the total of y with auxiliary x (DESIGN 5):
 *   R_h = Σy/Σx over s_h,  T = Σ_h X_h R_h,
 *   V = Σ_h X_h² (1 − n_h/N_h) s²_eh / (n_h x̄_h²),  e = y − R_h x.
 * R: predict(svyratio(~y, ~x, design, separate = TRUE), total = X_h).
 */
export function separateRatioTotal(frame: Frame, cells: Cells, domain: CellFilter = all): Estimate {
  const touched = new Set(cells.filter((c) => domain(c) && c.n > 0).map((c) => c.stratum));
  const m = stratumMoments(frame, cells, ['y', 'x'], domain).filter((s) => touched.has(s.stratum));
  let total = 0;
  let variance = 0;
  for (const s of m) {
    const [sy, sx] = s.sums;
    const ratio = sy / sx;
    const xbar = sx / s.n;
    const X = s.X ?? 0;
    total += X * ratio;
    // X_h R_h = X_h ȳ_h / x̄_h; per stratum the gradient on (ȳ, x̄) scaled to totals.
    variance += (X / s.N) ** 2 * variancePerStratum(s, [1 / xbar, -ratio / xbar]);
  }
  const strata = new Set(m.map((s) => s.stratum));
  return withInterval(
    total,
    Math.sqrt(variance),
    count(cells, domain),
    frame.filter((s) => strata.has(s.stratum)).reduce((a, s) => a + s.N, 0),
  );
}

function variancePerStratum(s: ReturnType<typeof stratumMoments>[number], g: number[]): number {
  return linearizedVariance([s], g);
}

/**
 * Combined ratio in a domain: R_d = Σ w y 1_d / Σ w x 1_d, T_d = X_d R_d and
 * SE(T_d) = X_d SE(R_d), with z = 1_d (y − R_d x) / X̂_d.
 * R: svyby(~y, ~d, design, svyratio, denominator = ~x); the ratio itself is `ratio`.
 */
export function domainRatio(frame: Frame, cells: Cells, domain: CellFilter): { ratio: number; se: number; n: number } {
  const m = stratumMoments(frame, cells, ['y', 'x'], domain);
  const [ty, tx] = totals(m);
  const ratio = ty / tx;
  return { ratio, se: Math.sqrt(linearizedVariance(m, [1 / tx, -ratio / tx])), n: count(cells, domain) };
}

export function domainRatioTotal(frame: Frame, cells: Cells, domain: CellFilter, X: number, N: number): Estimate {
  const r = domainRatio(frame, cells, domain);
  return withInterval(X * r.ratio, X * r.se, r.n, N);
}

export { coveredN };
