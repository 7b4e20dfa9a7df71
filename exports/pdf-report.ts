// The PDF for the ministry (pdfkit): cover, key figures, per question its chart,
// table and development across waves, then a compact appendix (response and
// representativeness, warnings, method and disclosure note), page numbers. It
// renders a protected report model only. Questions follow each other on the page
// (a question starts a new page only when its chart and table do not fit), so the
// default demo report stays within 15 pages.
import PDFDocument from 'pdfkit';
import type { ReportModel } from '../analysis/report/report-model';
import { yieldToEventLoop } from '../analysis/yield';
import { formatDate, formatNumber, formatPeriod } from '../foundation/numbers/format-dutch';
import type { SurveyDefinition } from '../surveys/definition-schema';
import { type Locale, t } from '../views/i18n/index';
import { renderChartPng } from './chart-image';
import { FONT_BOLD, FONT_REGULAR } from './fonts';
import { bindAmounts, bindNumber, type TableColumn, type TablePart, tableLayout } from './pdf-table';
import { formatRespondents } from './report-text';
import { isProtected, type ReportSection, type ReportView, reportView, type ViewTable } from './report-view';

const INK = '#1b1f24';
const MUTED = '#4a5360';
const BRAND = '#1d4f91';
const MARGIN = 56;
const FOOTER = 20;
/** Chart pixels per point and their font size in pixels: labels print at 16 / 2 = 8 pt. */
const PX_PER_PT = 2;
const CHART_FONT_PX = 16;
/** Chart heights in points by the size the spec asks for. */
const CHART_HEIGHT = { normal: 150, tall: 230, xtall: 330 } as const;
/** The question's chart takes this share of the width when the trend stands beside it. */
const MAIN_SHARE = 0.6;
const GAP = 12;
const TABLE_FONT = 8.5;
const KEEP_WHOLE_ROWS = 15;
/** Room between columns (the layout adds a point more, so that a measured number never just wraps). */
const CELL_PADDING = 6;

type Doc = PDFKit.PDFDocument;

export interface PdfMeta {
  title: string;
  subtitle: string;
}

/** A new A4 document with the embedded fonts; `done` resolves to its bytes after `doc.end()`. */
export function newPdf(meta: PdfMeta): { doc: Doc; done: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: meta.title, Author: 'Impactmonitor', Subject: meta.subtitle },
  });
  // An embedded Unicode font (subset by pdfkit): Helvetica cannot write χ².
  doc.registerFont('Body', FONT_REGULAR);
  doc.registerFont('Bold', FONT_BOLD);
  doc.font('Body');
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  return { doc, done };
}

export async function renderReportPdf(
  report: ReportModel,
  def: SurveyDefinition,
  locale: Locale,
  now = new Date(),
): Promise<Buffer> {
  const title = def.title[locale] ?? def.title.nl;
  const { doc, done } = newPdf({
    title: `${title} – ${report.wave.name}`,
    subtitle: t(locale, 'report.cover.subtitle'),
  });
  const view = reportView(report, def, locale);
  drawCover(doc, report, title, locale, now);
  doc.addPage();
  drawKeyFigures(doc, view, locale);
  for (const section of view.sections) await drawQuestion(doc, section, locale);
  drawAppendix(doc, report, view, locale);
  drawFooters(doc, t(locale, 'report.footer', { survey: title, wave: report.wave.name }), locale);
  doc.end();
  return done;
}

const textWidth = (doc: Doc) => doc.page.width - 2 * MARGIN;
const bottom = (doc: Doc) => doc.page.height - MARGIN - FOOTER;

/** The top of a cover: the brand, the title and its subtitle, then the body text style for the cover's lines. */
export function drawCoverHeading(doc: Doc, title: string, subtitle: string) {
  const width = textWidth(doc);
  doc.fillColor(BRAND).fontSize(11).text('Impactmonitor', { characterSpacing: 1 });
  doc.moveDown(6);
  doc.fillColor(INK).font('Bold').fontSize(26).text(title, { width });
  doc.moveDown(0.5);
  doc.font('Body').fontSize(14).fillColor(MUTED).text(subtitle, { width });
  doc.moveDown(2);
  doc.fillColor(INK).fontSize(12);
}

