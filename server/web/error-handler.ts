// Users see a calm page in their language, never a stack trace; the details go to the log.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DEFAULT_LOCALE, t } from '../../views/i18n/index';
import { HttpError } from './http-error';

export function notFoundHandler(): RequestHandler {
  return (_req, _res, next) => next(new HttpError(404, 'error.not_found'));
}

export function errorHandler(): ErrorRequestHandler {
  return async (err, req, res, next) => {
    if (res.headersSent) return next(err);
    let status = 500;
    let key = 'error.internal';
    let params: Record<string, string | number> = {};
    if (err instanceof HttpError) {
      status = err.status;
      key = err.messageKey;
      params = err.params;
    } else if (
      err &&
      typeof err === 'object' &&
      'status' in err &&
      typeof err.status === 'number' &&
      err.status >= 400 &&
      err.status < 500
    ) {
      // Errors from body parsers: too large, malformed.
      status = err.status;
      key = status === 413 ? 'error.too_large' : 'error.bad_request';
    }
    if (status >= 500) req.log?.error({ err }, 'request failed');
    else req.log?.info({ status, key }, 'request refused');

    const wantsJson =
      req.path === '/health' ||
      ((req.get('accept') ?? '').includes('application/json') && !(req.get('accept') ?? '').includes('text/html'));
    const locale = res.locals.locale ?? DEFAULT_LOCALE;
    const message = t(locale, key, params);
    if (wantsJson) {
      res.status(status).json({ error: message, status });
      return;
    }
    try {
      if (typeof res.page !== 'function' || typeof res.locals.t !== 'function') throw new Error('no renderer');
      await res.page(
        'pages/error',
        {
          status,
          message,
          title:
            t(locale, `error.title.${status}`) === `error.title.${status}`
              ? t(locale, 'error.title.generic')
              : t(locale, `error.title.${status}`),
        },
        status,
      );
    } catch (renderError) {
      req.log?.error({ err: renderError }, 'error page failed');
      res.status(status).type('text').send(message);
    }
  };
}
