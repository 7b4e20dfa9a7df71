// The one formatter for numbers, amounts, percentages and dates, for
// every page, export, chart and e-mail: `€ 1.234.567`, `€ 12.500,50`, `45,5%`,
// `€ 117,2 mln`, `24 november 2026`. Dutch by default, English on request.
//
// Built on Intl.NumberFormat and Intl.DateTimeFormat (instances cached: tables
// format thousands of cells). Two deliberate deviations from raw Intl output:
//   * Intl separates `€` and amount with a non-breaking space (U+00A0) and may
//     use a narrow no-break space (U+202F) elsewhere. We turn both into a plain
//     space, so HTML, CSV, PDF (whose fonts may lack U+202F) and tests all see
//     the same text. Pages keep amounts on one line with CSS `white-space: nowrap`.
//   * Values that are not finite (NaN, Infinity) come out as `–`, the sign the
//     reports use for "no value", never as "NaN" in a report to the ministry.
// Decimal texts ("12500.5", as money is stored) are formatted exactly: Intl
// accepts numeric strings without converting them to a float first.
import type { Locale } from '../../views/i18n/index';

const INTL_LOCALE: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };

/** What the reports show where there is no number. */
export const NO_VALUE = '–';

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}:${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(INTL_LOCALE[locale], options)));
  return format;
}

function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}:${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format)
    dateFormats.set(
      key,
      (format = new Intl.DateTimeFormat(INTL_LOCALE[locale], { ...options, timeZone: 'Europe/Amsterdam' })),
    );
  return format;
}

/** Intl's no-break spaces → plain spaces (see the top of this file). */
export function plainSpaces(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

/** A number or exact decimal text, as Intl takes it; null for what is not a finite number. */
function numeric(value: number | string): number | Intl.StringNumericLiteral | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const text = value.trim();
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(text) ? (text as Intl.StringNumericLiteral) : null;
}

function format(value: number | string, locale: Locale, options: Intl.NumberFormatOptions): string {
  const n = numeric(value);
  return n === null ? NO_VALUE : plainSpaces(numberFormat(locale, options).format(n));
}

/**
 * A number with thousands grouping and up to `maxDecimals` decimals.
 * @example formatNumber(1234567.5) // '1.234.567,5'; formatNumber(1234567.5, 'en') // '1,234,567.5'
 */
export function formatNumber(value: number | string, locale: Locale = 'nl', maxDecimals = 2, minDecimals = 0): string {
  return format(value, locale, {
    minimumFractionDigits: minDecimals,
    maximumFractionDigits: Math.max(minDecimals, maxDecimals),
  });
}

/**
 * An amount in euros: whole euros, or with `decimals = 2` cents.
 * @example formatCurrency(1234567) // '€ 1.234.567'; formatCurrency('12500.5', 'nl', 2) // '€ 12.500,50'; formatCurrency(-250) // '€ -250'; formatCurrency(1234567, 'en') // '€1,234,567'
 */
