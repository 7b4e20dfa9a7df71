// The PDF for the ministry (pdfkit): cover, key figures, per question its chart
// and table, response and representativeness, warnings, method and disclosure
// note, page numbers. It renders a protected report model only.
import PDFDocument from 'pdfkit';
import type { ReportModel } from '../analysis/report/report';
import { yieldToEventLoop } from '../analysis/yield';
import type { SurveyDefinition } from '../surveys/definition-schema';
import { type Locale, t } from '../views/i18n/index';
import { renderChartPng } from './chart-image';
import { domainChartSpec, groupEstimates, trendChartSpec } from './chart-spec';
import { FONT_BOLD, FONT_REGULAR } from './fonts';
import { formatDate, formatNumber, formatProportion } from './format-dutch';
import {
  estimateGroups,
  formatChange,
  formatCount,
  formatInterval,
  formatRespondents,
  formatValue,
  groupTitle,
  keyFigures,
  questionOf,
  trendRows,
  weightingWords,
} from './report-text';

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
      Title: `${def.title[locale]} – ${report.wave.name}`,
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
  doc.fillColor(INK).font('Bold').fontSize(26).text(def.title[locale], { width });
  doc.moveDown(0.5);
  doc.font('Body').fontSize(14).fillColor(MUTED).text(t(locale, 'report.cover.subtitle'), { width });
  doc.moveDown(2);
  doc
    .fillColor(INK)
    .fontSize(12)
    .text(t(locale, 'report.cover.wave', { wave: report.wave.name }));
  doc.text(t(locale, 'report.cover.date', { date: formatDate(now, locale) }));
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

  // Key figures.
  doc.addPage();
  heading(doc, t(locale, 'report.key_figures'));
  const keys = keyFigures(report, def, locale);
  if (keys.length === 0) doc.fontSize(11).fillColor(INK).text(t(locale, 'report.no_key_figures'));
  for (const k of keys) {
    doc.fontSize(11).fillColor(INK).text(`•  ${k.text}`, { width, paragraphGap: 6 });
  }

  // Per question: chart and table.
  const dimension = report.design.by ?? report.design.stratify.join(',');
  for (const g of estimateGroups(report)) {
    const q = questionOf(def, g.question);
    const title = groupTitle(def, g, locale);
    doc.addPage();
    heading(doc, title);
    const group = { ...g, dimension };
    const spec = domainChartSpec(report, group, q, title, locale);
    await yieldToEventLoop();
    const png = await renderChartPng(spec, 1000, 460);
    doc.image(png, { width, height: width * 0.46 });
    doc.moveDown(0.5);
    const trend = trendChartSpec(report, group, q, title, locale);
    const rows = [...groupEstimates(report, { ...g, dimension: null }), ...groupEstimates(report, group)];
    const hasPrevious = rows.some((r) => r.previous !== null);
    const header = [
      t(locale, 'report.col.domain'),
      t(locale, 'report.col.estimate'),
      t(locale, 'report.col.interval'),
      ...(hasPrevious ? [t(locale, 'report.col.previous'), t(locale, 'report.col.change')] : []),
      t(locale, 'report.col.n'),
      t(locale, 'report.col.N'),
    ];
    const body = rows.map((e) => [
      e.domain === '*' ? t(locale, 'report.whole_branch') : e.domain,
      formatValue(q, e, e.estimate, locale),
      formatInterval(q, e, locale),
      ...(hasPrevious ? [formatValue(q, e, e.previous, locale), formatChange(q, e, e.change, locale)] : []),
      formatCount(e.n, e.n_band, locale),
      formatNumber(e.N, locale),
    ]);
    table(doc, header, body, hasPrevious ? [0.22, 0.14, 0.22, 0.13, 0.15, 0.07, 0.07] : [0.3, 0.2, 0.34, 0.08, 0.08]);
    const reasons = [...new Set(rows.filter((r) => r.suppressed && r.reason).map((r) => r.reason!))];
    if (reasons.length) {
      doc
        .moveDown(0.3)
        .fontSize(8.5)
        .fillColor(MUTED)
        .text(
          t(locale, 'report.footnote', {
            reason: reasons.map((r) => t(locale, `report.reason.${r}`, { min: report.design.min_cell })).join('; '),
          }),
          { width },
        );
    }
    if (trend) {
      // The development across waves: on this page when it fits, else on the next; never left out.
      const rowsPerWave = trendRows(report, group, q, locale);
      const chartHeight = width * 0.7 * 0.36;
      const needed = 30 + chartHeight + 20 * (rowsPerWave.length + 1);
      if (doc.y + needed > doc.page.height - MARGIN - 20) doc.addPage();
      else doc.moveDown(0.8);
      subheading(doc, t(locale, 'report.trend.title'));
      doc.image(await renderChartPng(trend, 1000, 360), { width: width * 0.7, height: chartHeight });
      doc.moveDown(0.3);
      table(
        doc,
        [t(locale, 'report.col.wave'), t(locale, 'report.col.estimate'), t(locale, 'report.col.interval')],
        rowsPerWave.map((r) => [r.wave, r.estimate, r.interval]),
        [0.4, 0.24, 0.36],
      );
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
  if (report.representativeness) {
    const c = report.representativeness;
    doc
      .moveDown(0.6)
      .fontSize(10)
      .fillColor(INK)
      .text(
        t(locale, 'report.response.chi', {
          statistic: formatNumber(c.statistic, locale, 2),
          df: c.df,
          p: formatNumber(c.p, locale, 3),
          verdict: t(locale, c.p < 0.05 ? 'report.response.skewed' : 'report.response.representative'),
        }),
        { width },
      );
  }
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
    doc.text(t(locale, 'report.footer', { survey: def.title[locale], wave: report.wave.name }), MARGIN, y, {
      width: width * 0.75,
      lineBreak: false,
    });
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
