// The contacts CSV (org_id, email, name): addresses for organisations of the
// frame, imported apart from the frame. All or nothing like the frame: every
// error is reported by line and column, and nothing is written unless the
// whole file is right.
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { recordAudit } from '../foundation/audit/audit-log';
import { csvRecords } from '../foundation/csv/csv-records';
import { decodeCsvBytes } from '../foundation/csv/decode-csv-bytes';
import type { Database, User } from '../foundation/db/schema';
import { inTransaction } from '../foundation/db/transaction';
import { FileLimitError } from '../foundation/file-limits';
import { type Locale, t } from '../views/i18n/index';
import { type ContactInput, knownOrgIds, orgIdsInYear, orgsWithEmails, upsertContacts } from './contacts-repository';
import { headerKey, splitEmails } from './frame-columns';

type Db = Kysely<Database>;

export interface ContactError {
  /** Line as in the file, header = 1; 0 for the file as a whole. */
  line: number;
  /** The column as written in the header, null when no column applies. */
  column: string | null;
  code:
    | 'contacts.error.empty'
    | 'contacts.error.missing_column'
    | 'contacts.error.required'
    | 'contacts.error.bad_email'
    | 'contacts.error.unknown_org'
    | 'contacts.error.quotes'
    | 'contacts.error.too_long'
    | 'contacts.error.too_many';
  params: Record<string, string | number>;
}

/** An address that several organisations share (one director, two schools): a warning, never an error. */
export interface SharedAddress {
  email: string;
  /** Every organisation with this address, from this file and from contacts already known. */
  orgIds: string[];
}

export type ContactsResult =
  | { ok: true; contacts: number; organisations: number; shared: SharedAddress[] }
  | { ok: false; errors: ContactError[] };

const ALIASES: Record<string, 'org_id' | 'email' | 'name'> = {
  org_id: 'org_id',
  kans_id: 'org_id',
  email: 'email',
  e_mail: 'email',
  name: 'name',
  naam: 'name',
  contact_name: 'name',
  contactpersoon: 'name',
};

export const MAX_CONTACT_ROWS = 20_000;
const MAX_ERRORS = 200;

const shorten = (v: string) => (v.length > 60 ? `${v.slice(0, 57)}…` : v);

type ContactField = 'org_id' | 'email' | 'name';
type ContactColumn = { field: ContactField; index: number; text: string };

/** The columns the header names (each field once, by its aliases), and the required ones it lacks. */
function contactHeader(fields: readonly string[], line: number) {
  const header: ContactColumn[] = [];
  fields.forEach((raw, index) => {
    const field = ALIASES[headerKey(raw)];
    if (field && !header.some((h) => h.field === field)) header.push({ field, index, text: raw.trim() });
  });
  const missing: ContactError[] = (['org_id', 'email'] as const)
    .filter((field) => !header.some((h) => h.field === field))
    .map((field) => ({ line, column: field, code: 'contacts.error.missing_column', params: { column: field } }));
  return { header, missing };
}

/** One row's organisation, addresses and name, with the problems of its cells. */
function contactRow(header: readonly ContactColumn[], fields: readonly string[], line: number) {
  const value = (field: ContactField) => {
    const column = header.find((h) => h.field === field);
    return { text: column ? (fields[column.index] ?? '').trim() : '', column: column?.text ?? field };
  };
  const org = value('org_id');
  const email = value('email');
  const name = value('name');
  const problems: ContactError[] = [];
  const problem = (column: string, code: ContactError['code'], params: ContactError['params'] = {}) =>
    problems.push({ line, column, code, params: { column, ...params } });
  if (!org.text) problem(org.column, 'contacts.error.required');
  if (!email.text) problem(email.column, 'contacts.error.required');
  const split = splitEmails(email.text);
  if (email.text && split.bad !== null)
    problem(email.column, 'contacts.error.bad_email', { value: shorten(split.bad) });
  if (name.text.length > 200) problem(name.column, 'contacts.error.too_long', { max: 200 });
  const contacts: ContactInput[] =
    org.text && split.bad === null
      ? split.emails.map((address) => ({ org_id: org.text, email: address, name: name.text }))
      : [];
  return { org, contacts, problems };
}