export function formatCurrency(value: number | string, locale: Locale = 'nl', decimals: 0 | 2 = 0): string {
  return format(value, locale, {
    style: 'currency',
    currency: 'EUR',
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/**
 * A large amount for key figures, in millions or billions with at most one decimal;
 * below a million the whole amount.
 * @example formatCompactCurrency(117_200_000) // '€ 117,2 mln'; formatCompactCurrency(254e6) // '€ 254 mln'; (en) '€117.2m', '€254m'
 */
export function formatCompactCurrency(value: number | string, locale: Locale = 'nl'): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return NO_VALUE;
  const abs = Math.abs(n);
  // Intl's own compact notation writes "117,2 mln." and "€ 117M": not what Dutch policy texts use.
  const [scale, unit] =
    abs >= 1e9 ? [1e9, locale === 'nl' ? ' mld' : 'bn'] : abs >= 1e6 ? [1e6, locale === 'nl' ? ' mln' : 'm'] : [1, ''];
  if (scale === 1) return formatCurrency(n, locale, 0);
  const rounded = Math.round((n / scale) * 10) / 10;
  // "€ 254 mln", not "€ 254,0 mln": a trailing zero would claim a digit the figure does not have.
  return `${format(rounded, locale, { style: 'currency', currency: 'EUR', minimumFractionDigits: 0, maximumFractionDigits: 1 })}${unit}`;
}

/** The minus sign of typeset numbers (U+2212), not the hyphen. */
export const MINUS = '\u2212';

/**
 * The one style for amounts in reports: millions (or billions) with at most one decimal
 * from € 1 mln, whole euros below; a sign the Dutch way, before the euro sign.
 * @example formatAmount(5_312_000) // '€ 5,3 mln'; formatAmount(455_000) // '€ 455.000'; formatAmount(-7_112_567) // '−€ 7,1 mln'
 */
export function formatAmount(value: number, locale: Locale = 'nl', signed = false): string {
  if (!Number.isFinite(value)) return NO_VALUE;
  const sign = value < 0 ? MINUS : signed && value > 0 ? '+' : '';
  return `${sign}${formatCompactCurrency(Math.abs(value), locale)}`;
}

/**
 * A number with its sign always shown (+ or −), as a change is written.
 * @example formatSigned(-12.5) // '−12,5'; formatSigned(3) // '+3'
 */
export function formatSigned(value: number, locale: Locale = 'nl', maxDecimals = 1): string {
  if (!Number.isFinite(value)) return NO_VALUE;
  const sign = value < 0 ? MINUS : value > 0 ? '+' : '';
  return `${sign}${formatNumber(Math.abs(value), locale, maxDecimals)}`;
}

/**
 * A percentage given on the 0–100 scale.
 * @example formatPercentage(45.5) // '45,5%'
 */
export function formatPercentage(value: number | string, locale: Locale = 'nl', maxDecimals = 1): string {
  const text = formatNumber(value, locale, maxDecimals);
  return text === NO_VALUE ? text : `${text}%`;
}

/**
 * A proportion on the 0–1 scale, as a percentage.
 * @example formatProportion(0.508) // '50,8%'
 */
export function formatProportion(value: number | string, locale: Locale = 'nl', maxDecimals = 1): string {
  return formatPercentage(typeof value === 'number' ? value * 100 : Number(value) * 100, locale, maxDecimals);
}

function toDate(value: Date | string): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * A date in Dutch time (Europe/Amsterdam), month written out.
 * @example formatDate(new Date('2026-11-24T12:00:00Z')) // '24 november 2026'; (en) '24 November 2026'
 */
export function formatDate(value: Date | string, locale: Locale = 'nl'): string {
  const date = toDate(value);
  return date
    ? plainSpaces(dateFormat(locale, { day: 'numeric', month: 'long', year: 'numeric' }).format(date))
    : NO_VALUE;
}

/**
 * A reference period of two calendar dates (YYYY-MM-DD), the Dutch way.
 * @example formatPeriod('2020-03-16', '2020-05-31') // { start: '16 maart 2020', end: '31 mei 2020' }
 */
export function formatPeriod(start: string, end: string, locale: Locale = 'nl'): { start: string; end: string } {
  // A calendar date is a day, not an instant: read it at noon so no time zone moves it.
  const day = (d: string) => formatDate(`${d}T12:00:00`, locale);
  return { start: day(start), end: day(end) };
}

/** How many months (of 30,44 days) a period spans, for amounts per month. */
export function periodMonths(start: string, end: string): number {
  const days = (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000 + 1;
  return days / 30.44;
}

/**
 * A date and time in Dutch time, 24-hour clock.
 * @example formatDateTime(new Date('2020-03-15T23:30:00Z')) // '16 maart 2020 00:30'
 */
export function formatDateTime(value: Date | string, locale: Locale = 'nl'): string {
  const date = toDate(value);
  if (!date) return NO_VALUE;
  const time = dateFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
  return `${formatDate(date, locale)} ${plainSpaces(time)}`;
}

/**
 * An exact decimal text ("12500.5") as the user sees it back in a form field:
 * with `decimals` fixed (2 for money), else with the decimals it has.
 * @example formatInputNumber('12500.5', 'nl', 2) // '12.500,50'; formatInputNumber('1.234') // '1,234'
 */
export function formatInputNumber(text: string, locale: Locale = 'nl', decimals?: number): string {
  const [, fraction = ''] = text.split('.');
  const digits = decimals ?? fraction.length;
  return formatNumber(text, locale, Math.max(digits, 0), decimals ?? 0);
}

/**
 * A date (and time) as Excel (NL) reads it in a CSV cell: dd-mm-jjjj [uu:mm],
 * Dutch time. A calendar date text (YYYY-MM-DD) is written as it is.
 * @example formatSpreadsheetDate('2020-05-31') // '31-05-2020'; formatSpreadsheetDate(new Date('2020-06-12T12:05:00Z'), true) // '12-06-2020 14:05'
 */
export function formatSpreadsheetDate(value: Date | string, withTime = false): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}-${m}-${y}`;
  }
  const date = toDate(value);
  if (!date) return '';
  const parts = Object.fromEntries(
    dateFormat('nl', {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const day = `${parts.day}-${parts.month}-${parts.year}`;
  return withTime ? `${day} ${parts.hour}:${parts.minute}` : day;
}
