import type { RequestHandler } from 'express';
import * as fmt from '../../foundation/numbers/format-dutch';
import { conditionText } from '../../surveys/condition-text';
import type { Condition, SurveyDefinition } from '../../surveys/definition-schema';
import { DEFAULT_LOCALE, isLocale, type Locale, type MessageParams, t, tn } from '../../views/i18n/index';
import { readCookie } from './cookies';

/** The cookie that keeps a visitor's language choice (no session row for it). */
export const localeCookie = (trustProxy: boolean) => (trustProxy ? '__Host-impactmonitor.lang' : 'impactmonitor.lang');

/** Dutch unless the user switched (kept in the session, or a visitor's cookie); makes `t` and the formatters available to views. */
export function localeMiddleware(trustProxy = false): RequestHandler {
  return (req, res, next) => {
    const chosen = req.session?.locale ?? readCookie(req, localeCookie(trustProxy));
    const locale: Locale = isLocale(chosen) ? chosen : DEFAULT_LOCALE;
    res.locals.locale = locale;
    res.locals.t = (key: string, params?: MessageParams) => t(locale, key, params);
    res.locals.tn = (key: string, count: number, params?: MessageParams) => tn(locale, key, count, params);
    res.locals.fmt = fmt;
    // A visible_if condition as readable text (`q1 = ja en (q2 ≥ 10 of …)`).
    res.locals.conditionText = (c: Condition, def?: SurveyDefinition, options?: { labels?: boolean }) =>
      conditionText(locale, c, def, options);
    next();
  };
}
