// How large a file may be before it is believed: one place for every cap on an
// uploaded or loaded file (workbooks, CSVs, JSON), web and CLI alike (README
// "Accounts and security", limits). A file past a cap is refused with a
// FileLimitError whose message key says, in the user's language, what was too large.

export class FileLimitError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number>,
  ) {
    super(key);
    this.name = 'FileLimitError';
  }
}

export interface WorkbookLimits {
  maxEntries: number;
  maxTotalUnpacked: number;
  maxRatio: number;
  maxEntryUnpacked: number;
  maxRows: number;
  maxColumns: number;
  maxCells: number;
  maxSharedStrings: number;
  maxCellChars: number;
  maxStringChars: number;
  maxDepth: number;
  maxElements: number;
  maxSheets: number;
  workerHeapMb: number;
  workerMs: number;
}

export const WORKBOOK_LIMITS: Readonly<WorkbookLimits> = {
  /** Entries in the zip (a workbook written by Excel or LibreOffice has 10–40). */
  maxEntries: 500,
  /** Sum of the declared unpacked sizes of all entries, read or not. */
  maxTotalUnpacked: 100 * 1024 * 1024,
  /** Unpacked / compressed above which an entry of over 1 MB is a zip bomb. */
  maxRatio: 200,
  /** One XML entry that is read (a sheet, the shared strings, the workbook). */
  maxEntryUnpacked: 32 * 1024 * 1024,
  maxRows: 10_000,
  /** Highest column with a value (Excel's own maximum is 16,384). */
  maxColumns: 500,
  /** Cell elements in all sheets that are read, empty ones included. */
  maxCells: 500_000,
  maxSharedStrings: 200_000,
  /** Characters of one cell (Excel's own maximum). */
  maxCellChars: 32_767,
  /** Characters of all shared strings together. */
  maxStringChars: 16 * 1024 * 1024,
  /** Element nesting of any XML entry (a sheet needs 7). */
  maxDepth: 32,
  /** Elements of any XML entry. */
  maxElements: 3_000_000,
  maxSheets: 100,
  /** The parse runs in a worker: its heap and its time. */
  workerHeapMb: 256,
  workerMs: 15_000,
};

export const CSV_LIMITS = {
  maxColumns: 500,
  /** Characters of one field. */
  maxFieldChars: 32_767,
  /** Lines of any CSV (a frame of 50 MB has about 500,000). */
  maxRows: 2_000_000,
} as const;

export const JSON_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  maxDepth: 64,
} as const;

/**
 * A JSON text checked before JSON.parse sees it: its size and how deep its arrays and
 * objects nest (counted outside strings in one pass, no allocation).
 */
export function checkJsonText(text: string): void {
  if (text.length > JSON_LIMITS.maxBytes)
    throw new FileLimitError('limits.json.bytes', { mb: Math.round(JSON_LIMITS.maxBytes / 1024 / 1024) });
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92)
        i++; // a backslash escapes the next character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      depth++;
      if (depth > JSON_LIMITS.maxDepth) throw new FileLimitError('limits.json.depth', { max: JSON_LIMITS.maxDepth });
    } else if (ch === 93 || ch === 125) depth--;
  }
}
