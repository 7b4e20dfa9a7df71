// The ministry PDF of the default demo report, read back as a reader sees it:
// at most 15 pages, no table cell broken into a lone digit or a word cut in two,
// "€" never alone at the end of a line, and every page drawn as an image (pdftoppm).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedValue } from '../../analysis/disclosure/precision';
import { buildReport } from '../../analysis/report/report';
import type { ReportModel } from '../../analysis/report/report-model';
import { renderReportPdf } from '../../exports/pdf-report';
import { perMonthComparison } from '../../exports/report-periods';
import { readableTable } from '../../exports/report-table';
import { keyFigures, questionOf } from '../../exports/report-text';
import { reportView } from '../../exports/report-view';
import { periodMonths } from '../../foundation/numbers/format-dutch';
import { fillDemo } from '../../server/demo/demo';
import type { SurveyDefinition } from '../../surveys/definition-schema';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { nl } from '../../views/i18n/nl/index';
import { type TestDatabase, testDialects } from '../support/databases';
import { pdfLines } from '../support/pdf-text';

/** Every word the PDF may print: the report view's texts and the catalogue's. */
function vocabulary(...sources: unknown[]): { words: Set<string>; texts: Set<string> } {
  const words = new Set<string>();
  const texts = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') texts.add(v);
    // A word may wrap after its own hyphen ("95%-" / "betrouwbaarheidsinterval").
    if (typeof v === 'string') for (const w of v.split(/[\s\u00a0]+|(?<=-)/)) words.add(w);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  sources.forEach(walk);
  return { words, texts };
}

