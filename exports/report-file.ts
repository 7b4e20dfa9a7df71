// A report as a downloadable file, one place for every format: the staff download,
// the files of a publication and the command line all render a report this way.
import type { ReportModel } from '../analysis/report/report-model';
import type { SurveyDefinition } from '../surveys/definition-schema';
import type { Locale } from '../views/i18n/index';
import { renderChartPng } from './chart-image';
import { CSV_CONTENT_TYPE } from './export-file';
import { renderReportPdf } from './pdf-report';
import { reportCsv } from './report-csv';
import { renderReadableXlsx } from './report-table';
import type { ReportSection } from './report-view';
import { renderReportXlsx } from './xlsx-report';

/** The formats a report downloads as: the data (csv, csv-nl), the readable table (an Excel workbook), the analysts' workbook and the PDF. */
export const REPORT_FILE_FORMATS = ['csv', 'csv-nl', 'table', 'xlsx', 'pdf'] as const;
export type ReportFileFormat = (typeof REPORT_FILE_FORMATS)[number];

export function isReportFileFormat(format: string): format is ReportFileFormat {
  return (REPORT_FILE_FORMATS as readonly string[]).includes(format);
}

export const CONTENT_TYPES = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: CSV_CONTENT_TYPE,
  png: 'image/png',
} as const;

export interface ReportFile {
  /** The name a download gets: impactmonitor-WAVE-tabel.xlsx, impactmonitor-WAVE.xlsx… */
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** The report in one format: its bytes, content type and download name. */
export async function renderReportFile(
  format: ReportFileFormat,
  report: ReportModel,
  definition: SurveyDefinition,
  locale: Locale,
): Promise<ReportFile> {
  const name = `impactmonitor-${report.wave.slug}`;
  switch (format) {
    case 'table':
      return {
        fileName: `${name}-tabel.xlsx`,
        contentType: CONTENT_TYPES.xlsx,
        content: await renderReadableXlsx(report, definition, locale),
      };
    case 'csv':
    case 'csv-nl':
      return {
        fileName: `${name}${format === 'csv-nl' ? '-excel' : ''}.csv`,
        contentType: CONTENT_TYPES.csv,
        content: Buffer.from(reportCsv(report, format)),
      };
    case 'xlsx':
      return {
        fileName: `${name}.xlsx`,
        contentType: CONTENT_TYPES.xlsx,
        content: await renderReportXlsx(report, definition, locale),
      };
    case 'pdf':
      return {
        fileName: `${name}.pdf`,
        contentType: CONTENT_TYPES.pdf,
        content: await renderReportPdf(report, definition, locale),
      };
  }
}

/** Chart heights in pixels by the size a spec asks for (PNG at 900 wide). */
export const PNG_HEIGHT = { normal: 420, tall: 640, xtall: 900 } as const;

/** A section's chart as a PNG with its title, as the page and a publication offer it. */
export function renderSectionPng(section: ReportSection): Promise<Buffer> {
  return renderChartPng(section.chart, { title: true, height: PNG_HEIGHT[section.chart.size] });
}
