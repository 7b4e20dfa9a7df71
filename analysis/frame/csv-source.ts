// Reading a CSV file as Dutch offices save it: UTF-8 with or without BOM, or
// Windows-1252 (Excel's "CSV (gescheiden door lijstscheidingsteken)"), with `;` or
// `,` between fields. Shared by the frame import and the responses import.
import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';

export type Encoding = 'utf-8' | 'windows-1252';

/** Opens the file anew each time: encoding detection and parsing read it separately. */
export type OpenSource = () => Readable;

/** UTF-8 when every byte sequence is valid UTF-8, else Windows-1252. One streaming pass, constant memory. */
export async function detectEncoding(open: OpenSource): Promise<Encoding> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of open()) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return 'utf-8';
  } catch (error) {
    if (error instanceof TypeError) return 'windows-1252';
    throw error;
  }
}

/** A text stream of the file, without BOM. */
export function decodedStream(open: OpenSource, encoding: Encoding): NodeJS.ReadableStream {
  return open().pipe(iconv.decodeStream(encoding === 'utf-8' ? 'utf8' : 'win1252', { stripBOM: true }));
}

/** The delimiter of the header line: whichever of `;` and `,` occurs more often outside quotes. */
export async function detectDelimiter(open: OpenSource, encoding: Encoding): Promise<';' | ','> {
  let text = '';
  const stream = decodedStream(open, encoding);
  for await (const chunk of stream) {
    text += chunk;
    if (text.includes('\n') || text.length > 65536) break;
  }
  (stream as unknown as { destroy?: () => void }).destroy?.();
  const firstLine = text.split(/\r?\n/)[0] ?? '';
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ';') semicolons++;
    else if (!quoted && ch === ',') commas++;
  }
  return semicolons >= commas && semicolons > 0 ? ';' : commas > 0 ? ',' : ';';
}
