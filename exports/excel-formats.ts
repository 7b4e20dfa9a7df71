// Excel number formats for published report figures, shared by the readable table
// and the analysts' workbook. The cell holds the published (protected, rounded)
// number itself, so a spreadsheet computes with it; the format only shows it the
// way the report page does: euros with the euro sign (`[$€-413]`, the Dutch euro),
// shares as percentages, thousands grouped. Excel writes the group and decimal
// separators of the reader's own settings: "€ 6.630.000" and "45,5%" in a Dutch
// Excel.
import type { ReportEstimate } from '../analysis/report/report-model';

const EURO = '[$€-413] #,##0';

export const NUMBER_FORMATS = {
  euro: `${EURO};-${EURO}`,
  euroChange: `+${EURO};-${EURO};${EURO}`,
  proportion: '0.0%',
  /** A share's change on the 0–1 scale (the analysts' workbook keeps the JSON's value). */
  proportionChange: '+0.0%;-0.0%;0.0%',
  /** A percentage question's value on its 0–100 scale: the % is a literal, not a factor 100. */
  percentage: '0.0"%"',
  points: '+0.0" procentpunt";-0.0" procentpunt";0.0" procentpunt"',
  pointsEn: '+0.0" percentage points";-0.0" percentage points";0.0" percentage points"',
  count: '#,##0',
  countChange: '+#,##0;-#,##0;0',
  decimal: '#,##0.0',
  decimalChange: '+#,##0.0;-#,##0.0;0.0',
} as const;

type Kind = { type: string };
type Stat = Pick<ReportEstimate, 'statistic'>;

/** The format of a value (estimate, interval bound, previous wave) of a statistic of a question. */
export function valueFormat(q: Kind, e: Stat): string {
  if (e.statistic === 'proportion') return NUMBER_FORMATS.proportion;
  if (q.type === 'currency') return NUMBER_FORMATS.euro;
  if (q.type === 'percentage') return NUMBER_FORMATS.percentage;
  return q.type === 'integer' && e.statistic === 'total' ? NUMBER_FORMATS.count : NUMBER_FORMATS.decimal;
}

/**
 * A change as a cell: its number and format. The change of a share is in
 * percentage points, as the page writes it, so its number is the change × 100
 * ("+9,9 procentpunt"; never "%", which a reader takes for a relative change).
 */
export function changeCell(q: Kind, e: Stat, change: number, locale: 'nl' | 'en'): { value: number; numFmt: string } {
  const points = locale === 'nl' ? NUMBER_FORMATS.points : NUMBER_FORMATS.pointsEn;
  if (e.statistic === 'proportion') return { value: Number((change * 100).toFixed(10)), numFmt: points };
  if (q.type === 'percentage') return { value: change, numFmt: points };
  if (q.type === 'currency') return { value: change, numFmt: NUMBER_FORMATS.euroChange };
  return {
    value: change,
    numFmt: q.type === 'integer' && e.statistic === 'total' ? NUMBER_FORMATS.countChange : NUMBER_FORMATS.decimalChange,
  };
}

/** Text that a spreadsheet would run as a formula is stored with a leading apostrophe. */
export function safeText(value: string | null): string | null {
  return value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
