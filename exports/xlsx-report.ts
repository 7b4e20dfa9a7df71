// The report as an Excel workbook (exceljs): one sheet of estimates with number
// formats, the trend across waves (one row per estimate and wave, ready for a
// pivot table), and one sheet with the method and the disclosure rules.
import ExcelJS from 'exceljs';
import type { ReportModel } from '../analysis/report/report-model';
import type { SurveyDefinition } from '../surveys/definition-schema';
import { type Locale, t } from '../views/i18n/index';
import { categoryLabel, formatRespondents, questionOf, reportLabel, weightingWords } from './report-text';
import { isProtected } from './report-view';

/** Text that a spreadsheet would run as a formula is stored with a leading apostrophe. */
function safeText(value: string | null): string | null {
  return value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Excel's number format for a statistic of a question: shares as %, money in euros. */
function numberFormat(q: { type: string }, statistic: string): string {
  if (statistic === 'proportion') return '0.0%';
  if (q.type === 'currency') return '"€" #,##0';
  return q.type === 'percentage' ? '0.0' : '#,##0.0';
}

export async function renderReportXlsx(report: ReportModel, def: SurveyDefinition, locale: Locale): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Impactmonitor';
  book.created = new Date();
  const sheet = book.addWorksheet(locale === 'nl' ? 'Schattingen' : 'Estimates', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = [
    { header: 'question', key: 'question', width: 26 },
    { header: locale === 'nl' ? 'vraag' : 'label', key: 'label', width: 40 },
    { header: 'statistic', key: 'statistic', width: 11 },
    { header: 'method', key: 'method', width: 11 },
    { header: 'auxiliary', key: 'auxiliary', width: 14 },
    { header: 'category', key: 'category', width: 14 },
    { header: locale === 'nl' ? 'categorie' : 'category label', key: 'category_label', width: 26 },
    { header: 'dimension', key: 'dimension', width: 16 },
    { header: 'domain', key: 'domain', width: 28 },
    { header: 'estimate', key: 'estimate', width: 16 },
    { header: 'se', key: 'se', width: 14 },
    { header: 'ci_low', key: 'ci_low', width: 16 },
    { header: 'ci_high', key: 'ci_high', width: 16 },
    { header: 'n', key: 'n', width: 7 },
    { header: 'n_band', key: 'n_band', width: 8 },
    { header: 'N', key: 'N', width: 7 },
    { header: 'suppressed', key: 'suppressed', width: 11 },
    { header: 'reason', key: 'reason', width: 14 },
    { header: 'previous', key: 'previous', width: 16 },
    { header: 'change', key: 'change', width: 16 },
    { header: 'perturbed', key: 'perturbed', width: 10 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const e of report.estimates) {
    const q = questionOf(def, e.question);
    const row = sheet.addRow({
      ...e,
      label: safeText(reportLabel(q, locale)),
      category_label: safeText(categoryLabel(q, e.category, locale)),
      domain: safeText(e.domain),
      suppressed: e.suppressed ? 'true' : 'false',
      perturbed: e.perturbed ? 'true' : 'false',
    });
    for (const key of ['estimate', 'se', 'ci_low', 'ci_high', 'previous', 'change'])
      row.getCell(key).numFmt = numberFormat(q, e.statistic);
  }
  if (report.trend) {
    const trend = book.addWorksheet('Trend', { views: [{ state: 'frozen', ySplit: 1 }] });
    trend.columns = [
      { header: 'question', key: 'question', width: 26 },
      { header: locale === 'nl' ? 'vraag' : 'label', key: 'label', width: 40 },
      { header: 'statistic', key: 'statistic', width: 11 },
      { header: 'category', key: 'category', width: 14 },
      { header: locale === 'nl' ? 'categorie' : 'category label', key: 'category_label', width: 26 },
      { header: 'wave', key: 'wave', width: 18 },
      { header: locale === 'nl' ? 'meting' : 'wave name', key: 'wave_name', width: 28 },
      { header: 'estimate', key: 'estimate', width: 16 },
      { header: 'ci_low', key: 'ci_low', width: 16 },
      { header: 'ci_high', key: 'ci_high', width: 16 },
    ];
    trend.getRow(1).font = { bold: true };
    for (const series of report.trend.series) {
      const q = questionOf(def, series.question);
      series.points.forEach((point, i) => {
        const wave = report.trend!.waves[i];
        const row = trend.addRow({
          question: series.question,
          label: safeText(reportLabel(q, locale)),
          statistic: series.statistic,
          category: series.category,
          category_label: safeText(categoryLabel(q, series.category, locale)),
          wave: wave.slug,
          wave_name: safeText(wave.name),
          ...point,
        });
        for (const key of ['estimate', 'ci_low', 'ci_high'])
          row.getCell(key).numFmt = numberFormat(q, series.statistic);
      });
    }
  }
  const method = book.addWorksheet(locale === 'nl' ? 'Methode' : 'Method');
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
  return Buffer.from(await book.xlsx.writeBuffer());
}
