import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { formText } from '../../../foundation/form-fields';
import { reportQuery, reportQueryForm, saveSettingForm } from '../../../server/routes/reports';
import { checkForm, readForm } from '../../../server/web/form';
import { csvFlavour, pageOfList, readQuery, searchText, textOrNull } from '../../../server/web/query';

describe('readForm', () => {
  const form = z
    .object({ name: formText, status: z.enum(['open', 'closed']), kind: z.enum(['a', 'b']).catch('a') })
    .superRefine((v, ctx) => {
      if (!v.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'name_required' });
    });

  it('says in its type which fields may be missing: those that can refuse their input', () => {
    const { values } = readForm(form, {});
    expectTypeOf(values.name).toEqualTypeOf<string>();
    expectTypeOf(values.kind).toEqualTypeOf<'a' | 'b'>();
    expectTypeOf(values.status).toEqualTypeOf<'open' | 'closed' | undefined>();
    expect(values.status).toBeUndefined();
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

describe('checkForm: a form that is not shown again', () => {
  it('gives the values when every check passes, else the errors at their fields', () => {
    const status = z.object({ status: z.enum(['open', 'closed'], { error: 'wave.status_unknown' }) });
    expect(checkForm(status, { status: 'open' })).toEqual({ ok: true, values: { status: 'open' } });
    expect(checkForm(status, { status: ['open'] })).toEqual({
      ok: false,
      errors: [{ field: 'status', key: 'wave.status_unknown' }],
    });
    expect(checkForm(status, 'status=open').ok).toBe(false);
  });
});

describe('query-string fields', () => {
  const list = z.object({ zoek: searchText, pagina: pageOfList, formaat: csvFlavour, wave: textOrNull });
  it('reads a search, a page, a CSV flavour and an optional text', () => {
    expect(readQuery(list, { zoek: 'Weert', pagina: '3', formaat: 'csv-nl', wave: 'corona-2020-04' })).toEqual({
      zoek: 'Weert',
      pagina: 3,
      formaat: 'csv-nl',
      wave: 'corona-2020-04',
    });
  });
  it("falls back on anything else: the first page, the analysts' CSV, no text, a search cut to 200 characters", () => {
    expect(readQuery(list, { zoek: 'x'.repeat(500), pagina: ['3'], formaat: 'xlsx', wave: '' })).toEqual({
      zoek: 'x'.repeat(200),
      pagina: 1,
      formaat: 'csv',
      wave: null,
    });
    for (const pagina of ['0', '-2', '2.5', '99999999', 'abc', '', undefined, { $gt: 1 }])
      expect(readQuery(list, { pagina }).pagina).toBe(1);
    expect(readQuery(list, { zoek: { $ne: '' } }).zoek).toBe('');
  });
});
