// Streaming reader and validator of a KAnS-style frame file (DESIGN 4.3). Rows are
// handed out in batches while the file is read (flat memory for 100,000 rows);
// every error is collected with the line as in the file (header = line 1), the
// column as written in the header and the problem. The caller inserts batches in
// one transaction and rolls back when the summary holds any error.
import Papa from 'papaparse';
import { parseDutchNumber } from '../../surveys/parse-dutch-number';
import { columnForHeader, FRAME_COLUMNS, sizeClass, type FieldKind, type FrameField } from './frame-columns';
import { normaliseProvince } from './provinces';
import { decodedStream, detectDelimiter, detectEncoding, type Encoding, type OpenSource } from './csv-source';
import type { FrameUnitInput } from './frame-repository';

export type FrameRow = FrameUnitInput;

export interface FrameError {
  /** Line in the file, header = 1; 0 for problems with the file as a whole. */
  line: number;
  /** The column's header as written in the file (or the canonical name when missing). */
  column: string | null;
  /** 1-based position of the column. */
  columnIndex: number | null;
  code: string;
  params: Record<string, string | number>;
}

export interface GroupTotals {
  organisations: number;
  members: number;
  students: number;
  turnover_eur: string;
}

export interface FrameSummary {
  encoding: Encoding | null;
  delimiter: ';' | ',' | null;
  rows: number;
  members: number;
  students: number;
  turnover_eur: string;
  byType: Record<string, GroupTotals>;
  byProvince: Record<string, GroupTotals>;
  firstRows: FrameRow[];
  ignoredColumns: string[];
  errors: FrameError[];
  /** All errors, also those beyond the kept list. */
  errorCount: number;
  orgIds: Set<string>;
}

export const MAX_KEPT_ERRORS = 1000;
const MAX_TEXT = 300;
const BOOLEAN_VALUES: Record<string, boolean> = { ja: true, j: true, yes: true, y: true, '1': true, true: true, waar: true, nee: false, n: false, no: false, '0': false, false: false, onwaar: false };

export interface ReadFrameOptions {
  batchSize?: number;
  /** Called with each batch of valid rows while the file is read; not called after the first error. */
  onBatch?: (rows: FrameRow[]) => Promise<void>;
  /** Called now and then with the number of rows read. */
  onProgress?: (rows: number) => void;
  firstRowsKept?: number;
}

function emptyTotals(): GroupTotals {
  return { organisations: 0, members: 0, students: 0, turnover_eur: '0' };
}

/** Exact sum of decimal texts, in cents. */
function cents(text: string | null): bigint {
  if (!text) return 0n;
  const negative = text.startsWith('-');
  const [i, f = ''] = text.replace('-', '').split('.');
  const value = BigInt(i) * 100n + BigInt((f + '00').slice(0, 2));
  return negative ? -value : value;
}

function centsText(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const text = `${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`.replace(/\.00$/, '');
  return negative ? `-${text}` : text;
}

type Mapping = { field: FrameField; kind: FieldKind; index: number; header: string }[];

