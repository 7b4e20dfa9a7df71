// The PDF for the ministry (pdfkit): cover, key figures, per question its chart
// and table, response and representativeness, warnings, method and disclosure
// note, page numbers. It renders a protected report model only.
import PDFDocument from 'pdfkit';
import type { ReportModel } from '../analysis/report/report-model';
import { yieldToEventLoop } from '../analysis/yield';
import { formatDate, formatNumber, formatPeriod, formatProportion } from '../foundation/numbers/format-dutch';
import type { SurveyDefinition } from '../surveys/definition-schema';
import { type Locale, t } from '../views/i18n/index';
import { renderChartPng } from './chart-image';
import { FONT_BOLD, FONT_REGULAR } from './fonts';
import { formatCount, formatRespondents, keyFigures, weightingWords } from './report-text';
import { calibrationText, reportView, rIndicatorText, type ViewTable } from './report-view';

const INK = '#1b1f24';
const MUTED = '#4a5360';
const BRAND = '#1d4f91';
const MARGIN = 56;

export async function renderReportPdf(
  report: ReportModel,
  def: SurveyDefinition,
  locale: Locale,
  now = new Date(),
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 20, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: `${def.title[locale] ?? def.title.nl} – ${report.wave.name}`,
      Author: 'Impactmonitor',
      Subject: t(locale, 'report.cover.subtitle'),
    },
  });
  // An embedded Unicode font (subset by pdfkit): Helvetica cannot write χ².
  doc.registerFont('Body', FONT_REGULAR);
  doc.registerFont('Bold', FONT_BOLD);
  doc.font('Body');
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 2 * MARGIN;
  const respondents = formatRespondents(report, locale);

  // Cover.
  doc.fillColor(BRAND).fontSize(11).text('Impactmonitor', { characterSpacing: 1 });
  doc.moveDown(6);
  doc
    .fillColor(INK)
    .font('Bold')
    .fontSize(26)
    .text(def.title[locale] ?? def.title.nl, { width });
  doc.moveDown(0.5);
  doc.font('Body').fontSize(14).fillColor(MUTED).text(t(locale, 'report.cover.subtitle'), { width });
  doc.moveDown(2);
  doc
    .fillColor(INK)
    .fontSize(12)
    .text(t(locale, 'report.cover.wave', { wave: report.wave.name }));
  if (report.wave.period)
    doc.text(t(locale, 'report.cover.period', formatPeriod(report.wave.period.start, report.wave.period.end, locale)));
  doc.text(t(locale, 'report.cover.date', { date: formatDate(now, locale) }));
  if (report.wave.provisional) {
    doc.moveDown(0.5).font('Bold').fillColor('#b35900').text(t(locale, 'report.cover.provisional'), { width });
    doc.font('Body').fillColor(INK);
  }
  doc.moveDown(1);
  doc
    .fontSize(10)
    .fillColor(MUTED)
    .text(
      t(locale, 'report.cover.source', {
        year: report.frame.year,
        N: formatNumber(report.frame.N, locale),
        n: respondents,
      }),
      { width },
    );

  // Key figures, after the branch they are about.
  doc.addPage();
  heading(doc, t(locale, 'report.key_figures'));
  const context = reportView(report, def, locale).branch;
  if (context) doc.fontSize(10.5).fillColor(MUTED).text(context, { width, paragraphGap: 8 });
  const keys = keyFigures(report, def, locale);
  if (keys.length === 0) doc.fontSize(11).fillColor(INK).text(t(locale, 'report.no_key_figures'));
  for (const k of keys) {
    doc.fontSize(11).fillColor(INK).text(`•  ${k.text}`, { width, paragraphGap: 6 });
  }

  // One page per question: chart, table with the change, the development across waves.
  const view = reportView(report, def, locale);
  for (const section of view.sections) {
    doc.addPage();
    heading(doc, `${section.number}. ${section.title}`);
    await yieldToEventLoop();
    const height = CHART_HEIGHT[section.chart.size];
    const png = await renderChartPng(section.chart, { width: 1000, height, fontSize: 20 });
    doc.image(png, { width, height: (width * height) / 1000 });
    doc.moveDown(0.5);
    viewTable(doc, section.table);
    if (section.footnote) doc.moveDown(0.3).fontSize(8.5).fillColor(MUTED).text(section.footnote, { width });
    if (section.trend && section.trendTable) {
      // The development across waves: on this page when it fits, else on the next; never left out.
      const chartHeight = width * 0.7 * 0.4;
      const needed = 30 + chartHeight + 20 * (section.trendTable.rows.length + 1);
      if (doc.y + needed > doc.page.height - MARGIN - 20) doc.addPage();
      else doc.moveDown(0.8);
      subheading(doc, t(locale, 'report.trend.title'));
      await yieldToEventLoop();
      doc.image(await renderChartPng(section.trend, { width: 1000, height: 400, fontSize: 22 }), {
        width: width * 0.7,
        height: chartHeight,
      });
      doc.moveDown(0.3);
      viewTable(doc, section.trendTable);
    }
  }

  // Response and representativeness.
  doc.addPage();
  heading(doc, t(locale, 'report.response.title'));
  table(
    doc,
    [t(locale, 'report.response.col.stratum'), 'N', 'n', t(locale, 'report.response.col.rate')],
    [
      ...report.response.map((r) => [
        r.stratum,
        formatNumber(r.N, locale),
        formatCount(r.n, r.n_band, locale),
        r.rate === null ? '–' : formatProportion(r.rate, locale),
      ]),
      [
        t(locale, 'report.response.total'),
        formatNumber(report.frame.N, locale),
        formatRespondents(report, locale),
        report.respondents?.n ? formatProportion(report.respondents.n / report.frame.N, locale) : '–',
      ],
    ],
    [0.52, 0.16, 0.16, 0.16],
  );
  if (report.representativeness && report.representativeness.p !== null) {
    const c = report.representativeness;
    doc
      .moveDown(0.6)
      .fontSize(10)
      .fillColor(INK)
      .text(
        t(locale, 'report.response.chi', {
          statistic: formatNumber(c.statistic!, locale, 2),
          df: c.df!,
          p: formatNumber(c.p, locale, 3),
          verdict: t(locale, c.p < 0.05 ? 'report.response.skewed' : 'report.response.representative'),
        }),
        { width },
      );
  }
  const rText = rIndicatorText(report, locale);
  if (rText) doc.moveDown(0.4).fontSize(10).fillColor(INK).text(rText, { width });
  if (report.warnings.length) {
    doc.moveDown(1);
    subheading(doc, t(locale, 'report.warnings'));
    for (const w of report.warnings) doc.fontSize(9.5).fillColor(INK).text(`•  ${w}`, { width, paragraphGap: 3 });
  }

  // Method and disclosure.
  doc.moveDown(1);
  subheading(doc, t(locale, 'report.method.title'));
  doc
    .fontSize(10)
    .fillColor(INK)
    .text(t(locale, 'report.method.text', { year: report.frame.year, stratify: weightingWords(report, locale) }), {
      width,
      paragraphGap: 6,
    });
  const calibrated = calibrationText(report, locale);
  if (calibrated) doc.text(calibrated, { width, paragraphGap: 6 });
  doc.text(
    t(locale, 'report.method.disclosure', {
      min: report.design.min_cell,
      k: Math.round(report.design.dominance.k * 100),
      p: Math.round(report.design.dominance.p * 100),
    }),
    { width },
  );

  // Footer with page numbers on every page but the cover.
  const range = doc.bufferedPageRange();
  for (let i = 1; i < range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would make pdfkit start a new page.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN + 4;
    doc.fontSize(8).fillColor(MUTED);
    doc.text(
      t(locale, 'report.footer', { survey: def.title[locale] ?? def.title.nl, wave: report.wave.name }),
      MARGIN,
      y,
      {
        width: width * 0.75,
        lineBreak: false,
      },
    );
    doc.text(t(locale, 'report.page', { n: i + 1, total: range.count }), MARGIN + width * 0.75, y, {
      width: width * 0.25,
      align: 'right',
      lineBreak: false,
    });
  }
  doc.end();
  return done;
}