/** Read and check the file; either every contact or every error (the first 200). */
export async function readContacts(
  db: Db,
  bytes: Buffer,
  options: { year?: number } = {},
): Promise<{ contacts: ContactInput[]; errors: ContactError[] }> {
  const errors: ContactError[] = [];
  const contacts: ContactInput[] = [];
  const rows: { line: number; orgId: string; orgColumn: string }[] = [];
  let header: ContactColumn[] | null = null;
  const push = (e: ContactError) => {
    if (errors.length < MAX_ERRORS) errors.push(e);
  };
  for await (const records of csvRecords(decodeCsvBytes(Readable.from([bytes])))) {
    for (const record of records) {
      if (record.fields.every((f) => f.trim() === '')) continue;
      if (!header) {
        const read = contactHeader(record.fields, record.line);
        header = read.header;
        read.missing.forEach(push);
        if (errors.length) return { contacts, errors };
        continue;
      }
      if (record.problem) {
        push({ line: record.line, column: null, code: 'contacts.error.quotes', params: {} });
        continue;
      }
      if (rows.length >= MAX_CONTACT_ROWS) {
        push({ line: record.line, column: null, code: 'contacts.error.too_many', params: { max: MAX_CONTACT_ROWS } });
        return { contacts: [], errors };
      }
      const row = contactRow(header, record.fields, record.line);
      row.problems.forEach(push);
      if (row.org.text) rows.push({ line: record.line, orgId: row.org.text, orgColumn: row.org.column });
      contacts.push(...row.contacts);
    }
  }
  if (!header) return { contacts: [], errors: [{ line: 0, column: null, code: 'contacts.error.empty', params: {} }] };
  // With a year: the organisations of that year's frame, as the invitations of its waves use it.
  const ids = [...new Set(rows.map((r) => r.orgId))];
  const known = options.year === undefined ? await knownOrgIds(db, ids) : await orgIdsInYear(db, options.year, ids);
  for (const r of rows)
    if (!known.has(r.orgId))
      push({
        line: r.line,
        column: r.orgColumn,
        code: 'contacts.error.unknown_org',
        params: { column: r.orgColumn, value: shorten(r.orgId), year: options.year ?? '' },
      });
  if (contacts.length === 0 && errors.length === 0)
    errors.push({ line: 0, column: null, code: 'contacts.error.empty', params: {} });
  errors.sort((a, b) => a.line - b.line);
  return { contacts, errors };
}

/** Addresses that more than one organisation has once these contacts are added. */
export async function sharedAddresses(db: Db, contacts: readonly ContactInput[]): Promise<SharedAddress[]> {
  const byEmail = await orgsWithEmails(db, [...new Set(contacts.map((c) => c.email))]);
  for (const c of contacts) byEmail.set(c.email, new Set([...(byEmail.get(c.email) ?? []), c.org_id]));
  return [...byEmail]
    .filter(([, orgs]) => orgs.size > 1)
    .map(([email, orgs]) => ({ email, orgIds: [...orgs].sort() }))
    .sort((a, b) => a.email.localeCompare(b.email));
}

/**
 * Import a contacts CSV: all or nothing. A shared address is imported and reported
 * (`shared`): at an invitation it gets one account for all its organisations. `dryRun` checks and
 * reports without writing.
 */
export async function importContacts(
  db: Db,
  bytes: Buffer,
  actor: User | null,
  options: { year?: number; dryRun?: boolean } = {},
): Promise<ContactsResult> {
  let result: Awaited<ReturnType<typeof readContacts>>;
  try {
    result = await readContacts(db, bytes, { year: options.year });
  } catch (error) {
    if (error instanceof FileLimitError) {
      const line = Number(error.params.line ?? 0);
      return {
        ok: false,
        errors: [{ line, column: null, code: error.key as ContactError['code'], params: error.params }],
      };
    }
    return { ok: false, errors: [{ line: 0, column: null, code: 'contacts.error.quotes', params: {} }] };
  }
  if (result.errors.length) return { ok: false, errors: result.errors };
  const unique = new Map(result.contacts.map((c) => [`${c.org_id}\u0000${c.email}`, c]));
  const contacts = [...unique.values()];
  const shared = await sharedAddresses(db, contacts);
  const summary = { contacts: contacts.length, organisations: new Set(contacts.map((c) => c.org_id)).size, shared };
  if (options.dryRun) return { ok: true, ...summary };
  await inTransaction(db, async (trx) => {
    for (let i = 0; i < contacts.length; i += 1000) await upsertContacts(trx, contacts.slice(i, i + 1000));
    await recordAudit(trx, {
      actorUserId: actor?.id ?? null,
      action: 'contacts.import',
      entity: 'organisation_contacts',
      entityId: null,
      details: { contacts: contacts.length, shared: shared.length },
    });
  });
  return { ok: true, ...summary };
}

/** One error as a line of text: "Regel 4, kolom email: …". */
export function contactErrorMessage(locale: Locale, error: ContactError): string {
  const message = t(locale, error.code, error.params);
  if (error.line === 0) return message;
  if (error.column) return t(locale, 'frame.error.at', { line: error.line, column: error.column, message });
  return t(locale, 'frame.error.at_line', { line: error.line, message });
}
