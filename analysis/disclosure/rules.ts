// Primary disclosure rules of README "Protection", as pure functions over the contributing
// respondents of one cell.
//  * minimum frequency: fewer than min_cell respondents → 'min_n'
//    (tau-ARGUS FREQ / sdcTable maxN; we use 5, statistics offices use 3);
//  * (n,k) dominance: the n largest contributions exceed k of the total → 'dominance'
//    (sdcTable and INSEE default n = 2, k = 0.85);
//  * p% rule: the total minus the two largest is less than p of the largest, so the
//    second largest could estimate the largest within p → 'dominance' (ONS p = 0.10);
//  * group disclosure: every respondent gave the same non-zero amount, or a
//    proportion of 0 % or 100 % among fewer than 2 · min_cell respondents (five
//    named schools all answering "large risk of closure") → 'uniform'.
// For estimates of a survey the contributions are weighted (τ-ARGUS "apply
// weights"): a respondent's share of a published total is its weight times its answer.

export interface DisclosureParameters {
  minCell: number;
  dominanceN: number;
  dominanceK: number;
  p: number;
}

export const DEFAULT_DISCLOSURE: DisclosureParameters = { minCell: 5, dominanceN: 2, dominanceK: 0.85, p: 0.1 };

/** 'secondary' appears only in reports published before cell-key protection (kept readable). */
export type SuppressionReason = 'min_n' | 'dominance' | 'uniform' | 'secondary' | 'no_respondents';

export class DisclosureParameterError extends Error {
  constructor(readonly parameter: keyof DisclosureParameters) {
    super(`disclosure parameter ${parameter} differs from the public one`);
    this.name = 'DisclosureParameterError';
  }
}

/**
 * Output that leaves the tool uses the one public parameter set. Not looser, and
 * not stricter either: two reports of one wave under different parameters would
 * give the same cell two noise bounds with one draw — two equations in its true
 * value (review 2, E6). Only --no-protect may name other parameters.
 */
export function publicParameters(requested: Partial<DisclosureParameters> = {}): DisclosureParameters {
  for (const [name, value] of Object.entries(requested) as [keyof DisclosureParameters, number | undefined][])
    if (value !== undefined && value !== DEFAULT_DISCLOSURE[name]) throw new DisclosureParameterError(name);
  return { ...DEFAULT_DISCLOSURE };
}

/** (n,k) rule on non-negative contributions: the n largest exceed k·total. */
export function dominanceNK(values: readonly number[], n: number, k: number): boolean {
  const abs = values.map(Math.abs).sort((a, b) => b - a);
  const total = abs.reduce((s, v) => s + v, 0);
  if (total === 0) return false;
  const top = abs.slice(0, n).reduce((s, v) => s + v, 0);
  return top > k * total;
}

/** p% rule: total − x1 − x2 < p·x1. */
export function pPercent(values: readonly number[], p: number): boolean {
  const abs = values.map(Math.abs).sort((a, b) => b - a);
  const total = abs.reduce((s, v) => s + v, 0);
  if (abs.length === 0 || abs[0] === 0) return false;
  return total - abs[0] - (abs[1] ?? 0) < p * abs[0];
}

/**
 * The primary reason to suppress a cell, or null. `values` are the respondents'
 * contributions for magnitude statistics (currency, integer, number); pass null
 * for proportions and percentages, where only the frequency rule applies.
 */
export function primarySuppression(
  count: number,
  values: readonly number[] | null,
  params: DisclosureParameters = DEFAULT_DISCLOSURE,
): SuppressionReason | null {
  if (count === 0) return 'no_respondents';
  if (count < params.minCell) return 'min_n';
  if (values && (dominanceNK(values, params.dominanceN, params.dominanceK) || pPercent(values, params.p)))
    return 'dominance';
  return null;
}

/**
 * The same decision from the two largest contributions and the cell total, as the
 * database gives them (no need to fetch every value).
 */
export function primarySuppressionFromTop(
  count: number,
  top: readonly number[] | null,
  total: number,
  params: DisclosureParameters = DEFAULT_DISCLOSURE,
): SuppressionReason | null {
  if (count === 0) return 'no_respondents';
  if (count < params.minCell) return 'min_n';
  if (!top) return null;
  const [x1 = 0, x2 = 0] = [...top].map(Math.abs).sort((a, b) => b - a);
  const abs = Math.abs(total);
  if (abs > 0 && x1 + x2 > params.dominanceK * abs) return 'dominance';
  if (x1 > 0 && abs - x1 - x2 < params.p * x1) return 'dominance';
  return null;
}

/** What the rules need to know of one cell. */
export interface CellFacts {
  /** Contributing respondents. */
  n: number;
  kind: 'magnitude' | 'percentage' | 'proportion';
  /** The two largest weighted absolute contributions (magnitudes). */
  top: readonly [number, number];
  /** The weighted total the contributions add up to (absolute). */
  total: number;
  /** Every respondent gave the same value (a proportion of 0 or 1 counts as that too). */
  uniform: boolean;
  /** The common value when uniform (0 is harmless for magnitudes). */
  uniformValue: number;
}

/** The primary reason to suppress a cell of a report, or null. */
export function sensitivity(
  cell: CellFacts,
  params: DisclosureParameters = DEFAULT_DISCLOSURE,
): SuppressionReason | null {
  if (cell.n === 0) return 'no_respondents';
  if (cell.n < params.minCell) return 'min_n';
  if (cell.kind === 'proportion') return cell.uniform && cell.n < 2 * params.minCell ? 'uniform' : null;
  if (cell.uniform && cell.uniformValue !== 0) return 'uniform';
  if (cell.kind === 'percentage') return null;
  return primarySuppressionFromTop(cell.n, cell.top, cell.total, params);
}
