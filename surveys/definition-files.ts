// A questionnaire definition as a file (an XLSForm workbook or the JSON of README
// "Questionnaires"), read or written, and an uploaded file prepared as the next version of its
// questionnaire with its differences from the latest one. Used by the CLI (`survey
// load`, `survey export`) and the staff pages; no HTTP here.

import type { Kysely } from 'kysely';
import type { Database, User } from '../foundation/db/schema';
import { type Locale, t } from '../views/i18n/index';
import { type DefinitionDiff, diffDefinitions } from './definition-diff';
import {
  type DefinitionProblem,
  definitionChecksum,
  parseDefinition,
  type SurveyDefinition,
} from './definition-schema';
import {
  definitionFromXlsx,
  definitionToXlsx,
  looksLikeXlsx,
  type SheetProblem,
  sheetProblemMessage,
} from './definition-xlsform';
import { DefinitionError, loadDefinition, parseDefinitionText, storedDefinition } from './definitions';
import * as repo from './definitions-repository';

type Db = Kysely<Database>;

export type DefinitionFormat = 'json' | 'xlsx';

export type FileReadResult =
  | {
      ok: true;
      format: DefinitionFormat;
      definition: SurveyDefinition;
      /** What was read but not used (other tools' columns, device metadata): shown, not refused. */
      warnings: SheetProblem[];
    }
  | { ok: false; format: DefinitionFormat; problems: (SheetProblem | DefinitionProblem)[] };

/** Read an uploaded or given file: a workbook when it is one (by name or content), else JSON. */
export async function readDefinitionFile(data: Buffer, fileName: string): Promise<FileReadResult> {
  if (looksLikeXlsx(data, fileName)) {
    const read = await definitionFromXlsx(data, fileName);
    return read.ok
      ? { ok: true, format: 'xlsx', definition: read.definition, warnings: read.warnings }
      : { ok: false, format: 'xlsx', problems: read.problems };
  }
  try {
    return { ok: true, format: 'json', definition: parseDefinitionText(data.toString('utf8')), warnings: [] };
  } catch (error) {
    if (error instanceof DefinitionError) return { ok: false, format: 'json', problems: error.problems };
    throw error;
  }
}

/** One line per problem: `Blad survey, rij 5, kolom relevant: …` or `pages[0].questions[2].label: …`. */
export function problemMessage(locale: Locale, p: SheetProblem | DefinitionProblem): string {
  if ('sheet' in p) return sheetProblemMessage(locale, p);
  return p.path
    ? t(locale, 'survey.def.problem', { path: p.path, message: t(locale, p.key, p.params) })
    : t(locale, p.key, p.params);
}

/** The definition as a file of the given format. */
export async function writeDefinitionFile(def: SurveyDefinition, format: DefinitionFormat): Promise<Buffer> {
  if (format === 'xlsx') return definitionToXlsx(def);
  // Through the schema once more: its fields come out in the schema's order (key, version, title, …),
  // whatever order the database kept them in.
  const parsed = parseDefinition(def);
  return Buffer.from(`${JSON.stringify(parsed.ok ? parsed.definition : def, null, 2)}\n`, 'utf8');
}

/** A stored version (the latest without `version`), or undefined. */
export async function storedVersion(
  db: Db,
  key: string,
  version?: number,
): Promise<{ definition: SurveyDefinition; waves: number } | undefined> {
  const row =
    version === undefined ? await repo.findLatestDefinition(db, key) : await repo.findDefinition(db, key, version);
  if (!row) return undefined;
  return { definition: storedDefinition(row), waves: await repo.countWaves(db, row.id) };
}

/** The version stored just before this one, and what changed since. */
export async function differencesFromPrevious(db: Db, def: SurveyDefinition): Promise<DefinitionDiff | null> {
  const previous = await repo.findPreviousDefinition(db, def.key, def.version);
  return previous ? diffDefinitions(storedDefinition(previous), def) : null;
}

export interface PreparedVersion {
  /** The definition as it will be stored: numbered one above the latest stored version. */
  definition: SurveyDefinition;
  fileVersion: number;
  latestVersion: number | null;
  diff: DefinitionDiff | null;
  /** The stored version that is exactly this file, when there is one: nothing to store. */
  sameAs: number | null;
  checksum: string;
}

/**
 * An uploaded definition as the next version of its questionnaire: numbered one
 * above the latest stored version (a version is immutable once used, so an
 * upload never replaces one), with its differences from that latest version.
 */
export async function prepareNewVersion(db: Db, uploaded: SurveyDefinition): Promise<PreparedVersion> {
  const latest = await repo.findLatestDefinition(db, uploaded.key);
  const latestDefinition = latest ? storedDefinition(latest) : null;
  const definition = { ...uploaded, version: latestDefinition ? latestDefinition.version + 1 : uploaded.version };
  let sameAs: number | null = null;
  for (const stored of await repo.listVersionChecksums(db, uploaded.key))
    if (stored.checksum === definitionChecksum({ ...uploaded, version: stored.version })) sameAs = stored.version;
  return {
    definition,
    fileVersion: uploaded.version,
    latestVersion: latestDefinition?.version ?? null,
    diff: latestDefinition ? diffDefinitions(latestDefinition, definition) : null,
    sameAs,
    checksum: definitionChecksum(definition),
  };
}

/**
 * Store a prepared version after the user confirmed it; refused (DefinitionError
 * survey.file.stale) when another version was stored in between, since the
 * differences the user saw would be out of date.
 */
export async function storeNewVersion(
  db: Db,
  prepared: { definition: SurveyDefinition; latestVersion: number | null },
  actor: User,
  source: { fileName: string },
): Promise<void> {
  const latest = await repo.findLatestDefinition(db, prepared.definition.key);
  if ((latest?.version ?? null) !== prepared.latestVersion)
    throw new DefinitionError([{ path: 'version', key: 'survey.file.stale', params: {} }]);
  await loadDefinition(db, prepared.definition, actor, {
    createOnly: true,
    details: { source: 'web', file: source.fileName },
  });
}
