import { describe, expect, it } from 'vitest';
import { ambiguousMessage, otherReading } from '../../../register/frame-messages';

describe('ambiguous readings shown back', () => {
  it('gives the reading we did not take', () => {
    expect(otherReading('1.500')).toBe('1.5');
    expect(otherReading('€ 427.000')).toBe('427');
    expect(otherReading('1,234')).toBe('1234');
    expect(otherReading('-1.250')).toBe('-1.25');
    expect(otherReading('€ -12,500')).toBe('-12500');
    expect(otherReading('12')).toBeNull();
  });

  it('names line, column, value and both readings, without grouping that could be misread again', () => {
    expect(ambiguousMessage('nl', { line: 2, column: 'fte', value: '1.500', read: '1500' })).toBe(
      'Regel 2, kolom fte: "1.500" gelezen als 1500, niet als 1,5.',
    );
    expect(ambiguousMessage('nl', { line: 9, column: 'fte', value: '1,234', read: '1.234' })).toBe(
      'Regel 9, kolom fte: "1,234" gelezen als 1,234, niet als 1234.',
    );
    expect(ambiguousMessage('en', { line: 9, column: 'fte', value: '1,234', read: '1.234' })).toBe(
      'Line 9, column fte: "1,234" read as 1.234, not as 1234.',
    );
  });
});
