// An .xlsx workbook as plain rows of cell values, read with bounds: the zip's table of
// contents is checked first (zip-entries.ts), then only the entries that hold values
// are inflated — the workbook, its relationships, the shared strings and the sheets
// asked for — and streamed through a SAX parser. Column widths, merged cells, styles,
// drawings and media are never read, so a `<col max="1000000000">` or a merge over the
// whole sheet costs nothing; rows, cells, columns, strings, nesting and elements are
// counted as they arrive and the read stops at the first cap passed (file-limits.ts).
// Runs inside a worker (read-workbook.ts), never on the server's event loop.

import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { FileLimitError, WORKBOOK_LIMITS, type WorkbookLimits } from '../file-limits';
import { inflateEntry, type ZipEntry, zipEntries } from './zip-entries';

export type WorkbookCell = string | number | boolean | null;

export interface WorkbookRow {
  /** 1-based row number as Excel shows it. */
  row: number;
  /** [1-based column number, value] for every cell with a value, in sheet order. */
  cells: [number, WorkbookCell][];
}

export interface WorkbookSheet {
  name: string;
  rows: WorkbookRow[];
}

type Limits = Readonly<WorkbookLimits>;

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Stream one XML entry through saxes with the depth and element caps. */
function parseXml(
  data: Uint8Array,
  entry: ZipEntry,
  limits: Limits,
  on: {
    open?: (name: string, attributes: Record<string, string>) => void;
    close?: (name: string) => void;
    text?: (text: string) => void;
  },
): void {
  const parser = new SaxesParser({ xmlns: false });
  let depth = 0;
  let elements = 0;
  parser.on('opentag', (tag: SaxesTagPlain) => {
    depth++;
    elements++;
    if (depth > limits.maxDepth)
      throw new FileLimitError('limits.xlsx.depth', { entry: entry.name, max: limits.maxDepth });
    if (elements > limits.maxElements)
      throw new FileLimitError('limits.xlsx.elements', { entry: entry.name, max: limits.maxElements });
    on.open?.(localName(tag.name), tag.attributes as Record<string, string>);
    if (tag.isSelfClosing) {
      depth--;
      on.close?.(localName(tag.name));
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.isSelfClosing) return;
    depth--;
    on.close?.(localName(tag.name));
  });
  if (on.text) {
    parser.on('text', on.text);
    parser.on('cdata', on.text);
  }
  parser.on('error', (error) => {
    throw error;
  });
  const decoder = new TextDecoder('utf-8');
  inflateEntry(data, entry, limits.maxEntryUnpacked, (chunk) => {
    parser.write(decoder.decode(chunk, { stream: true }));
  });
  parser.write(decoder.decode());
  parser.close();
}

/** `../worksheets/sheet1.xml` relative to `xl/workbook.xml` → `xl/worksheets/sheet1.xml`. */
function resolvePath(from: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = from.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}

function relsPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}_rels/${path.slice(slash + 1)}.rels`;
}

function readRelationships(
  data: Uint8Array,
  entries: Map<string, ZipEntry>,
  of: string,
  limits: Limits,
): Map<string, { type: string; target: string }> {
  const rels = new Map<string, { type: string; target: string }>();
  const entry = entries.get(relsPath(of));
  if (!entry) return rels;
  parseXml(data, entry, limits, {
    open: (name, a) => {
      if (name === 'Relationship' && a.Id && a.Target && a.TargetMode !== 'External')
        rels.set(a.Id, { type: a.Type ?? '', target: resolvePath(of, a.Target) });
    },
  });
  return rels;
}

/** A1-style column letters → 1-based column number (0 when there are none). */
function columnOf(ref: string): number {
  let col = 0;
  for (const ch of ref) {
    const code = ch.charCodeAt(0);
    if (code >= 65 && code <= 90) col = col * 26 + (code - 64);
    else if (code >= 97 && code <= 122) col = col * 26 + (code - 96);
    else break;
    if (col > 1_000_000) break;
  }
  return col;
}

function readSharedStrings(data: Uint8Array, entry: ZipEntry, limits: Limits): string[] {
  const strings: string[] = [];
  let current: string[] | null = null;
  let inText = false;
  let phonetic = 0;
  let chars = 0;
  parseXml(data, entry, limits, {
    open: (name) => {
      if (name === 'si') {
        current = [];
        if (strings.length >= limits.maxSharedStrings)
          throw new FileLimitError('limits.xlsx.shared_strings', { max: limits.maxSharedStrings });
      } else if (name === 't') inText = true;
      else if (name === 'rPh') phonetic++;
    },
    close: (name) => {
      if (name === 'si' && current) {
        strings.push(current.join(''));
        current = null;
      } else if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
    },
    text: (text) => {
      if (!current || !inText || phonetic > 0) return;
      chars += text.length;
      if (chars > limits.maxStringChars)
        throw new FileLimitError('limits.xlsx.string_chars', { mb: Math.round(limits.maxStringChars / 1024 / 1024) });
      current.push(text);
      if (current.reduce((n, s) => n + s.length, 0) > limits.maxCellChars)
        throw new FileLimitError('limits.xlsx.cell_chars', { sheet: 'sharedStrings', max: limits.maxCellChars });
    },
  });
  return strings;
}

function readSheetRows(
  data: Uint8Array,
  entry: ZipEntry,
  name: string,
  shared: string[],
  limits: Limits,
  counter: { cells: number },
): WorkbookRow[] {
  const rows: WorkbookRow[] = [];
  let row: WorkbookRow | null = null;
  let lastRow = 0;
  let col = 0;
  let type = '';
  let text: string[] | null = null;
  let textChars = 0;
  let value: string | null = null;
  let inValue = false;
  let inInline = 0;
  parseXml(data, entry, limits, {
    open: (tag, a) => {
      if (tag === 'row') {
        if (rows.length >= limits.maxRows)
          throw new FileLimitError('limits.xlsx.rows', { sheet: name, max: limits.maxRows });
        const number = a.r ? Number.parseInt(a.r, 10) : lastRow + 1;
        if (!Number.isSafeInteger(number) || number < 1 || number > 1_048_576)
          throw new FileLimitError('limits.xlsx.not_zip', {});
        lastRow = number;
        row = { row: number, cells: [] };
        col = 0;
      } else if (tag === 'c' && row) {
        counter.cells++;
        if (counter.cells > limits.maxCells) throw new FileLimitError('limits.xlsx.cells', { max: limits.maxCells });
        col = a.r ? columnOf(a.r) || col + 1 : col + 1;
        type = a.t ?? 'n';
        value = null;
        text = null;
        textChars = 0;
      } else if (tag === 'col') {
        // Never modelled, but a width over more columns than a sheet has is not from a spreadsheet program.
        const max = Number(a.max ?? a.min ?? 1);
        if (!(max >= 1 && max <= 16_384)) throw new FileLimitError('limits.xlsx.layout', { sheet: name });
      } else if (tag === 'mergeCell') {
        // A merged range must stay inside the cells a questionnaire may have.
        for (const corner of (a.ref ?? '').split(':')) {
          const r = Number.parseInt(corner.replace(/^[A-Za-z$]+/, '').replace('$', ''), 10);
          if (columnOf(corner.replace('$', '')) > limits.maxColumns || !(r >= 1 && r <= limits.maxRows + 1))
            throw new FileLimitError('limits.xlsx.layout', { sheet: name });
        }
      } else if (tag === 'v' && row) {
        inValue = true;
        text = [];
      } else if (tag === 'is' && row) inInline++;
      else if (tag === 't' && inInline > 0) text ??= [];
    },
    close: (tag) => {
      if (tag === 'v') {
        inValue = false;
        value = text ? text.join('') : '';
      } else if (tag === 'is') {
        inInline--;
        value = text ? text.join('') : '';
      } else if (tag === 'c' && row) {
        const cell = cellValue(type, value, shared);
        if (cell !== null && cell !== '') {
          if (col > limits.maxColumns)
            throw new FileLimitError('limits.xlsx.columns', { sheet: name, row: row.row, max: limits.maxColumns });
          row.cells.push([col, cell]);
        }
        value = null;
        text = null;
      } else if (tag === 'row' && row) {
        if (row.cells.length > 0) rows.push(row);
        row = null;
      }
    },
    text: (t) => {
      if (!text || !(inValue || inInline > 0)) return;
      textChars += t.length;
      if (textChars > limits.maxCellChars)
        throw new FileLimitError('limits.xlsx.cell_chars', { sheet: name, max: limits.maxCellChars });
      text.push(t);
    },
  });
  return rows;
}

function cellValue(type: string, raw: string | null, shared: string[]): WorkbookCell {
  if (raw === null) return null;
  switch (type) {
    case 's': {
      const index = Number.parseInt(raw, 10);
      const s = shared[index];
      if (s === undefined) throw new FileLimitError('limits.xlsx.not_zip', {});
      return s;
    }
    case 'b':
      return raw.trim() === '1';
    case 'str':
    case 'inlineStr':
    case 'e':
      return raw;
    case 'd':
      return raw.slice(0, 10);
    default: {
      const trimmed = raw.trim();
      if (trimmed === '') return null;
      const n = Number(trimmed);
      return Number.isFinite(n) ? n : raw;
    }
  }
}

/**
 * The rows of the sheets whose name (trimmed, case-insensitive) is in `sheetNames`,
 * or of every sheet when it is null. Throws FileLimitError for a file past a cap or
 * not a workbook at all.
 */
export function readWorkbookRows(
  data: Uint8Array,
  sheetNames: readonly string[] | null,
  limits: Limits = WORKBOOK_LIMITS,
): WorkbookSheet[] {
  const list = zipEntries(data, limits);
  const entries = new Map(list.map((e) => [e.name.replace(/^\//, ''), e]));
  const rootRels = readRelationships(data, entries, '', limits);
  const workbookPath =
    [...rootRels.values()].find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
  const workbookEntry = entries.get(workbookPath);
  if (!workbookEntry) throw new FileLimitError('limits.xlsx.not_zip', {});
  const sheets: { name: string; rid: string }[] = [];
  parseXml(data, workbookEntry, limits, {
    open: (name, a) => {
      if (name !== 'sheet') return;
      if (sheets.length >= limits.maxSheets) throw new FileLimitError('limits.xlsx.sheets', { max: limits.maxSheets });
      const rid = a['r:id'] ?? Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1] ?? '';
      sheets.push({ name: a.name ?? '', rid });
    },
  });
  const rels = readRelationships(data, entries, workbookPath, limits);
  const wanted = sheets.filter((s) => sheetNames === null || sheetNames.includes(s.name.trim().toLowerCase()));
  if (wanted.length === 0) return [];
  const sharedPath = [...rels.values()].find((r) => r.type.endsWith('/sharedStrings'))?.target;
  const sharedEntry = sharedPath ? entries.get(sharedPath) : undefined;
  const shared = sharedEntry ? readSharedStrings(data, sharedEntry, limits) : [];
  const counter = { cells: 0 };
  const out: WorkbookSheet[] = [];
  for (const sheet of wanted) {
    const target = rels.get(sheet.rid)?.target;
    const entry = target ? entries.get(target) : undefined;
    if (!entry) throw new FileLimitError('limits.xlsx.not_zip', {});
    out.push({ name: sheet.name, rows: readSheetRows(data, entry, sheet.name, shared, limits, counter) });
  }
  return out;
}
