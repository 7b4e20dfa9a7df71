// CSV in the two flavours of DESIGN 9: standard (UTF-8, `,`, `.` decimals) and
// "Excel (NL)" (UTF-8 with BOM, `;`, `,` decimals). Text cells that start like a
// formula (= + - @, tab, carriage return) get a leading apostrophe so a
// spreadsheet shows them as text instead of running them (CSV injection).
export type CsvFlavour = 'csv' | 'csv-nl';

export type CsvCell = string | number | boolean | null | undefined | { decimal: string };

const FORMULA_START = /^[=+\-@\t\r]/;

function cellText(cell: CsvCell, flavour: CsvFlavour): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'boolean') return cell ? 'ja' : 'nee';
  if (typeof cell === 'number') {
    const text = Number.isFinite(cell) ? String(cell) : '';
    return flavour === 'csv-nl' ? text.replace('.', ',') : text;
  }
  if (typeof cell === 'object') return flavour === 'csv-nl' ? cell.decimal.replace('.', ',') : cell.decimal;
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

function quote(text: string, delimiter: string): string {
  return text.includes(delimiter) || /["\n\r]/.test(text) || text !== text.trim()
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

export function csvLine(cells: CsvCell[], flavour: CsvFlavour): string {
  const delimiter = flavour === 'csv-nl' ? ';' : ',';
  return `${cells.map((c) => quote(cellText(c, flavour), delimiter)).join(delimiter)}\r\n`;
}

export function toCsv(header: string[], rows: CsvCell[][], flavour: CsvFlavour): string {
  return (
    (flavour === 'csv-nl' ? '\uFEFF' : '') + csvLine(header, flavour) + rows.map((r) => csvLine(r, flavour)).join('')
  );
}

export function csvContentType(): string {
  return 'text/csv; charset=utf-8';
}
