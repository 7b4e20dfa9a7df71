// The noise of the cell-key method (README "Protection"), all parameters in one place.
//
// Magnitudes (totals and means of amounts, counts, numbers and percentages, and
// proportions as the mean of a 0/1 indicator) get additive noise from the cell
// key between −B and +B, where the bound B scales with the cell's
// largest weighted contribution c1 (the cellKey package's "top_contr" method
// with top_k = 1) and a percentage that falls with c1's share s = c1 / |estimate|
// (cellKey's flex function, here on the share rather than the absolute size):
//     B = max(m(s) · c1, sensitive · cover),   m(s) = large + (small − large) · s.
// The noise is the mean of three uniform draws (standard deviation B / 3), not a
// single uniform one: an intruder who intersects the intervals ±B of many
// published cells learns little, because noise near the bound is rare (with
// uniform noise such intersections shrink like 1/k with k cells). A cell of many
// similar contributions (the branch total, s ≈ 5 %) gets about 0,3 %; a cell one
// organisation dominates, about a third of that organisation's contribution. `cover` is the largest contribution of a
// sensitive cell the published cell contains and could be subtracted down to
// (for the whole branch: each suppressed cell of every one-way table), so that
// subtracting published cells never pins a suppressed one (cellKey's mu_c idea).
// And in every draw, not only on average: where the whole minus a one-way table's
// published parts would come within `sensitiveFloor · cover` of its withheld
// cells (the parts' noise can cancel the whole's), the whole is moved out to that
// distance (cellKey's parameter mu_c for sensitive cells, made to hold for the
// subtraction itself; protect.ts).
// Counts (respondents n) get integer noise from a perturbation table (ptable).
// Standard errors of every cell are inflated by a factor from the cell key, never
// shrunk (the variance perturbation of ABS/ONS): their interval is always at least
// as wide as the true one, and no cell's sum of squares can be rebuilt from it —
// nor, since the key changes with a corrected answer, from the standard errors of
// two versions of a publication. Small cells get a larger factor; the smallest
// publish none.
import { subKey } from './cell-key';

export const PERTURBATION = {
  magnitude: {
    /** m(s) for a cell of many small contributions (s → 0)… */
    large: 0.17,
    /** …rising to this for a cell of one contribution (s = 1). */
    small: 1.04,
    /** The share of a contained sensitive cell's contribution the noise must cover. */
    sensitive: 0.43,
    /** Whole − Σ published parts stays at least this share of a withheld cell's contribution from it, in every draw. */
    sensitiveFloor: 0.25,
  },
  /**
   * Cells with fewer than `withheldBelowN` respondents publish no standard error or
   * interval at all (their sum of squares would bound the largest answer); cells
   * with fewer than `belowN` get one inflated by 15–60 %, all others by 2–20 %.
   */
  standardError: {
    withheldBelowN: 10,
    belowN: 20,
    inflateMin: 0.15,
    inflateMax: 0.6,
    largeInflateMin: 0.02,
    largeInflateMax: 0.2,
  },
  /** Perturbation table for counts: value → probability (mean 0, variance 0.9). */
  count: [
    [-2, 0.1],
    [-1, 0.2],
    [0, 0.4],
    [1, 0.2],
    [2, 0.1],
  ] as const,
} as const;

export type PerturbationParameters = typeof PERTURBATION;

/** The bound B of the noise of a magnitude (see the top of this file). */
export function noiseBound(c1: number, estimate: number, cover = 0, p = PERTURBATION.magnitude): number {
  const largest = Math.abs(c1);
  const share = largest === 0 ? 0 : Math.min(1, largest / Math.max(Math.abs(estimate), largest));
  return Math.max((p.large + (p.small - p.large) * share) * largest, p.sensitive * Math.abs(cover));
}

/** The noise of a cell: within ±bound, the mean of three uniform draws, the same for the same cell key. */
export function magnitudeNoise(key: number, bound: number): number {
  const v = (subKey(key, 1) + subKey(key, 5) + subKey(key, 6)) / 3;
  return bound * (2 * v - 1);
}

/** How far the whole minus a table's published parts must stay from a withheld cell of contribution `cover`. */
export function noiseFloor(cover: number, p = PERTURBATION.magnitude): number {
  return p.sensitiveFloor * Math.abs(cover);
}

/** The standard deviation of the noise relative to its bound (three uniform draws on [−1, 1], averaged). */
export const NOISE_SD_OF_BOUND = 1 / 3;

/** A count perturbed by the ptable; never below `floor` when the true count reaches it. */
export function perturbCount(key: number, n: number, floor: number, table = PERTURBATION.count): number {
  if (n === 0) return 0;
  const u = subKey(key, 3);
  let cumulative = 0;
  let v = 0;
  for (const [value, probability] of table) {
    cumulative += probability;
    if (u < cumulative) {
      v = value;
      break;
    }
  }
  const perturbed = n + v;
  return n >= floor ? Math.max(floor, perturbed) : Math.max(1, perturbed);
}

/** The factor range a published standard error was inflated by, for a cell of n respondents. */
export function standardErrorInflation(n: number, p = PERTURBATION.standardError): [number, number] {
  return n >= p.belowN ? [p.largeInflateMin, p.largeInflateMax] : [p.inflateMin, p.inflateMax];
}

/** The standard error as published before rounding: none for very small cells, inflated by a keyed factor, never shrunk. */
export function protectedStandardError(
  key: number,
  se: number,
  n: number,
  p = PERTURBATION.standardError,
): number | null {
  if (n < p.withheldBelowN) return null;
  const [low, high] = standardErrorInflation(n, p);
  return se * (1 + low + (high - low) * subKey(key, 4));
}
