// The one number parser of the app (frame import, form answers, response import).
// Dutch users write `€ 12.500,50`, `12500,5`, `12.500`, `12 500`; machine exports
// write `12500.50`. We read what a Dutch user means (DESIGN 9):
//   * both `.` and `,` present: the last one is the decimal separator;
//   * several of one separator: thousands separators (`1.234.567`);
//   * one separator with exactly three digits after it and one to three before
//     (`1.234`, `1,234`) could be read either way: we read it Dutch (`.` groups
//     thousands, `,` is the decimal comma) and flag it `ambiguous` so the form can
//     show the value back for confirmation;
//   * any other single `.` is a decimal point (`12500.50`, `0.5`); a single `,` a
//     decimal comma.
// Values travel as exact decimal text (money must never pass through a float in
// the database) and as a JS number for comparisons.

export type NumberKind = 'integer' | 'decimal' | 'currency' | 'percentage';

export type ParsedNumber =
  | { ok: true; value: number; text: string; ambiguous: boolean }
  | { ok: false; code: NumberErrorCode; params?: Record<string, string | number> };

export type NumberErrorCode =
  | 'number.empty'
  | 'number.not_a_number'
  | 'number.too_long'
  | 'number.not_integer'
  | 'number.too_many_decimals'
  | 'number.ambiguous_decimals';

const SPACE = /[\s\u00a0\u202f\u2009\u2007]/;
const SPACES = /[\s\u00a0\u202f\u2009\u2007]+/;
const MINUS = /^[-\u2212]/;

function fail(code: NumberErrorCode, params?: Record<string, string | number>): ParsedNumber {
  return { ok: false, code, params };
}

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

export function parseDutchNumber(raw: string, kind: NumberKind = 'decimal'): ParsedNumber {
  let s = raw.trim();
  if (s === '') return fail('number.empty');
  if (s.length > 40) return fail('number.too_long');
  if (kind === 'currency') s = s.replace(/^(€|eur)\s*/i, '').replace(/\s*(€|eur)$/i, '');
  if (kind === 'percentage') s = s.replace(/\s*%$/, '');
  s = s.trim();
  let negative = false;
  if (MINUS.test(s)) {
    negative = true;
    s = s.slice(1);
  } else if (s.startsWith('+')) {
    s = s.slice(1);
  }
  if (kind === 'currency') s = s.replace(/^(€|eur)\s*/i, ''); // "-€ 12" as well as "€ -12"
  // Spaces may only separate groups of three digits ("12 500").
  if (SPACE.test(s)) {
    const parts = s.split(SPACES).filter((p) => p !== '');
    const head = parts.slice(0, -1);
    const last = parts[parts.length - 1];
    const lastDigits = /^\d{3}([.,]\d+)?$/.test(last);
    if (!head.every((p, i) => (i === 0 ? /^\d{1,3}$/.test(p) : /^\d{3}$/.test(p))) || !lastDigits) return fail('number.not_a_number');
    s = parts.join('');
  }
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return fail('number.not_a_number');

  const dots = (s.match(/\./g) ?? []).length;
  const commas = (s.match(/,/g) ?? []).length;
  let integer: string;
  let fraction = '';
  let ambiguous = false;

  if (dots > 0 && commas > 0) {
    const decimalSep = s.lastIndexOf(',') > s.lastIndexOf('.') ? ',' : '.';
    const groupSep = decimalSep === ',' ? '.' : ',';
    const [intText, fracText, ...more] = s.split(decimalSep);
    if (more.length > 0 || !/^\d+$/.test(fracText ?? '')) return fail('number.not_a_number');
    const groups = intText.split(groupSep);
    if (!validGrouping(groups)) return fail('number.not_a_number');
    integer = groups.join('');
    fraction = fracText;
  } else if (dots + commas === 0) {
    integer = s;
  } else {
    const sep = dots > 0 ? '.' : ',';
    const parts = s.split(sep);
    if (parts.length > 2) {
      if (!validGrouping(parts)) return fail('number.not_a_number');
      integer = parts.join('');
    } else {
      const [before, after] = parts;
      if (before === '' && sep === ',') return fail('number.not_a_number');
      if (!/^\d*$/.test(before) || !/^\d+$/.test(after)) return fail('number.not_a_number');
      const looksGrouped = /^[1-9]\d{0,2}$/.test(before) && after.length === 3;
      if (looksGrouped) ambiguous = true;
      if (sep === '.' && looksGrouped) {
        integer = before + after; // Dutch thousands: 12.500 = twaalfduizend vijfhonderd
      } else {
        integer = before || '0';
        fraction = after;
      }
    }
  }

  const fracDigits = fraction.replace(/0+$/, '').length;
  if (kind === 'integer' && fracDigits > 0) return fail('number.not_integer');
  if (kind === 'currency' && fracDigits > 2) {
    // "1,234" for an amount: read Dutch (1,234) it has three decimals; say what we read.
    return ambiguous ? fail('number.ambiguous_decimals', { value: raw.trim() }) : fail('number.too_many_decimals', { max: 2 });
  }
  const text = canonical(negative, integer, fraction);
  return { ok: true, value: Number(text), text, ambiguous };
}
