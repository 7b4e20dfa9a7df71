// Step 4 of the report: protection (README "Protection"). For each cell: the primary rules
// decide whether it is suppressed; a published cell gets cell-key noise on its
// estimate (proportional to its largest weighted contribution), an inflated
// standard error, a perturbed count, and is rounded to the
// published precision, with its interval centred on the published estimate.
// There is no secondary suppression: the noise is what keeps a suppressed cell
// from being recovered by subtracting published cells, in one view or many.
import { cellKey } from './cell-key';
import { magnitudeNoise, noiseBound, PERTURBATION, perturbCount, protectedStandardError } from './perturbation';
import { type PrecisionKind, publishedValue, roundSignificant } from './precision';
import { type CellFacts, type DisclosureParameters, type SuppressionReason, sensitivity } from './rules';

/** z of a 95% interval, as R's confint. */
const Z95 = 1.959963985;

export interface CellToProtect {
  estimate: { estimate: number; se: number; ci_low: number; ci_high: number } | null;
  n: number;
  facts: CellFacts;
  /** The largest contribution of a sensitive cell inside this one that its noise must also cover. */
  cover: number;
  /** A ratio total: the largest part of it one frame unit's auxiliary value makes, which its noise also covers. */
  frameCover?: number;
  keySum: number;
  countKeySum: number;
  /** Names what is published, so each question and option gets its own noise. */
  shift: string;
  precision: PrecisionKind;
  bounds: [number, number] | null;
  /**
   * The one-way tables this cell is (part of) a total of that hold a withheld cell:
   * its noise must keep `total − Σ published parts` away from the withheld cells in
   * every draw, whatever the parts' own noise. The whole branch is such a total;
   * so is the sum of a fully published one-way table (a margin), whose largest
   * cell carries the condition, with the table's other cells as `siblings`.
   */
  tables?: CoveredTable[];
}

/** A one-way table under a total: its cells, and what its subtraction must never come near. */
export interface CoveredTable {
  parts: CellToProtect[];
  /** Exact total minus the exact sum of all the table's cells (estimators need not add up). */
  gap: number;
  /** The other cells of a margin this cell is one of: their published errors add to its own. */
  siblings?: CellToProtect[];
  /** How far `whole − Σ published parts` must stay from the withheld cells' exact sum. */
  floor: number;
}

export interface ProtectedValues {
  estimate: number | null;
  se: number | null;
  ci_low: number | null;
  ci_high: number | null;
  n: number | null;
  n_band: string | null;
  suppressed: boolean;
  reason: SuppressionReason | null;
  perturbed: boolean;
  rounding: { estimate: number; se: number | null } | null;
}

/** The band a suppressed cell's count is shown in: "< 5", "5–9", "10–19", "20–49", "≥ 50". */
export function countBand(n: number, minCell: number): string {
  if (n < minCell) return `< ${minCell}`;
  if (n < 10) return `${minCell}–9`;
  if (n < 20) return '10–19';
  if (n < 50) return '20–49';
  return '≥ 50';
}

const clamp = (value: number, bounds: [number, number] | null) =>
  bounds ? Math.min(bounds[1], Math.max(bounds[0], value)) : value;

/** A published count: perturbed, or only its band below min_cell. */
export function protectCount(n: number, keySum: number, minCell: number): { n: number | null; n_band: string | null } {
  if (n < minCell) return { n: null, n_band: countBand(n, minCell) };
  return { n: perturbCount(cellKey(keySum, 'n'), n, minCell), n_band: null };
}

/** The exact values with the rules' verdict: what --no-protect shows. */
export function unprotected(cell: CellToProtect, params: DisclosureParameters): ProtectedValues {
  const reason = sensitivity(cell.facts, params);
  return {
    estimate: cell.estimate?.estimate ?? null,
    se: cell.estimate?.se ?? null,
    ci_low: cell.estimate?.ci_low ?? null,
    ci_high: cell.estimate?.ci_high ?? null,
    n: cell.n,
    n_band: null,
    suppressed: reason !== null,
    reason,
    perturbed: false,
    rounding: null,
  };
}

