// The branch in figures as a PDF, built from the report PDF's parts (newPdf,
// heading, drawTable with pdf-table.ts's sizing, drawFooters): a cover, the whole
// branch and one table per breakdown, the change from the previous frame year,
// and how the figures are protected. The figures are the protected ones the page
// shows (exports/branch-view.ts): "–" where a group is withheld.
import type { BranchFigures } from '../analysis/branch/branch-figures';
import { formatDate } from '../foundation/numbers/format-dutch';
import { type Locale, t } from '../views/i18n/index';
import { branchTables } from './branch-view';
import { drawCoverHeading, drawFooters, drawTable, heading, newPdf } from './pdf-report';
import type { ViewTable } from './report-view';

const INK = '#1b1f24';
const MUTED = '#4a5360';

/** The page's tables as the PDF draws them: the figures, and the changes when there is a previous year. */
export function branchPdfTables(figures: BranchFigures, locale: Locale): { title: string; tables: ViewTable[] }[] {
  return branchTables(figures, locale).map((tb) => {
    const whole = t(locale, 'report.whole_branch');
    const rows = (cells: (r: (typeof tb.rows)[number]) => string[]) =>
      tb.rows.map((r) => ({ header: r.header, cells: cells(r), suppressed: r.suppressed, total: r.header === whole }));
    const figuresTable: ViewTable = {
      caption: tb.caption,
      columns: tb.columns.map((label, i) => ({ label, numeric: i > 0 })),
      rows: rows((r) => r.cells),
    };
    const changes: ViewTable | null =
      figures.previousYear === null
        ? null
        : {
            caption: t(locale, 'branch.changes', { year: figures.previousYear }),
            columns: [tb.columns[0], ...tb.columns.slice(3)].map((label, i) => ({ label, numeric: i > 0 })),
            rows: rows((r) => r.changes),
          };
    return {
      title: `${tb.caption} (KAnS ${figures.year})`,
      tables: changes ? [figuresTable, changes] : [figuresTable],
    };
  });
}

export async function renderBranchPdf(figures: BranchFigures, locale: Locale, now = new Date()): Promise<Buffer> {
  const title = t(locale, 'branch.title');
  const { doc, done } = newPdf({
    title: `${title} – KAnS ${figures.year}`,
    subtitle: t(locale, 'branch.pdf.subtitle'),
  });
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  drawCoverHeading(doc, title, t(locale, 'branch.pdf.subtitle'));
  doc.text(t(locale, 'branch.pdf.year', { year: figures.year }));
  if (figures.previousYear !== null) doc.text(t(locale, 'branch.pdf.previous', { year: figures.previousYear }));
  doc.text(t(locale, 'report.cover.date', { date: formatDate(now, locale) }));
  doc.moveDown(1);
  doc.fontSize(10).fillColor(MUTED).text(t(locale, 'branch.intro'), { width });
  doc.moveDown(0.5).text(t(locale, 'branch.protection'), { width });
  doc.addPage();
  for (const part of branchPdfTables(figures, locale)) {
    heading(doc, part.title, 13);
    for (const [i, table] of part.tables.entries()) {
      if (i > 0)
        doc.font('Bold').fontSize(10.5).fillColor(INK).text(table.caption, { width }).font('Body').moveDown(0.3);
      drawTable(doc, table);
    }
    doc.moveDown(0.5);
  }
  doc.fontSize(8).fillColor(MUTED).text(t(locale, 'branch.protection'), { width });
  drawFooters(doc, t(locale, 'branch.pdf.footer', { year: figures.year }), locale);
  doc.end();
  return done;
}
