// All user-facing texts live in views/i18n/<locale>/*.ts: one folder per language,
// one file per area. Keys are dotted ('frame.error.required'); params fill {name}.

import { en } from './en/index';
import { nl } from './nl/index';

export type Locale = 'nl' | 'en';
export const LOCALES: readonly Locale[] = ['nl', 'en'];
export const DEFAULT_LOCALE: Locale = 'nl';

const catalogues: Record<Locale, Record<string, string>> = { nl, en };

export type MessageParams = Record<string, string | number | null | undefined>;

function lookup(locale: Locale, key: string): string | undefined {
  return catalogues[locale][key] ?? catalogues.nl[key];
}

/**
 * The count of a counted message reached by its plain key (an error code or flash
 * message from a layer that knows nothing of plurals): `params.n`, else its one
 * numeric parameter.
 */
function countOf(params: MessageParams): number | undefined {
  if (typeof params.n === 'number') return params.n;
  const numbers = Object.values(params).filter((v): v is number => typeof v === 'number');
  return numbers.length === 1 ? numbers[0] : undefined;
}

/**
 * Translate a message key; falls back to Dutch, then to the key itself. A key that
 * exists only as a counted message (`key.one`/`key.other`) picks its form by the
 * count in `params` (see `countOf`).
 */
export function t(locale: Locale, key: string, params: MessageParams = {}): string {
  let template = lookup(locale, key);
  if (template === undefined && lookup(locale, `${key}.one`) !== undefined) {
    const count = countOf(params);
    template = lookup(locale, `${key}.${count === 1 ? 'one' : 'other'}`);
  }
  template ??= key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined || params[name] === null ? whole : String(params[name]),
  );
}

export function hasMessage(key: string): boolean {
  return key in catalogues.nl || `${key}.one` in catalogues.nl;
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
