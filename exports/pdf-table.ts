// Tables in the PDF, sized to their content: a number never wraps (its spaces
// become no-break spaces, so "€" stays with its amount; an interval may break
// only after its dash), a header wraps only between words, and a table too wide
// for the page is split into parts that each repeat the first column.

/** No-break space: pdfkit's line breaking (UAX #14) never breaks there. */
const NBSP = '\u00a0';

/** A number as one unbreakable piece; an interval "a – b" may break after its dash only. */
export function bindNumber(text: string): string {
  return text
    .split(' – ')
    .map((part) => part.replace(/ /g, NBSP))
    .join(`${NBSP}– `);
}

/**
 * Running text with its amounts bound: "€" to its number, a number to "mln",
 * "mld", "%" or "procentpunt" after it, so no line starts with the unit alone.
 */
export function bindAmounts(text: string): string {
  return text
    .replace(/€ (?=[\d−+-])/g, `€${NBSP}`)
    .replace(/(\d) (?=(mln|mld|procentpunt|percentage ?points?|m|bn)\b)/g, `$1${NBSP}`);
}

export interface TableColumn {
  label: string;
  numeric: boolean;
}

/** What a column needs: `min` without breaking a word or number, `ideal` on one line. */
interface Need {
  min: number;
  ideal: number;
}

type Measure = (text: string, bold: boolean) => number;

const words = (text: string) => text.split(/[ \n]+/).filter(Boolean);

function needOf(column: TableColumn, cells: string[], measure: Measure, padding: number): Need {
  const pieces = (text: string) => (column.numeric ? text.split(/(?<=–) /) : words(text));
  const headerPieces = (text: string) => words(text).flatMap((w) => w.split(/(?<=-)/));
  // With the space after it: pdfkit counts that space when it decides whether a word fits.
  const widest = (list: string[], bold: boolean) => Math.max(0, ...list.map((p) => measure(`${p} `, bold)));
  const min =
    Math.max(widest(headerPieces(column.label), true), ...cells.map((c) => widest(pieces(c), false))) + padding;
  const ideal = Math.max(measure(column.label, true), ...cells.map((c) => measure(c, false))) + padding;
  return { min, ideal: Math.max(min, ideal) };
}

/**
 * Column widths for a table of `total` points: every column at least its `min`,
 * then the room left shared out toward each column's `ideal` in proportion to what
 * each lacks. Null when even the minimum widths do not fit.
 */
export function columnWidths(needs: Need[], total: number): number[] | null {
  const widths = needs.map((n) => n.min);
  let room = total - widths.reduce((a, w) => a + w, 0);
  if (room < 0) return null;
  const order = [...needs.keys()];
  // First every column toward one line, in proportion to what each lacks.
  const lacking = order.reduce((a, i) => a + (needs[i].ideal - widths[i]), 0);
  if (lacking > 0) {
    const share = Math.min(1, room / lacking);
    for (const i of order) widths[i] += (needs[i].ideal - widths[i]) * share;
    room -= Math.min(room, lacking);
  }
  // What is left goes to the numeric columns evenly (a calmer table than one wide label column).
  if (room > 0 && needs.length > 1) {
    const rest = room / (needs.length - 1);
    for (let i = 1; i < widths.length; i++) widths[i] += rest;
  }
  return widths;
}

export interface TablePart {
  /** Indexes into the table's columns, the first column always included. */
  columns: number[];
  widths: number[];
}

/** The parts of a table and the font scale they are set in. */
export interface TableLayout {
  /** 1, or a little smaller where that keeps a table whole. */
  scale: number;
  parts: TablePart[];
}

/** A table's text may shrink this much before it is split. */
const SMALLEST_SCALE = 0.82;

/**
 * The table as one or more parts that fit `total` points: as it is when it fits
 * (in a slightly smaller font if need be), else the other columns split into
 * consecutive groups, each after the first column.
 */
export function tableLayout(
  columns: TableColumn[],
  rows: string[][],
  measure: Measure,
  total: number,
  padding = 7,
): TableLayout {
  const needs = columns.map((c, i) =>
    needOf(
      c,
      rows.map((r) => r[i] ?? ''),
      measure,
      padding,
    ),
  );
  const whole = columnWidths(needs, total);
  if (whole) return { scale: 1, parts: [{ columns: columns.map((_, i) => i), widths: whole }] };
  // The text shrinks, the room between columns does not.
  const shrink = (w: number) => (w - padding) * SMALLEST_SCALE + padding;
  const scaled = (n: Need) => ({ min: shrink(n.min), ideal: shrink(n.ideal) });
  const smaller = columnWidths(needs.map(scaled), total);
  if (smaller) return { scale: SMALLEST_SCALE, parts: [{ columns: columns.map((_, i) => i), widths: smaller }] };
  return { scale: 1, parts: splitParts(needs, total) };
}

function splitParts(needs: Need[], total: number): TablePart[] {
  // The first column at most 35% of the page when the table must be split.
  const first = { min: needs[0].min, ideal: Math.min(needs[0].ideal, Math.max(needs[0].min, total * 0.35)) };
  const parts: TablePart[] = [];
  let group: number[] = [];
  const fits = (g: number[]) => columnWidths([first, ...g.map((i) => needs[i])], total);
  for (let i = 1; i < needs.length; i++) {
    if (group.length && !fits([...group, i])) {
      parts.push({ columns: [0, ...group], widths: fits(group)! });
      group = [];
    }
    group.push(i);
  }
  // A single column wider than the page still gets the page: its text wraps, nothing is lost.
  const last = fits(group) ?? [first.min, Math.max(total - first.min, total / 2)];
  parts.push({ columns: [0, ...group], widths: last });
  return parts;
}
