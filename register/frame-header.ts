// The header line of a frame file: which column holds which field. Headers are
// matched to canonical names or Dutch aliases however they are written
// (frame-columns.ts); unknown columns are reported as ignored, not as errors,
// because KAnS exports carry many more columns than the frame needs.
import { columnForHeader, type FieldKind, FRAME_COLUMNS, type FrameField } from './frame-columns';
import type { FrameError } from './frame-error';

export interface MappedColumn {
  field: FrameField;
  kind: FieldKind;
  required: boolean;
  /** 0-based position in the record. */
  index: number;
  /** As written in the file (trimmed), for messages. */
  header: string;
}

export interface FrameHeader {
  columns: MappedColumn[];
  /** Headers we do not know, as written; their values are not read. */
  ignoredColumns: string[];
  /** Number of fields in the header line; a row with more non-empty fields is misaligned. */
  width: number;
}

/**
 * Map the fields of the header line. Errors: a required field without column,
 * or two columns for one field ("naam" and "name").
 *
 * @example
 *   mapFrameHeader(['kans_id', 'Naam', 'type', 'Provincie', 'opmerking'], 1).header.ignoredColumns; // ['opmerking']
 */
export function mapFrameHeader(fields: readonly string[], line: number): { header: FrameHeader; errors: FrameError[] } {
  const header: FrameHeader = { columns: [], ignoredColumns: [], width: fields.length };
  const errors: FrameError[] = [];
  const seen = new Map<FrameField, string>();
  fields.forEach((raw, index) => {
    const text = raw.replace(/^\uFEFF/, '').trim();
    const column = columnForHeader(text);
    if (!column) {
      if (text) header.ignoredColumns.push(text);
      return;
    }
    const other = seen.get(column.field);
    if (other !== undefined) {
      errors.push({
        line,
        column: text,
        columnIndex: index + 1,
        field: column.field,
        code: 'frame.error.duplicate_column',
        params: { column: text, other },
      });
      return;
    }
    seen.set(column.field, text);
    header.columns.push({ field: column.field, kind: column.kind, required: column.required, index, header: text });
  });
  for (const column of FRAME_COLUMNS) {
    if (column.required && !seen.has(column.field)) {
      errors.push({
        line,
        column: column.field,
        columnIndex: null,
        field: column.field,
        code: 'frame.error.missing_column',
        params: { field: column.field, alias: column.alias },
      });
    }
  }
  return { header, errors };
}
