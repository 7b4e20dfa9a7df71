// The one number parser of the app: the frame import, the member's form and the
// responses import all read numbers here.
//
// Dutch users write `€ 12.500,50`, `12500,5`, `12.500`, `12 500`, `€ 25,-`;
// machine exports write `12500.50`. We read what a Dutch user means:
//   * both `.` and `,` present: the last one is the decimal separator, the other
//     groups thousands (`1.234.567,89`, and `1,234,567.89` from English exports);
//   * one separator used more than once: thousands (`1.234.567`);
//   * one separator once, with one to three digits before and exactly three
//     after (`1.234`, `1,234`): either reading is possible. We read it Dutch
//     (`.` groups thousands, `,` is the decimal comma) and flag it `ambiguous`
//     when the other reading is also a valid value of the kind, so the form can
//     show our reading back for confirmation.
//   * amounts are the exception, because cents come in twos: `45.000` is
//     45 000 without a question (nobody writes € 45 as 45.000), and `45,000`
//     or `1,234` is read as thousands (a comma grouping thousands, as English
//     exports write) and flagged, because a Dutch writer may have meant a
//     decimal comma and slipped a digit.
//   * any other single `.` or `,` is the decimal separator (`12500.50`, `0,5`).
// Spaces (also the non-breaking U+00A0 and narrow U+202F that Intl and Word
// produce) may only group digits in threes (`12 500`).
//
// Values travel as exact decimal text (money must never pass through a float on
// its way to a numeric column) and as a JS number for comparisons. Ranges (a
// percentage within 0–100, a question's min and max) are the caller's rule, not
// the parser's: the message then names the range.

export type NumberKind = 'integer' | 'decimal' | 'currency' | 'percentage';

/** Most decimals a currency amount may have (cents). */
export const CURRENCY_DECIMALS = 2;

export type NumberErrorCode =
  | 'number.empty'
  | 'number.not_a_number'
  | 'number.too_long'
  | 'number.not_integer'
  | 'number.too_many_decimals';

export type ParsedNumber =
  | {
      ok: true;
      /** For comparisons and statistics; may round beyond 15 significant digits. */
      value: number;
      /** Exact canonical decimal: no grouping, `.` as decimal point, no trailing zeros ("12500.5", "-3", "0.125"). */
      text: string;
      /** Read the Dutch way where another reading was also valid: show it back for confirmation. */
      ambiguous: boolean;
    }
  | {
      ok: false;
      code: NumberErrorCode;
      /** Always `value` (the input, trimmed); `max` for too many decimals. */
      params: Record<string, string | number>;
    };

/** Longer input is not a number anyone typed; it would only cost time. */
const MAX_LENGTH = 40;
const SPACE = /[\s\u00a0\u202f\u2009\u2007]/;
const SPACES = /[\s\u00a0\u202f\u2009\u2007]+/;
const MINUS = /^[-\u2212\u2013]/; // hyphen, true minus sign, and the en dash Word turns "-" into
const CURRENCY_PREFIX = /^(€|eur|euro)\s*/i;
const CURRENCY_SUFFIX = /\s*(€|eur|euro)$/i;
/** Plain digits without a leading zero, exact as a double: by far the most common input, read without the general rules. */
const PLAIN_DIGITS = /^(?:0|[1-9]\d{0,14})$/;
/** One separator and one or two decimals ("17,4", "12500.50"): never a thousands group, never ambiguous. */
const SIMPLE_DECIMAL = /^(0|[1-9]\d{0,12})[.,](\d{1,2})$/;

/** Thousands-grouped digits: first group 1–3 digits (no leading zero), then groups of exactly 3. */
function validGrouping(groups: string[]): boolean {
  if (groups.length < 2) return false;
  const [first, ...rest] = groups;
  return /^[1-9]\d{0,2}$/.test(first) && rest.every((g) => /^\d{3}$/.test(g));
}

function canonical(negative: boolean, integer: string, fraction: string): string {
  const intPart = integer.replace(/^0+(?=\d)/, '') || '0';
  const fracPart = fraction.replace(/0+$/, '');
  const text = fracPart ? `${intPart}.${fracPart}` : intPart;
  return negative && text !== '0' ? `-${text}` : text;
}

/** Significant decimals of a fraction ("500" → 0, "50" → 0, "125" → 3). */
function decimals(fraction: string): number {
  return fraction.replace(/0+$/, '').length;
}

/** Whether a value with these decimals is a valid value of the kind. */
function fitsKind(kind: NumberKind, fractionDigits: number): boolean {
  if (kind === 'integer') return fractionDigits === 0;
  if (kind === 'currency') return fractionDigits <= CURRENCY_DECIMALS;
  return true;
}

/**
 * Parse a number as typed by a Dutch user or written by a machine export.
 *
 * @example
 *   parseDutchNumber('€ 12.500,50', 'currency'); // { ok: true, value: 12500.5, text: '12500.5', ambiguous: false }
 *   parseDutchNumber('1,234');                    // { ok: true, value: 1.234, text: '1.234', ambiguous: true }
 *   parseDutchNumber('45%', 'percentage');        // { ok: true, value: 45, text: '45', ambiguous: false }
 *   parseDutchNumber('12.50.0');                  // { ok: false, code: 'number.not_a_number', params: { value: '12.50.0' } }
 */
