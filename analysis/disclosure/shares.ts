// Shares of one single-choice question that add up to 100 % (README "Protection").
// Each option's share is protected on its own (cell-key noise, 0,1 percentage point),
// so the published shares of one question can add up to 99,6 % or 100,4 %. A reader
// adds them up; this step scales them to their sum and rounds by largest remainder,
// so that the shown shares of a question add up to exactly 100,0 % in every view
// and export. It uses only the protected values (a function of what is published
// anyway), so it protects as much as they do. Where an option is withheld ("–"),
// the shares are left as they are: the others cannot add up to 100 %, and filling
// the gap would give the withheld share away.
import type { ReportEstimate } from '../report/report-model';

/**
 * Values scaled to add up to `units` whole steps, rounded by largest remainder
 * (Hamilton's method): each gets its floor, the remaining steps go to the largest
 * remainders (the earlier one on a tie).
 *
 *   largestRemainder([0.157, 0.32, 0.376, 0.143], 1000); // [0.158, 0.321, 0.377, 0.144]
 */
export function largestRemainder(values: readonly number[], units: number): number[] {
  const total = values.reduce((a, v) => a + v, 0);
  if (!(total > 0)) return [...values];
  const scaled = values.map((v) => (v / total) * units);
  const floors = scaled.map((s) => Math.floor(s + 1e-9));
  let left = units - floors.reduce((a, f) => a + f, 0);
  const order = scaled.map((s, i) => ({ i, rest: s - floors[i]! })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return floors.map((f) => Number((f / units).toFixed(6)));
}

/**
 * The protected proportions of the single-choice questions given, per cell
 * (question × breakdown cell), made to add up to 1 at the published 0,1
 * percentage point. A cell with a withheld option is left as it is.
 */
export function sharesAddUp(estimates: readonly ReportEstimate[], singleChoice: ReadonlySet<string>): ReportEstimate[] {
  const groups = new Map<string, number[]>();
  estimates.forEach((e, i) => {
    if (e.statistic !== 'proportion' || !singleChoice.has(e.question)) return;
    const key = `${e.question}|${e.dimension ?? ''}|${e.domain}`;
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  });
  const out = [...estimates];
  for (const indices of groups.values()) {
    const values = indices.map((i) => estimates[i]!.estimate);
    if (values.some((v) => v === null)) continue;
    const shares = largestRemainder(values as number[], 1000);
    indices.forEach((i, k) => {
      out[i] = { ...estimates[i]!, estimate: shares[k]! };
    });
  }
  return out;
}

/** Whether the shown shares of a single-choice cell are incomplete: an option withheld. */
export function sharesIncomplete(estimates: readonly Pick<ReportEstimate, 'estimate'>[]): boolean {
  return estimates.some((e) => e.estimate === null) && estimates.some((e) => e.estimate !== null);
}
