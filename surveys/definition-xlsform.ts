// A questionnaire definition as an Excel workbook in the XLSForm convention, and
// back (the sheets and their columns: xlsform/xlsform-sheets.ts; README
// "Questionnaires in Excel"). No database, no HTTP: a definition in, a Buffer out,
// and a Buffer in, a definition or every problem with its sheet, row and column out.

import ExcelJS from 'exceljs';
import { FileLimitError } from '../foundation/file-limits';
import { readWorkbook, type WorkbookSheet } from '../foundation/xlsx/read-workbook';
import type { Locale } from '../views/i18n/index';
import { t } from '../views/i18n/index';
import type { SurveyDefinition } from './definition-schema';
import {
  type CellValue,
  CHOICES_COLUMNS,
  definitionFromSheets,
  definitionToSheets,
  normaliseHeader,
  SETTINGS_COLUMNS,
  type SheetIn,
  type SheetOut,
  type SheetProblem,
  type SheetsResult,
  SURVEY_COLUMNS,
} from './xlsform/xlsform-sheets';

export type { SheetProblem } from './xlsform/xlsform-sheets';

const KNOWN: Record<'survey' | 'choices' | 'settings', readonly string[]> = {
  survey: SURVEY_COLUMNS,
  choices: CHOICES_COLUMNS,
  settings: SETTINGS_COLUMNS,
};

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The workbook of a definition: sheets survey, choices and settings, header row frozen and bold. */
export async function definitionToXlsx(def: SurveyDefinition): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Impactmonitor';
  const sheets = definitionToSheets(def);
  for (const name of ['survey', 'choices', 'settings'] as const) {
    const data: SheetOut = sheets[name];
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow(data.header).font = { bold: true };
    for (const row of data.rows) sheet.addRow(row.map((v) => (v === null ? null : v)));
    sheet.columns.forEach((column, i) => {
      const header = data.header[i] ?? '';
      column.width = /^(label|hint|key_figure|form_title|intro)::/.test(header)
        ? 50
        : /relevant|constraint|type/.test(header)
          ? 28
          : 16;
      if (/^(label|hint|key_figure|intro)::/.test(header)) column.alignment = { wrapText: true, vertical: 'top' };
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Column number → letters as Excel shows them (1 → A, 27 → AA). */
function columnLetter(col: number): string {
  let letters = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

function readSheet(sheet: WorkbookSheet, known: readonly string[]): SheetIn {
  const columns = new Map<string, string>();
  const unknownColumns: { header: string; letter: string }[] = [];
  const byIndex = new Map<number, string>();
  const headerRow = sheet.rows.find((r) => r.row === 1);
  for (const [col, value] of headerRow?.cells ?? []) {
    const raw = String(value ?? '').trim();
    if (!raw) continue;
    const header = normaliseHeader(raw);
    const letter = columnLetter(col);
    if (!known.includes(header) || columns.has(header)) unknownColumns.push({ header: raw, letter });
    else {
      columns.set(header, letter);
      byIndex.set(col, header);
    }
  }
  const rows: SheetIn['rows'] = [];
  for (const row of sheet.rows) {
    if (row.row === 1) continue;
    const cells: Record<string, CellValue> = {};
    let content = false;
    for (const [col, value] of row.cells) {
      const header = byIndex.get(col);
      if (!header || value === null || String(value).trim() === '') continue;
      cells[header] = value;
      content = true;
    }
    if (content) rows.push({ row: row.row, cells });
  }
  return { columns, unknownColumns, rows };
}

export type XlsxReadResult = SheetsResult;

/**
 * Read a workbook; a file that is not an .xlsx at all, or one past a cap of
 * WORKBOOK_LIMITS (unpacked size, entries, rows, columns, cells, strings, nesting,
 * the worker's memory and time), is one problem without a place. The workbook is read
 * by foundation/xlsx (a zip reader and a SAX parser in a worker thread), not by
 * exceljs: exceljs builds the whole workbook model, column widths and merged cells
 * included, on the caller's thread, so one hostile sheet could exhaust the server.
 */
export async function definitionFromXlsx(data: Buffer, fileName?: string): Promise<XlsxReadResult> {
  let workbook: WorkbookSheet[];
  try {
    workbook = await readWorkbook(data, ['survey', 'choices', 'settings']);
  } catch (error) {
    if (!(error instanceof FileLimitError)) throw error;
    const key = error.key === 'limits.xlsx.not_zip' ? 'survey.xlsx.not_xlsx' : error.key;
    return { ok: false, problems: [{ sheet: null, row: null, column: null, key, params: error.params }] };
  }
  const sheets: { survey?: SheetIn; choices?: SheetIn; settings?: SheetIn } = {};
  for (const sheet of workbook) {
    const name = sheet.name.trim().toLowerCase();
    if ((name === 'survey' || name === 'choices' || name === 'settings') && !sheets[name])
      sheets[name] = readSheet(sheet, KNOWN[name]);
  }
  const result = definitionFromSheets(sheets, { fileName });
  if (result.ok) return result;
  // Name the column by its letter too, as Excel shows it.
  for (const p of result.problems) {
    const letter = p.sheet && p.column ? sheets[p.sheet]?.columns.get(p.column) : undefined;
    if (letter) p.letter = letter;
  }
  return result;
}

/** A message, with the character where reading an expression stopped when it has one. */
export function expressionMessage(locale: Locale, key: string, params: Record<string, string | number>): string {
  const message = t(locale, key, params);
  return params.position === undefined ? message : `${message} ${t(locale, 'survey.xlsx.at_position', params)}`;
}

/** A problem as one line: `Blad survey, rij 5, kolom relevant: …`. */
export function sheetProblemMessage(locale: Locale, p: SheetProblem): string {
  const message = expressionMessage(locale, p.key, p.params);
  if (!p.sheet) return message;
  if (p.row === null) return t(locale, 'survey.xlsx.at_sheet', { sheet: p.sheet, message });
  if (p.column === null) return t(locale, 'survey.xlsx.at_row', { sheet: p.sheet, row: p.row, message });
  const column = p.letter ? `${p.column} (${p.letter})` : p.column;
  return t(locale, 'survey.xlsx.at_cell', { sheet: p.sheet, row: p.row, column, message });
}

/** An uploaded file is a workbook when it is a zip (PK…); otherwise it is read as JSON. */
export function looksLikeXlsx(data: Buffer, fileName = ''): boolean {
  return fileName.toLowerCase().endsWith('.xlsx') || (data[0] === 0x50 && data[1] === 0x4b);
}
