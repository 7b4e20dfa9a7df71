// Form errors in the error-summary pattern: a list of {field, key} shown at the top
// (linking to the field) and next to each field; the typed values are kept.
import type { z } from 'zod';

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
  return error.issues.map((issue) => ({ field: String(issue.path[0] ?? ''), key: issue.message }));
}
