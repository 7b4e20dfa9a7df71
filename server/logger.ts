import { type Logger, pino } from 'pino';

/** JSON logs on stdout; request ids are added per request by pino-http. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'impactmonitor' },
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
  });
}
