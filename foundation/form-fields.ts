// The building blocks of a form schema: a posted urlencoded body read as text fields.
// A field that is missing, repeated (an array) or nested (an object) reads as '', so
// hostile shapes never reach a domain function; the schema's own checks then add
// issues whose path is the field's name and whose message is a message key.
import { z } from 'zod';

/** A text field as posted, not trimmed; anything but a string reads as ''. */
export const formText = z.string().catch('');

/** The posted body as an object of fields; anything else (a string, an array, nothing) has no fields. */
export function formBody(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