function drawCover(doc: Doc, report: ReportModel, title: string, locale: Locale, now: Date) {
  const width = textWidth(doc);
  drawCoverHeading(doc, title, t(locale, 'report.cover.subtitle'));
  doc.text(t(locale, 'report.cover.wave', { wave: report.wave.name }));
  // The tables' "previous wave" column and changes compare with this wave: name it once.
  if (report.previous_wave) doc.text(t(locale, 'report.cover.previous', { wave: report.previous_wave.name }));
  if (report.wave.period)
    doc.text(t(locale, 'report.cover.period', formatPeriod(report.wave.period.start, report.wave.period.end, locale)));
  doc.text(t(locale, 'report.cover.date', { date: formatDate(now, locale) }));
  if (report.wave.provisional) {
    doc.moveDown(0.5).font('Bold').fillColor('#b35900').text(t(locale, 'report.cover.provisional'), { width });
    doc.font('Body').fillColor(INK);
  }
  doc.moveDown(1);
  const source = {
    year: report.frame.year,
    N: formatNumber(report.frame.N, locale),
    n: formatRespondents(report, locale),
  };
  doc
    .fontSize(10)
    .fillColor(MUTED)
    .text(t(locale, isProtected(report) ? 'report.cover.source_protected' : 'report.cover.source', source), { width });
}

/** Key figures, after the branch they are about. */
function drawKeyFigures(doc: Doc, view: ReportView, locale: Locale) {
  const width = textWidth(doc);
  heading(doc, t(locale, 'report.key_figures'));
  if (view.branch) doc.fontSize(10.5).fillColor(MUTED).text(bindAmounts(view.branch), { width, paragraphGap: 8 });
  if (view.keyFigures.length === 0) doc.fontSize(11).fillColor(INK).text(t(locale, 'report.no_key_figures'));
  for (const k of view.keyFigures)
    doc
      .fontSize(11)
      .fillColor(INK)
      .text(`•  ${bindAmounts(k)}`, { width, paragraphGap: 6 });
  doc.moveDown(1);
}

/** A chart as an image of `width` × `height` points, from enough pixels for its labels to print at about 8 pt. */
async function chartImage(spec: ReportSection['chart'], width: number, height: number): Promise<Buffer> {
  await yieldToEventLoop();
  const scale = PX_PER_PT;
  return renderChartPng(spec, {
    width: Math.round(width * scale),
    height: Math.round(height * scale),
    fontSize: CHART_FONT_PX,
    jpeg: true,
  });
}

/**
 * One question: its chart with the development across waves beside it, then its
 * table and the trend's table, kept together on one page where they fit.
 */
async function drawQuestion(doc: Doc, section: ReportSection, locale: Locale) {
  const width = textWidth(doc);
  const height = CHART_HEIGHT[section.chart.size];
  const trend = section.trend ? { chart: section.trend, table: trendTableForPdf(section, locale) } : null;
  // A trend of one figure is a small chart beside the question's; a trend of several
  // options (a legend of its own) would be unreadable there and is given as its table.
  const beside = trend !== null && (section.trendTable?.columns.length ?? 0) <= 3;
  const mainWidth = beside ? width * MAIN_SHARE : width;
  const trendWidth = width - mainWidth - GAP;
  const trendHeight = Math.min(height, CHART_HEIGHT.normal);
  const main = await chartImage(section.chart, mainWidth, height);
  const side = trend && beside ? await chartImage(trend.chart, trendWidth, trendHeight - 24) : null;
  const trendTable = trend?.table ? 24 + tableHeight(doc, trend.table) : 0;
  const needed = 30 + height + tableHeight(doc, section.table) + trendTable;
  if (doc.y + needed > bottom(doc)) doc.addPage();
  heading(doc, `${section.number}. ${section.title}`, 13);
  const top = doc.y;
  doc.image(main, MARGIN, top, { width: mainWidth, height });
  if (side) {
    doc.font('Bold').fontSize(8.5).fillColor(INK);
    const title = t(locale, 'report.trend.title');
    const titleHeight = doc.heightOfString(title, { width: trendWidth }) + 2;
    doc.text(title, MARGIN + mainWidth + GAP, top, { width: trendWidth });
    doc.image(side, MARGIN + mainWidth + GAP, top + titleHeight, {
      width: trendWidth,
      height: trendHeight - titleHeight,
    });
    doc.font('Body');
  }
  doc.x = MARGIN;
  doc.y = top + height + 6;
  drawTable(doc, section.table);
  if (section.footnote) note(doc, section.footnote);
  if (section.periodNote) note(doc, section.periodNote);
  if (trend?.table) {
    doc.moveDown(0.4);
    subheading(doc, t(locale, 'report.trend.title'));
    drawTable(doc, trend.table);
  }
  doc.moveDown(1);
}

