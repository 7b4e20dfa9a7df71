// Logistic regression of a 0/1 outcome on categorical variables, fitted by
// iteratively reweighted least squares on groups of identical units (n of N
// units with the outcome), as R's glm(y ~ a + b + …, family = binomial): the
// same maximum-likelihood fit, so the same fitted probabilities.
import { choleskySolve, independentColumns, selectColumns, weightedCrossProduct } from './matrix';

export interface BinomialGroup {
  /** The group's category of each variable. */
  labels: Readonly<Record<string, string>>;
  /** Units in the group and how many of them have the outcome. */
  N: number;
  n: number;
}

/**
 * Treatment (dummy) coding: an intercept and, per variable, one column for
 * each category but the first (sorted). A variable with one category adds none.
 */
export function dummyRows(
  labels: readonly Readonly<Record<string, string>>[],
  variables: readonly string[],
): { rows: number[][]; columns: string[] } {
  const levels = variables.map((v) => [...new Set(labels.map((l) => l[v]))].sort());
  const columns = ['(intercept)', ...variables.flatMap((v, i) => levels[i].slice(1).map((c) => `${v}=${c}`))];
  const rows = labels.map((l) => [
    1,
    ...variables.flatMap((v, i) => levels[i].slice(1).map((c) => (l[v] === c ? 1 : 0))),
  ]);
  return { rows, columns };
}

const ETA_LIMIT = 30; // as R's binomial()$linkinv, which keeps μ inside (ε, 1 − ε)
const expit = (eta: number) => 1 / (1 + Math.exp(-Math.max(-ETA_LIMIT, Math.min(ETA_LIMIT, eta))));

function deviance(groups: readonly BinomialGroup[], mu: readonly number[]): number {
  let d = 0;
  groups.forEach((g, i) => {
    const m = g.n;
    const f = g.N - g.n;
    if (m > 0) d += 2 * m * Math.log(m / (g.N * mu[i]));
    if (f > 0) d += 2 * f * Math.log(f / (g.N * (1 - mu[i])));
  });
  return d;
}

/**
 * Fitted probabilities per group. Converges as glm does (relative change of the
 * deviance), only tighter; categories where everyone or no one has the outcome
 * drift towards 1 or 0 as in R, which then warns of fitted probabilities 0 or 1.
 */
export function fitLogistic(
  groups: readonly BinomialGroup[],
  variables: readonly string[],
  /** Fitted probabilities to start from (a nearby fit converges in a few steps). */
  start?: readonly number[],
): number[] {
  const live = groups.filter((g) => g.N > 0);
  if (live.length === 0) return groups.map(() => Number.NaN);
  const design = dummyRows(
    live.map((g) => g.labels),
    variables,
  );
  // Aliased columns (a category that repeats others) are left out, as glm gives them NA.
  const kept = independentColumns(
    weightedCrossProduct(
      design.rows,
      live.map((g) => g.N),
      design.columns.length,
    ),
  );
  const x = selectColumns(design.rows, kept);
  const p = kept.length;
  // Start as binomial()$initialize: μ = (n + 0.5) / (N + 1).
  const startAt = start ? new Map(groups.map((g, i) => [g, start[i]])) : null;
  let mu = live.map((g) => {
    const s = startAt?.get(g);
    return s !== undefined && s > 1e-6 && s < 1 - 1e-6 ? s : (g.n + 0.5) / (g.N + 1);
  });
  let eta = mu.map((m) => Math.log(m / (1 - m)));
  let dev = deviance(live, mu);
  for (let iteration = 0; iteration < 100; iteration++) {
    const w = mu.map((m, i) => live[i].N * m * (1 - m));
    const z = eta.map((e, i) => e + (live[i].n / live[i].N - mu[i]) / (mu[i] * (1 - mu[i])));
    const a = weightedCrossProduct(x, w, p);
    const b = new Array<number>(p).fill(0);
    x.forEach((row, i) => {
      for (let j = 0; j < p; j++) b[j] += row[j] * w[i] * z[i];
    });
    const beta = choleskySolve(a, b);
    if (!beta) break;
    eta = x.map((row) => row.reduce((s, v, j) => s + v * beta[j], 0));
    mu = eta.map(expit);
    const next = deviance(live, mu);
    const converged = Math.abs(next - dev) / (Math.abs(next) + 0.1) < 1e-12;
    dev = next;
    if (converged) break;
  }
  const byGroup = new Map(live.map((g, i) => [g, mu[i]]));
  return groups.map((g) => byGroup.get(g) ?? Number.NaN);
}
