// What the branch-in-figures page shows: one table for the whole branch and one per
// breakdown, amounts in the report style, "–" where a figure is withheld.
import {
  BRANCH_DIMENSIONS,
  BRANCH_MEASURES,
  type BranchFigures,
  type BranchMeasure,
} from '../analysis/branch/branch-figures';
import { formatAmount, formatNumber } from '../foundation/numbers/format-dutch';
import { type Locale, t } from '../views/i18n/index';

const MONEY: BranchMeasure[] = ['turnover_eur', 'subsidy_eur'];

export interface BranchTable {
  caption: string;
  columns: string[];
  rows: { header: string; cells: string[]; changes: string[]; suppressed: boolean }[];
}

/** A value as the page shows it: amounts in the report style, "–" where withheld. */
export function shownBranchValue(m: BranchMeasure, value: number | null, locale: Locale): string {
  if (value === null) return '–';
  return MONEY.includes(m) ? formatAmount(value, locale) : formatNumber(value, locale, m === 'fte' ? 1 : 0);
}

/** The page's tables: the whole branch first, then one per breakdown. */
export function branchTables(figures: BranchFigures, locale: Locale): BranchTable[] {
  const dimensions = [null, ...BRANCH_DIMENSIONS];
  return dimensions.map((d) => ({
    caption:
      d === null
        ? t(locale, 'report.whole_branch')
        : t(locale, 'report.table.per', { dimension: t(locale, `reports.var.${d}`) }),
    columns: [
      t(locale, 'report.col.domain'),
      t(locale, 'branch.col.organisations'),
      t(locale, 'branch.col.members'),
      ...BRANCH_MEASURES.map((m) => t(locale, `branch.measure.${m}`)),
    ],
    rows: figures.cells
      .filter((c) => c.dimension === d)
      .map((c) => ({
        header: c.domain === '*' ? t(locale, 'report.whole_branch') : c.domain,
        cells: [
          formatNumber(c.organisations, locale),
          formatNumber(c.members, locale),
          ...BRANCH_MEASURES.map((m) => shownBranchValue(m, c.values[m].estimate, locale)),
        ],
        changes: BRANCH_MEASURES.map((m) => {
          const change = c.values[m].change;
          if (change === null) return '–';
          const sign = change > 0 ? '+' : change < 0 ? '−' : '';
          return `${sign}${shownBranchValue(m, Math.abs(change), locale)}`;
        }),
        suppressed: BRANCH_MEASURES.some((m) => c.values[m].suppressed),
      })),
  }));
}