describe.each(testDialects())('the ministry PDF of the demo on $kind', (dialect) => {
  let handle: TestDatabase;
  let report: ReportModel;
  let definition: SurveyDefinition;
  let pdf: Buffer;
  const dir = mkdtempSync(path.join(tmpdir(), 'impactmonitor-pdf-'));

  beforeAll(async () => {
    handle = await dialect.create();
    await fillDemo(handle, {});
    // The report the staff page and the bench open by default: the June wave per organisation type.
    report = await buildReport(handle.db, {
      wave: 'corona-2020-06',
      stratify: ['org_type'],
      by: null,
      questions: null,
    });
    definition = (await waveWithDefinition(handle.db, 'corona-2020-06'))!.definition;
    pdf = await renderReportPdf(report, definition, 'nl', new Date('2026-12-04T12:00:00Z'));
  });
  afterAll(async () => {
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fits in 15 pages with every question and the appendix', async () => {
    const pages = await pdfLines(pdf);
    expect(pages.length).toBeGreaterThan(3);
    expect(pages.length).toBeLessThanOrEqual(15);
    const text = pages.flat().join(' ');
    for (const section of reportView(report, definition, 'nl').sections)
      expect(text).toContain(`${section.number}. ${section.title}`);
    expect(text).toContain('Respons en representativiteit');
    expect(text).toContain('Methode en geheimhouding');
  });

  it('breaks no number and no word: no line is a lone digit, a cut word or a lone "€"', async () => {
    const { words, texts } = vocabulary(reportView(report, definition, 'nl'), nl, definition, '4 december 2026');
    const lines = (await pdfLines(pdf)).flat();
    const problems: string[] = [];
    for (const [i, line] of lines.entries()) {
      // A one-digit line is fine only where a whole cell is that digit (an estimate of 3, a change of 0).
      if (/^\d$/.test(line) && !texts.has(line)) problems.push(`lone digit: "${line}" after "${lines[i - 1]}"`);
      if (/€$/.test(line)) problems.push(`"€" at the end of a line: "${line}"`);
      // A cut word leaves pieces no text of the report contains ("Schatti", "ng").
      for (const token of line.split(/[\s\u00a0]+/)) {
        const bare = token.replace(/[(),.:;]+$/, '').replace(/^\(/, '');
        if (/^\p{L}{2,}$/u.test(bare) && !words.has(token) && !words.has(bare) && !words.has(`(${bare}`))
          if (![...words].some((w) => w.replace(/[(),.:;]/g, '') === bare))
            problems.push(`cut word: "${token}" in "${line}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('draws every page as an image (pdftoppm)', () => {
    const file = path.join(dir, 'demo.pdf');
    writeFileSync(file, pdf);
    execFileSync('pdftoppm', ['-r', '30', '-png', file, path.join(dir, 'page')]);
    const images = readdirSync(dir).filter((f) => f.endsWith('.png'));
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
    expect(images).toHaveLength(pages);
    for (const image of images) expect(readFileSync(path.join(dir, image)).subarray(1, 4).toString()).toBe('PNG');
  });

  it('compares June (one month) with April (one and a half) per month, and says so under the table', async () => {
    expect(report.previous_wave?.period).toEqual({ start: '2020-03-16', end: '2020-04-30' });
    const view = reportView(report, definition, 'nl');
    const revenue = view.sections.find((s) => s.anchor === 'vraag-revenue_loss_eur')!;
    expect(revenue.table.columns.map((c) => c.label)).toEqual([
      'Groep',
      'Schatting',
      '95%-betrouwbaarheidsinterval',
      'Per maand',
      'Vorige meting per maand',
      'Verandering per maand',
      'n',
      'N',
    ]);
    expect(revenue.periodNote).toBe(
      'De referentieperioden verschillen in lengte (Coronamonitor juni 2020: 1 maand; Coronamonitor april 2020: 1,5 maand). Vorige meting en verandering zijn daarom bedragen per maand.',
    );
    expect(revenue.trendTable?.columns.map((c) => c.label)).toContain('Schatting per maand');
    // The numbers: the previous wave's published total over its 1,5 month, this wave's over its month.
    const whole = (e: { question: string; statistic: string; dimension: string | null }) =>
      e.question === 'revenue_loss_eur' && e.statistic === 'total' && e.dimension === null;
    const raw = report.estimates.find(whole)!;
    const compared = perMonthComparison(report, (k) => questionOf(definition, k)).estimates.find(whole)!;
    const april = publishedValue(raw.previous! / periodMonths('2020-03-16', '2020-04-30'), 'amount').value;
    const june = publishedValue(raw.estimate! / periodMonths('2020-05-01', '2020-05-31'), 'amount').value;
    expect(compared.previous).toBe(april);
    expect(compared.monthly).toBe(june);
    expect(compared.change).toBe(june - april);
    // The readable table (Excel) compares as the page does: per month, with the page's note.
    const table = readableTable(report, definition, 'nl');
    expect(table.header).toContain('per maand');
    const row = table.rows[report.estimates.findIndex(whole)];
    const at = (name: string) => row.values[table.header.indexOf(name)];
    expect([at('schatting'), at('per maand'), at('vorige meting'), at('verandering')]).toEqual([
      raw.estimate,
      june,
      april,
      june - april,
    ]);
    expect(at('toelichting')).toContain('Vorige meting en verandering zijn daarom bedragen per maand.');
    // A count is not divided: the table keeps its totals and says the periods differ.
    const count = view.sections.find((s) => s.anchor === 'vraag-now_employees')!;
    expect(count.table.columns.map((c) => c.label)).toContain('Verandering');
    expect(count.periodNote).toMatch(/^Let op: de referentieperioden verschillen in lengte/);
    // A one-month period: the key figure gives no second "per maand" figure.
    expect(keyFigures(report, definition, 'nl').some((k) => k.text.includes('per maand'))).toBe(false);
    const aprilReport = await buildReport(handle.db, {
      wave: 'corona-2020-04',
      stratify: ['org_type'],
      by: null,
      questions: null,
    });
    const aprilDefinition = (await waveWithDefinition(handle.db, 'corona-2020-04'))!.definition;
    expect(keyFigures(aprilReport, aprilDefinition, 'nl').some((k) => k.text.includes('per maand'))).toBe(true);
  });
});
