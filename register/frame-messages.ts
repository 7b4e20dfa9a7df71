import { type Locale, t } from '../views/i18n/index';
import type { FrameError } from './frame-reader';
import type { AmbiguousValue } from './frame-row';

/** "Regel 7, kolom provincie: "Frisland" is geen Nederlandse provincie. …" */
export function frameErrorMessage(locale: Locale, error: FrameError): string {
  const message = t(locale, error.code, error.params);
  if (error.line === 0) return t(locale, 'frame.error.file', { message });
  if (error.column) return t(locale, 'frame.error.at', { line: error.line, column: error.column, message });
  return t(locale, 'frame.error.at_line', { line: error.line, message });
}

/** The reading we did not take: "1.500" was read as 1500, so the other is 1.5; "1,234" was read as 1.234, so the other is 1234. */
export function otherReading(value: string): string | null {
  const match = /(\d{1,3})([.,])(\d{3})(?!\d)/.exec(value);
  if (!match) return null;
  const [, whole, separator, part] = match;
  const sign = /^[\s€a-z]*[-\u2212\u2013]/i.test(value) ? '-' : '';
  if (separator === ',') return sign + String(Number(whole + part));
  const fraction = part.replace(/0+$/, '');
  return sign + String(Number(whole)) + (fraction ? `.${fraction}` : '');
}

/** A decimal text without grouping, with the locale's decimal sign: a grouped 1.500 would be read two ways again. */
function plain(text: string, locale: Locale): string {
  return locale === 'nl' ? text.replace('.', ',') : text;
}

/** "Regel 2, kolom fte: "1.500" gelezen als 1500, niet als 1,5." */
export function ambiguousMessage(locale: Locale, value: AmbiguousValue): string {
  // An amount's "427,000" is read as thousands: then the other reading is the decimal one.
  const match = /(\d{1,3})[.,](\d{3})(?!\d)/.exec(value.value);
  const other =
    match && value.read.replace(/^-/, '') === String(Number(match[1] + match[2]))
      ? otherReading(value.value.replace(',', '.'))
      : otherReading(value.value);
  return t(locale, 'frame.preview.ambiguous_at', {
    line: value.line,
    column: value.column,
    value: value.value,
    read: plain(value.read, locale),
    other: other === null ? '?' : plain(other, locale),
  });
}
