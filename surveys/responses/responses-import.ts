// Importing answers gathered on paper or in Excel (README "Responses CSV"): header `org_id`
// (or `kans_id`) then question keys; the same parsing and checks as the web form
// (surveys/answers); all or nothing; every error with its line and column.
// Imported responses are submitted.

import type { Kysely } from 'kysely';
import { recordAudit } from '../../foundation/audit/audit-log';
import { csvRecords } from '../../foundation/csv/csv-records';
import type { OpenSource } from '../../foundation/csv/csv-source';
import { decodeCsvBytes, MixedEncodingError } from '../../foundation/csv/decode-csv-bytes';
import type { Database, ResponseStatus, User } from '../../foundation/db/schema';
import { refreshStatistics } from '../../foundation/db/statistics';
import { FileLimitError } from '../../foundation/file-limits';
import { mergeAnswers, missingRequired, parseAnswers, type RawAnswers } from '../answers/parse-answers';
import { allQuestions } from '../definition-schema';
import type { WaveWithDefinition } from './responses';
import type { StoredAnswer } from './responses-repository';
import * as repo from './responses-repository';

type Db = Kysely<Database>;

export interface ImportError {
  line: number;
  column: string | null;
  key: string;
  params: Record<string, string | number>;
}

export interface ResponsesImportResult {
  rows: number;
  created: number;
  replaced: number;
  errors: ImportError[];
  written: boolean;
}

interface ParsedRow {
  line: number;
  orgId: string;
  answers: Map<string, StoredAnswer>;
}

/** What reading the CSV gives: its rows and problems, and the header of the organisation column. */
export interface ReadResponses {
  rows: ParsedRow[];
  errors: ImportError[];
  idColumn: string | null;
}

/** An error of a line as a whole (no column). */
const lineError = (line: number, key: string, params: ImportError['params'] = {}): ImportError => ({
  line,
  column: null,
  key,
  params,
});

/**
 * Reads the rows after the header: the row with its answers, or null when the
 * line cannot be read at all; every problem goes to `errors`. An organisation
 * twice or unknown is an error, but its answers are still read (all are listed).
 */
function rowReader(
  target: WaveWithDefinition,
  header: string[],
  idIndex: number,
  known: ReadonlySet<string>,
  errors: ImportError[],
) {
  const seen = new Map<string, number>();
  const idError = (line: number, key: string, params: ImportError['params'] = {}) =>
    errors.push({ line, column: header[idIndex], key, params });
  return ({ line, fields, problem }: { line: number; fields: string[]; problem?: string | null }): ParsedRow | null => {
    if (problem === 'invalid_quotes') {
      errors.push(lineError(line, 'frame.error.invalid_quotes', { value: fields.join(';').slice(0, 80) }));
      return null;
    }
    if (fields.length > header.length && fields.slice(header.length).some((v) => v.trim() !== '')) {
      errors.push(lineError(line, 'frame.error.too_many_fields', { found: fields.length, expected: header.length }));
      return null;
    }
    const orgId = (fields[idIndex] ?? '').trim();
    if (!orgId) {
      idError(line, 'responses.error.org_required');
      return null;
    }
    if (!known.has(orgId)) idError(line, 'responses.error.unknown_org', { value: orgId });
    if (seen.has(orgId)) idError(line, 'responses.error.duplicate_org', { value: orgId, first: seen.get(orgId)! });
    seen.set(orgId, line);
    return { line, orgId, answers: answersOfRow(target, header, idIndex, fields, line, errors) };
  };
}

/** The error a read that stopped early leaves (the file's own fault); anything else is thrown on. */
function readFailure(error: unknown): ImportError {
  if (error instanceof FileLimitError)
    return { line: Number(error.params.line ?? 0), column: null, key: error.key, params: error.params };
  if (error instanceof MixedEncodingError) return lineError(error.line, 'frame.error.mixed_encoding');
  throw error;
}

/** The CSV as parsed rows, with every problem of the file and its rows (errors of known organisations only by id). */
export async function readResponsesCsv(
  open: OpenSource,
  target: WaveWithDefinition,
  known: ReadonlySet<string>,
): Promise<ReadResponses> {
  const byKey = new Map(allQuestions(target.definition).map((q) => [q.key, q]));
  const errors: ImportError[] = [];
  const rows: ParsedRow[] = [];
  // One pass: bytes decoded as they come (UTF-8 or Windows-1252), records with the line they start on.
  const stream = open();
  const records = csvRecords(decodeCsvBytes(stream as AsyncIterable<Uint8Array | string>));
  let header: string[] | null = null;
  let idIndex = -1;
  let readRow: ReturnType<typeof rowReader> | null = null;
  try {
    reading: for await (const chunk of records) {
      for (const record of chunk) {
        const { line, fields } = record;
        if (record.problem === 'unclosed_quote') {
          errors.push(lineError(line, 'frame.error.unclosed_quote'));
          continue;
        }
        if (fields.length === 1 && fields[0].trim() === '' && !record.problem) continue;
        if (!readRow) {
          header = fields.map((h) => h.trim());
          idIndex = header.findIndex((h) => ['org_id', 'kans_id'].includes(h.toLowerCase()));
          errors.push(...headerErrors(header, idIndex, line, byKey));
          if (errors.length) break reading;
          readRow = rowReader(target, header, idIndex, known, errors);
          continue;
        }
        const row = readRow(record);
        if (row) rows.push(row);
      }
    }
  } catch (error) {
    errors.push(readFailure(error));
  } finally {
    if (!stream.readableEnded) stream.destroy();
  }
  if (!header && errors.length === 0) errors.push(lineError(0, 'responses.error.empty_file'));
  return { rows, errors, idColumn: header && idIndex >= 0 ? header[idIndex] : null };
}

