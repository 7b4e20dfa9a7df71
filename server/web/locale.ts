import type { RequestHandler } from 'express';
import * as fmt from '../../foundation/numbers/format-dutch';
import { DEFAULT_LOCALE, isLocale, type Locale, type MessageParams, t, tn } from '../../views/i18n/index';

/** Dutch unless the user switched; makes `t` and the formatters available to views. */
export function localeMiddleware(): RequestHandler {
  return (req, res, next) => {
    const locale: Locale = isLocale(req.session?.locale) ? req.session.locale : DEFAULT_LOCALE;
    res.locals.locale = locale;
    res.locals.t = (key: string, params?: MessageParams) => t(locale, key, params);
    res.locals.tn = (key: string, count: number, params?: MessageParams) => tn(locale, key, count, params);
    res.locals.fmt = fmt;
    next();
  };
}