export function protectCell(cell: CellToProtect, params: DisclosureParameters): ProtectedValues {
  const primary = sensitivity(cell.facts, params);
  if (primary !== null || cell.estimate === null) {
    // No respondents looks like too few respondents: whether a small group took
    // part or answered a follow-up question is itself what must not show.
    const reason: SuppressionReason = primary === null || primary === 'no_respondents' ? 'min_n' : primary;
    return {
      estimate: null,
      se: null,
      ci_low: null,
      ci_high: null,
      n: null,
      n_band: countBand(cell.n, params.minCell),
      suppressed: true,
      reason,
      perturbed: false,
      rounding: null,
    };
  }
  const key = cellKey(cell.keySum, cell.shift);
  const bound = noiseBound(cell.facts.top[0], cell.estimate.estimate, Math.max(cell.cover, cell.frameCover ?? 0));
  const noisy = clamp(cell.estimate.estimate + magnitudeNoise(key, bound), cell.bounds);
  const { value: estimate, unit } = keptFromTables(cell, publishedValue(noisy, cell.precision), params);
  const seRaw = protectedStandardError(key, cell.estimate.se, cell.n);
  const se = seRaw === null ? null : roundSignificant(seRaw, 2);
  const half = se === null ? null : Z95 * se;
  const count = protectCount(cell.n, cell.countKeySum, params.minCell);
  return {
    estimate,
    se,
    ci_low: half === null ? null : publishedValue(clamp(estimate - half, cell.bounds), cell.precision).value,
    ci_high: half === null ? null : publishedValue(clamp(estimate + half, cell.bounds), cell.precision).value,
    n: count.n,
    n_band: count.n_band,
    suppressed: false,
    reason: null,
    perturbed: true,
    rounding: { estimate: unit, se: se === null || se === 0 ? null : 10 ** (Math.floor(Math.log10(se)) - 1) },
  };
}

/**
 * A total's published value moved, where needed, so that subtracting the published
 * cells of any of its one-way tables stays at least the table's floor away from
 * the withheld cells (cellKey's mu_c for sensitive cells, here made to hold in
 * every draw: the parts' own noise may otherwise cancel the total's). The value is
 * moved to the nearest edge on its own side, in whole rounding units, so the
 * result is still a deterministic function of the cell keys.
 */
function keptFromTables(
  cell: CellToProtect,
  published: { value: number; unit: number },
  params: DisclosureParameters,
): { value: number; unit: number } {
  if (!cell.tables?.length || cell.estimate === null) return published;
  const truth = cell.estimate.estimate;
  /** Σ of the published errors of a list of cells (withheld cells count nothing). */
  const errorOf = (list: readonly CellToProtect[]) => {
    let offset = 0;
    for (const p of list) {
      const v = protectCell(p, params);
      if (!v.suppressed && v.estimate !== null && p.estimate) offset += v.estimate - p.estimate.estimate;
    }
    return offset;
  };
  const forbidden = cell.tables.map((t) => {
    // total − Σ published parts − Σ withheld = (this cell's error) − centre, where the
    // total is this cell, or this cell and its siblings (a margin).
    return { centre: errorOf(t.parts) - errorOf(t.siblings ?? []) - t.gap, half: t.floor };
  });
  let { value, unit } = published;
  for (let i = 0; i < 4 * forbidden.length + 4; i++) {
    const error = value - truth;
    const hit = forbidden.find((f) => Math.abs(error - f.centre) < f.half);
    if (!hit) break;
    const up = error >= hit.centre;
    const edge = truth + hit.centre + (up ? hit.half : -hit.half);
    let moved = up ? Math.ceil(edge / unit) * unit : Math.floor(edge / unit) * unit;
    // A value that cannot go below its lower limit (a count, an amount ≥ 0) goes the other way.
    if (cell.bounds && (moved < cell.bounds[0] || moved > cell.bounds[1])) {
      const other = truth + hit.centre + (up ? -hit.half : hit.half);
      moved = up ? Math.floor(other / unit) * unit : Math.ceil(other / unit) * unit;
    }
    ({ value, unit } = publishedValue(moved, cell.precision));
  }
  return { value, unit };
}

/** The protection a report states about itself (README "Estimates for the whole branch"). */
export function protectionStatement(protect: boolean) {
  if (!protect)
    return { method: 'none', magnitude_noise: null, count_noise: null, se_inflation: null, rounding: null } as const;
  const m = PERTURBATION.magnitude;
  const s = PERTURBATION.standardError;
  return {
    method: 'cell-key',
    magnitude_noise: { large: m.large, small: m.small, sensitive: m.sensitive, sensitive_floor: m.sensitiveFloor },
    count_noise: {
      values: PERTURBATION.count.map(([v]) => v),
      probabilities: PERTURBATION.count.map(([, p]) => p),
    },
    se_inflation: {
      withheld_below_n: s.withheldBelowN,
      below_n: s.belowN,
      min: s.inflateMin,
      max: s.inflateMax,
      large_min: s.largeInflateMin,
      large_max: s.largeInflateMax,
    },
    rounding: {
      amounts: '3 significant digits, at least whole units',
      decimals: 'one decimal (3 significant digits from 1 000)',
      proportions: '0.1 percentage point',
      se: '2 significant digits; interval = estimate ± 1.96 × se',
    },
  } as const;
}
