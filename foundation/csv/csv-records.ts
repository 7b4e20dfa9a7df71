// CSV text → records, each with the line it starts on as a text editor shows
// it (header = line 1), so every error can say where to look.
//
// Parsing is papaparse's (quotes, doubled quotes, newlines inside quoted
// fields); we drive its low-level Parser chunk by chunk instead of using its
// Node stream mode, because that mode drops papaparse's own error reports
// (unclosed or malformed quotes) and cannot bound a runaway row. A row that
// is not finished at the end of a chunk is carried to the next one, as
// papaparse's own streamer does.
//
// The delimiter (`;` or `,`) and the line break (`\r\n`, `\n`, or `\r` as old
// Excel for Mac writes) are read from the header line.
import Papa from 'papaparse';
import { CSV_LIMITS, FileLimitError } from '../file-limits';

export type Delimiter = ';' | ',';

/** A problem papaparse found in the quoting of a record. */
export type CsvProblem = 'invalid_quotes' | 'unclosed_quote';

export interface CsvRecord {
  /** Line on which the record starts, header = 1. */
  line: number;
  fields: string[];
  /** Set when the quoting is broken; the fields are then papaparse's best effort. */
  problem: CsvProblem | null;
}

/**
 * No frame row comes near this (twelve fields of at most a few hundred
 * characters). A longer one is an unclosed quote swallowing the rest of the
 * file; we stop there instead of holding the whole file in memory.
 */
export const MAX_RECORD_CHARS = 1_000_000;

/** Papaparse is handed at most this many characters at once, so one record can never hold more fields than this. */
const PIECE_CHARS = 64 * 1024;

/**
 * A record with more fields or a longer field than CSV_LIMITS allows, or a file past
 * its line cap, stops the read: FileLimitError with the line (limits.csv.*).
 */
function checkBounds(record: CsvRecord): void {
  if (record.fields.length > CSV_LIMITS.maxColumns)
    throw new FileLimitError('limits.csv.columns', {
      line: record.line,
      n: record.fields.length,
      max: CSV_LIMITS.maxColumns,
    });
  for (const field of record.fields)
    if (field.length > CSV_LIMITS.maxFieldChars)
      throw new FileLimitError('limits.csv.field', { line: record.line, max: CSV_LIMITS.maxFieldChars });
  if (record.line > CSV_LIMITS.maxRows) throw new FileLimitError('limits.csv.rows', { max: CSV_LIMITS.maxRows });
}

/** Long chunks (a whole uploaded file) cut into pieces, so parsing never holds more than a piece's records. */
async function* inPieces(text: AsyncIterable<string>): AsyncGenerator<string> {
  for await (const chunk of text)
    if (chunk.length <= PIECE_CHARS) yield chunk;
    else for (let i = 0; i < chunk.length; i += PIECE_CHARS) yield chunk.slice(i, i + PIECE_CHARS);
}

/** The header line ends at the first line break outside quotes; more than this is not a header. */
const MAX_HEADER_CHARS = 1_000_000;

type Newline = '\r\n' | '\n' | '\r';

/** End of the first line outside quotes, or -1 when the text does not hold a whole line yet. */
function headerEnd(text: string): { end: number; newline: Newline } | null {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') return { end: i, newline: '\n' };
    else if (!quoted && ch === '\r') {
      if (i + 1 >= text.length) return null; // a \n may follow in the next chunk
      return { end: i, newline: text[i + 1] === '\n' ? '\r\n' : '\r' };
    }
  }
  return null;
}

/** Whichever of `;` and `,` occurs more often outside quotes in the header line; `;` on a tie (Dutch Excel). */
export function delimiterOf(headerLine: string): Delimiter {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ';') semicolons++;
    else if (!quoted && ch === ',') commas++;
  }
  return commas > semicolons ? ',' : ';';
}

function count(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

export interface CsvRecordsOptions {
  /** Called once, before the first record, with what the header line showed. */
  onLayout?: (layout: { delimiter: Delimiter; newline: Newline }) => void;
}

/**
 * Records of a CSV text stream, in order, with their line numbers, handed out
 * per chunk of input (one await per chunk, not per record: a 100,000-row file
 * is a few hundred awaits). Empty lines come out as a record with one empty
 * field (they still count as lines). Throws FileLimitError (limits.csv.*) at the
 * first record past CSV_LIMITS: too many fields, a field too long, too many lines.
 *
 * @example
 *   for await (const records of csvRecords(decodeCsvBytes(stream))) for (const r of records) console.log(r.line, r.fields);
 */
export async function* csvRecords(
  text: AsyncIterable<string>,
  options: CsvRecordsOptions = {},
): AsyncGenerator<CsvRecord[]> {
  let parser: Papa.Parser | null = null;
  let lineBreak = '\n'; // the character counted to follow lines inside quoted fields
  let carried = '';
  let line = 1;

  function emit(input: string, last: boolean): CsvRecord[] {
    const result = parser!.parse(input, 0, !last) as Papa.ParseResult<string[]>;
    const problems = new Map<number, CsvProblem>();
    for (const error of result.errors) {
      // Errors of the unfinished last row are reported again when it is parsed whole.
      if (error.row === undefined || error.row >= result.data.length) continue;
      // A malformed closing quote also leaves the field unclosed; the malformed quote is what to fix.
      problems.set(
        error.row,
        error.code === 'MissingQuotes' && problems.get(error.row) !== 'invalid_quotes'
          ? 'unclosed_quote'
          : 'invalid_quotes',
      );
    }
    // Without a quote in the input no field can hold a line break.
    const multiLine = input.includes('"');
    const records: CsvRecord[] = new Array(result.data.length);
    for (let index = 0; index < result.data.length; index++) {
      const fields = result.data[index];
      records[index] = { line, fields, problem: problems.get(index) ?? null };
      checkBounds(records[index]);
      // A quoted field may span lines: the next record starts after them.
      line += 1;
      if (multiLine) for (const field of fields) line += count(field, lineBreak);
    }
    carried = last ? '' : input.slice(result.meta.cursor);
    return records;
  }

  for await (const chunk of inPieces(text)) {
    const input = carried + chunk;
    if (!parser) {
      const header = headerEnd(input);
      if (!header && input.length < MAX_HEADER_CHARS) {
        carried = input;
        continue;
      }
      const headerLine = header ? input.slice(0, header.end) : input;
      const newline = header?.newline ?? '\n';
      const delimiter = delimiterOf(headerLine);
      options.onLayout?.({ delimiter, newline });
      lineBreak = newline === '\r' ? '\r' : '\n';
      parser = new Papa.Parser({ delimiter, newline });
    }
    carried = '';
    const records = emit(input, false);
    if (records.length) yield records;
    if (carried.length > MAX_RECORD_CHARS) {
      // An unclosed quote: report it where the row starts and stop reading.
      yield [{ line, fields: [], problem: 'unclosed_quote' }];
      return;
    }
  }
  if (!parser) {
    if (carried === '') return;
    const delimiter = delimiterOf(carried.replace(/[\r\n]+$/, ''));
    options.onLayout?.({ delimiter, newline: '\n' });
    parser = new Papa.Parser({
      delimiter,
      newline: carried.includes('\r\n') ? '\r\n' : carried.includes('\r') && !carried.includes('\n') ? '\r' : '\n',
    });
  }
  if (carried !== '') yield emit(carried, true);
}
