// The staff's frame forms, each read by one zod schema (server/web/form.ts readForm).
import { z } from 'zod';
import { formText } from '../foundation/form-fields';
import { validYear } from './frame-import';

/** The fields next to the file of a frame upload: the year (four digits, a valid frame year) and "vervangen". */
export const frameUploadForm = z.object({ year: formText, replace: formText }).superRefine((v, ctx) => {
  if (!/^\d{4}$/.test(v.year) || !validYear(Number(v.year)))
    ctx.addIssue({ code: 'custom', path: ['year'], message: 'frame.year_invalid' });
});
