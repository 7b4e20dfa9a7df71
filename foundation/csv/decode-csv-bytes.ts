// The bytes of a CSV file as text, in one pass, whatever Dutch offices save.
//
// Files arrive as UTF-8 (with or without BOM) or as Windows-1252, which is what
// Excel's "CSV (gescheiden door lijstscheidingsteken)" writes. The rule is: a
// file that is valid UTF-8 is UTF-8, anything else is Windows-1252. Checking
// the whole file first would mean reading it twice, which an upload stream
// cannot do. ASCII is the same in both encodings, so we pass ASCII through as
// it comes and decide at the first non-ASCII byte: a valid UTF-8 sequence there
// means UTF-8 from then on, anything else means Windows-1252 (decoded by
// iconv-lite's streaming decoder). Real Windows-1252 text almost never forms
// valid UTF-8 by accident (it takes a letter like "Ã" followed by a symbol).
//
// A file that turns out invalid after we committed to UTF-8 mixes encodings
// (typically two exports pasted together). We refuse it with MixedEncodingError
// instead of guessing: guessing would import names like "FryslÃ¢n" silently.
import iconv from 'iconv-lite';

export type Encoding = 'utf-8' | 'windows-1252';

/** Thrown while decoding when bytes after the first non-ASCII character are not valid UTF-8. */
export class MixedEncodingError extends Error {
  constructor(
    /** Line of the file (1-based) holding the first invalid byte. */
    readonly line: number,
  ) {
    super(`invalid UTF-8 on line ${line} of a file read as UTF-8`);
    this.name = 'MixedEncodingError';
  }
}

const EMPTY = Buffer.alloc(0);

function firstNonAscii(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return i;
  return -1;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Length of the UTF-8 sequence a lead byte starts, or 0 when no valid sequence starts with it. */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * What the first non-ASCII character says: a valid UTF-8 sequence, not UTF-8,
 * or too few bytes yet to tell (a sequence cut off at the end of a chunk).
 * Only that one sequence counts: bytes further on that are not UTF-8 make the
 * file mixed (MixedEncodingError later), not Windows-1252.
 */
function utf8Verdict(rest: Uint8Array, last: boolean): Encoding | 'need-more' {
  const length = sequenceLength(rest[0]);
  if (length === 0) return 'windows-1252';
  if (rest.length < length) return last ? 'windows-1252' : 'need-more';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(rest.subarray(0, length));
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/**
 * Decode a byte stream to text chunks, detecting UTF-8 or Windows-1252 on the
 * fly and dropping a UTF-8 BOM. String chunks (already text) pass through.
 * `onEncoding` is called once, as soon as the encoding is known (a pure ASCII
 * file is reported as UTF-8 at the end).
 *
 * @throws MixedEncodingError when the file is neither valid UTF-8 nor consistently Windows-1252.
 * @example
 *   for await (const text of decodeCsvBytes(fs.createReadStream(file), (e) => (encoding = e))) parser.write(text);
 */
export async function* decodeCsvBytes(
  input: AsyncIterable<Uint8Array | string>,
  onEncoding: (encoding: Encoding) => void = () => {},
): AsyncGenerator<string> {
  let encoding: Encoding | null = null;
  let utf8: TextDecoder | null = null;
  let windows1252: ReturnType<typeof iconv.getDecoder> | null = null;
  let pending: Uint8Array = EMPTY;
  let newlinesSeen = 0; // newlines in the text handed out so far, to place an encoding error on its line
  let atStart = true;

  const decide = (value: Encoding) => {
    encoding = value;
    if (value === 'utf-8') utf8 = new TextDecoder('utf-8', { fatal: true });
    else windows1252 = iconv.getDecoder('win1252');
    onEncoding(value);
  };

  const out = (text: string): string => {
    newlinesSeen += countNewlines(text);
    return text;
  };

  const decodeUtf8 = (bytes: Uint8Array, last: boolean): string => {
    try {
      return out(utf8!.decode(bytes, { stream: !last }));
    } catch {
      // Find the line of the first bad byte: decode the chunk leniently and look for the replacement character.
      const lenient = new TextDecoder('utf-8').decode(bytes);
      const bad = Math.max(0, lenient.indexOf('\uFFFD'));
      throw new MixedEncodingError(newlinesSeen + countNewlines(lenient.slice(0, bad)) + 1);
    }
  };

  function* decodeBytes(bytes: Uint8Array, last: boolean): Generator<string> {
    if (encoding === 'utf-8') {
      const text = decodeUtf8(bytes, last);
      if (text) yield text;
      return;
    }
    if (encoding === 'windows-1252') {
      const text =
        windows1252!.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) +
        (last ? (windows1252!.end() ?? '') : '');
      if (text) yield out(text);
      return;
    }
    const buffer = pending.length
      ? Buffer.concat([pending, bytes])
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    pending = EMPTY;
    const i = firstNonAscii(buffer);
    if (i === -1) {
      if (buffer.length) yield out(buffer.toString('latin1'));
      if (last) decide('utf-8');
      return;
    }
    if (i > 0) yield out(buffer.toString('latin1', 0, i));
    const rest = buffer.subarray(i);
    const verdict = utf8Verdict(rest, last);
    if (verdict === 'need-more') {
      pending = Buffer.from(rest); // a copy: the chunk's memory may be reused by the stream
      return;
    }
    decide(verdict);
    yield* decodeBytes(rest, last);
  }

  for await (const chunk of input) {
    if (typeof chunk === 'string') {
      // Text from an in-memory source: nothing to decode, only a BOM to drop.
      if (encoding === null) decide('utf-8');
      const text = atStart && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
      atStart = false;
      if (text) yield out(text);
      continue;
    }
    atStart = false;
    yield* decodeBytes(chunk, false);
  }
  yield* decodeBytes(EMPTY, true);
}
