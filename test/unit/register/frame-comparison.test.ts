import { describe, expect, it } from 'vitest';
import { compareFrameYears } from '../../../register/frame-comparison';

const unit = (org_id: string, extra: Record<string, unknown> = {}) => ({
  org_id,
  name: `School ${org_id}`,
  org_type: 'muziekschool',
  province: 'Utrecht',
  municipality: 'Utrecht',
  member: true,
  students: 300,
  turnover_eur: '100000.00',
  subsidy_eur: null,
  fte: '4.5',
  teachers_employed: 5,
  teachers_freelance: null,
  ...extra,
});

describe('compareFrameYears', () => {
  it('lists added, disappeared and changed organisations with each changed field as text', () => {
    const result = compareFrameYears(
      { year: 2019, units: [unit('A'), unit('B'), unit('C')] },
      {
        year: 2020,
        units: [unit('A'), unit('B', { students: 310, member: false, subsidy_eur: '5000.00' }), unit('D')],
      },
    );
    expect(result.from).toBe(2019);
    expect(result.to).toBe(2020);
    expect(result.added).toEqual([{ org_id: 'D', name: 'School D', org_type: 'muziekschool', province: 'Utrecht' }]);
    expect(result.disappeared.map((u) => u.org_id)).toEqual(['C']);
    expect(result.changed).toEqual([
      {
        org_id: 'B',
        name: 'School B',
        changes: [
          { field: 'member', before: 'true', after: 'false' },
          { field: 'students', before: '300', after: '310' },
          { field: 'subsidy_eur', before: null, after: '5000.00' },
        ],
      },
    ]);
  });

  it('finds nothing between a year and itself', () => {
    const year = { year: 2020, units: [unit('A'), unit('B')] };
    expect(compareFrameYears(year, { ...year, year: 2020 })).toEqual({
      from: 2020,
      to: 2020,
      added: [],
      disappeared: [],
      changed: [],
    });
  });
});
