// One organisation of the frame: the canonical row type, and the validation of
// one CSV record into it. Every field of every row is checked and every problem
// reported (not only the first), so one round of corrections fixes the file.
import { type NumberErrorCode, parseDutchNumber } from '../foundation/numbers/parse-dutch-number';
import { parseYesNo } from '../foundation/yes-no';
import {
  type FrameField,
  MAX_EMAILS_LENGTH,
  MAX_TEXT_LENGTH,
  type SizeClass,
  sizeClass,
  splitEmails,
} from './frame-columns';
import { type FrameError, type FrameErrorCode, quoted } from './frame-error';
import type { FrameHeader, MappedColumn } from './frame-header';
import { normaliseProvince, type Province } from './provinces';

/**
 * One organisation in one reference year, as validated. Money and FTE are exact
 * decimal texts ("149450.5") so they reach the database's numeric columns
 * without passing through a float; counts are numbers.
 */
export interface FrameRow {
  org_id: string;
  name: string;
  /** Lower case with single spaces: "Muziekschool" and "muziekschool " are one stratum. */
  org_type: string;
  /** Official name of one of the twelve provinces ("Fryslân", "Noord-Brabant"). */
  province: Province;
  municipality: string | null;
  /**
   * An empty cell means "not a member": the association's own member list is
   * what makes an organisation a member, and a third "unknown" group would split
   * every member/non-member table. Other cells are read by parseYesNo.
   */
  member: boolean;
  students: number | null;
  turnover_eur: string | null;
  subsidy_eur: string | null;
  fte: string | null;
  teachers_employed: number | null;
  teachers_freelance: number | null;
  /** Derived from students; null when students is empty. */
  size_class: SizeClass | null;
  /** Contact addresses, lower case, separated by one space; null when the cell is empty or absent. */
  email: string | null;
  contact_name: string | null;
}

/** Beyond PostgreSQL's int4 for counts; beyond any plausible branch for amounts. */
const MAX_COUNT = 2_000_000_000;
const MAX_AMOUNT = 1e13;

const NUMBER_TO_FRAME: Record<NumberErrorCode, FrameErrorCode> = {
  'number.empty': 'frame.error.required',
  'number.not_a_number': 'frame.error.not_a_number',
  'number.too_long': 'frame.error.not_a_number',
  'number.not_integer': 'frame.error.not_integer',
  'number.too_many_decimals': 'frame.error.too_many_decimals',
};

/** A value read the Dutch way that a non-Dutch writer could have meant otherwise ("1.234" = 1234). */
export interface AmbiguousValue {
  line: number;
  column: string;
  value: string;
  /** What we read, as exact decimal text. */
  read: string;
}

export type RowResult =
  | { ok: true; row: FrameRow; ambiguous: readonly AmbiguousValue[] }
  | { ok: false; errors: FrameError[] };

/** A cell read: its value (with the reading of an ambiguous number), or its error. */
type CellReading =
  | { ok: true; value: unknown; ambiguousRead?: string }
  | { ok: false; code: FrameErrorCode; value: string; extra?: Record<string, string | number> };

const cellError = (code: FrameErrorCode, value: string, extra?: Record<string, string | number>): CellReading => ({
  ok: false,
  code,
  value,
  extra,
});

/** A count, amount or decimal the Dutch way, not negative and not absurdly large. */
function readNumberCell(column: MappedColumn, raw: string): CellReading {
  const parsed = parseDutchNumber(
    raw,
    column.kind === 'integer' ? 'integer' : column.kind === 'money' ? 'currency' : 'decimal',
  );
  if (!parsed.ok)
    return cellError(
      NUMBER_TO_FRAME[parsed.code],
      raw,
      parsed.code === 'number.too_many_decimals' ? { max: 2 } : undefined,
    );
  if (parsed.value < 0) return cellError('frame.error.negative', raw);
  if (parsed.value >= (column.kind === 'integer' ? MAX_COUNT : MAX_AMOUNT))
    return cellError('frame.error.too_large', raw);
  return {
    ok: true,
    value: column.kind === 'integer' ? parsed.value : parsed.text,
    ambiguousRead: parsed.ambiguous ? parsed.text : undefined,
  };
}