export function parseDutchNumber(raw: string, kind: NumberKind = 'decimal'): ParsedNumber {
  const input = raw.trim();
  if (PLAIN_DIGITS.test(input)) return { ok: true, value: Number(input), text: input, ambiguous: false };
  const simple = kind === 'integer' ? null : SIMPLE_DECIMAL.exec(input);
  if (simple) {
    const text = canonical(false, simple[1], simple[2]);
    return { ok: true, value: Number(text), text, ambiguous: false };
  }
  return parseByRules(input, kind);
}

function failure(input: string, code: NumberErrorCode, params: Record<string, string | number> = {}): ParsedNumber {
  return { ok: false, code, params: { value: input, ...params } };
}

/** The number without currency sign, ",-", percent sign and its own sign; null when nothing is left to read. */
function unsigned(input: string, kind: NumberKind): { s: string; negative: boolean } {
  let s = input;
  if (kind === 'currency') {
    s = s.replace(CURRENCY_PREFIX, '').replace(CURRENCY_SUFFIX, '');
    // "€ 25,-" (and ",--", ",=") is how Dutch price tags write whole euros.
    s = s.replace(/,(-{1,2}|=|\u2013|\u2014)$/, '');
  }
  if (kind === 'percentage') s = s.replace(/\s*%$/, '');
  s = s.trim();
  let negative = false;
  if (MINUS.test(s)) {
    negative = true;
    s = s.slice(1).trim();
  } else if (s.startsWith('+')) {
    s = s.slice(1).trim();
  }
  if (kind === 'currency') s = s.replace(CURRENCY_PREFIX, ''); // "-€ 12" as well as "€ -12"
  return { s, negative };
}

/** Spaces may only separate groups of three digits ("12 500", "1 234 567,89"): the digits without them, or null. */
function withoutSpaces(s: string): string | null {
  if (!SPACE.test(s)) return s;
  const parts = s.split(SPACES).filter((p) => p !== '');
  const head = parts.slice(0, -1);
  const last = parts[parts.length - 1];
  const grouped =
    head.every((p, i) => (i === 0 ? /^[1-9]\d{0,2}$/.test(p) : /^\d{3}$/.test(p))) && /^\d{3}([.,]\d+)?$/.test(last);
  return grouped ? parts.join('') : null;
}

type Split = { integer: string; fraction: string; ambiguous: boolean };

/** Digits with one kind of separator: thousands ("12.500") or a decimal part ("12,5"), and whether that is a guess. */
function splitOneSeparator(s: string, sep: '.' | ',', kind: NumberKind): Split | null {
  const parts = s.split(sep);
  if (parts.length > 2)
    return validGrouping(parts) ? { integer: parts.join(''), fraction: '', ambiguous: false } : null;
  const [before, after] = parts;
  if (!/^\d*$/.test(before) || !/^\d+$/.test(after)) return null;
  const looksGrouped = /^[1-9]\d{0,2}$/.test(before) && after.length === 3;
  if (sep === '.' && looksGrouped)
    // Dutch thousands: 12.500 = twaalfduizend vijfhonderd.
    // Could 12.500 be twelve and a half here? Not as an amount: cents have two digits.
    return { integer: before + after, fraction: '', ambiguous: kind !== 'currency' && fitsKind(kind, decimals(after)) };
  if (kind === 'currency' && looksGrouped)
    // "45,000" as an amount: thousands; said back once, as the other reading is a typo.
    return { integer: before + after, fraction: '', ambiguous: true };
  // ",5" and ".5" are a half; 1,234 could be 1234, always a valid value.
  return { integer: before || '0', fraction: after, ambiguous: sep === ',' && looksGrouped };
}

/** The integer and decimal digits of a number written with dots and commas, or null when it cannot be read. */
function splitSeparators(s: string, kind: NumberKind): Split | null {
  const dots = s.split('.').length - 1;
  const commas = s.split(',').length - 1;
  if (dots + commas === 0) return { integer: s, fraction: '', ambiguous: false };
  if (dots === 0 || commas === 0) return splitOneSeparator(s, dots > 0 ? '.' : ',', kind);
  // Both: the last one is the decimal separator, the other groups thousands.
  const decimalSep = s.lastIndexOf(',') > s.lastIndexOf('.') ? ',' : '.';
  const groupSep = decimalSep === ',' ? '.' : ',';
  const [intText, fracText, ...more] = s.split(decimalSep);
  if (more.length > 0 || !/^\d+$/.test(fracText ?? '')) return null;
  const groups = intText.split(groupSep);
  return validGrouping(groups) ? { integer: groups.join(''), fraction: fracText, ambiguous: false } : null;
}

/** The general rules above, without the fast paths (exported so a test can hold the fast paths to them). */
export function parseByRules(input: string, kind: NumberKind): ParsedNumber {
  const fail = (code: NumberErrorCode, params?: Record<string, string | number>) => failure(input, code, params);
  if (input === '') return fail('number.empty');
  if (input.length > MAX_LENGTH) return fail('number.too_long');
  const { s: signless, negative } = unsigned(input, kind);
  const s = withoutSpaces(signless);
  if (s === null || !/^[\d.,]+$/.test(s) || !/\d/.test(s)) return fail('number.not_a_number');
  const split = splitSeparators(s, kind);
  if (!split) return fail('number.not_a_number');
  const { integer, fraction, ambiguous } = split;
  const fractionDigits = decimals(fraction);
  if (kind === 'integer' && fractionDigits > 0) return fail('number.not_integer');
  if (kind === 'currency' && fractionDigits > CURRENCY_DECIMALS)
    return fail('number.too_many_decimals', { max: CURRENCY_DECIMALS });
  const text = canonical(negative, integer, fraction);
  return { ok: true, value: Number(text), text, ambiguous };
}
