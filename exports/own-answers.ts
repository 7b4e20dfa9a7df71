// The organisation's own copy of its answers, readable without the app: a PDF
// (the embedded DejaVu font, as the reports) and a CSV for Excel (NL): `;`, UTF-8
// with BOM, decimal comma, dates dd-mm-jjjj. Both carry the organisation, the
// wave, its reference period and the submission date, and per question its text
// and the answer as the member gave it: option labels, numbers the Dutch way,
// "niet beantwoord"; questions hidden by an earlier answer are left out. The
// analysts' CSV (question keys, option codes) is for staff only.
import PDFDocument from 'pdfkit';
import { type CsvCell, toCsv } from '../foundation/csv/csv';
import { formatDate, formatDateTime, formatPeriod, formatSpreadsheetDate } from '../foundation/numbers/format-dutch';
import { displayValue } from '../surveys/answers/format-answers';
import type { Question } from '../surveys/definition-schema';
import type { StoredAnswer } from '../surveys/responses/responses-repository';
import { type Locale, t } from '../views/i18n/index';
import { FONT_BOLD, FONT_REGULAR } from './fonts';
import { comparisonView, type MemberComparison } from './member-comparison-view';
import type { OwnAnswers } from './own-answer-model';

const INK = '#1b1f24';
const MUTED = '#4a5360';
const BRAND = '#1d4f91';
const MARGIN = 56;

/** The lines under the title: organisation, wave, period, submission. */
export function ownAnswersHeader(own: OwnAnswers, locale: Locale): string[] {
  const lines = [
    t(locale, 'own.organisation', { name: own.organisation.name }),
    t(locale, 'own.wave', { wave: own.wave.name }),
  ];
  if (own.wave.period_start && own.wave.period_end)
    lines.push(t(locale, 'own.period', formatPeriod(own.wave.period_start, own.wave.period_end, locale)));
  lines.push(
    own.response.status === 'submitted' && own.response.submitted_at
      ? t(locale, 'own.submitted_at', { date: formatDateTime(own.response.submitted_at, locale) })
      : t(locale, 'own.not_submitted', { date: formatDateTime(own.response.updated_at, locale) }),
  );
  return lines;
}

/** Staff corrections of one answer as the member reads them: date, old → new value, the reason. */
export function correctionNotes(own: OwnAnswers, question: Question, locale: Locale): string[] {
  const value = (a: unknown) =>
    a ? displayValue(question, a as StoredAnswer, locale) : t(locale, 'survey.form.not_answered');
  return (own.corrections ?? [])
    .filter((c) => c.question_key === question.key)
    .map((c) =>
      t(locale, 'corrections.member_note', {
        date: formatDateTime(c.corrected_at, locale),
        before: value(c.before),
        after: value(c.after),
        reason: c.reason,
      }),
    );
}

/** The locals of the read-only page of the own answers (pages/survey-answers): answers as text, header, comparison once submitted. */
export function ownAnswersPage(own: OwnAnswers, comparison: MemberComparison | null, locale: Locale) {
  return {
    title: `${t(locale, 'own.title')} – ${own.wave.name}`,
    own: {
      ...own,
      pages: own.pages.map((p) => ({
        page: p.page,
        rows: p.rows.map((r) => {
          const notes = correctionNotes(own, r.question, locale);
          return {
            question: r.question,
            text: displayValue(r.question, r.answer, locale),
            ...(notes.length ? { notes } : {}),
          };
        }),
      })),
    },
    header: ownAnswersHeader(own, locale),
    ...comparisonView(comparison, locale),
  };
}

