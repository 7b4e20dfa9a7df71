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
import { csvRecords } from '../../foundation/csv/csv-records';
import type { OpenSource } from '../../foundation/csv/csv-source';
import { decodeCsvBytes, MixedEncodingError } from '../../foundation/csv/decode-csv-bytes';
import { FileLimitError } from '../../foundation/file-limits';
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

async function* batches(
  input: FrameInput,
  options: ReadFrameOptions,
  builder: FrameSummaryBuilder,
): AsyncGenerator<FrameRow[]> {
  const batchSize = Math.max(1, options.batchSize ?? 2000);
  const summary = builder.summary;
  const stream = typeof input === 'function' ? input() : input;
  const text = decodeCsvBytes(
    stream as AsyncIterable<Uint8Array | string>,
    (encoding) => (summary.encoding = encoding),
  );
  const records = csvRecords(text, { onLayout: ({ delimiter }) => (summary.delimiter = delimiter) });

  let header: FrameHeader | null = null;
  let idColumn: FrameHeader['columns'][number] | undefined;
  const firstLineOf = new Map<string, number>();
  let batch: FrameRow[] = [];
  let _lastLine = 0;

  let lastPause = performance.now();
  try {
    for await (const chunk of records) {
      // Awaiting a stream that already has data never lets timers or other
      // requests run: pause for one turn of the event loop every PAUSE_EVERY_MS.
      if (performance.now() - lastPause > PAUSE_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastPause = performance.now();
      }
      for (const record of chunk) {
        _lastLine = record.line;
        const { line, fields } = record;
        if (record.problem === 'unclosed_quote') {
          builder.addError({
            line,
            column: null,
            columnIndex: null,
            field: null,
            code: 'frame.error.unclosed_quote',
            params: {},
          });
          continue;
        }
        if (fields.length === 1 && fields[0].trim() === '' && !record.problem) continue; // an empty line

        if (!header) {
          const mapped = mapFrameHeader(fields, line);
          header = mapped.header;
          summary.ignoredColumns = header.ignoredColumns;
          for (const e of mapped.errors) builder.addError(e);
          idColumn = header.columns.find((c) => c.field === 'org_id');
          continue;
        }

        if (record.problem === 'invalid_quotes') {
          builder.addError({
            line,
            column: null,
            columnIndex: null,
            field: null,
            code: 'frame.error.invalid_quotes',
            params: { value: quoted(fields.join(summary.delimiter ?? ';')) },
          });
          continue;
        }
        if (fields.length > header.width && fields.slice(header.width).some((v) => v.trim() !== '')) {
          builder.addError({
            line,
            column: null,
            columnIndex: header.width + 1,
            field: null,
            code: 'frame.error.too_many_fields',
            params: { found: fields.length, expected: header.width },
          });
          continue;
        }

        const result = validateFrameRow(fields, header, line);
        if (!result.ok) for (const e of result.errors) builder.addError(e);

        // Duplicates are checked on every row that has an id, valid or not, and name both lines.
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
          continue;
        }
        if (id) firstLineOf.set(id, line);
        if (!result.ok) continue;

        builder.addRow(result.row);
        builder.addAmbiguous(result.ambiguous);
        if (summary.rows % 5000 === 0) options.onProgress?.(summary.rows);
        if (summary.errorCount > 0) {
          batch = [];
          continue;
        }
        batch.push(result.row);
        if (batch.length >= batchSize) {
          const full = batch;
          batch = [];
          yield full;
        }
      }
    }
  } catch (error) {
    if (error instanceof FileLimitError) {
      builder.addError({
        line: Number(error.params.line ?? 0),
        column: null,
        columnIndex: null,
        field: null,
        code: error.key as FrameError['code'],
        params: error.params,
      });
      return;
    }
    if (!(error instanceof MixedEncodingError)) throw error;
    builder.addError({
      line: error.line,
      column: null,
      columnIndex: null,
      field: null,
      code: 'frame.error.mixed_encoding',
      params: {},
    });
  } finally {
    // Also when the consumer stops early (a failed insert): release the file.
    if (!stream.readableEnded) stream.destroy();
  }

  if (!header)
    builder.addError({
      line: 0,
      column: null,
      columnIndex: null,
      field: null,
      code: 'frame.error.empty_file',
      params: {},
    });
  else if (summary.rows === 0 && summary.errorCount === 0)
    builder.addError({
      line: 0,
      column: null,
      columnIndex: null,
      field: null,
      code: 'frame.error.no_rows',
      params: {},
    });
  builder.finish();
  options.onProgress?.(summary.rows);
  if (batch.length && summary.errorCount === 0) yield batch;
}