export async function readFrame(open: OpenSource, options: ReadFrameOptions = {}): Promise<FrameSummary> {
  const batchSize = options.batchSize ?? 2000;
  const keep = options.firstRowsKept ?? 10;
  const summary: FrameSummary = {
    encoding: null,
    delimiter: null,
    rows: 0,
    members: 0,
    students: 0,
    turnover_eur: '0',
    byType: {},
    byProvince: {},
    firstRows: [],
    ignoredColumns: [],
    errors: [],
    errorCount: 0,
    orgIds: new Set(),
  };
  const addError = (error: FrameError) => {
    summary.errorCount++;
    if (summary.errors.length < MAX_KEPT_ERRORS) summary.errors.push(error);
  };

  const encoding = await detectEncoding(open);
  const delimiter = await detectDelimiter(open, encoding);
  summary.encoding = encoding;
  summary.delimiter = delimiter;

  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter, header: false, skipEmptyLines: false });
  const text = decodedStream(open, encoding);
  text.on('error', (err) => (parser as unknown as NodeJS.ReadWriteStream).emit('error', err));
  text.pipe(parser as unknown as NodeJS.WritableStream);

  let mapping: Mapping | null = null;
  let headerWidth = 0;
  let line = 1; // line of the row being read
  const firstLineOf = new Map<string, number>();
  let batch: FrameRow[] = [];
  let totalCents = 0n;
  const typeCents = new Map<string, bigint>();
  const provinceCents = new Map<string, bigint>();

  const flush = async () => {
    if (batch.length && summary.errorCount === 0 && options.onBatch) await options.onBatch(batch);
    batch = [];
  };

  for await (const record of parser as unknown as AsyncIterable<string[]>) {
    const rowLine = line;
    // A quoted field may span lines: the next row starts after them.
    line += 1 + record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    if (record.length === 1 && record[0].trim() === '') continue; // empty line

    if (!mapping) {
      mapping = [];
      const seen = new Map<FrameField, string>();
      headerWidth = record.length;
      record.forEach((rawHeader, index) => {
        const header = rawHeader.trim();
        const column = columnForHeader(header);
        if (!column) {
          if (header) summary.ignoredColumns.push(header);
          return;
        }
        if (seen.has(column.field)) {
          addError({ line: rowLine, column: header, columnIndex: index + 1, code: 'frame.error.duplicate_column', params: { other: seen.get(column.field)! } });
          return;
        }
        seen.set(column.field, header);
        mapping!.push({ field: column.field, kind: column.kind, index, header });
      });
      for (const column of FRAME_COLUMNS.filter((c) => c.required && !seen.has(c.field))) {
        addError({ line: rowLine, column: column.field, columnIndex: null, code: 'frame.error.missing_column', params: { field: column.field, alias: column.alias } });
      }
      continue;
    }

    if (record.length > headerWidth && record.slice(headerWidth).some((v) => v.trim() !== '')) {
      addError({ line: rowLine, column: null, columnIndex: headerWidth + 1, code: 'frame.error.too_many_fields', params: { found: record.length, expected: headerWidth } });
      continue;
    }

    // Duplicate ids are checked on every row with an id, valid or not.
    const idColumn = mapping.find((m) => m.field === 'org_id');
    const rawId = idColumn ? (record[idColumn.index] ?? '').trim() : '';
    const earlier = rawId ? firstLineOf.get(rawId) : undefined;
    const row = validateRow(record, mapping, rowLine, addError);
    if (earlier !== undefined && idColumn) {
      addError({ line: rowLine, column: idColumn.header, columnIndex: idColumn.index + 1, code: 'frame.error.duplicate_id', params: { value: rawId, first: earlier } });
      continue;
    }
    if (rawId) firstLineOf.set(rawId, rowLine);
    if (!row) continue;
    summary.orgIds.add(row.org_id);

    summary.rows++;
    if (row.member) summary.members++;
    summary.students += row.students ?? 0;
    const c = cents(row.turnover_eur);
    totalCents += c;
    for (const [groups, moneys, key] of [
      [summary.byType, typeCents, row.org_type],
      [summary.byProvince, provinceCents, row.province],
    ] as const) {
      const totals = (groups[key] ??= emptyTotals());
      totals.organisations++;
      if (row.member) totals.members++;
      totals.students += row.students ?? 0;
      moneys.set(key, (moneys.get(key) ?? 0n) + c);
    }
    if (summary.firstRows.length < keep) summary.firstRows.push(row);
    batch.push(row);
    if (batch.length >= batchSize) await flush();
    if (summary.rows % 5000 === 0) options.onProgress?.(summary.rows);
  }

  if (!mapping) addError({ line: 0, column: null, columnIndex: null, code: 'frame.error.empty_file', params: {} });
  else if (summary.rows === 0 && summary.errorCount === 0) addError({ line: 0, column: null, columnIndex: null, code: 'frame.error.no_rows', params: {} });
  await flush();
  summary.turnover_eur = centsText(totalCents);
  for (const [key, value] of typeCents) summary.byType[key].turnover_eur = centsText(value);
  for (const [key, value] of provinceCents) summary.byProvince[key].turnover_eur = centsText(value);
  options.onProgress?.(summary.rows);
  return summary;
}

