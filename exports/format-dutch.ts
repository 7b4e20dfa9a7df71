// The one formatter for numbers, amounts, percentages and dates (DESIGN 9):
// `€ 1.234.567`, `€ 12.500,50`, `45,5%`, `24 november 2026`. Intl puts a
// non-breaking space between € and the amount; we keep it as a normal space so
// HTML, CSV, PDF and tests all see the same text (tables use white-space: nowrap).
import type { Locale } from '../views/i18n/index';

const INTL_LOCALE: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };
const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: Locale, min: number, max: number): Intl.NumberFormat {
  const key = `${locale}:${min}:${max}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(INTL_LOCALE[locale], { minimumFractionDigits: min, maximumFractionDigits: max, useGrouping: true });
    cache.set(key, format);
  }
  return format;
}

function plainSpaces(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

function toNumber(value: number | string): number {
  return typeof value === 'number' ? value : Number(value);
}

/** 1234567.5 → "1.234.567,5" (nl) or "1,234,567.5" (en); up to `maxDecimals` decimals. */
export function formatNumber(value: number | string, locale: Locale = 'nl', maxDecimals = 2, minDecimals = 0): string {
  return plainSpaces(numberFormat(locale, minDecimals, maxDecimals).format(toNumber(value)));
}

/** "€ 1.234.567" (whole euros) or, with decimals = 2, "€ 12.500,50". */
export function formatCurrency(value: number | string, locale: Locale = 'nl', decimals: 0 | 2 = 0): string {
  const n = toNumber(value);
  const body = numberFormat(locale, decimals, decimals).format(Math.abs(n));
  return `${n < 0 ? '-' : ''}€ ${plainSpaces(body)}`;
}

/** Amounts for key figures: "€ 117,2 mln", "€ 2,6 mld" (en: "€ 117.2 mln", "€ 2.6 bn"). */
export function formatCompactCurrency(value: number | string, locale: Locale = 'nl'): string {
  const n = toNumber(value);
  const abs = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (abs >= 1e9) return `${sign}€ ${formatNumber(abs / 1e9, locale, 1, 1)} ${locale === 'nl' ? 'mld' : 'bn'}`;
  if (abs >= 1e6) return `${sign}€ ${formatNumber(abs / 1e6, locale, 1, 1)} mln`;
  return formatCurrency(n, locale, 0);
}

/** A percentage given on the 0–100 scale: 45.5 → "45,5%". */
export function formatPercentage(value: number | string, locale: Locale = 'nl', maxDecimals = 1): string {
  return `${formatNumber(value, locale, maxDecimals)}%`;
}

/** A proportion on the 0–1 scale: 0.455 → "45,5%". */
export function formatProportion(value: number | string, locale: Locale = 'nl', maxDecimals = 1): string {
  return formatPercentage(toNumber(value) * 100, locale, maxDecimals);
}

/** "24 november 2026" (nl) or "24 November 2026" (en), in Dutch time. */
export function formatDate(value: Date | string, locale: Locale = 'nl'): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' }).format(new Date(value));
}

/** "24 november 2026 14:05". */
export function formatDateTime(value: Date | string, locale: Locale = 'nl'): string {
  const date = new Date(value);
  const time = new Intl.DateTimeFormat(INTL_LOCALE[locale], { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Europe/Amsterdam' }).format(date);
  return `${formatDate(date, locale)} ${time}`;
}

/** An exact decimal text ("12500.5") as the user sees it in a form field: "12.500,50" for money. */
export function formatInputNumber(text: string, locale: Locale = 'nl', decimals?: number): string {
  const [, fraction = ''] = text.split('.');
  const digits = decimals ?? fraction.length;
  return formatNumber(text, locale, Math.max(digits, 0), decimals ?? 0);
}
