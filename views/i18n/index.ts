// All user-facing texts live in views/i18n/<locale>/*.ts: one folder per language,
// one file per area. Keys are dotted ('frame.error.required'); params fill {name}.

import { en } from './en/index';
import { nl } from './nl/index';

export type Locale = 'nl' | 'en';
export const LOCALES: readonly Locale[] = ['nl', 'en'];
export const DEFAULT_LOCALE: Locale = 'nl';

const catalogues: Record<Locale, Record<string, string>> = { nl, en };

export type MessageParams = Record<string, string | number | null | undefined>;

/** Translate a message key; falls back to Dutch, then to the key itself. */
export function t(locale: Locale, key: string, params: MessageParams = {}): string {
  const template = catalogues[locale][key] ?? catalogues.nl[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined || params[name] === null ? whole : String(params[name]),
  );
}

export function hasMessage(key: string): boolean {
  return key in catalogues.nl;
}

export function isLocale(value: unknown): value is Locale {
  return value === 'nl' || value === 'en';
}

/** Keys present in one language but not the other (checked by a unit test). */
export function missingTranslations(): { nl: string[]; en: string[] } {
  return {
    nl: Object.keys(en).filter((k) => !(k in nl)),
    en: Object.keys(nl).filter((k) => !(k in en)),
  };
}

/**
 * A counted message: `key.one` for 1, `key.other` otherwise, with `{n}` the
 * count as written in the locale ("1 bericht", "232 organisaties").
 */
export function tn(locale: Locale, key: string, count: number, params: MessageParams = {}): string {
  return t(locale, `${key}.${count === 1 ? 'one' : 'other'}`, {
    ...params,
    n: count.toLocaleString(locale === 'nl' ? 'nl-NL' : 'en-GB'),
  });
}
