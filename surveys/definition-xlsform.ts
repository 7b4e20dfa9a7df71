// A questionnaire definition as an Excel workbook in the XLSForm convention, and
// back (the sheets and their columns: xlsform/xlsform-sheets.ts; README
// "Questionnaires in Excel"). No database, no HTTP: a definition in, a Buffer out,
// and a Buffer in, a definition or every problem with its sheet, row and column out.

import ExcelJS from 'exceljs';
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

function cellValue(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellValue(value.result as ExcelJS.CellValue);
    if ('text' in value) return cellValue(value.text as ExcelJS.CellValue);
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

function readSheet(sheet: ExcelJS.Worksheet, known: readonly string[]): SheetIn {
  const columns = new Map<string, string>();
  const unknownColumns: { header: string; letter: string }[] = [];
  const byIndex = new Map<number, string>();
  sheet.getRow(1).eachCell((cell, col) => {
    const raw = String(cellValue(cell.value) ?? '').trim();
    if (!raw) return;
    const header = normaliseHeader(raw);
    const letter = sheet.getColumn(col).letter;
    if (!known.includes(header) || columns.has(header)) unknownColumns.push({ header: raw, letter });
    else {
      columns.set(header, letter);
      byIndex.set(col, header);
    }
  });
  const rows: SheetIn['rows'] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const cells: Record<string, CellValue> = {};
    let content = false;
    row.eachCell((cell, col) => {
      const header = byIndex.get(col);
      const value = cellValue(cell.value);
      if (!header || value === null || String(value).trim() === '') return;
      cells[header] = value;
      content = true;
    });
    if (content) rows.push({ row: number, cells });
  });
  return { columns, unknownColumns, rows };
}

export type XlsxReadResult = SheetsResult;

/** Read a workbook; a file that is not an .xlsx at all is one problem without a place. */
export async function definitionFromXlsx(data: Buffer, fileName?: string): Promise<XlsxReadResult> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    return { ok: false, problems: [{ sheet: null, row: null, column: null, key: 'survey.xlsx.not_xlsx', params: {} }] };
  }
  const sheets: { survey?: SheetIn; choices?: SheetIn; settings?: SheetIn } = {};
  workbook.eachSheet((sheet) => {
    const name = sheet.name.trim().toLowerCase();
    if ((name === 'survey' || name === 'choices' || name === 'settings') && !sheets[name])
      sheets[name] = readSheet(sheet, KNOWN[name]);
  });
  const result = definitionFromSheets(sheets, { fileName });
  if (result.ok) return result;
  // Name the column by its letter too, as Excel shows it.
  for (const p of result.problems) {
    const letter = p.sheet && p.column ? sheets[p.sheet]?.columns.get(p.column) : undefined;
    if (letter) p.letter = letter;
  }
  return result;
}

/** A problem as one line: `Blad survey, rij 5, kolom relevant: …`. */
export function sheetProblemMessage(locale: Locale, p: SheetProblem): string {
  const message = t(locale, p.key, p.params);
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
