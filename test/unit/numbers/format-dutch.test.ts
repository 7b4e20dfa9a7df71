import { describe, expect, it } from 'vitest';
import {
  formatCompactCurrency,
  formatCurrency,
  formatDate,
  formatDateTime,
  formatInputNumber,
  formatNumber,
  formatPercentage,
  formatProportion,
  NO_VALUE,
} from '../../../foundation/numbers/format-dutch';
import { parseDutchNumber } from '../../../foundation/numbers/parse-dutch-number';

describe('Dutch formatting', () => {
  it('formats numbers the Dutch way, English on request', () => {
    expect(formatNumber(1234567.5)).toBe('1.234.567,5');
    expect(formatNumber(1234567.5, 'en')).toBe('1,234,567.5');
    expect(formatNumber(0.1 + 0.2)).toBe('0,3');
    expect(formatNumber(2.5, 'nl', 2, 2)).toBe('2,50');
  });

  it('formats amounts in euros, whole or with cents, through Intl', () => {
    expect(formatCurrency(1234567)).toBe('€ 1.234.567');
    expect(formatCurrency('12500.5', 'nl', 2)).toBe('€ 12.500,50');
    expect(formatCurrency(-250)).toBe('€ -250');
    expect(formatCurrency(1234567, 'en')).toBe('€1,234,567');
    expect(formatCurrency(-250, 'en')).toBe('-€250');
  });

  it('formats exact decimal texts without a detour through floats', () => {
    expect(formatNumber('9007199254740993.01')).toBe('9.007.199.254.740.993,01');
    expect(formatCurrency('9007199254740993.01', 'nl', 2)).toBe('€ 9.007.199.254.740.993,01');
  });

  it('uses plain spaces only, never the no-break spaces Intl emits', () => {
    const outputs = [
      formatCurrency(1234567),
      formatCurrency(-5, 'nl', 2),
      formatCompactCurrency(117_200_000),
      formatDate('2026-11-24T12:00:00Z'),
      formatDateTime('2026-11-24T12:00:00Z', 'en'),
    ];
    for (const text of outputs) expect(text, text).not.toMatch(/[\u00a0\u202f]/);
  });

  it('writes large amounts compactly for key figures', () => {
    expect(formatCompactCurrency(117_200_000)).toBe('€ 117,2 mln');
    expect(formatCompactCurrency(2_600_000_000)).toBe('€ 2,6 mld');
    expect(formatCompactCurrency(11_600_000)).toBe('€ 11,6 mln');
    expect(formatCompactCurrency(-5_000_000)).toBe('€ -5 mln');
    expect(formatCompactCurrency(254_000_000)).toBe('€ 254 mln');
    expect(formatCompactCurrency(254_000_000, 'en')).toBe('€254m');
    expect(formatCompactCurrency(117_200_000, 'en')).toBe('€117.2m');
    expect(formatCompactCurrency(2_600_000_000, 'en')).toBe('€2.6bn');
    expect(formatCompactCurrency(950_000)).toBe('€ 950.000');
  });

  it('formats percentages and proportions', () => {
    expect(formatPercentage(45.5)).toBe('45,5%');
    expect(formatPercentage(45)).toBe('45%');
    expect(formatPercentage(45.5, 'en')).toBe('45.5%');
    expect(formatProportion(0.508)).toBe('50,8%');
  });

  it('formats dates in Dutch time with the month written out', () => {
    expect(formatDate(new Date('2026-11-24T12:00:00Z'))).toBe('24 november 2026');
    expect(formatDate('2026-11-24')).toBe('24 november 2026');
    expect(formatDate('2026-11-24T12:00:00Z', 'en')).toBe('24 November 2026');
    expect(formatDateTime(new Date('2020-03-15T23:30:00Z'))).toBe('16 maart 2020 00:30');
    expect(formatDateTime(new Date('2020-07-01T10:05:00Z'))).toBe('1 juli 2020 12:05');
  });

  it('shows "–" rather than NaN for what is not a number or date', () => {
    expect(formatNumber(Number.NaN)).toBe(NO_VALUE);
    expect(formatCurrency(Number.POSITIVE_INFINITY)).toBe(NO_VALUE);
    expect(formatCurrency('abc')).toBe(NO_VALUE);
    expect(formatPercentage(Number.NaN)).toBe(NO_VALUE);
    expect(formatDate('not a date')).toBe(NO_VALUE);
  });

  it('shows a stored decimal back in a form field, and the parser reads it back unchanged', () => {
    expect(formatInputNumber('12500.5', 'nl', 2)).toBe('12.500,50');
    expect(formatInputNumber('12500')).toBe('12.500');
    expect(formatInputNumber('1.234')).toBe('1,234');
    for (const [text, kind] of [
      ['12500.5', 'currency'],
      ['1234567', 'integer'],
      ['0.125', 'decimal'],
      ['-3.5', 'decimal'],
    ] as const) {
      const parsed = parseDutchNumber(formatInputNumber(text, 'nl', kind === 'currency' ? 2 : undefined), kind);
      expect(parsed.ok && parsed.text, text).toBe(text);
    }
  });
});