/** One non-empty cell by its column's kind. */
function readCell(column: MappedColumn, raw: string): CellReading {
  switch (column.kind) {
    case 'text': {
      const text = raw.replace(/\s+/g, ' ');
      const max = MAX_TEXT_LENGTH[column.field] ?? 300;
      if (text.length > max) return cellError('frame.error.too_long', text, { max, length: text.length });
      return { ok: true, value: column.field === 'org_type' ? text.toLowerCase() : text };
    }
    case 'emails': {
      const { emails, bad } = splitEmails(raw);
      if (raw.length > MAX_EMAILS_LENGTH)
        return cellError('frame.error.too_long', raw, { max: MAX_EMAILS_LENGTH, length: raw.length });
      if (bad !== null) return cellError('frame.error.bad_email', bad);
      return { ok: true, value: emails.length ? emails.join(' ') : null };
    }
    case 'province': {
      const province = normaliseProvince(raw);
      return province ? { ok: true, value: province } : cellError('frame.error.unknown_province', raw);
    }
    case 'boolean': {
      const value = parseYesNo(raw);
      return value === undefined ? cellError('frame.error.bad_boolean', raw) : { ok: true, value };
    }
    default:
      return readNumberCell(column, raw);
  }
}

/** A row with every field at its default: null, false for a boolean. */
function emptyRow(): FrameRow {
  return {
    org_id: '',
    name: '',
    org_type: '',
    province: 'Utrecht',
    municipality: null,
    member: false,
    students: null,
    turnover_eur: null,
    subsidy_eur: null,
    fte: null,
    teachers_employed: null,
    teachers_freelance: null,
    size_class: null,
    email: null,
    contact_name: null,
  };
}

/**
 * Validate one record (fields in file order) against the mapped header.
 * Either a canonical row, or every error in it.
 *
 * @example
 *   const result = validateFrameRow(['K1', 'Muziekschool Zwolle', 'Muziekschool', 'Overijssel'], header, 2);
 *   if (result.ok) result.row.province; // 'Overijssel'
 */
export function validateFrameRow(fields: readonly string[], header: FrameHeader, line: number): RowResult {
  const row = emptyRow();
  // Written through a loose view: each column's value has the field's type by construction.
  const values = row as unknown as Record<FrameField, unknown>;
  let errors: FrameError[] | null = null;
  let ambiguous: AmbiguousValue[] | null = null;
  for (const column of header.columns) {
    const raw = (fields[column.index] ?? '').trim();
    // NUL cannot be stored in PostgreSQL text and is never meant: a binary file saved as .csv.
    const cell = raw.includes('\u0000')
      ? cellError('frame.error.invalid_characters', raw.replaceAll('\u0000', ''))
      : raw === ''
        ? column.required
          ? cellError('frame.error.required', raw)
          : null // the row's default: null, or false for a boolean
        : readCell(column, raw);
    if (cell === null) continue;
    if (!cell.ok) {
      (errors ??= []).push(columnError(line, column, cell.code, cell.value, cell.extra));
      continue;
    }
    if (cell.value !== null) values[column.field] = cell.value;
    if (cell.ambiguousRead !== undefined)
      (ambiguous ??= []).push({ line, column: column.header, value: raw, read: cell.ambiguousRead });
  }
  if (errors) return { ok: false, errors };
  row.size_class = sizeClass(row.students);
  return { ok: true, ambiguous: ambiguous ?? NONE, row };
}

const NONE: readonly AmbiguousValue[] = Object.freeze([]);

function columnError(
  line: number,
  column: MappedColumn,
  code: FrameErrorCode,
  value: string,
  extra?: Record<string, string | number>,
): FrameError {
  return {
    line,
    column: column.header,
    columnIndex: column.index + 1,
    field: column.field,
    code,
    params: { value: quoted(value), column: column.header, ...extra },
  };
}
