// Streaming reader of a KAnS-style frame file (README "The population frame (KAnS)"): bytes → text
// (decode-csv-bytes) → records with line numbers (csv-records) → header mapping
// (frame-header) → validated rows (frame-row) → batches and a summary
// (frame-summary). One pass over the input, memory flat in the file size
// except for the set of ids (needed to find duplicates).
//
// Batches of valid rows are handed out while no error has been seen. After the
// first error no more batches come, but reading goes on to the end so the
// summary lists every error. An importer therefore inserts batches inside one
// transaction and rolls back when `summary.errorCount > 0` at the end: the
// file imports completely or not at all.
import type { Readable } from 'node:stream';
import { csvRecords } from '../foundation/csv/csv-records';
import type { OpenSource } from '../foundation/csv/csv-source';
import { decodeCsvBytes, MixedEncodingError } from '../foundation/csv/decode-csv-bytes';
import { FileLimitError } from '../foundation/file-limits';
import { type FrameError, quoted } from './frame-error';
import { type FrameHeader, mapFrameHeader } from './frame-header';
import { type FrameRow, validateFrameRow } from './frame-row';
import { type FrameSummary, FrameSummaryBuilder, type GroupTotals, MAX_KEPT_ERRORS } from './frame-summary';

/** Longest stretch of parsing between two pauses that let the event loop run. */
const PAUSE_EVERY_MS = 20;

export type { FrameError, FrameRow, FrameSummary, GroupTotals };
export { MAX_KEPT_ERRORS };

/** A byte stream read once (an upload), or a function that opens the file. */
export type FrameInput = Readable | OpenSource;

export interface ReadFrameOptions {
  /** Rows per batch (default 2000: one multi-row insert each). */
  batchSize?: number;
  /** Rows kept in `summary.firstRows` for the preview (default 10). */
  firstRowsKept?: number;
  /** Called now and then (every 5000 rows, and at the end) with the number of valid rows read. */
  onProgress?: (rows: number) => void;
}

/** Batches of valid rows; iterate once. `summary` is complete when the iteration has ended. */
export interface FrameReading extends AsyncIterable<FrameRow[]> {
  readonly summary: FrameSummary;
}

/**
 * Read a frame file as batches of valid rows, with a summary at the end.
 *
 * @example
 *   // Inside one database transaction: all or nothing.
 *   const reading = readFrameBatches(fs.createReadStream('kans-2019.csv'));
 *   for await (const rows of reading) await insertUnits(trx, 2019, importId, rows);
 *   if (reading.summary.errorCount > 0) throw new FrameImportError(reading.summary); // rolls back
 */
export function readFrameBatches(input: FrameInput, options: ReadFrameOptions = {}): FrameReading {
  const builder = new FrameSummaryBuilder(options.firstRowsKept ?? 10);
  let started = false;
  return {
    summary: builder.summary,
    [Symbol.asyncIterator]() {
      if (started) throw new Error('a frame reading can be iterated only once');
      started = true;
      return batches(input, options, builder);
    },
  };
}

/**
 * Read a whole frame file; `onBatch` (awaited, so the database sets the pace)
 * gets the batches of valid rows. Without `onBatch` this is the dry run.
 *
 * @example
 *   const summary = await readFrame(() => fs.createReadStream(file)); // preview
 */
export async function readFrame(
  input: FrameInput,
  options: ReadFrameOptions & { onBatch?: (rows: FrameRow[]) => Promise<void> } = {},
): Promise<FrameSummary> {
  const reading = readFrameBatches(input, options);
  for await (const rows of reading) await options.onBatch?.(rows);
  return reading.summary;
}

/** An error of a line as a whole (line 0: the file), no column. */
function lineError(line: number, code: FrameError['code'], params: FrameError['params'] = {}): FrameError {
  return { line, column: null, columnIndex: null, field: null, code, params };
}

type CsvRecord = { line: number; fields: string[]; problem?: string | null };

/**
 * Checks the records after the header one by one: the valid row, or null with
 * its errors in the summary. Duplicates are checked on every row that has an id,
 * valid or not, and name both lines.
 */
