// The report as an Excel workbook (exceljs) for analysts: one sheet of estimates
// with number formats, the trend across waves (one row per estimate and wave,
// ready for a pivot table), and one sheet with the method and the disclosure
// rules. Sheet names and column names follow the language: Dutch ("Schattingen",
// `vraagcode`, `schatting`, …) or English (the JSON's field names).
import ExcelJS from 'exceljs';
import type { ReportModel } from '../analysis/report/report-model';
import type { SurveyDefinition } from '../surveys/definition-schema';
import { type Locale, t } from '../views/i18n/index';
import { changeCell, NUMBER_FORMATS, safeText, valueFormat } from './excel-formats';
import { categoryLabel, formatRespondents, questionOf, reportLabel, weightingWords } from './report-text';
import { isProtected } from './report-view';

/** A column of a sheet: its field, named in the workbook's language (report.field.*). */
const column = (locale: Locale, key: string, width: number) => ({
  header: t(locale, `report.field.${key}`),
  key,
  width,
});

export async function renderReportXlsx(report: ReportModel, def: SurveyDefinition, locale: Locale): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Impactmonitor';
  book.created = new Date();
  addEstimatesSheet(book, report, def, locale);
  if (report.trend) addTrendSheet(book, report.trend, def, locale);
  addMethodSheet(book, report, def, locale);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The estimates: one row per cell, every field of the report JSON, numbers in Excel formats. */
function addEstimatesSheet(book: ExcelJS.Workbook, report: ReportModel, def: SurveyDefinition, locale: Locale) {
  const yes = (v: boolean) => (locale === 'nl' ? (v ? 'ja' : 'nee') : v ? 'true' : 'false');
  const sheet = book.addWorksheet(t(locale, 'report.sheet.estimates'), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = (
    [
      ['question', 26],
      ['label', 40],
      ['statistic', 11],
      ['method', 11],
      ['auxiliary', 14],
      ['category', 14],
      ['category_label', 26],
      ['dimension', 16],
      ['domain', 28],
      ['estimate', 16],
      ['se', 14],
      ['ci_low', 16],
      ['ci_high', 16],
      ['n', 7],
      ['n_band', 8],
      ['N', 7],
      ['suppressed', 11],
      ['reason', 14],
      ['previous', 16],
      ['change', 18],
      ['perturbed', 10],
    ] as const
  ).map(([key, width]) => column(locale, key, width));
  sheet.getRow(1).font = { bold: true };
  for (const e of report.estimates) {
    const q = questionOf(def, e.question);
    const row = sheet.addRow({
      ...e,
      label: safeText(reportLabel(q, locale)),
      category_label: safeText(categoryLabel(q, e.category, locale)),
      domain: safeText(e.domain),
      suppressed: yes(e.suppressed),
      perturbed: yes(e.perturbed),
    });
    for (const key of ['estimate', 'se', 'ci_low', 'ci_high', 'previous']) row.getCell(key).numFmt = valueFormat(q, e);
    // The JSON's value (a share's change on the 0–1 scale), shown with its sign.
    row.getCell('change').numFmt =
      e.statistic === 'proportion' ? NUMBER_FORMATS.proportionChange : changeCell(q, e, 0, locale).numFmt;
  }
}

/** The trend: one row per question, statistic, option and wave. */
function addTrendSheet(
  book: ExcelJS.Workbook,
  trend: NonNullable<ReportModel['trend']>,
  def: SurveyDefinition,
  locale: Locale,
) {
  const sheet = book.addWorksheet(t(locale, 'report.sheet.trend'), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = (
    [
      ['question', 26],
      ['label', 40],
      ['statistic', 11],
      ['category', 14],
      ['category_label', 26],
      ['wave', 18],
      ['wave_name', 28],
      ['estimate', 16],
      ['ci_low', 16],
      ['ci_high', 16],
    ] as const
  ).map(([key, width]) => column(locale, key, width));
  sheet.getRow(1).font = { bold: true };
  for (const series of trend.series) {
    const q = questionOf(def, series.question);
    series.points.forEach((point, i) => {
      const wave = trend.waves[i];
      const row = sheet.addRow({
        question: series.question,
        label: safeText(reportLabel(q, locale)),
        statistic: series.statistic,
        category: series.category,
        category_label: safeText(categoryLabel(q, series.category, locale)),
        wave: wave.slug,
        wave_name: safeText(wave.name),
        ...point,
      });
      for (const key of ['estimate', 'ci_low', 'ci_high']) row.getCell(key).numFmt = valueFormat(q, series);
    });
  }
}

/** The method: source, weighting, protection and the report's warnings, one paragraph a row. */
function addMethodSheet(book: ExcelJS.Workbook, report: ReportModel, def: SurveyDefinition, locale: Locale) {
  const method = book.addWorksheet(t(locale, 'report.sheet.method'));
  method.getColumn(1).width = 120;
  const lines = [
    `${def.title[locale] ?? def.title.nl} – ${report.wave.name}`,
    t(locale, isProtected(report) ? 'report.cover.source_protected' : 'report.cover.source', {
      year: report.frame.year,
      N: report.frame.N,
      n: formatRespondents(report, locale),
    }),
    '',
    t(locale, 'report.method.title'),
    t(locale, 'report.method.text', { year: report.frame.year, stratify: weightingWords(report, locale) }),
    t(locale, 'report.method.disclosure', {
      min: report.design.min_cell,
      k: Math.round(report.design.dominance.k * 100),
      p: Math.round(report.design.dominance.p * 100),
    }),
    '',
    ...report.warnings,
  ];
  lines.forEach((line, i) => {
    const cell = method.getCell(i + 1, 1);
    cell.value = safeText(line);
    cell.alignment = { wrapText: true, vertical: 'top' };
    if (i === 0 || line === t(locale, 'report.method.title')) cell.font = { bold: true };
  });
}
