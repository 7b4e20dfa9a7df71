// The text of a PDF, read with pdfjs-dist, to check what a reader of the PDF sees.
import { createRequire } from 'node:module';
import path from 'node:path';

const fonts =
  path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') +
  path.sep;

/**
 * pdfjs-dist brings its own copy of @napi-rs/canvas and installs its Path2D as a
 * global when it loads. chart.js, loaded by the app in the same test process,
 * would then draw lines with a Path2D our canvas does not accept. So pdfjs is
 * loaded only when a PDF is read, and the global is put back afterwards.
 */
async function loadPdfjs() {
  const global = globalThis as { Path2D?: unknown };
  const before = global.Path2D;
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  if (before === undefined) delete global.Path2D;
  else global.Path2D = before;
  return pdfjs;
}

export async function pdfText(pdf: Buffer): Promise<string> {
  const { getDocument } = await loadPdfjs();
  const doc = await getDocument({
    data: new Uint8Array(pdf),
    useSystemFonts: false,
    isEvalSupported: false,
    standardFontDataUrl: fonts,
  }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await doc.destroy();
  return pages.join('\n');
}

/** The text of a PDF as pdfkit wrote it: per page, one entry per line of text (pdfjs text items). */
export async function pdfLines(pdf: Buffer): Promise<string[][]> {
  const { getDocument } = await loadPdfjs();
  const doc = await getDocument({
    data: new Uint8Array(pdf),
    useSystemFonts: false,
    isEvalSupported: false,
    standardFontDataUrl: fonts,
  }).promise;
  const pages: string[][] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str.trim() : '')).filter(Boolean));
  }
  await doc.destroy();
  return pages;
}