function rowChecker(header: FrameHeader, builder: FrameSummaryBuilder) {
  const idColumn = header.columns.find((c) => c.field === 'org_id');
  const firstLineOf = new Map<string, number>();
  const delimiter = () => builder.summary.delimiter ?? ';';
  return ({ line, fields, problem }: CsvRecord): FrameRow | null => {
    if (problem === 'invalid_quotes') {
      builder.addError(lineError(line, 'frame.error.invalid_quotes', { value: quoted(fields.join(delimiter())) }));
      return null;
    }
    if (fields.length > header.width && fields.slice(header.width).some((v) => v.trim() !== '')) {
      builder.addError({
        ...lineError(line, 'frame.error.too_many_fields', { found: fields.length, expected: header.width }),
        columnIndex: header.width + 1,
      });
      return null;
    }
    const result = validateFrameRow(fields, header, line);
    if (!result.ok) for (const e of result.errors) builder.addError(e);
    const id = idColumn ? (fields[idColumn.index] ?? '').trim() : '';
    const first = id ? firstLineOf.get(id) : undefined;
    if (first !== undefined && idColumn) {
      builder.addError({
        line,
        column: idColumn.header,
        columnIndex: idColumn.index + 1,
        field: 'org_id',
        code: 'frame.error.duplicate_id',
        params: { value: quoted(id), first },
      });
      return null;
    }
    if (id) firstLineOf.set(id, line);
    if (!result.ok) return null;
    builder.addAmbiguous(result.ambiguous);
    return result.row;
  };
}

/** The error a read that stopped early leaves in the summary (the file's own fault); anything else is thrown on. */
function readFailure(error: unknown): FrameError {
  if (error instanceof FileLimitError)
    return lineError(Number(error.params.line ?? 0), error.key as FrameError['code'], error.params);
  if (error instanceof MixedEncodingError) return lineError(error.line, 'frame.error.mixed_encoding');
  throw error;
}

/** The records of the file: bytes decoded (encoding and delimiter noted in the summary), with line numbers. */
function recordsOf(stream: Readable, summary: FrameSummary) {
  const text = decodeCsvBytes(
    stream as AsyncIterable<Uint8Array | string>,
    (encoding) => (summary.encoding = encoding),
  );
  return csvRecords(text, { onLayout: ({ delimiter }) => (summary.delimiter = delimiter) });
}

/** Awaiting a stream that already has data never lets timers or other requests run: a turn every PAUSE_EVERY_MS. */
function pacer() {
  let lastPause = performance.now();
  return async () => {
    if (performance.now() - lastPause <= PAUSE_EVERY_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    lastPause = performance.now();
  };
}

async function* batches(
  input: FrameInput,
  options: ReadFrameOptions,
  builder: FrameSummaryBuilder,
): AsyncGenerator<FrameRow[]> {
  const batchSize = Math.max(1, options.batchSize ?? 2000);
  const summary = builder.summary;
  const stream = typeof input === 'function' ? input() : input;
  const pause = pacer();
  let check: ((record: CsvRecord) => FrameRow | null) | null = null;
  let batch: FrameRow[] = [];
  try {
    for await (const chunk of recordsOf(stream, summary)) {
      await pause();
      for (const record of chunk) {
        const { line, fields } = record;
        if (record.problem === 'unclosed_quote') {
          builder.addError(lineError(line, 'frame.error.unclosed_quote'));
          continue;
        }
        if (fields.length === 1 && fields[0].trim() === '' && !record.problem) continue; // an empty line
        if (!check) {
          const { header, errors } = mapFrameHeader(fields, line);
          summary.ignoredColumns = header.ignoredColumns;
          for (const e of errors) builder.addError(e);
          check = rowChecker(header, builder);
          continue;
        }
        const row = check(record);
        if (!row) continue;
        builder.addRow(row);
        if (summary.rows % 5000 === 0) options.onProgress?.(summary.rows);
        // After the first error no more batches: the import will roll back.
        if (summary.errorCount > 0) batch = [];
        else batch.push(row);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
  } catch (error) {
    builder.addError(readFailure(error));
    // A file over a limit is not summed up; one of mixed encodings still is.
    if (error instanceof FileLimitError) return;
  } finally {
    // Also when the consumer stops early (a failed insert): release the file.
    if (!stream.readableEnded) stream.destroy();
  }
  if (!check) builder.addError(lineError(0, 'frame.error.empty_file'));
  else if (summary.rows === 0 && summary.errorCount === 0) builder.addError(lineError(0, 'frame.error.no_rows'));
  builder.finish();
  options.onProgress?.(summary.rows);
  if (batch.length && summary.errorCount === 0) yield batch;
}
