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
  suppressInTables([...tables.values()]);
  return cells;
}

/**
 * The same over tables given as lists of cells; a cell may be in several tables
 * (the total of an estimate is in its stratum table and its domain table), so we
 * repeat until no table changes.
 */
export function suppressInTables<T extends Omit<TableCell, 'table'>>(tables: T[][]): void {
  for (let changed = true, rounds = 0; changed && rounds < 20; rounds++) {
    changed = false;
    for (const table of tables) {
      // A cell without respondents holds no value to recover, so it does not count.
      const revealing = table.filter((c) => c.reason !== null && c.reason !== 'no_respondents');
      if (revealing.length !== 1) continue;
      const candidates = table.filter((c) => c.reason === null).sort((a, b) => a.n - b.n);
      if (candidates[0]) {
        candidates[0].reason = 'secondary';
        changed = true;
      }
    }
  }
}
