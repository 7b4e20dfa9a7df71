import { describe, expect, it } from 'vitest';
import { frameUploadForm } from '../../../register/frame-forms';
import { FRAME_YEARS, validYear } from '../../../register/frame-import';
import { readForm } from '../../../server/web/form';

describe('the frame upload form', () => {
  it('takes a four-digit frame year and the replace box as typed', () => {
    expect(readForm(frameUploadForm, { year: '2024', replace: 'ja' })).toEqual({
      values: { year: '2024', replace: 'ja' },
      errors: [],
    });
  });

  it('refuses a year that is not four digits or not a frame year, keeping what was typed', () => {
    for (const year of ['24', '2024.0', ' 2024', '1989', '2101', ''])
      expect(readForm(frameUploadForm, { year }).errors, year).toEqual([{ field: 'year', key: 'frame.year_invalid' }]);
    expect(readForm(frameUploadForm, { year: 'abc' }).values).toEqual({ year: 'abc', replace: '' });
  });
});

describe('frame years', () => {
  it('are whole years from 1990 to 2100, the same for the upload form and the branch figures', () => {
    expect(FRAME_YEARS).toEqual({ min: 1990, max: 2100 });
    expect([1990, 2024, 2100].map(validYear)).toEqual([true, true, true]);
    expect([1989, 2101, 2024.5, Number.NaN].map(validYear)).toEqual([false, false, false, false]);
  });
});
