// Form errors in the error-summary pattern: a list of {field, key} shown at the top
// (linking to the field) and next to each field; the typed values are kept.
import { z } from 'zod';
import { formBody } from '../../foundation/form-fields';

export interface FieldError {
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

/** Map zod issues to field errors; the message of each issue is a message key. */
export function zodFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const params = 'params' in issue ? (issue.params as FieldError['params']) : undefined;
    return { field: String(issue.path[0] ?? ''), key: issue.message, ...(params ? { params } : {}) };
  });
}

/**
 * Read a posted body (or a query string) with a form schema (see foundation/form-fields.ts):
 * the values as read, also when the schema's checks fail (the form shows them again),
 * and the failed checks as field errors in the order the schema checks them.
 *
 * Text fields (formText) always read. A field that can refuse its input (a z.enum
 * without .catch, a transform that adds an issue) reads as undefined when it does;
 * its issue is then among the errors, so look at the errors before using such a field.
 */
/** A field that reads whatever is posted: caught (formText), or a transform of a caught field. */
type AlwaysReads<T> = T extends z.ZodCatch
  ? true
  : T extends z.ZodPipe<infer In, z.ZodTransform>
    ? AlwaysReads<In>
    : false;

/** The values as read: a field that can refuse its input is undefined when it did. */
export type FormValues<Shape extends z.ZodRawShape> = {
  [K in keyof Shape]: AlwaysReads<Shape[K]> extends true ? z.output<Shape[K]> : z.output<Shape[K]> | undefined;
};

export function readForm<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  body: unknown,
): { values: FormValues<Shape>; errors: FieldError[] } {
  const source = formBody(body);
  const tolerant = Object.fromEntries(
    Object.entries(schema.shape).map(([name, field]) => [name, (field as z.ZodType).catch(undefined)]),
  );
  const values = z.object(tolerant).parse(source) as FormValues<Shape>;
  const checked = schema.safeParse(source);
  return { values, errors: checked.success ? [] : zodFieldErrors(checked.error) };
}

/**
 * A form that is not shown again (a button, a query string): its values when every
 * check passes, else its errors. Any zod schema, also one with a transform of the
 * whole form.
 */
export function checkForm<Out>(
  schema: z.ZodType<Out>,
  body: unknown,
): { ok: true; values: Out } | { ok: false; errors: FieldError[] } {
  const checked = schema.safeParse(formBody(body));
  return checked.success ? { ok: true, values: checked.data } : { ok: false, errors: zodFieldErrors(checked.error) };
}
