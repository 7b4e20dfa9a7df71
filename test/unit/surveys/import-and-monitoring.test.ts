import { describe, expect, it } from 'vitest';
import { checkAgainstExisting } from '../../../surveys/responses/responses-import';
import { withRate } from '../../../surveys/waves/monitoring';

describe('an import checked against the responses of the wave', () => {
  const row = (line: number, orgId: string) => ({ line, orgId, answers: new Map() });
  const read = { rows: [row(2, 'KANS-1'), row(3, 'KANS-2'), row(4, 'KANS-3')], errors: [], idColumn: 'org_id' };

  it('counts new and replaced responses, and refuses to replace a submitted one, at its line and column', () => {
    const result = checkAgainstExisting(
      read,
      new Map([
        ['KANS-2', 'draft'],
        ['KANS-3', 'submitted'],
      ]),
    );
    expect(result).toMatchObject({ rows: 3, created: 1, replaced: 2, written: false });
    expect(result.errors).toEqual([
      { line: 4, column: 'org_id', key: 'responses.error.already_submitted', params: { value: 'KANS-3' } },
    ]);
  });

  it('keeps the problems found while reading, before its own', () => {
    const problem = { line: 1, column: null, key: 'responses.error.no_org_column', params: {} };
    expect(checkAgainstExisting({ ...read, errors: [problem] }, new Map()).errors).toEqual([problem]);
  });
});

describe('the response rate of a group', () => {
  it('is submitted over the frame units, and 0 for a group without units', () => {
    expect(withRate({ group: 'muziekschool', N: 40, submitted: 10, drafts: 3 }).rate).toBe(0.25);
    expect(withRate({ group: 'leeg', N: 0, submitted: 0, drafts: 0 }).rate).toBe(0);
  });
});
