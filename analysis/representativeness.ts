// Representativeness: a chi-square goodness-of-fit test of the respondents'
// distribution over the strata against the frame's (R: chisq.test(n, p = N/ΣN)),
// and the R-indicator of the response with its partial indicators (README
// "Representativeness of the response").
import { type BinomialGroup, fitLogistic } from './estimators/logistic';

/** ln Γ(x) by the Lanczos approximation (g = 7, n = 9), accurate to ~1e-15. */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized upper incomplete gamma Q(a, x) (Numerical Recipes gammq: series or continued fraction). */
export function upperGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const gln = lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let del = sum;
    for (let ap = a; Math.abs(del) > Math.abs(sum) * 1e-16; ) {
      ap += 1;
      del *= x / ap;
      sum += del;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - gln);
  }
  let b = x + 1 - a;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - gln) * h;
}

export interface ChiSquare {
  statistic: number;
  df: number;
  p: number;
}

/** Respondents n_h against frame counts N_h; strata with N_h = 0 are left out. */
export function chiSquareGoodnessOfFit(n: readonly number[], N: readonly number[]): ChiSquare | null {
  const pairs = n.map((v, i) => [v, N[i]] as const).filter(([, big]) => big > 0);
  const total = pairs.reduce((a, [v]) => a + v, 0);
  const frame = pairs.reduce((a, [, big]) => a + big, 0);
  if (pairs.length < 2 || total === 0) return null;
  const statistic = pairs.reduce((a, [v, big]) => {
    const expected = (total * big) / frame;
    return a + (v - expected) ** 2 / expected;
  }, 0);
  const df = pairs.length - 1;
  return { statistic, df, p: upperGammaQ(df / 2, statistic / 2) };
}

/** The frame variables the response propensities are modelled on. */
export const PROPENSITY_VARIABLES = ['org_type', 'province', 'size_class', 'member'] as const;

export interface PartialCategory {
  category: string;
  /** Frame units and respondents in the category. */
  N: number;
  n: number;
  /** The mean propensity of the category (its response rate: the model fits every category's count). */
  propensity: number;
  /** √(N_k / (N − 1)) (ρ̄_k − ρ̄): below 0 the category responds less than the whole. */
  partial: number;
}

export interface PartialIndicator {
  variable: string;
  /** The between-category standard deviation of the propensities. */
  partial: number;
  categories: PartialCategory[];
}

export interface RIndicator {
  /** R = 1 − 2·S(ρ̂): 1 is a response as representative as a random sample, lower is less. */
  R: number;
  /** S(ρ̂), divisor N − 1. */
  sd: number;
  /** The mean propensity (the response rate). */
  mean: number;
  N: number;
  n: number;
  partials: PartialIndicator[];
}

/**
 * The R-indicator of Schouten, Cobben & Bethlehem (2009) over the whole frame:
 * unit response propensities ρ̂ from a logistic regression of response on the
 * given variables (R: fitted(glm(response ~ …, binomial))), R = 1 − 2·S(ρ̂), and
 * the unconditional partial R-indicator of each variable and category. Groups
 * are units with identical variables (N of them, n responded). Null for a frame
 * of fewer than two units.
 */
export function rIndicator(
  groups: readonly BinomialGroup[],
  variables: readonly string[] = PROPENSITY_VARIABLES,
): RIndicator | null {
  const live = groups.filter((g) => g.N > 0);
  const N = live.reduce((a, g) => a + g.N, 0);
  const n = live.reduce((a, g) => a + g.n, 0);
  if (N < 2) return null;
  const rho = fitLogistic(live, variables);
  const mean = live.reduce((a, g, i) => a + g.N * rho[i], 0) / N;
  const between = (label: (g: BinomialGroup) => string) => {
    const cats = new Map<string, { N: number; n: number; sum: number }>();
    live.forEach((g, i) => {
      const c = cats.get(label(g)) ?? { N: 0, n: 0, sum: 0 };
      c.N += g.N;
      c.n += g.n;
      c.sum += g.N * rho[i];
      cats.set(label(g), c);
    });
    return [...cats.entries()].sort(([a], [b]) => a.localeCompare(b));
  };
  const variance = live.reduce((a, g, i) => a + g.N * (rho[i] - mean) ** 2, 0) / (N - 1);
  const sd = Math.sqrt(variance);
  const partials = variables.map((variable) => {
    const categories = between((g) => g.labels[variable]).map(([category, c]) => {
      const propensity = c.sum / c.N;
      return { category, N: c.N, n: c.n, propensity, partial: Math.sqrt(c.N / (N - 1)) * (propensity - mean) };
    });
    const partial = Math.sqrt(categories.reduce((a, c) => a + c.partial ** 2, 0));
    return { variable, partial, categories };
  });
  return { R: 1 - 2 * sd, sd, mean, N, n, partials };
}

