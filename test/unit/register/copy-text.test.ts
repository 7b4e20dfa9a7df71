import { describe, expect, it } from 'vitest';
import { copyText, type FrameUnitInput } from '../../../register/frame-repository';

const unit: FrameUnitInput = {
  org_id: 'K1',
  name: 'Muziekschool',
  org_type: 'muziekschool',
  province: 'Utrecht',
  municipality: null,
  member: true,
  students: 700,
  turnover_eur: '427000.5',
  subsidy_eur: null,
  fte: '5.9',
  teachers_employed: 6,
  teachers_freelance: null,
  email: null,
  contact_name: null,
  size_class: '500-999',
};

describe('copyText (PostgreSQL COPY text format)', () => {
  it('writes one tab-separated line per row in the staging column order, \\N for null and t/f for booleans, and a fresh record key last', () => {
    const lines = copyText([unit, { ...unit, org_id: 'K2', member: false }]).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const keys = lines.slice(0, 2).map((line) => {
      const at = line.lastIndexOf('\t');
      return { fields: line.slice(0, at), key: line.slice(at + 1) };
    });
    expect(keys[0].fields).toBe(
      'K1\tMuziekschool\tmuziekschool\tUtrecht\t\\N\tt\t700\t427000.5\t\\N\t5.9\t6\t\\N\t500-999\t\\N\t\\N',
    );
    expect(keys[1].fields).toBe(
      'K2\tMuziekschool\tmuziekschool\tUtrecht\t\\N\tf\t700\t427000.5\t\\N\t5.9\t6\t\\N\t500-999\t\\N\t\\N',
    );
    for (const { key } of keys) {
      expect(key).toMatch(/^\d+$/);
      expect(Number(key)).toBeLessThan(2 ** 32);
    }
    // Drawn per row: 1000 rows get (all but surely) 1000 different keys.
    const many = copyText(Array.from({ length: 1000 }, (_, i) => ({ ...unit, org_id: `K${i}` })))
      .trim()
      .split('\n')
      .map((line) => line.slice(line.lastIndexOf('\t') + 1));
    expect(new Set(many).size).toBeGreaterThan(995);
  });

  it('escapes backslash, tab and line breaks so no text can end a field or row, or read as null', () => {
    const line = copyText([{ ...unit, name: 'a\\b\tc\nd\re', municipality: '\\N' }]);
    expect(line.split('\t')[1]).toBe('a\\\\b\\tc\\nd\\re');
    expect(line.split('\t')[4]).toBe('\\\\N');
    expect(line.match(/\n/g)).toHaveLength(1);
  });

  it('writes nothing for no rows', () => {
    expect(copyText([])).toBe('');
  });
});
