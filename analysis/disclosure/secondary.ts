// Secondary suppression (DESIGN 6): in every published one-dimensional table (the
// domain cells of one estimate plus its total), when exactly one cell is
// primarily suppressed, the remaining cell with the fewest respondents is
// suppressed too, so no suppressed value can be recovered by subtraction.
import type { SuppressionReason } from './rules';

export interface TableCell {
  /** Cells with the same table id form one table. */
  table: string;
  n: number;
  reason: SuppressionReason | null;
}

export function applySecondarySuppression<T extends TableCell>(cells: T[]): T[] {
  const tables = new Map<string, T[]>();
  for (const c of cells) tables.set(c.table, [...(tables.get(c.table) ?? []), c]);
  for (const table of tables.values()) {
    const suppressed = table.filter((c) => c.reason !== null);
    // A cell without respondents holds no value to recover, so it does not count.
    const revealing = suppressed.filter((c) => c.reason !== 'no_respondents');
    if (revealing.length !== 1) continue;
    const candidates = table.filter((c) => c.reason === null).sort((a, b) => a.n - b.n);
    if (candidates[0]) candidates[0].reason = 'secondary';
  }
  return cells;
}
