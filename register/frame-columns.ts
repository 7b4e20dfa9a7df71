// The columns of a KAnS-style frame file (README "The population frame (KAnS)"): canonical names, their Dutch
// aliases, and what each holds.

import { z } from 'zod';
export type FrameField =
  | 'org_id'
  | 'name'
  | 'org_type'
  | 'province'
  | 'municipality'
  | 'member'
  | 'students'
  | 'turnover_eur'
  | 'subsidy_eur'
  | 'fte'
  | 'teachers_employed'
  | 'teachers_freelance'
  | 'email'
  | 'contact_name';

export type FieldKind = 'text' | 'province' | 'boolean' | 'integer' | 'money' | 'decimal' | 'emails';

export interface FrameColumn {
  field: FrameField;
  /** The Dutch header KAnS exports use. */
  alias: string;
  kind: FieldKind;
  required: boolean;
}

/**
 * Longest text we accept. Ids travel in URLs, accounts and exports, so they are
 * short; names and types get room for "Stichting Centrum voor de Kunsten …".
 */
export const MAX_TEXT_LENGTH: Partial<Record<FrameField, number>> = {
  org_id: 64,
  name: 300,
  org_type: 100,
  municipality: 100,
  contact_name: 200,
};

export const FRAME_COLUMNS: readonly FrameColumn[] = [
  { field: 'org_id', alias: 'kans_id', kind: 'text', required: true },
  { field: 'name', alias: 'naam', kind: 'text', required: true },
  { field: 'org_type', alias: 'type', kind: 'text', required: true },
  { field: 'province', alias: 'provincie', kind: 'province', required: true },
  { field: 'municipality', alias: 'gemeente', kind: 'text', required: false },
  { field: 'member', alias: 'lid', kind: 'boolean', required: false },
  { field: 'students', alias: 'leerlingen', kind: 'integer', required: false },
  { field: 'turnover_eur', alias: 'omzet', kind: 'money', required: false },
  { field: 'subsidy_eur', alias: 'subsidie', kind: 'money', required: false },
  { field: 'fte', alias: 'fte', kind: 'decimal', required: false },
  { field: 'teachers_employed', alias: 'docenten_loondienst', kind: 'integer', required: false },
  { field: 'teachers_freelance', alias: 'docenten_zzp', kind: 'integer', required: false },
  // Contacts: one or more addresses in the cell, separated by ; , or spaces.
  { field: 'email', alias: 'e-mail', kind: 'emails', required: false },
  { field: 'contact_name', alias: 'contactpersoon', kind: 'text', required: false },
];

/** At most this many characters of addresses in one cell. */
export const MAX_EMAILS_LENGTH = 1000;

/**
 * An address a mail is delivered to as the login name says: zod's strict rule
 * (plain ASCII local part, dotted host names, no quotes, comments, route or
 * group syntax), so `list:evil@attacker.example` or `a@b.nl(comment)` is refused
 * at import instead of becoming an account whose mail goes elsewhere.
 */
const EMAIL = z.email();

/**
 * The addresses in one cell ("a@x.nl; b@x.nl", "a@x.nl, b@x.nl"), lower case,
 * without duplicates; `bad` holds the first address that is not one.
 */
export function splitEmails(cell: string): { emails: string[]; bad: string | null } {
  const emails: string[] = [];
  for (const part of cell.split(/[;,\s]+/)) {
    const email = part.trim().toLowerCase();
    if (!email) continue;
    if (email.length > 254 || !EMAIL.safeParse(email).success) return { emails, bad: part.trim() };
    if (!emails.includes(email)) emails.push(email);
  }
  return { emails, bad: null };
}

/**
 * Header text → comparable key: case, spaces, hyphens and underscores do not
 * matter ("Docenten ZZP", "docenten-zzp", "KAnS_ID"), nor a unit in brackets
 * that people add in Excel ("Omzet (€)", "omzet [EUR]").
 */
export function headerKey(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .replace(/\s*[([][^)\]]*[)\]]\s*$/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
}

const BY_KEY = new Map<string, FrameColumn>();
for (const column of FRAME_COLUMNS) {
  BY_KEY.set(headerKey(column.field), column);
  BY_KEY.set(headerKey(column.alias), column);
}

export function columnForHeader(header: string): FrameColumn | undefined {
  return BY_KEY.get(headerKey(header));
}

/** Size classes by number of students (README "The population frame (KAnS)"); the labels are also the stored values. */
export const SIZE_CLASSES = ['<250', '250-999', '1000-2499', '>=2500'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

/** Size classes in their natural order (<250, 250-999, 1000-2499, >=2500), anything else after them as text. */
export function compareSizeClasses(a: string, b: string): number {
  const rank = (x: string) => {
    const i = (SIZE_CLASSES as readonly string[]).indexOf(x);
    return i < 0 ? SIZE_CLASSES.length : i;
  };
  return rank(a) - rank(b) || a.localeCompare(b, 'nl');
}

/** The size class of an organisation; null when its number of students is unknown (not "<250": unknown is not small). */
export function sizeClass(students: number | null): SizeClass | null {
  if (students === null) return null;
  if (students < 250) return '<250';
  if (students < 1000) return '250-999';
  if (students < 2500) return '1000-2499';
  return '>=2500';
}

/** The frame variables a questionnaire may use as auxiliary (ratio estimation). */
export const AUX_VARIABLES = [
  'students',
  'turnover_eur',
  'subsidy_eur',
  'fte',
  'teachers_employed',
  'teachers_freelance',
] as const;
export type AuxVariable = (typeof AUX_VARIABLES)[number];