/**
 * The trend's table, unless it only repeats the main table: two waves whose
 * values the main table already gives in its "previous wave" column.
 */
function trendTableForPdf(section: ReportSection, locale: Locale): ViewTable | null {
  const table = section.trendTable;
  if (!table) return null;
  const previous = t(locale, 'report.col.previous');
  const repeats = table.rows.length <= 2 && section.table.columns.some((c) => c.label.startsWith(previous));
  return repeats ? null : table;
}

/** The appendix on as few pages as it needs: response, representativeness, warnings, method. */
function drawAppendix(doc: Doc, report: ReportModel, view: ReportView, locale: Locale) {
  const width = textWidth(doc);
  if (doc.y + 160 > bottom(doc)) doc.addPage();
  heading(doc, t(locale, 'report.response.title'), 13);
  const total = view.responseTotal;
  drawTable(doc, {
    caption: '',
    columns: [
      { label: t(locale, 'report.response.col.stratum'), numeric: false },
      { label: 'N', numeric: true },
      { label: 'n', numeric: true },
      { label: t(locale, 'report.response.col.rate'), numeric: true },
    ],
    rows: [
      ...view.response.map((r) => ({ header: r.stratum, cells: [r.N, r.n, r.rate], suppressed: false })),
      {
        header: t(locale, 'report.response.total'),
        cells: total ? [total.N, total.n, total.rate] : [formatNumber(report.frame.N, locale), '–', '–'],
        suppressed: false,
        total: true,
      },
    ],
  });
  if (view.countsNote) doc.moveDown(0.4).fontSize(9).fillColor(MUTED).text(view.countsNote, { width });
  if (view.representativeness) doc.moveDown(0.4).fontSize(9).fillColor(INK).text(view.representativeness, { width });
  if (view.rIndicator) doc.moveDown(0.3).fontSize(9).fillColor(INK).text(view.rIndicator, { width });
  if (view.warnings.length) {
    doc.moveDown(0.8);
    subheading(doc, t(locale, 'report.warnings'));
    for (const w of view.warnings) doc.fontSize(9).fillColor(INK).text(`•  ${w}`, { width, paragraphGap: 2 });
  }
  doc.moveDown(0.8);
  subheading(doc, t(locale, 'report.method.title'));
  for (const p of view.method) doc.fontSize(9).fillColor(INK).text(bindAmounts(p), { width, paragraphGap: 5 });
}

/** Footer with page numbers on every page but the cover. */
export function drawFooters(doc: Doc, footer: string, locale: Locale) {
  const width = textWidth(doc);
  const range = doc.bufferedPageRange();
  for (let i = 1; i < range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would make pdfkit start a new page.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN + 4;
    doc.fontSize(8).fillColor(MUTED);
    doc.text(footer, MARGIN, y, { width: width * 0.75, lineBreak: false });
    doc.text(t(locale, 'report.page', { n: i + 1, total: range.count }), MARGIN + width * 0.75, y, {
      width: width * 0.25,
      align: 'right',
      lineBreak: false,
    });
  }
}

export function heading(doc: Doc, text: string, size = 16) {
  doc
    .font('Bold')
    .fontSize(size)
    .fillColor(BRAND)
    .text(text, MARGIN, doc.y, { width: textWidth(doc) });
  doc.font('Body').moveDown(0.4);
}

function subheading(doc: Doc, text: string) {
  doc
    .font('Bold')
    .fontSize(10.5)
    .fillColor(INK)
    .text(text, MARGIN, doc.y, { width: textWidth(doc) });
  doc.font('Body').moveDown(0.3);
}

