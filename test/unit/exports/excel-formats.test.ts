import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ReportModel } from '../../../analysis/report/report-model';
import { changeCell, NUMBER_FORMATS, safeText, valueFormat } from '../../../exports/excel-formats';
import { renderReportFile } from '../../../exports/report-file';
import type { SurveyDefinition } from '../../../surveys/definition-schema';

const definition = {
  key: 'k',
  version: 1,
  title: { nl: 'Titel' },
  pages: [
    {
      key: 'p',
      title: { nl: 'P' },
      questions: [
        { key: 'loss', type: 'currency', label: { nl: '+Omzetverlies' } },
        {
          key: 'online',
          type: 'single_choice',
          label: { nl: 'Online?' },
          options: [{ value: 'yes', label: { nl: 'Ja, volledig' } }],
        },
      ],
    },
  ],
} as unknown as SurveyDefinition;

const cell = (over: Record<string, unknown>) => ({
  question: 'loss',
  statistic: 'total',
  method: 'ratio',
  auxiliary: null,
  category: null,
  dimension: null,
  domain: '*',
  estimate: 6_630_000,
  se: 150_000,
  ci_low: 6_300_000,
  ci_high: 6_900_000,
  n: 120,
  n_band: null,
  N: 400,
  suppressed: false,
  reason: null,
  previous: 6_615_000,
  change: 15_000,
  perturbed: true,
  rounding: { estimate: 1000, se: 1000 },
  ...over,
});

const report = {
  wave: { slug: 'juni', name: 'Juni' },
  design: { min_cell: 5 },
  estimates: [
    cell({}),
    cell({
      question: 'online',
      statistic: 'proportion',
      category: 'yes',
      estimate: 0.254,
      ci_low: 0.2,
      ci_high: 0.31,
      previous: 0.155,
      change: 0.099,
    }),
    cell({
      domain: 'muziekschool',
      dimension: 'org_type',
      estimate: null,
      se: null,
      ci_low: null,
      ci_high: null,
      n: null,
      n_band: '< 5',
      suppressed: true,
      reason: 'min_n',
      previous: null,
      change: null,
    }),
  ],
} as unknown as ReportModel;

describe('Excel number formats of published figures', () => {
  it('shows euros, shares and counts the Dutch way, changes with their sign, shares in points', () => {
    expect(valueFormat({ type: 'currency' }, { statistic: 'total' })).toBe(NUMBER_FORMATS.euro);
    expect(valueFormat({ type: 'single_choice' }, { statistic: 'proportion' })).toBe('0.0%');
    expect(valueFormat({ type: 'percentage' }, { statistic: 'mean' })).toBe('0.0"%"');
    expect(valueFormat({ type: 'integer' }, { statistic: 'total' })).toBe('#,##0');
    expect(valueFormat({ type: 'integer' }, { statistic: 'mean' })).toBe('#,##0.0');
    expect(changeCell({ type: 'currency' }, { statistic: 'total' }, 15_000, 'nl')).toEqual({
      value: 15_000,
      numFmt: NUMBER_FORMATS.euroChange,
    });
    // 0.099 × 100 without binary noise (9.900000000000002).
    expect(changeCell({ type: 'single_choice' }, { statistic: 'proportion' }, 0.099, 'nl')).toEqual({
      value: 9.9,
      numFmt: NUMBER_FORMATS.points,
    });
    expect(safeText('+€ 15.000')).toBe("'+€ 15.000");
    expect(safeText('Juni')).toBe('Juni');
  });

  it('writes the readable table as a workbook of numbers: no text where a number stands, "–" where it is withheld', async () => {
    const file = await renderReportFile('table', report, definition, 'nl');
    expect(file.fileName).toBe('impactmonitor-juni-tabel.xlsx');
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.content as never);
    const sheet = book.getWorksheet('Tabel')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const get = (row: number, name: string) => sheet.getRow(row).getCell(header.indexOf(name) + 1);
    expect(get(2, 'vraag').value).toBe("'+Omzetverlies");
    expect(get(2, 'schatting').value).toBe(6_630_000);
    expect(get(2, 'schatting').numFmt).toBe('[$€-413] #,##0;-[$€-413] #,##0');
    expect(get(2, 'verandering').value).toBe(15_000);
    expect(get(2, 'verandering').numFmt).toBe(NUMBER_FORMATS.euroChange);
    expect(get(3, 'antwoord').value).toBe('Ja, volledig');
    expect(get(3, 'schatting').value).toBe(0.254);
    expect(get(3, 'schatting').numFmt).toBe('0.0%');
    expect(get(3, 'verandering').value).toBe(9.9);
    expect(get(3, 'verandering').numFmt).toBe(NUMBER_FORMATS.points);
    expect(get(4, 'schatting').value).toBe('–');
    expect(get(4, 'organisaties met antwoord (n)').value).toBe('< 5');
    expect(String(get(4, 'toelichting').value)).not.toBe('');
    expect(header).not.toContain('per maand');
    // The English workbook names its sheet and columns in English.
    const en = new ExcelJS.Workbook();
    await en.xlsx.load((await renderReportFile('table', report, definition, 'en')).content as never);
    expect(en.getWorksheet('Table')!.getRow(1).getCell(7).value).toBe('estimate');
  });
});