function validateRow(record: string[], mapping: Mapping, line: number, addError: (e: FrameError) => void): FrameRow | null {
  const values: Partial<Record<FrameField, unknown>> = {};
  let ok = true;
  const fail = (m: Mapping[number], code: string, value: string) => {
    ok = false;
    addError({ line, column: m.header, columnIndex: m.index + 1, code, params: { value: value.length > 60 ? `${value.slice(0, 57)}…` : value, column: m.header } });
  };
  for (const m of mapping) {
    const raw = (record[m.index] ?? '').trim();
    const column = FRAME_COLUMNS.find((c) => c.field === m.field)!;
    if (raw.includes('\u0000')) {
      fail(m, 'frame.error.invalid_characters', raw.replace(/\u0000/g, ''));
      continue;
    }
    if (raw === '') {
      if (column.required) fail(m, 'frame.error.required', raw);
      values[m.field] = m.kind === 'boolean' ? false : null;
      continue;
    }
    switch (m.kind) {
      case 'text':
        if (raw.length > MAX_TEXT) fail(m, 'frame.error.too_long', raw);
        else values[m.field] = m.field === 'org_type' ? raw.replace(/\s+/g, ' ').toLowerCase() : raw.replace(/\s+/g, ' ');
        break;
      case 'province': {
        const province = normaliseProvince(raw);
        if (!province) fail(m, 'frame.error.unknown_province', raw);
        else values[m.field] = province;
        break;
      }
      case 'boolean': {
        const value = BOOLEAN_VALUES[raw.toLowerCase()];
        if (value === undefined) fail(m, 'frame.error.bad_boolean', raw);
        else values[m.field] = value;
        break;
      }
      case 'integer':
      case 'money':
      case 'decimal': {
        const parsed = parseDutchNumber(raw, m.kind === 'integer' ? 'integer' : m.kind === 'money' ? 'currency' : 'decimal');
        if (!parsed.ok) fail(m, parsed.code === 'number.not_integer' ? 'frame.error.not_integer' : parsed.code === 'number.too_many_decimals' || parsed.code === 'number.ambiguous_decimals' ? 'frame.error.too_many_decimals' : 'frame.error.not_a_number', raw);
        else if (parsed.value < 0) fail(m, 'frame.error.negative', raw);
        else if (m.kind === 'integer' && parsed.value > 2_000_000_000) fail(m, 'frame.error.too_large', raw);
        else if (parsed.value >= 1e13) fail(m, 'frame.error.too_large', raw);
        else values[m.field] = m.kind === 'integer' ? parsed.value : parsed.text;
        break;
      }
    }
  }
  if (!ok) return null;
  const students = (values.students as number | null | undefined) ?? null;
  return {
    org_id: values.org_id as string,
    name: values.name as string,
    org_type: values.org_type as string,
    province: values.province as string,
    municipality: (values.municipality as string | null | undefined) ?? null,
    member: (values.member as boolean | undefined) ?? false,
    students,
    turnover_eur: (values.turnover_eur as string | null | undefined) ?? null,
    subsidy_eur: (values.subsidy_eur as string | null | undefined) ?? null,
    fte: (values.fte as string | null | undefined) ?? null,
    teachers_employed: (values.teachers_employed as number | null | undefined) ?? null,
    teachers_freelance: (values.teachers_freelance as number | null | undefined) ?? null,
    size_class: sizeClass(students),
  };
}
