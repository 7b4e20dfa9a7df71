import { describe, expect, it } from 'vitest';
import { formatCompactCurrency, formatCurrency, formatDate, formatDateTime, formatInputNumber, formatNumber, formatPercentage, formatProportion } from '../../../exports/format-dutch';

describe('Dutch formatting', () => {
  it('formats numbers and amounts the Dutch way', () => {
    expect(formatNumber(1234567.5)).toBe('1.234.567,5');
    expect(formatNumber(1234567.5, 'en')).toBe('1,234,567.5');
    expect(formatCurrency(1234567)).toBe('€ 1.234.567');
    expect(formatCurrency('12500.5', 'nl', 2)).toBe('€ 12.500,50');
    expect(formatCurrency(-250)).toBe('-€ 250');
    expect(formatCompactCurrency(117_200_000)).toBe('€ 117,2 mln');
    expect(formatCompactCurrency(2_600_000_000)).toBe('€ 2,6 mld');
    expect(formatCompactCurrency(117_200_000, 'en')).toBe('€ 117.2 mln');
    expect(formatCompactCurrency(950_000)).toBe('€ 950.000');
  });

  it('formats percentages and proportions', () => {
    expect(formatPercentage(45.5)).toBe('45,5%');
    expect(formatProportion(0.508)).toBe('50,8%');
  });

  it('formats dates in Dutch time', () => {
    expect(formatDate(new Date('2026-11-24T12:00:00Z'))).toBe('24 november 2026');
    expect(formatDate('2026-11-24T12:00:00Z', 'en')).toBe('24 November 2026');
    expect(formatDateTime(new Date('2020-03-15T23:30:00Z'))).toBe('16 maart 2020 00:30');
  });

  it('shows a stored decimal back in a form field', () => {
    expect(formatInputNumber('12500.5', 'nl', 2)).toBe('12.500,50');
    expect(formatInputNumber('12500')).toBe('12.500');
    expect(formatInputNumber('1.234')).toBe('1,234');
  });
});
