// The report model (README "Estimates for the whole branch") and its options: what every page, export and
// publication renders. Built by report.ts as a pipeline of named steps.

import { compareSizeClasses } from '../../register/frame-columns';
import type { DisclosureParameters, SuppressionReason } from '../disclosure/rules';
import type { ChiSquare, RIndicator } from '../representativeness';

/** The frame variables a report can break down or weight by. */
export const REPORT_VARIABLES = ['org_type', 'province', 'size_class', 'member'] as const;
export type ReportVariable = (typeof REPORT_VARIABLES)[number];

/** The order of a variable's labels in tables: size classes small to large, the rest alphabetically. */
export function compareLabels(v: ReportVariable | null, a: string, b: string): number {
  if (v === 'size_class') return compareSizeClasses(a, b);
  return a.localeCompare(b, 'nl');
}

export class ReportError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    readonly usage = false,
  ) {
    super(code);
    this.name = 'ReportError';
  }
}

export interface ReportOptions {
  wave: string;
  /** The breakdown: one frame variable whose cells the report shows (default: the wave's first weighting variable). */
  stratify?: ReportVariable[];
  by?: ReportVariable | null;
  questions?: string[] | null;
  /** false only in the CLI (--no-protect): exact values, suppressed ones shown with their flag. */
  protect?: boolean;
  disclosure?: Partial<DisclosureParameters>;
  /** Include the earlier waves: previous values and the trend (off when building those earlier reports). */
  withPrevious?: boolean;
  /** Every cell of the universe, not only the view's (an earlier wave's model, cached once for every view). */
  allCells?: boolean;
}

/** How many waves a trend shows at most, this one included. */
export const MAX_TREND_WAVES = 8;
/**
 * A breakdown has one variable (and `--by` one other, as a second table): every
 * published cell is then the whole branch or one value of one variable. Cross
 * tables would publish linked tables whose differences isolate small groups of
 * large organisations, which no noise that leaves the branch total intact can hide.
 */
export const MAX_BREAKDOWN_VARIABLES = 1;
/** A weighting design has at most two variables (e.g. type × size class). */
export const MAX_WEIGHTING_VARIABLES = 2;

export type Statistic = 'total' | 'mean' | 'proportion';

export interface ReportEstimate {
  question: string;
  statistic: Statistic;
  method: 'ratio' | 'expansion' | 'stratified' | 'calibrated';
  auxiliary: string | null;
  category: string | null;
  dimension: string | null;
  domain: string;
  estimate: number | null;
  se: number | null;
  ci_low: number | null;
  ci_high: number | null;
  /** Contributing respondents: perturbed in protected output, null when the cell is suppressed. */
  n: number | null;
  /** For a suppressed cell in protected output, the band its respondents fall in ("< 5", "5–9", …). */
  n_band: string | null;
  N: number;
  suppressed: boolean;
  reason: SuppressionReason | null;
  previous: number | null;
  change: number | null;
  /** Whether estimate, se, interval and n carry cell-key noise (protected output). */
  perturbed: boolean;
  /** The rounding units of the published estimate and standard error; null when exact (--no-protect). */
  rounding: { estimate: number; se: number | null } | null;
}

