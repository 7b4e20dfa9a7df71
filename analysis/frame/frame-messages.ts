import { t, type Locale } from '../../views/i18n/index';
import type { FrameError } from './frame-reader';

/** "Regel 7, kolom provincie: "Frisland" is geen Nederlandse provincie. …" */
export function frameErrorMessage(locale: Locale, error: FrameError): string {
  const message = t(locale, error.code, error.params);
  if (error.line === 0) return t(locale, 'frame.error.file', { message });
  if (error.column) return t(locale, 'frame.error.at', { line: error.line, column: error.column, message });
  return t(locale, 'frame.error.at_line', { line: error.line, message });
}
