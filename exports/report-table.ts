// The report as a table for people (beside the analysts' CSV of report-csv.ts), as
// an Excel workbook: Dutch column names, question texts, and the published values
// as numbers with Excel number formats (euros, percentages, thousands grouped), so a
// spreadsheet can compute with them; "–" with the reason where a value is withheld.
// One row per estimate. The numbers are the report model's, which is protected: the
// same cells as the page, never anything the page withholds; where the periods of
// this wave and the previous one differ in length, money totals are compared per
// month as on the page (a column "per maand", the note in "toelichting").
import ExcelJS from 'exceljs';
import type { ReportModel } from '../analysis/report/report-model';
import type { SurveyDefinition } from '../surveys/definition-schema';
import { type Locale, t } from '../views/i18n/index';
import { changeCell, NUMBER_FORMATS, safeText, valueFormat } from './excel-formats';
import { perMonthComparison, type ViewEstimate } from './report-periods';
import { categoryLabel, questionOf } from './report-text';
import { periodNote } from './report-view';

/** The columns of the readable table, by message key (report.table.col.*), with their widths. */
const COLUMNS = [
  ['meting', 22],
  ['vraag', 48],
  ['statistiek', 22],
  ['antwoord', 26],
  ['uitsplitsing', 18],
  ['groep', 26],
  ['schatting', 16],
  ['ondergrens', 16],
  ['bovengrens', 16],
  ['per maand', 16],
  ['vorige meting', 16],
  ['verandering', 20],
  ['organisaties met antwoord (n)', 14],
  ['organisaties in de populatie (N)', 14],
  ['toelichting', 60],
] as const;

type CellValue = string | number | null;

/** Where the column "per maand" stands; it is left out when nothing is compared per month. */
const PER_MONTH = COLUMNS.findIndex(([key]) => key === 'per maand');

/**
 * One row of the readable table: each cell's value and, for numbers, its Excel
 * format, with the "per maand" cell (null when the row has none). Pure.
 */
export function readableRow(
  report: ReportModel,
  def: SurveyDefinition,
  e: ViewEstimate,
  locale: Locale,
): { values: CellValue[]; formats: (string | null)[] } {
  const q = questionOf(def, e.question);
  const format = valueFormat(q, e);
  const number = (v: number | null): [CellValue, string | null] => (v === null ? ['–', null] : [v, format]);
  const change = e.change === null ? null : changeCell(q, e, e.change, locale);
  const cells: [CellValue, string | null][] = [
    [safeText(report.wave.name), null],
    [safeText(q.label[locale] ?? q.label.nl), null],
    [t(locale, `report.table.statistic.${e.statistic}`), null],
    [safeText(categoryLabel(q, e.category, locale) ?? ''), null],
    [
      e.dimension === null
        ? ''
        : e.dimension
            .split(',')
            .map((v) => t(locale, `reports.var.${v}`))
            .join(' × '),
      null,
    ],
    [safeText(e.domain === '*' ? t(locale, 'report.whole_branch') : e.domain), null],
    number(e.estimate),
    number(e.ci_low),
    number(e.ci_high),
    e.monthly === undefined ? [null, null] : number(e.monthly),
    number(e.previous),
    change ? [change.value, change.numFmt] : ['–', null],
    e.n !== null ? [e.n, NUMBER_FORMATS.count] : [e.n_band ?? '–', null],
    [e.N, NUMBER_FORMATS.count],
    [
      [
        e.reason ? t(locale, `report.reason.${e.reason}`, { min: report.design.min_cell }) : '',
        periodNote(report, q, e.statistic, [e], false, locale) ?? '',
      ]
        .filter(Boolean)
        .join(' '),
      null,
    ],
  ];
  return { values: cells.map(([v]) => v), formats: cells.map(([, f]) => f) };
}

/** The column names of the readable table in a language. */
export function readableHeader(locale: Locale, perMonth = false): string[] {
  return COLUMNS.filter((_, i) => perMonth || i !== PER_MONTH).map(([key]) => t(locale, `report.table.col.${key}`));
}

/** The readable table: header and rows (values and formats), compared as the page compares. Pure. */
export function readableTable(report: ReportModel, def: SurveyDefinition, locale: Locale) {
  const compared = perMonthComparison(report, (key) => questionOf(def, key));
  const perMonth = compared.estimates.some((e) => e.monthly !== undefined);
  const view = { ...report, estimates: compared.estimates };
  const drop = <T>(cells: T[]) => (perMonth ? cells : cells.filter((_, i) => i !== PER_MONTH));
  const widths = drop(COLUMNS.map(([, width]) => width));
  const rows = compared.estimates.map((e) => {
    const row = readableRow(view, def, e, locale);
    return { values: drop(row.values), formats: drop(row.formats) };
  });
  return { header: readableHeader(locale, perMonth), widths, rows };
}

/** The readable table as an Excel workbook: one sheet, header frozen and filterable. */
export async function renderReadableXlsx(report: ReportModel, def: SurveyDefinition, locale: Locale): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Impactmonitor';
  book.created = new Date();
  const sheet = book.addWorksheet(t(locale, 'report.table.sheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
  const table = readableTable(report, def, locale);
  sheet.columns = table.header.map((header, i) => ({ header, width: table.widths[i] }));
  const head = sheet.getRow(1);
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: 'top' };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.header.length } };
  const firstNumber = 6;
  const lastNumber = table.header.length - 2;
  for (const { values, formats } of table.rows) {
    const row = sheet.addRow(values);
    formats.forEach((numFmt, i) => {
      const cell = row.getCell(i + 1);
      if (numFmt) cell.numFmt = numFmt;
      // "–" in a number column stands where the number is withheld: right-aligned like the numbers.
      else if (i >= firstNumber && i <= lastNumber) cell.alignment = { horizontal: 'right' };
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