/** A group to remind: a type in a province, its response, and what one more response there would bring. */
export interface ReminderGroup {
  org_type: string;
  province: string;
  N: number;
  n: number;
  rate: number;
  /** The rise of the R-indicator if the reminder brought in the overall response rate of the group's non-responders. */
  gainR: number;
  /** The relative narrowing of the key figures' variance (equal spread per stratum assumed). */
  gainPrecision: number;
  /** Both gains as shares of the largest, summed: the ranking. */
  score: number;
}

/**
 * Which groups (type × province) to remind first: ranked by how much a reminder
 * to each would raise the R-indicator and narrow the intervals of the key
 * figures, counting on it to bring in as large a share of the group's
 * non-responders as have responded overall so far (so a large group of
 * non-responders weighs more than a small one). The precision gain assumes the same spread of answers in every
 * stratum, so it is Σ_h W_h² (1/n_h − 1/N_h), the variance of a stratified
 * mean in units of that spread; a stratum without any response gains most.
 * Groups are units with identical variables; `stratum` names each one's
 * design stratum.
 */
export function reminderPriorities(
  groups: readonly (BinomialGroup & { stratum: string })[],
  variables: readonly string[] = PROPENSITY_VARIABLES,
): ReminderGroup[] {
  const live = groups.filter((g) => g.N > 0);
  const base = rIndicator(live, variables);
  if (!base) return [];
  const rho = fitLogistic(live, variables);
  const N = live.reduce((a, g) => a + g.N, 0);
  const strata = new Map<string, { N: number; n: number }>();
  for (const g of live) {
    const s = strata.get(g.stratum) ?? { N: 0, n: 0 };
    s.N += g.N;
    s.n += g.n;
    strata.set(g.stratum, s);
  }
  const variance = (extra: ReadonlyMap<string, number>) => {
    let v = 0;
    for (const [h, s] of strata) {
      const n = s.n + (extra.get(h) ?? 0);
      if (n <= 0) return Number.POSITIVE_INFINITY;
      v += (s.N / N) ** 2 * (1 / n - 1 / s.N);
    }
    return v;
  };
  const v0 = variance(new Map());
  const cells = new Map<string, (BinomialGroup & { stratum: string })[]>();
  for (const g of live) {
    const key = JSON.stringify([g.labels.org_type, g.labels.province]);
    cells.set(key, [...(cells.get(key) ?? []), g]);
  }
  const out: Omit<ReminderGroup, 'score'>[] = [];
  for (const [key, members] of cells) {
    const missing = members.reduce((a, g) => a + g.N - g.n, 0);
    if (missing <= 0) continue;
    // The reminder's yield: the overall response rate of the group's non-responders, at least one.
    const gained = Math.max(1, missing * base.mean);
    const share = (g: BinomialGroup) => (gained * (g.N - g.n)) / missing;
    const next = live.map((g) => (members.includes(g as never) ? { ...g, n: g.n + share(g) } : g));
    const after = rIndicatorFrom(next, variables, rho);
    const extra = new Map<string, number>();
    for (const g of members) extra.set(g.stratum, (extra.get(g.stratum) ?? 0) + share(g));
    const v1 = variance(extra);
    const [org_type, province] = JSON.parse(key) as [string, string];
    const Nc = members.reduce((a, g) => a + g.N, 0);
    const nc = members.reduce((a, g) => a + g.n, 0);
    out.push({
      org_type,
      province,
      N: Nc,
      n: nc,
      rate: nc / Nc,
      gainR: after - base.R,
      gainPrecision: Number.isFinite(v0) ? (v0 - v1) / v0 : Number.isFinite(v1) ? 1 : 0,
    });
  }
  const maxR = Math.max(1e-12, ...out.map((g) => g.gainR));
  const maxP = Math.max(1e-12, ...out.map((g) => g.gainPrecision));
  return out
    .map((g) => ({ ...g, score: g.gainR / maxR + g.gainPrecision / maxP }))
    .sort((a, b) => b.score - a.score || a.rate - b.rate || a.org_type.localeCompare(b.org_type));
}

/** R = 1 − 2·S(ρ̂) of groups, the fit started from nearby propensities. */
function rIndicatorFrom(
  groups: readonly BinomialGroup[],
  variables: readonly string[],
  start: readonly number[],
): number {
  const rho = fitLogistic(groups, variables, start);
  const N = groups.reduce((a, g) => a + g.N, 0);
  const mean = groups.reduce((a, g, i) => a + g.N * rho[i], 0) / N;
  const variance = groups.reduce((a, g, i) => a + g.N * (rho[i] - mean) ** 2, 0) / (N - 1);
  return 1 - 2 * Math.sqrt(variance);
}
