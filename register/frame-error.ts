// What can be wrong with a frame file, as values: each error names its place
// (line as in the file, column as in its header) and a message key with the
// parameters the message needs. Texts live in views/i18n/<locale>/frame.ts;
// frame-messages.ts turns an error into a sentence.
import type { FrameField } from './frame-columns';

export type FrameErrorCode =
  // The file as a whole
  | 'frame.error.empty_file'
  | 'frame.error.no_rows'
  | 'frame.error.mixed_encoding'
  // Past a cap of foundation/file-limits.ts
  | 'limits.csv.columns'
  | 'limits.csv.field'
  | 'limits.csv.rows'
  // The header line
  | 'frame.error.missing_column'
  | 'frame.error.duplicate_column'
  // The shape of a row
  | 'frame.error.too_many_fields'
  | 'frame.error.unclosed_quote'
  | 'frame.error.invalid_quotes'
  // One value
  | 'frame.error.required'
  | 'frame.error.duplicate_id'
  | 'frame.error.negative'
  | 'frame.error.unknown_province'
  | 'frame.error.not_a_number'
  | 'frame.error.not_integer'
  | 'frame.error.too_many_decimals'
  | 'frame.error.too_large'
  | 'frame.error.bad_boolean'
  | 'frame.error.too_long'
  | 'frame.error.invalid_characters'
  | 'frame.error.bad_email';

export interface FrameError {
  /** Line in the file as an editor shows it, header = 1; 0 for the file as a whole. */
  line: number;
  /** The column's header as written in the file (the canonical name for a missing column); null when no column applies. */
  column: string | null;
  /** 1-based position of the column in the file, null when no column applies. */
  columnIndex: number | null;
  /** The canonical field the column holds, null when no field applies. */
  field: FrameField | null;
  code: FrameErrorCode;
  /** Parameters of the message, e.g. `value` (as written, shortened to 60 characters), `first` (line of the first duplicate). */
  params: Record<string, string | number>;
}

/** Values quoted back in messages are shortened: a runaway field should not flood the error list. */
export function quoted(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}…` : value;
}