function heading(doc: PDFKit.PDFDocument, text: string) {
  doc.font('Bold').fontSize(16).fillColor(BRAND).text(text);
  doc.font('Body').moveDown(0.6);
}

function subheading(doc: PDFKit.PDFDocument, text: string) {
  doc.font('Bold').fontSize(12).fillColor(INK).text(text);
  doc.font('Body').moveDown(0.3);
}

/** Chart heights in pixels (at 1000 wide) by the size the spec asks for. */
const CHART_HEIGHT = { normal: 460, tall: 700, xtall: 1000 } as const;

/** A table of the report view, columns sized by their content. */
function viewTable(doc: PDFKit.PDFDocument, t: ViewTable) {
  const header = t.columns.map((c) => c.label);
  const rows = t.rows.map((r) => [r.header, ...r.cells]);
  // The first column gets more room; the others share the rest by their longest text.
  const longest = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length), 3));
  const rest = longest.slice(1).reduce((a, l) => a + l, 0);
  const first = Math.min(0.3, Math.max(0.18, longest[0] / (longest[0] + rest)));
  const widths = [first, ...longest.slice(1).map((l) => ((1 - first) * l) / rest)];
  table(doc, header, rows, widths);
}

/** A simple table: header row, then rows; numbers right-aligned after the first column. */
function table(doc: PDFKit.PDFDocument, header: string[], rows: string[][], widths: number[]) {
  const total = doc.page.width - 2 * MARGIN;
  const cols = widths.map((w) => w * total);
  const draw = (cells: string[], bold: boolean) => {
    if (doc.y > doc.page.height - MARGIN - 60) doc.addPage();
    const y = doc.y;
    let x = MARGIN;
    doc
      .font(bold ? 'Bold' : 'Body')
      .fontSize(9)
      .fillColor(INK);
    let height = 0;
    cells.forEach((cell, i) => {
      const options = { width: cols[i] - 6, align: (i === 0 ? 'left' : 'right') as 'left' | 'right' };
      height = Math.max(height, doc.heightOfString(cell, options));
      doc.text(cell, x, y, options);
      x += cols[i];
    });
    doc.y = y + height + 4;
    doc
      .moveTo(MARGIN, doc.y - 2)
      .lineTo(MARGIN + total, doc.y - 2)
      .lineWidth(bold ? 1 : 0.4)
      .strokeColor(bold ? INK : '#c9ced6')
      .stroke();
    doc.x = MARGIN;
  };
  draw(header, true);
  for (const r of rows) draw(r, false);
  doc.font('Body');
}
