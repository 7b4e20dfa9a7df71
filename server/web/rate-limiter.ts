// A small in-process rate limiter (fixed window per key), for anonymous routes
// whose cost is low but not zero. Login and password routes count attempts in the
// database instead, so that every instance behind a load balancer sees them.
export class RateLimiter {
  private readonly counts = new Map<string, { start: number; count: number }>();

  constructor(private readonly options: { limit: number; windowMs: number }) {}

  /** Count a request for the key; false once the key is over its limit in this window. */
  allow(key: string, now = Date.now()): boolean {
    const entry = this.counts.get(key);
    if (!entry || now - entry.start >= this.options.windowMs) {
      if (this.counts.size > 10_000) this.prune(now);
      this.counts.set(key, { start: now, count: 1 });
      return true;
    }
    entry.count++;
    return entry.count <= this.options.limit;
  }

  private prune(now: number) {
    for (const [key, entry] of this.counts) if (now - entry.start >= this.options.windowMs) this.counts.delete(key);
  }
}
