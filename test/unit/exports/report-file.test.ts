import { describe, expect, it } from 'vitest';
import type { ReportModel } from '../../../analysis/report/report-model';
import { reportCsv } from '../../../exports/report-csv';
import { isReportFileFormat, REPORT_FILE_FORMATS, renderReportFile } from '../../../exports/report-file';
import type { SurveyDefinition } from '../../../surveys/definition-schema';

const report = {
  wave: { slug: 'juni', name: 'Juni' },
  estimates: [
    {
      question: 'revenue_loss_eur',
      statistic: 'total',
      method: 'ratio',
      auxiliary: 'turnover_eur',
      category: null,
      dimension: null,
      domain: '*',
      estimate: 1000.5,
      se: 10,
      ci_low: 980,
      ci_high: 1020,
      n: 10,
      n_band: null,
      N: 20,
      suppressed: false,
      reason: null,
      previous: null,
      change: null,
      perturbed: true,
      rounding: null,
    },
  ],
} as unknown as ReportModel;
const definition = {} as SurveyDefinition;

describe('a report as a file', () => {
  it('knows the formats a report downloads as, and nothing else', () => {
    expect(REPORT_FILE_FORMATS).toEqual(['csv', 'csv-nl', 'table', 'xlsx', 'pdf']);
    expect(isReportFileFormat('csv-nl')).toBe(true);
    expect(isReportFileFormat('json')).toBe(false);
    expect(isReportFileFormat('png')).toBe(false);
  });

  it('names the data CSV after the wave, the Excel flavour with "-excel", as UTF-8 bytes', async () => {
    const csv = await renderReportFile('csv', report, definition, 'nl');
    expect(csv.fileName).toBe('impactmonitor-juni.csv');
    expect(csv.contentType).toBe('text/csv; charset=utf-8');
    expect(Buffer.isBuffer(csv.content)).toBe(true);
    expect(csv.content.toString('utf8')).toBe(reportCsv(report, 'csv'));
    expect(csv.content.toString('utf8')).toContain('1000.5');

    const excel = await renderReportFile('csv-nl', report, definition, 'en');
    expect(excel.fileName).toBe('impactmonitor-juni-excel.csv');
    expect(excel.content.toString('utf8')).toBe(reportCsv(report, 'csv-nl'));
    expect(excel.content.toString('utf8')).toContain('1000,5');
  });
});
