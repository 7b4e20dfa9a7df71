// CSV in two flavours: standard (UTF-8, `,`, `.` decimals) and
// "Excel (NL)" (UTF-8 with BOM, `;`, `,` decimals). Against CSV injection: every
// text cell is quoted in both flavours (a spreadsheet that guesses the other
// delimiter still keeps the cell whole), and a formula character (= + - @) at the
// start of the cell or after any delimiter-like character (, ; tab newline) gets
// an apostrophe before it, so even a spreadsheet that splits the cell sees text.
export type CsvFlavour = 'csv' | 'csv-nl';

export type CsvCell = string | number | boolean | null | undefined | { decimal: string };

const FORMULA_START = /^[=+\-@\t\r]/;
/** A formula character after a delimiter any spreadsheet might use (optional spaces between). */
const FORMULA_AFTER_DELIMITER = /([,;\t\r\n][ ]*)([=+\-@])/g;

/** Text made inert for spreadsheets: an apostrophe before every place a formula could start. */
export function neutraliseFormula(text: string): string {
  const inner = text.replace(FORMULA_AFTER_DELIMITER, "$1'$2");
  return FORMULA_START.test(inner) ? `'${inner}` : inner;
}

function quoted(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

function cellText(cell: CsvCell, flavour: CsvFlavour): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'boolean') return cell ? 'ja' : 'nee';
  if (typeof cell === 'number') {
    const text = Number.isFinite(cell) ? String(cell) : '';
    // A decimal comma is the delimiter of the standard flavour, never of csv-nl.
    return flavour === 'csv-nl' ? text.replace('.', ',') : text;
  }
  if (typeof cell === 'object') return flavour === 'csv-nl' ? cell.decimal.replace('.', ',') : cell.decimal;
  return quoted(neutraliseFormula(cell));
}

export function csvLine(cells: CsvCell[], flavour: CsvFlavour): string {
  const delimiter = flavour === 'csv-nl' ? ';' : ',';
  return `${cells.map((c) => cellText(c, flavour)).join(delimiter)}\r\n`;
}

/** Column names are set by code; plain identifiers stay unquoted, anything else is a text cell. */
export function csvHeaderLine(header: string[], flavour: CsvFlavour): string {
  const delimiter = flavour === 'csv-nl' ? ';' : ',';
  return `${header.map((h) => (/^[A-Za-z_][\w.]*$/.test(h) ? h : cellText(h, flavour))).join(delimiter)}\r\n`;
}

export function toCsv(header: string[], rows: CsvCell[][], flavour: CsvFlavour): string {
  return (
    (flavour === 'csv-nl' ? '\uFEFF' : '') +
    csvHeaderLine(header, flavour) +
    rows.map((r) => csvLine(r, flavour)).join('')
  );
}

export function csvContentType(): string {
  return 'text/csv; charset=utf-8';
}
