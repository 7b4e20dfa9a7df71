import { describe, expect, it } from 'vitest';
import { type NumberKind, parseByRules, parseDutchNumber } from '../../../foundation/numbers/parse-dutch-number';

function read(raw: string, kind: NumberKind = 'decimal') {
  const r = parseDutchNumber(raw, kind);
  if (!r.ok) throw new Error(`${raw}: ${r.code}`);
  return { text: r.text, ambiguous: r.ambiguous };
}
function outcome(raw: string, kind: NumberKind = 'decimal') {
  const r = parseDutchNumber(raw, kind);
  return r.ok ? `ok ${r.text}` : r.code;
}

describe('parseDutchNumber', () => {
  it('reads every form of a Dutch number as a Dutch user means it', () => {
    expect(read('€ 12.500,50', 'currency')).toEqual({ text: '12500.5', ambiguous: false });
    expect(read('12500,5', 'currency')).toEqual({ text: '12500.5', ambiguous: false });
    expect(read('12500', 'currency')).toEqual({ text: '12500', ambiguous: false });
    expect(read('1.234.567', 'integer')).toEqual({ text: '1234567', ambiguous: false });
    expect(read('1 234 567,89', 'currency')).toEqual({ text: '1234567.89', ambiguous: false });
    expect(read('-12,5')).toEqual({ text: '-12.5', ambiguous: false });
  });

  it('accepts spaces between groups of three, also the no-break spaces Intl and Word produce', () => {
    for (const space of [' ', '\u00a0', '\u202f', '\u2009'])
      expect(read(`12${space}500`, 'currency').text).toBe('12500');
    expect(read('€\u00a012\u202f500,50', 'currency').text).toBe('12500.5');
    for (const raw of ['12 50', '1 2345', '01 234', '12 500 00']) expect(outcome(raw), raw).toBe('number.not_a_number');
  });

  it('reads currency signs and the Dutch way of writing whole euros', () => {
    expect(read('€12.500', 'currency').text).toBe('12500');
    expect(read('12.500 EUR', 'currency').text).toBe('12500');
    expect(read('12,50 euro', 'currency').text).toBe('12.5');
    expect(read('€ 25,-', 'currency').text).toBe('25');
    expect(read('€ 1.250,--', 'currency').text).toBe('1250');
    expect(outcome('€ 25', 'decimal')).toBe('number.not_a_number');
  });

  it('reads machine exports with a decimal point', () => {
    expect(read('12500.50', 'currency')).toEqual({ text: '12500.5', ambiguous: false });
    expect(read('0.5')).toEqual({ text: '0.5', ambiguous: false });
    expect(read('1,234,567.89', 'currency')).toEqual({ text: '1234567.89', ambiguous: false });
    expect(read('.5').text).toBe('0.5');
    expect(read(',5').text).toBe('0.5');
  });

  it('reads 1,234 and 1.234 Dutch, and flags them only where the other reading is also valid', () => {
    expect(read('1,234')).toEqual({ text: '1.234', ambiguous: true });
    expect(read('1.234')).toEqual({ text: '1234', ambiguous: true });
    expect(read('12.500', 'decimal')).toEqual({ text: '12500', ambiguous: true }); // or 12,5
    expect(read('1.234', 'currency')).toEqual({ text: '1234', ambiguous: false }); // € 1,234 is no amount
    expect(read('1.234', 'integer')).toEqual({ text: '1234', ambiguous: false }); // 1,234 is no whole number
    expect(read('0,125')).toEqual({ text: '0.125', ambiguous: false });
    expect(read('1234,567')).toEqual({ text: '1234.567', ambiguous: false });
  });

  it('reads the common Dutch ways of writing an amount without a question', () => {
    for (const raw of [
      '€ 45.000',
      '45.000',
      '45000',
      '45.000,-',
      '€ 45.000,00',
      '45.000 euro',
      '€ 45 000',
      'EUR 45.000',
    ])
      expect(read(raw, 'currency'), raw).toEqual({ text: '45000', ambiguous: false });
    expect(read('€ 8.250', 'currency')).toEqual({ text: '8250', ambiguous: false });
    expect(read('12.500', 'currency')).toEqual({ text: '12500', ambiguous: false }); // cents come in twos
    expect(read('€ 1.234.567', 'currency')).toEqual({ text: '1234567', ambiguous: false });
  });

  it('reads a comma before three digits in an amount as thousands, and asks', () => {
    expect(read('1,234', 'currency')).toEqual({ text: '1234', ambiguous: true }); // or a slip for € 1,23
    expect(read('45,000', 'currency')).toEqual({ text: '45000', ambiguous: true }); // or € 45
    expect(read('1,230', 'currency')).toEqual({ text: '1230', ambiguous: true });
    expect(read('1,25', 'currency')).toEqual({ text: '1.25', ambiguous: false });
  });

  it('refuses a Dutch reading that does not fit the kind, and says what it read', () => {
    expect(parseDutchNumber('1.212,555', 'currency')).toEqual({
      ok: false,
      code: 'number.too_many_decimals',
      params: { value: '1.212,555', max: 2 },
    });
    expect(outcome('12,5555', 'currency')).toBe('number.too_many_decimals');
    expect(outcome('12,5', 'integer')).toBe('number.not_integer');
    expect(outcome('1,234', 'integer')).toBe('number.not_integer');
    expect(read('12,00', 'integer').text).toBe('12');
  });

  it('accepts percentages with or without a % sign; ranges are the caller’s rule', () => {
    expect(read('45', 'percentage').text).toBe('45');
    expect(read('45%', 'percentage').text).toBe('45');
    expect(read('45,5 %', 'percentage').text).toBe('45.5');
    expect(read('120', 'percentage').text).toBe('120');
    expect(outcome('45%', 'decimal')).toBe('number.not_a_number');
  });

  it('handles one sign, in the forms people type', () => {
    expect(read('\u221212,5').text).toBe('-12.5');
    expect(read('\u201312,5').text).toBe('-12.5');
    expect(read('+7').text).toBe('7');
    expect(read('-€ 12', 'currency').text).toBe('-12');
    expect(read('- € 12', 'currency').text).toBe('-12');
    expect(read('€ -12', 'currency').text).toBe('-12');
    expect(read('-0').text).toBe('0');
    for (const raw of ['--5', '+-5', '-+5', '5-', '- -5']) expect(outcome(raw), raw).toBe('number.not_a_number');
  });

  it('refuses what is not a number, with the input quoted back', () => {
    for (const raw of [
      'abc',
      '12a',
      'twaalf',
      '1,2,3.4.5',
      '12.50.0',
      '1.23,4.5',
      '1,234.5,6',
      '12,5.000',
      '.',
      ',',
      '12.',
      '12,',
      '€',
      '5 €',
      '1e5',
      '0x10',
      '1/2',
      '12.34.56',
    ]) {
      expect(outcome(raw), raw).toBe('number.not_a_number');
    }
    expect(parseDutchNumber('12.50.0')).toEqual({
      ok: false,
      code: 'number.not_a_number',
      params: { value: '12.50.0' },
    });
    expect(outcome('')).toBe('number.empty');
    expect(outcome('   ')).toBe('number.empty');
    expect(outcome('1'.repeat(50))).toBe('number.too_long');
  });

  it('keeps money exact beyond what a float holds', () => {
    const r = parseDutchNumber('€ 9.007.199.254.740.993,01', 'currency');
    expect(r.ok && r.text).toBe('9007199254740993.01');
    expect(read('0,10', 'currency').text).toBe('0.1');
    expect(read('000123,40', 'currency').text).toBe('123.4');
  });

  it('gives on its fast paths exactly what the general rules give', () => {
    const kinds: NumberKind[] = ['integer', 'decimal', 'currency', 'percentage'];
    const inputs = [
      '0',
      '7',
      '007',
      '10',
      '999999999999999',
      '9999999999999999',
      '1,10',
      '0,5',
      '0.05',
      '12500.50',
      '12500,5',
      '1,234',
      '1.234',
      '01,5',
      '1234567890123,45',
      '12345678901234,5',
      ' 42 ',
    ];
    // And a seeded spread of plain and simple decimal inputs.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 500; i++) {
      const whole = String(next() % 10 ** (1 + (next() % 9)));
      inputs.push(whole, `${whole},${next() % 100}`, `${whole}.${next() % 10}`);
    }
    for (const kind of kinds)
      for (const raw of inputs)
        expect(parseDutchNumber(raw, kind), `${raw} as ${kind}`).toEqual(parseByRules(raw.trim(), kind));
  });
});
