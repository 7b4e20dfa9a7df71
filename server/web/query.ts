// Query-string fields read the same way on every page: a search text, a page
// number, a file flavour. Like a form, a repeated or nested field reads as empty,
// so a hostile query never reaches a domain function.
import { z } from 'zod';
import { formText } from '../../foundation/form-fields';
import { readForm } from './form';

/** A search as typed, cut to 200 characters. */
export const searchText = formText.transform((s) => s.slice(0, 200));
/** A page of a list: a whole number from 1; anything else (also a repeated field) is the first page. */
export const pageOfList = formText
  .refine((s) => /^\d{1,7}$/.test(s))
  .transform(Number)
  .pipe(z.number().int().min(1).max(1_000_000))
  .catch(1);
/** The CSV for analysts (comma, point) or for Dutch Excel (semicolon, comma, BOM). */
export const csvFlavour = z.enum(['csv', 'csv-nl']).catch('csv');
/** A text that may be absent: null when empty. */
export const textOrNull = formText.transform((s) => s || null);

/** The values of a query string read with a schema of the fields above. */
export function readQuery<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>, query: unknown) {
  return readForm(schema, query).values;
}
