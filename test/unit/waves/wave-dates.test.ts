import { describe, expect, it } from 'vitest';
import { daysToClosing } from '../../../exports/staff-dashboard';
import { amsterdamDate, amsterdamInstant, endOfAmsterdamDay } from '../../../foundation/numbers/amsterdam-time';
import { formatDate, formatDateTime } from '../../../foundation/numbers/format-dutch';
import { parseWaveDate, WaveError, waveAcceptsAnswers } from '../../../surveys/waves/waves';

const open = (closes: Date) => ({ status: 'open' as const, opens_at: null, closes_at: closes });

describe('wave dates in Dutch time', () => {
  it('reads a wall-clock time in Amsterdam, winter and summer time', () => {
    expect(amsterdamInstant('2026-12-31')?.toISOString()).toBe('2026-12-30T23:00:00.000Z');
    expect(amsterdamInstant('2026-07-01', '12:30')?.toISOString()).toBe('2026-07-01T10:30:00.000Z');
    expect(endOfAmsterdamDay('2026-12-31')?.toISOString()).toBe('2026-12-31T22:59:59.999Z');
    expect(endOfAmsterdamDay('2026-06-30')?.toISOString()).toBe('2026-06-30T21:59:59.999Z');
    // The days the clock changes.
    expect(endOfAmsterdamDay('2026-03-29')?.toISOString()).toBe('2026-03-29T21:59:59.999Z');
    expect(endOfAmsterdamDay('2026-10-25')?.toISOString()).toBe('2026-10-25T22:59:59.999Z');
    expect(amsterdamInstant('2026-02-30')).toBeNull();
    expect(amsterdamInstant('2026-02-28', '24:00')).toBeNull();
    expect(amsterdamDate(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
  });

  it('closes "on 31 December" at the end of that day in Amsterdam, from the form and the CLI alike', () => {
    for (const field of ['closes_at', 'closes']) {
      const closes = parseWaveDate('2026-12-31', field)!;
      expect(closes.toISOString()).toBe('2026-12-31T22:59:59.999Z');
      // The last minute of 31 December still takes answers; the first of 1 January does not.
      expect(waveAcceptsAnswers(open(closes), new Date('2026-12-31T22:59:59.000Z'))).toBe(true);
      expect(waveAcceptsAnswers(open(closes), new Date('2026-12-31T22:59:59.999Z'))).toBe(true);
      expect(waveAcceptsAnswers(open(closes), new Date('2026-12-31T23:00:00.000Z'))).toBe(false);
      // Every page and mail shows the day that was entered, and the dashboard the last minute.
      expect(formatDate(closes, 'nl')).toBe('31 december 2026');
      expect(formatDateTime(closes, 'nl')).toBe('31 december 2026 23:59');
      expect(amsterdamDate(closes)).toBe('2026-12-31');
    }
    // Summer time: the end of 30 June is 21:59:59.999 UTC.
    const june = parseWaveDate('2026-06-30', 'closes_at')!;
    expect(waveAcceptsAnswers(open(june), new Date('2026-06-30T21:30:00Z'))).toBe(true);
    expect(waveAcceptsAnswers(open(june), new Date('2026-06-30T22:00:00Z'))).toBe(false);
  });

  it('opens at the start of the day, and reads times in Dutch time unless an offset is given', () => {
    expect(parseWaveDate('2026-12-01', 'opens_at')?.toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(parseWaveDate('2026-12-31T17:00', 'closes')?.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(parseWaveDate('2026-12-31T17:00:00Z', 'closes')?.toISOString()).toBe('2026-12-31T17:00:00.000Z');
    expect(parseWaveDate('2026-12-31T17:00+02:00', 'closes')?.toISOString()).toBe('2026-12-31T15:00:00.000Z');
    expect(parseWaveDate('', 'closes')).toBeNull();
    for (const bad of ['31-12-2026', '2026-02-30', 'morgen', '2026-12-31T25:00'])
      expect(() => parseWaveDate(bad, 'closes_at'), bad).toThrow(WaveError);
  });

  it('counts the days to closing in Dutch calendar days', () => {
    const closes = parseWaveDate('2026-12-31', 'closes_at')!;
    expect(daysToClosing(closes, new Date('2026-12-31T22:30:00Z'))).toBe(0);
    expect(daysToClosing(closes, new Date('2026-12-30T23:30:00Z'))).toBe(0);
    expect(daysToClosing(closes, new Date('2026-12-30T22:30:00Z'))).toBe(1);
  });
});