/** The problems of the header: no organisation column, unknown questions, a column twice. */
function headerErrors(
  header: string[],
  idIndex: number,
  rowLine: number,
  byKey: ReadonlyMap<string, unknown>,
): ImportError[] {
  const errors: ImportError[] = [];
  if (idIndex < 0) errors.push({ line: rowLine, column: null, key: 'responses.error.no_org_column', params: {} });
  header.forEach((h, i) => {
    if (i !== idIndex && !byKey.has(h))
      errors.push({ line: rowLine, column: h, key: 'responses.error.unknown_question', params: { column: h } });
  });
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup)
    errors.push({
      line: rowLine,
      column: dup,
      key: 'responses.error.duplicate_column',
      params: { column: dup },
    });
  return errors;
}

/** One row's answers as the web form would store them; its problems added to `errors`. */
function answersOfRow(
  target: WaveWithDefinition,
  header: string[],
  idIndex: number,
  fields: string[],
  rowLine: number,
  errors: ImportError[],
): Map<string, StoredAnswer> {
  const { definition } = target;
  const questions = allQuestions(definition);
  const raw: RawAnswers = {};
  header.forEach((h, i) => {
    if (i !== idIndex) raw[h] = fields[i] ?? '';
  });
  const parsed = parseAnswers(questions, raw, { csv: true });
  for (const e of parsed.errors) errors.push({ line: rowLine, column: e.question, key: e.key, params: e.params });
  const answers = mergeAnswers(definition, new Map(), parsed.answers);
  // Answers given to questions that are hidden by the other answers are discarded, as on the form.
  for (const e of missingRequired(definition, answers)) {
    if (!parsed.errors.some((p) => p.question === e.question))
      errors.push({
        line: rowLine,
        column: e.question,
        key: 'responses.error.required',
        params: { question: e.question },
      });
  }
  return answers;
}

/** The rows against the wave's responses: a submitted response is not replaced by an import. Pure. */
export function checkAgainstExisting(
  read: ReadResponses,
  existing: ReadonlyMap<string, ResponseStatus>,
): ResponsesImportResult {
  const errors = [...read.errors];
  for (const row of read.rows) {
    if (existing.get(row.orgId) === 'submitted')
      errors.push({
        line: row.line,
        column: read.idColumn,
        key: 'responses.error.already_submitted',
        params: { value: row.orgId },
      });
  }
  return {
    rows: read.rows.length,
    created: read.rows.filter((r) => !existing.has(r.orgId)).length,
    replaced: read.rows.filter((r) => existing.has(r.orgId)).length,
    errors,
    written: false,
  };
}

/** Every row as the organisation's submitted response, its answers replaced, in one transaction. */
export async function writeImportedResponses(
  db: Db,
  wave: WaveWithDefinition['wave'],
  rows: readonly ParsedRow[],
  actor: User | null,
): Promise<void> {
  const actorId = actor?.id ?? null;
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const response = await repo.findOrCreateResponse(trx, wave.id, row.orgId, actorId);
      // Imported answers replace the member's: reasons given for the old values go with them.
      await repo.replaceAnswers(trx, response.id, [...row.answers.values()]);
      await repo.bumpVersion(trx, response, actorId);
      await repo.markSubmitted(trx, response.id, actorId, 'import');
      await recordAudit(trx, {
        actorUserId: actorId,
        action: 'response.import',
        entity: 'response',
        entityId: response.id,
        details: { wave: wave.slug, org_id: row.orgId, line: row.line },
      });
    }
  });
  await refreshStatistics(db);
}

/** Import a responses CSV into a wave: read, check against the wave's responses, write (unless a dry run or any error). */
export async function importResponses(
  db: Db,
  args: { open: OpenSource; target: WaveWithDefinition; dryRun: boolean; actor: User | null },
): Promise<ResponsesImportResult> {
  const { wave } = args.target;
  const read = await readResponsesCsv(args.open, args.target, await repo.organisationIds(db));
  const result = checkAgainstExisting(read, await repo.responseStatuses(db, wave.id));
  if (result.errors.length || args.dryRun) return result;
  await writeImportedResponses(db, wave, read.rows, args.actor);
  return { ...result, written: true };
}
