// A wave's own invitation and reminder texts: plain text (never HTML; the mail is
// text/plain and the page escapes it) with placeholders in braces. Pure: checking
// a text and filling it in.
export const MAIL_PLACEHOLDERS = ['naam', 'organisatie', 'meting', 'sluitdatum', 'link', 'afzender'] as const;
export type MailPlaceholder = (typeof MAIL_PLACEHOLDERS)[number];

export const MAX_MAIL_TEXT = 5000;

export interface MailTextError {
  key: string;
  params?: Record<string, string | number>;
}

/** Every problem of a text: an unknown placeholder (named), a brace left open, no {link}, too long. */
export function checkMailText(text: string): MailTextError[] {
  const errors: MailTextError[] = [];
  if (text.length > MAX_MAIL_TEXT) errors.push({ key: 'mailtext.too_long', params: { max: MAX_MAIL_TEXT } });
  const unknown = new Set<string>();
  for (const match of text.matchAll(/\{([^{}]*)\}/g)) {
    const name = match[1].trim().toLowerCase();
    if (!(MAIL_PLACEHOLDERS as readonly string[]).includes(name)) unknown.add(match[0]);
  }
  if (unknown.size)
    errors.push({
      key: 'mailtext.unknown_placeholder',
      params: { found: [...unknown].join(', '), known: MAIL_PLACEHOLDERS.map((p) => `{${p}}`).join(', ') },
    });
  const stripped = text.replace(/\{[^{}]*\}/g, '');
  if (/[{}]/.test(stripped)) errors.push({ key: 'mailtext.brace' });
  if (!/\{\s*link\s*\}/i.test(text)) errors.push({ key: 'mailtext.link_required' });
  return errors;
}

/** Fill in a checked text. */
export function fillMailText(text: string, values: Record<MailPlaceholder, string>): string {
  return text.replace(/\{([^{}]*)\}/g, (whole, name: string) => {
    const key = name.trim().toLowerCase() as MailPlaceholder;
    return key in values ? values[key] : whole;
  });
}
