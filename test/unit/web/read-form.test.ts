import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formText } from '../../../foundation/form-fields';
import { reportQuery, reportQueryForm, saveSettingForm } from '../../../server/routes/reports';
import { readForm } from '../../../server/web/form';

describe('readForm', () => {
  const form = z
    .object({ name: formText, status: z.enum(['open', 'closed']), kind: z.enum(['a', 'b']).catch('a') })
    .superRefine((v, ctx) => {
      if (!v.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'name_required' });
    });

  it('reads every field and has no errors when the form is right', () => {
    expect(readForm(form, { name: 'x', status: 'open', kind: 'b', _csrf: 't' })).toEqual({
      values: { name: 'x', status: 'open', kind: 'b' },
      errors: [],
    });
  });

  it('reads a field that refuses its input as undefined, with its issue among the errors, without throwing', () => {
    const { values, errors } = readForm(form, { name: ['x'], status: 'deleted', kind: 'z' });
    expect(values).toEqual({ name: '', status: undefined, kind: 'a' });
    // The field's own issue; the form's checks run only once every field reads.
    expect(errors.map((e) => e.field)).toEqual(['status']);
    expect(readForm(form, { name: '', status: 'closed' }).errors).toEqual([{ field: 'name', key: 'name_required' }]);
  });

  it('reads anything but an object as a form without fields', () => {
    expect(readForm(form, 'status=open').values).toEqual({ name: '', status: undefined, kind: 'a' });
    expect(readForm(form, undefined).errors.map((e) => e.field)).toEqual(['status']);
  });
});

describe('the report query form', () => {
  it('reads a query string and a posted form alike: lists repeated or comma-separated', () => {
    const fromQuery = reportQuery({ wave: 'juni', stratify: 'province,member', by: 'size_class', q: ['a', 'b'] });
    expect(fromQuery).toEqual({
      wave: 'juni',
      stratify: ['province', 'member'],
      by: 'size_class',
      questions: ['a', 'b'],
    });
    expect(reportQuery({ wave: 'juni', stratify: ['province', 'member'], by: 'size_class', q: 'a,b' })).toEqual(
      fromQuery,
    );
  });

  it('falls back to the organisation type, no second breakdown and all questions', () => {
    expect(reportQuery({ wave: 'juni' })).toEqual({ wave: 'juni', stratify: ['org_type'], by: null, questions: [] });
    expect(reportQuery({})).toMatchObject({ wave: '' });
  });

  it('refuses an unknown variable with the report message as a 400', () => {
    expect(() => reportQuery({ wave: 'juni', stratify: 'shoe_size' })).toThrow(
      expect.objectContaining({ status: 400, messageKey: 'report.unknown_variable' }),
    );
    expect(() => reportQuery({ wave: 'juni', by: 'shoe_size' })).toThrow(expect.objectContaining({ status: 400 }));
    expect(readForm(reportQueryForm, { wave: 'juni', by: 'shoe_size' }).errors.map((e) => e.field)).toEqual(['by']);
  });

  it('trims the name of saved settings, requires it and keeps 200 characters', () => {
    expect(readForm(saveSettingForm, { name: '  Mijn rapport ' })).toEqual({
      values: { name: 'Mijn rapport' },
      errors: [],
    });
    expect(readForm(saveSettingForm, { name: '   ' }).errors).toEqual([
      { field: 'name', key: 'reports.name_required' },
    ]);
    expect(readForm(saveSettingForm, { name: 'x'.repeat(300) }).values.name).toHaveLength(200);
  });
});
