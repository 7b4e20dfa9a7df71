// Published precision (README "Protection"): numbers leave the tool rounded to what the
// data can carry, so that no exact sum or sum of squares of a small cell can be
// rebuilt from them.
//   * amounts, and totals of counts: 3 significant digits, at least whole units;
//   * means of counts and numbers, percentages: one decimal (3 significant digits
//     above 1 000);
//   * proportions: 0,1 percentage point;
//   * standard errors: 2 significant digits; interval bounds are the published
//     estimate ± z · the published standard error, at the estimate's precision.

export type PrecisionKind = 'amount' | 'decimal' | 'proportion';

/** The rounding unit of a value: 10^k. */
export function roundingUnit(value: number, kind: PrecisionKind): number {
  if (kind === 'proportion') return 0.001;
  const magnitude = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
  const significant = 10 ** (magnitude - 2);
  return kind === 'amount' ? Math.max(1, significant) : Math.max(0.1, significant);
}

/** Round to a unit 10^k without binary noise in the result (0.1 · 3 = 0.30000000000000004). */
export function roundToUnit(value: number, unit: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(unit) + 1e-9));
  const rounded = Math.round(value / unit) * unit;
  return Number(rounded.toFixed(decimals));
}

export function roundSignificant(value: number, digits: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  return roundToUnit(value, 10 ** (magnitude - digits + 1));
}

export function publishedValue(value: number, kind: PrecisionKind): { value: number; unit: number } {
  const unit = roundingUnit(value, kind);
  return { value: roundToUnit(value, unit), unit };
}