/** A whole-branch estimate in one wave; null values where it was suppressed or not asked. */
export interface TrendPoint {
  estimate: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

/** Trends across waves: the whole-branch estimates of this report in every wave of the questionnaire up to this one. */
export interface ReportTrend {
  /** Oldest first; the last is this wave. */
  waves: { slug: string; name: string; period?: { start: string; end: string } | null }[];
  series: { question: string; statistic: Statistic; category: string | null; points: TrendPoint[] }[];
}

export interface ResponseRow {
  stratum: string;
  N: number;
  /** Perturbed in protected output; null where fewer than min_cell responded (then see n_band). */
  n: number | null;
  n_band: string | null;
  rate: number | null;
}

/** How the published numbers are protected (README "Protection"); method 'none' for --no-protect. */
export interface ReportProtection {
  method: 'cell-key' | 'none';
  /**
   * Noise on magnitudes: uniform within ±B, B = max((large + (small − large) · s) · c1, sensitive · cover),
   * c1 the largest weighted contribution, s its share of the estimate (see README).
   */
  magnitude_noise: { large: number; small: number; sensitive: number; sensitive_floor: number } | null;
  /** Integer noise on counts and its probabilities. */
  count_noise: { values: number[]; probabilities: number[] } | null;
  /** No SE below `withheld_below_n` respondents; below `below_n` it is inflated by a factor in [1 + min, 1 + max]. */
  se_inflation: {
    withheld_below_n: number;
    below_n: number;
    min: number;
    max: number;
    large_min: number;
    large_max: number;
  } | null;
  rounding: { amounts: string; decimals: string; proportions: string; se: string } | null;
}

/**
 * The R-indicator as a report publishes it. Protected, its values are rounded to
 * two decimals and the per-category indicators are left out: they would give
 * each category's exact response rate.
 */
export interface ReportRIndicator {
  R: number;
  sd: number;
  partials: { variable: string; partial: number; categories?: RIndicator['partials'][number]['categories'] }[];
  rounded: boolean;
}

export type ReportRepresentativeness = (ChiSquare | { statistic: null; df: null; p: null }) & {
  r_indicator: ReportRIndicator | null;
};

/** An earlier wave shown as released, and why (the revision audit's problems, for the Dutch text). */
export interface RevisionHeld {
  wave: string;
  name: string;
  publication: string;
  version: number;
  problems: { key: string; params: Record<string, string | number> }[];
}

export interface ReportModel {
  /** `period`: the reference period its questions ask about (YYYY-MM-DD), when the wave has one. */
  wave: {
    slug: string;
    name: string;
    period?: { start: string; end: string } | null;
    /** The wave was still open: the figures are provisional. */
    provisional?: boolean;
  };
  survey: { key: string; version: number };
  frame: { year: number; N: number };
  design: {
    stratify: string[];
    by: string | null;
    /** The wave's weighting design: every cell is a domain of it. */
    weighting: string[];
    /** A calibrated wave's calibration variables and method (absent when not calibrated). */
    calibration?: { variables: string[]; method: 'linear' | 'raking' };
    confidence: number;
    min_cell: number;
    dominance: { n: number; k: number; p: number };
  };
  protection: ReportProtection;
  /** The branch in figures of the frame year (protected): the context of every survey report. */
  branch?: { organisations: number; students: number | null; turnover_eur: number | null } | null;
  /** All submitted respondents in the frame, protected like any count. */
  respondents: { n: number | null; n_band: string | null };
  response: ResponseRow[];
  /** The chi-square test over the design strata (null fields when it cannot be made) and the R-indicator. */
  representativeness: ReportRepresentativeness | null;
  /** `period` as in `wave` (reports from before it was kept lack it). */
  previous_wave: { slug: string; name: string; period?: { start: string; end: string } | null } | null;
  /** Null when there is no earlier wave. */
  trend: ReportTrend | null;
  /**
   * Earlier waves shown in previous, change and trend as their latest publication
   * released them, not recomputed: their answers changed since in a way that would
   * single out one organisation (issue 22.3). Absent in reports from before.
   */
  revisions_held?: RevisionHeld[];
  warnings: string[];
  estimates: ReportEstimate[];
}

export function parseVariables(text: string | undefined, fallback: ReportVariable[]): ReportVariable[] {
  if (!text) return fallback;
  const vars = text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const v of vars)
    if (!(REPORT_VARIABLES as readonly string[]).includes(v))
      throw new ReportError('report.unknown_variable', { value: v, allowed: REPORT_VARIABLES.join(', ') }, true);
  if (new Set(vars).size !== vars.length || vars.length === 0)
    throw new ReportError('report.unknown_variable', { value: text, allowed: REPORT_VARIABLES.join(', ') }, true);
  return vars as ReportVariable[];
}
