// Where a CSV import reads its bytes from: a function that opens the file (or
// the uploaded bytes) as a stream. Decoding is decode-csv-bytes.ts, records with
// their lines csv-records.ts; both the frame and the responses import use them.
import type { Readable } from 'node:stream';

/** Opens the file anew each time it is called (a preview and an import each read it once). */
export type OpenSource = () => Readable;
