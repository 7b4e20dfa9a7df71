// Form errors in the error-summary pattern: a list of {field, key} shown at the top
// (linking to the field) and next to each field; the typed values are kept.
import { z } from 'zod';
import { formBody } from '../../foundation/form-fields';

export interface FieldError {
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

/** The fields of a urlencoded body as strings (arrays and objects are not accepted here). */
export function textFields<K extends string>(body: unknown, fields: readonly K[]): Record<K, string> {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const out = {} as Record<K, string>;
  for (const field of fields) {
    const value = source[field];
    out[field] = typeof value === 'string' ? value : '';
  }
  return out;
}

/** Map zod issues to field errors; the message of each issue is a message key. */
export function zodFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const params = 'params' in issue ? (issue.params as FieldError['params']) : undefined;
    return { field: String(issue.path[0] ?? ''), key: issue.message, ...(params ? { params } : {}) };
  });
}

/**
 * Read a posted body with a form schema (see foundation/form-fields.ts): the values as
 * read, also when the schema's checks fail (the form shows them again), and the
 * failed checks as field errors in the order the schema checks them.
 */
export function readForm<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  body: unknown,
): { values: z.output<z.ZodObject<Shape>>; errors: FieldError[] } {
  const source = formBody(body);
  const values = z.object(schema.shape).parse(source);
  const checked = schema.safeParse(source);
  return { values, errors: checked.success ? [] : zodFieldErrors(checked.error) };
}
