import { describe, expect, it } from 'vitest';
import { parseDutchNumber } from '../../../surveys/parse-dutch-number';

function value(raw: string, kind: Parameters<typeof parseDutchNumber>[1] = 'decimal') {
  const r = parseDutchNumber(raw, kind);
  if (!r.ok) throw new Error(`${raw}: ${r.code}`);
  return { text: r.text, ambiguous: r.ambiguous };
}
function error(raw: string, kind: Parameters<typeof parseDutchNumber>[1] = 'decimal') {
  const r = parseDutchNumber(raw, kind);
  return r.ok ? `ok ${r.text}` : r.code;
}

describe('parseDutchNumber', () => {
  it('reads every form of DESIGN 9 as a Dutch user means it', () => {
    expect(value('€ 12.500,50', 'currency')).toEqual({ text: '12500.5', ambiguous: false });
    expect(value('12500,5', 'currency')).toEqual({ text: '12500.5', ambiguous: false });
    expect(value('12.500', 'currency')).toEqual({ text: '12500', ambiguous: true });
    expect(value('12500', 'currency')).toEqual({ text: '12500', ambiguous: false });
    expect(value('12 500', 'currency')).toEqual({ text: '12500', ambiguous: false });
    expect(value('12\u00a0500', 'currency')).toEqual({ text: '12500', ambiguous: false });
    expect(value('1.234.567', 'integer')).toEqual({ text: '1234567', ambiguous: false });
    expect(value('1 234 567,89', 'currency')).toEqual({ text: '1234567.89', ambiguous: false });
    expect(value('€12.500', 'currency').text).toBe('12500');
    expect(value('12.500 EUR', 'currency').text).toBe('12500');
  });

  it('reads machine exports with a decimal point', () => {
    expect(value('12500.50', 'currency')).toEqual({ text: '12500.5', ambiguous: false });
    expect(value('0.5')).toEqual({ text: '0.5', ambiguous: false });
    expect(value('1,234,567.89', 'currency')).toEqual({ text: '1234567.89', ambiguous: false });
  });

  it('reads an ambiguous 1,234 Dutch and flags it; refuses it as an amount with three decimals', () => {
    expect(value('1,234')).toEqual({ text: '1.234', ambiguous: true });
    expect(value('1.234')).toEqual({ text: '1234', ambiguous: true });
    expect(error('1,234', 'currency')).toBe('number.ambiguous_decimals');
    expect(value('0,125')).toEqual({ text: '0.125', ambiguous: false });
  });

  it('accepts percentages with or without a % sign', () => {
    expect(value('45', 'percentage').text).toBe('45');
    expect(value('45%', 'percentage').text).toBe('45');
    expect(value('45,5 %', 'percentage').text).toBe('45.5');
  });

  it('handles signs', () => {
    expect(value('-12,5').text).toBe('-12.5');
    expect(value('\u221212,5').text).toBe('-12.5');
    expect(value('+7').text).toBe('7');
    expect(value('-€ 12', 'currency').text).toBe('-12');
    expect(value('-0').text).toBe('0');
  });

  it('refuses what is not a number, with a reason', () => {
    for (const raw of ['abc', '12a', '1,2,3.4.5', '12.50.0', '1.23,4.5', '--5', '12 50', '1 2345', '.', ',5', '€', '5 €', '1e5', '0x10']) {
      expect(error(raw), raw).toBe('number.not_a_number');
    }
    expect(error('')).toBe('number.empty');
    expect(error('   ')).toBe('number.empty');
    expect(error('1'.repeat(50))).toBe('number.too_long');
    expect(error('12,5', 'integer')).toBe('number.not_integer');
    expect(value('12,00', 'integer').text).toBe('12');
    expect(error('12,555', 'currency')).toBe('number.ambiguous_decimals');
    expect(error('1.212,555', 'currency')).toBe('number.too_many_decimals');
    expect(error('45%', 'decimal')).toBe('number.not_a_number');
  });

  it('keeps money exact', () => {
    expect(value('€ 9.007.199.254.740.993,01', 'currency').text).toBe('9007199254740993.01');
  });
});
