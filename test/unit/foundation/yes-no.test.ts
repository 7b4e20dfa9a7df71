import { describe, expect, it } from 'vitest';
import { parseYesNo } from '../../../foundation/yes-no';

describe('parseYesNo', () => {
  it('reads yes in Dutch, English, Excel and digits, in any case', () => {
    for (const word of ['ja', 'J', 'yes', 'Y', '1', 'TRUE', 'true', 'waar', 'WAAR'])
      expect(parseYesNo(word)).toBe(true);
  });

  it('reads no the same way', () => {
    for (const word of ['nee', 'N', 'no', '0', 'FALSE', 'onwaar', 'Onwaar']) expect(parseYesNo(word)).toBe(false);
  });

  it('is undefined for anything else, including the empty string and object keys', () => {
    for (const word of ['', 'misschien', '2', 'jaa', ' ja', 'constructor', 'toString', '__proto__'])
      expect(parseYesNo(word)).toBeUndefined();
  });
});
