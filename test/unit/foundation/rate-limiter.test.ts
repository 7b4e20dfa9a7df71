import { describe, expect, it } from 'vitest';
import { ExportQueue } from '../../../exports/export-queue';
import { RateLimiter } from '../../../server/web/rate-limiter';

describe('rate limiter', () => {
  it('allows a number of requests per key and window, then refuses until the window has passed', () => {
    const limiter = new RateLimiter({ limit: 3, windowMs: 1000 });
    expect([1, 2, 3, 4].map(() => limiter.allow('a', 0))).toEqual([true, true, true, false]);
    expect(limiter.allow('b', 10)).toBe(true);
    expect(limiter.allow('a', 999)).toBe(false);
    expect(limiter.allow('a', 1000)).toBe(true);
  });
});

describe('export queue', () => {
  it('runs heavy exports one at a time, in order, also after one fails', async () => {
    const queue = new ExportQueue();
    const events: string[] = [];
    const job =
      (name: string, fail = false) =>
      async () => {
        events.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, 5));
        events.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([queue.run(job('a')), queue.run(job('b', true)), queue.run(job('c'))]);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(queue.length).toBe(0);
  });
});

describe('log lines for a terminal', () => {
  it('shows a request as time, level, method, path, status and duration, and an error with its stack', async () => {
    const { formatLine } = await import('../../../server/logger');
    const time = new Date(2026, 10, 25, 12, 0, 1).getTime();
    expect(
      formatLine({
        time,
        level: 30,
        msg: 'request completed',
        req: { method: 'GET', url: '/beheer' },
        res: { statusCode: 200 },
        responseTime: 12,
      }),
    ).toBe('12:00:01  info  GET /beheer 200 12ms\n');
    expect(
      formatLine({ time, level: 50, msg: 'boom', err: { message: 'boom', stack: 'Error: boom\n    at x' } }),
    ).toContain('ERROR  boom  \nError: boom');
  });

  it('shows an event during a request (a refused request) as its message with the request, not as a request line', async () => {
    const { formatLine } = await import('../../../server/logger');
    const time = new Date(2026, 10, 25, 12, 0, 1).getTime();
    expect(
      formatLine({
        time,
        level: 30,
        msg: 'request refused',
        req: { method: 'GET', url: '/beheer' },
        status: 404,
        key: 'error.not_found',
      }),
    ).toBe('12:00:01  info  request refused  GET /beheer  status=404  key=error.not_found\n');
  });
});