function note(doc: Doc, text: string) {
  doc
    .moveDown(0.2)
    .fontSize(8)
    .fillColor(MUTED)
    .text(text, MARGIN, doc.y, { width: textWidth(doc) });
}

/** The table's cells as they are drawn: numbers bound into one piece. */
function cellsOf(table: ViewTable): { columns: TableColumn[]; rows: string[][] } {
  return {
    columns: table.columns.map((c) => ({ ...c, label: bindAmounts(c.label) })),
    rows: table.rows.map((r) => [bindAmounts(r.header), ...r.cells.map(bindNumber)]),
  };
}

interface LaidOut {
  columns: TableColumn[];
  rows: string[][];
  parts: TablePart[];
  size: number;
}

function layOut(doc: Doc, table: ViewTable): LaidOut {
  const { columns, rows } = cellsOf(table);
  // Measured bold throughout: a total row is set in bold, and must not wrap either.
  const measure = (text: string) => doc.font('Bold').fontSize(TABLE_FONT).widthOfString(text);
  const { scale, parts } = tableLayout(columns, rows, measure, textWidth(doc));
  doc.font('Body');
  return { columns, rows, parts, size: TABLE_FONT * scale };
}

/** The height a table takes, to keep it on one page with its chart. */
function tableHeight(doc: Doc, table: ViewTable): number {
  const { columns, rows, parts, size } = layOut(doc, table);
  let height = 0;
  for (const part of parts) {
    const line = (cells: string[], bold: boolean) => rowHeight(doc, cells, part.widths, bold, size);
    height += line(
      part.columns.map((i) => columns[i].label),
      true,
    );
    for (const r of rows)
      height += line(
        part.columns.map((i) => r[i] ?? ''),
        false,
      );
    height += 6;
  }
  return height;
}

function rowHeight(doc: Doc, cells: string[], widths: number[], bold: boolean, size: number): number {
  doc.font(bold ? 'Bold' : 'Body').fontSize(size);
  return Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i] - CELL_PADDING }))) + 4;
}

/** A table, split into parts when it is too wide; the header row repeats on a new page. */
export function drawTable(doc: Doc, table: ViewTable) {
  const laid = layOut(doc, table);
  // A short table is never split over two pages.
  if (laid.rows.length <= KEEP_WHOLE_ROWS && doc.y + tableHeight(doc, table) > bottom(doc)) doc.addPage();
  for (const part of laid.parts) {
    const header = part.columns.map((i) => laid.columns[i].label);
    const numeric = part.columns.map((i, k) => k > 0 && laid.columns[i].numeric);
    const row = (cells: string[], bold: boolean) => drawRow(doc, cells, part.widths, numeric, bold, laid.size);
    row(header, true);
    for (const [r, cells] of laid.rows.entries()) {
      const shown = part.columns.map((i) => cells[i] ?? '');
      if (doc.y + rowHeight(doc, shown, part.widths, true, laid.size) > bottom(doc)) {
        doc.addPage();
        row(header, true);
      }
      row(shown, table.rows[r].total === true);
    }
    doc.moveDown(0.5);
  }
  doc.font('Body');
}

function drawRow(doc: Doc, cells: string[], widths: number[], numeric: boolean[], bold: boolean, size: number) {
  const height = rowHeight(doc, cells, widths, bold, size);
  const y = doc.y;
  let x = MARGIN;
  doc.fillColor(INK);
  cells.forEach((cell, i) => {
    const options = { width: widths[i] - CELL_PADDING, align: numeric[i] ? 'right' : 'left' } as const;
    doc.text(cell, x + (numeric[i] ? CELL_PADDING : 0), y + 2, options);
    x += widths[i];
  });
  const total = widths.reduce((a, w) => a + w, 0);
  doc
    .moveTo(MARGIN, y + height)
    .lineTo(MARGIN + total, y + height)
    .lineWidth(bold ? 0.8 : 0.4)
    .strokeColor(bold ? INK : '#c9ced6')
    .stroke();
  doc.x = MARGIN;
  doc.y = y + height;
}
