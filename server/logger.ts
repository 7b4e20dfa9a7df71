import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * Logs on stdout: JSON for a log collector (one object per line, request ids added
 * per request by pino-http), or one short readable line per event for a person
 * watching `npm start` or `npm run demo` in a terminal.
 */
export function createLogger(level: string, format: 'json' | 'pretty' = 'json'): Logger {
  const options = {
    level,
    base: { app: 'impactmonitor' },
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
  };
  return format === 'pretty' ? pino(options, prettyStream(process.stdout)) : pino(options);
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** One line per log event: time, level, message, and for a request its method, path, status and duration. */
export function formatLine(entry: Record<string, unknown>): string {
  const time = new Date(Number(entry.time)).toTimeString().slice(0, 8);
  const level = LEVELS[Number(entry.level)] ?? String(entry.level);
  const req = entry.req as { method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  const parts = [time, level];
  // The request line once the response is sent; any other event during a request
  // (a refused request, an error) is its message, with the request and its details.
  if (req?.method && res?.statusCode !== undefined)
    parts.push(`${req.method} ${req.url ?? ''} ${res.statusCode} ${entry.responseTime ?? '?'}ms`);
  else {
    parts.push(String(entry.msg ?? ''));
    if (req?.method) parts.push(`${req.method} ${req.url ?? ''}`);
    for (const key of ['status', 'key']) if (entry[key] !== undefined) parts.push(`${key}=${String(entry[key])}`);
  }
  const err = entry.err as { message?: string; stack?: string } | undefined;
  if (err) parts.push(`\n${err.stack ?? err.message ?? ''}`);
  for (const key of ['url', 'database']) if (typeof entry[key] === 'string') parts.push(`${key}=${entry[key]}`);
  return `${parts.join('  ')}\n`;
}

function prettyStream(out: NodeJS.WritableStream): DestinationStream {
  return {
    write(line: string) {
      try {
        out.write(formatLine(JSON.parse(line)));
      } catch {
        out.write(line);
      }
    },
  };
}
