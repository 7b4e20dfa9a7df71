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
  it('writes one tab-separated line per row in the staging column order, \\N for null and t/f for booleans', () => {
    expect(copyText([unit, { ...unit, org_id: 'K2', member: false }])).toBe(
      'K1\tMuziekschool\tmuziekschool\tUtrecht\t\\N\tt\t700\t427000.5\t\\N\t5.9\t6\t\\N\t500-999\t\\N\t\\N\n' +
        'K2\tMuziekschool\tmuziekschool\tUtrecht\t\\N\tf\t700\t427000.5\t\\N\t5.9\t6\t\\N\t500-999\t\\N\t\\N\n',
    );
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
