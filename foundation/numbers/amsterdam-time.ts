// Dates as the association means them: in Dutch time (Europe/Amsterdam), whatever
// the server's own time zone. "Sluit op 31 december" closes at the end of that
// day in Amsterdam, summer or winter time; a date without a time opens at its start.
// Intl knows the zone's rules, so no date library is needed for this one zone.

const ZONE = 'Europe/Amsterdam';
const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The wall-clock time in Amsterdam of an instant, as if it were UTC (for the offset). */
function wallClock(instant: Date): number {
  const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) + (instant.getTime() % 1000);
}

/**
 * The instant of a wall-clock time in Amsterdam ("2026-12-31", "23:59:59.999").
 * Null when the date does not exist (30 February). In the hour skipped in March
 * the clock is read in winter time; in the hour repeated in October, in summer time.
 */
export function amsterdamInstant(date: string, time = '00:00:00.000'): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(time);
  if (!d || !t) return null;
  const [y, mo, da, h, mi, s] = [+d[1], +d[2], +d[3], +t[1], +t[2], +(t[3] ?? 0)];
  const ms = Number((t[4] ?? '0').padEnd(3, '0'));
  const asUtc = Date.UTC(y, mo - 1, da, h, mi, s, ms);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== da) return null;
  if (h > 23 || mi > 59 || s > 59) return null;
  // Amsterdam is UTC+1 or UTC+2: try the offset at the guess, then again at the result.
  let instant = asUtc - (wallClock(new Date(asUtc)) - asUtc);
  instant = asUtc - (wallClock(new Date(instant)) - instant);
  return new Date(instant);
}

/** The last moment of a day in Amsterdam: a wave that closes "on" this day takes answers all of it. */
export function endOfAmsterdamDay(date: string): Date | null {
  return amsterdamInstant(date, '23:59:59.999');
}

/** The calendar date ("YYYY-MM-DD") of an instant in Amsterdam. */
export function amsterdamDate(instant: Date): string {
  return instant.toLocaleDateString('en-CA', { timeZone: ZONE });
}