export async function renderOwnAnswersPdf(own: OwnAnswers, locale: Locale, now = new Date()): Promise<Buffer> {
  const title = t(locale, 'own.title');
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 20, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: `${title} – ${own.wave.name}`, Author: 'Impactmonitor', Subject: own.organisation.name },
  });
  doc.registerFont('Body', FONT_REGULAR);
  doc.registerFont('Bold', FONT_BOLD);
  doc.font('Body');
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 2 * MARGIN;

  doc.fillColor(BRAND).fontSize(10).text('Impactmonitor', { characterSpacing: 1 });
  doc.moveDown(1);
  doc.fillColor(INK).font('Bold').fontSize(20).text(title, { width });
  doc
    .font('Body')
    .fontSize(12)
    .fillColor(MUTED)
    .text(own.definition.title[locale] ?? own.definition.title.nl, { width });
  doc.moveDown(0.8);
  doc.fillColor(INK).fontSize(11);
  for (const line of ownAnswersHeader(own, locale)) doc.text(line, { width });
  doc.moveDown(1);

  for (const { page, rows } of own.pages) {
    if (doc.y > doc.page.height - MARGIN - 90) doc.addPage();
    doc
      .font('Bold')
      .fontSize(14)
      .fillColor(BRAND)
      .text(page.title[locale] ?? page.title.nl, { width });
    doc.moveDown(0.4);
    for (const { question, answer } of rows) {
      if (doc.y > doc.page.height - MARGIN - 60) doc.addPage();
      doc
        .font('Bold')
        .fontSize(10)
        .fillColor(INK)
        .text(question.label[locale] ?? question.label.nl, { width });
      doc
        .font('Body')
        .fontSize(10)
        .fillColor(answer ? INK : MUTED)
        .text(displayValue(question, answer, locale), { width, indent: 12 });
      doc.moveDown(0.5);
    }
    doc.moveDown(0.5);
  }

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN + 4;
    doc.font('Body').fontSize(8).fillColor(MUTED);
    doc.text(
      t(locale, 'own.footer', { org: own.organisation.name, wave: own.wave.name, date: formatDate(now, locale) }),
      MARGIN,
      y,
      { width: width * 0.8, lineBreak: false },
    );
    doc.text(t(locale, 'report.page', { n: i + 1, total: range.count }), MARGIN + width * 0.8, y, {
      width: width * 0.2,
      align: 'right',
      lineBreak: false,
    });
  }
  doc.end();
  return done;
}

/** One CSV cell for an answer: a number stays a number (decimal comma in Excel NL), choices are labels. */
function answerCell(q: Question, answer: StoredAnswer | undefined, locale: Locale): CsvCell {
  if (!answer) return t(locale, 'survey.form.not_answered');
  if (answer.value_num !== null) return { decimal: answer.value_num };
  if (q.type === 'boolean' && answer.value_bool !== null)
    return t(locale, answer.value_bool ? 'survey.form.yes' : 'survey.form.no').toLowerCase();
  return displayValue(q, answer, locale);
}

function unitOf(q: Question, locale: Locale): string {
  if (q.type === 'currency') return '€';
  if (q.type === 'percentage') return '%';
  return q.unit?.[locale] ?? q.unit?.nl ?? '';
}

/** The readable CSV for Excel (NL): one row per question the organisation saw. */
export function ownAnswersCsv(own: OwnAnswers, locale: Locale): string {
  const header = [
    'organisation',
    'wave',
    'period_start',
    'period_end',
    'submitted_at',
    'page',
    'question',
    'answer',
    'unit',
  ].map((c) => t(locale, `own.csv.${c}`));
  const submitted =
    own.response.status === 'submitted' && own.response.submitted_at
      ? formatSpreadsheetDate(own.response.submitted_at, true)
      : t(locale, 'own.csv.not_submitted');
  const fixed: CsvCell[] = [
    own.organisation.name,
    own.wave.name,
    own.wave.period_start ? formatSpreadsheetDate(own.wave.period_start) : null,
    own.wave.period_end ? formatSpreadsheetDate(own.wave.period_end) : null,
    submitted,
  ];
  const rows: CsvCell[][] = own.pages.flatMap(({ page, rows }) =>
    rows.map(({ question, answer }) => [
      ...fixed,
      page.title[locale] ?? page.title.nl,
      question.label[locale] ?? question.label.nl,
      answerCell(question, answer, locale),
      unitOf(question, locale),
    ]),
  );
  return toCsv(header, rows, 'csv-nl');
}
