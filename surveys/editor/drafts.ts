// Questionnaire drafts: created in the browser or from a stored version,
// saved after every edit even when invalid, fixed as the next immutable version
// once the schema of `survey load` accepts them. Every edit names the revision it
// started from: a colleague's edit in between is never silently overwritten.
import type { Kysely } from 'kysely';
import { recordAudit } from '../../foundation/audit/audit-log';
import type { Database, User } from '../../foundation/db/schema';
import { inTransaction } from '../../foundation/db/transaction';
import {
  type DefinitionProblem,
  definitionChecksum,
  type LocalText,
  parseDefinition,
  type Question,
} from '../definition-schema';
import { storedDefinition } from '../definitions';
import { findDefinition, insertDefinition } from '../definitions-repository';
import { type DraftDefinition, newDefinition } from './draft-operations';
import * as repo from './drafts-repository';

export type Db = Kysely<Database>;

export class DraftError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    readonly status = 422,
    readonly field: string | null = null,
  ) {
    super(code);
    this.name = 'DraftError';
  }
}

/** The draft was changed by someone else since the form was opened: nothing was saved. */
export class DraftConflict extends DraftError {
  constructor() {
    super('editor.error.conflict', {}, 409);
  }
}

export class DraftInvalid extends Error {
  constructor(readonly problems: DefinitionProblem[]) {
    super('the draft is not a valid questionnaire');
    this.name = 'DraftInvalid';
  }
}

export interface Draft {
  id: number;
  key: string;
  basedOnVersion: number | null;
  definition: DraftDefinition;
  revision: number;
  updatedAt: Date;
}

function toDraft(row: repo.DraftRow): Draft {
  return {
    id: row.id,
    key: row.key,
    basedOnVersion: row.based_on_version,
    definition: storedDefinition(row),
    revision: row.revision,
    updatedAt: row.updated_at,
  };
}

export async function getDraft(db: Db, id: number): Promise<Draft | undefined> {
  const row = await repo.findDraft(db, id);
  return row ? toDraft(row) : undefined;
}

export const SURVEY_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A new questionnaire: a key not used by a stored version or another draft, and its title. */
export async function createDraft(db: Db, input: { key: string; title: LocalText }, actor: User): Promise<Draft> {
  const key = input.key.trim();
  if (!SURVEY_KEY.test(key) || key.length > 60) throw new DraftError('survey.def.survey_key_format', {}, 422, 'key');
  return inTransaction(db, async (trx) => {
    if (await repo.latestVersion(trx, key)) throw new DraftError('editor.error.key_taken', { key }, 422, 'key');
    const existing = await repo.findDraftByKey(trx, key);
    if (existing) throw new DraftError('editor.error.draft_exists', { key, id: existing.id }, 422, 'key');
    const row = await repo.insertDraft(trx, {
      key,
      based_on_version: null,
      definition: newDefinition(key, { nl: input.title.nl.trim(), en: input.title.en?.trim() ?? '' }),
      created_by: actor.id,
    });
    if (!row) throw new DraftError('editor.error.draft_exists', { key, id: 0 }, 422, 'key');
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'survey.draft.create',
      entity: 'survey_draft',
      entityId: row.id,
      details: { key },
    });
    return toDraft(row);
  });
}

/** A draft of the next version, starting from a stored version. One draft per questionnaire at a time. */
export async function draftFromVersion(db: Db, key: string, version: number, actor: User): Promise<Draft> {
  return inTransaction(db, async (trx) => {
    const stored = await findDefinition(trx, key, version);
    if (!stored) throw new DraftError('editor.error.not_found', {}, 404);
    const existing = await repo.findDraftByKey(trx, key);
    if (existing) throw new DraftError('editor.error.draft_exists', { key, id: existing.id });
    const definition = { ...storedDefinition(stored), version: (await repo.latestVersion(trx, key)) + 1 };
    const row = await repo.insertDraft(trx, { key, based_on_version: version, definition, created_by: actor.id });
    if (!row) throw new DraftError('editor.error.draft_exists', { key, id: 0 });
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'survey.draft.create',
      entity: 'survey_draft',
      entityId: row.id,
      details: { key, based_on_version: version },
    });
    return toDraft(row);
  });
}

/** Who edits which draft at which revision, and what the audit log calls the edit. */
export interface DraftEdit {
  id: number;
  revision: number;
  actor: User;
  what: string;
  details?: Record<string, unknown>;
}

/**
 * Apply one edit to a draft at the revision the form was rendered with. The edit
 * may throw a DraftError (e.g. a key clash); the draft is then unchanged.
 */
export async function editDraft<T = undefined>(
  db: Db,
  { id, revision, actor, what, details = {} }: DraftEdit,
  edit: (definition: DraftDefinition) => { definition: DraftDefinition; result?: T },
): Promise<{ draft: Draft; result: T | undefined }> {
  return inTransaction(db, async (trx) => {
    const row = await repo.findDraft(trx, id);
    if (!row) throw new DraftError('editor.error.not_found', {}, 404);
    if (row.revision !== revision) throw new DraftConflict();
    const { definition, result } = edit(storedDefinition(row));
    const updated = await repo.updateDraftIfRevision(trx, id, revision, definition, actor.id);
    if (!updated) throw new DraftConflict();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'survey.draft.edit',
      entity: 'survey_draft',
      entityId: id,
      details: { key: row.key, edit: what, revision: updated.revision, ...details },
    });
    return { draft: toDraft(updated), result };
  });
}

/** The version number the draft would get now, and every problem the schema finds in it. */
export async function checkDraft(db: Db, draft: Draft): Promise<{ version: number; problems: DefinitionProblem[] }> {
  const version = (await repo.latestVersion(db, draft.key)) + 1;
  const parsed = parseDefinition({ ...draft.definition, version });
  return { version, problems: parsed.ok ? [] : parsed.problems };
}

/** Validate the draft and store it as the next version; the draft is then gone. */
export async function fixDraft(
  db: Db,
  id: number,
  revision: number,
  actor: User,
): Promise<{ key: string; version: number }> {
  return inTransaction(db, async (trx) => {
    const row = await repo.findDraft(trx, id);
    if (!row) throw new DraftError('editor.error.not_found', {}, 404);
    if (row.revision !== revision) throw new DraftConflict();
    const version = (await repo.latestVersion(trx, row.key)) + 1;
    const parsed = parseDefinition({ ...storedDefinition(row), version });
    if (!parsed.ok) throw new DraftInvalid(parsed.problems);
    const removed = await repo.deleteDraftIfRevision(trx, id, revision);
    if (!removed) throw new DraftConflict();
    const def = parsed.definition;
    const checksum = definitionChecksum(def);
    await insertDefinition(trx, {
      key: def.key,
      version: def.version,
      title_nl: def.title.nl,
      title_en: def.title.en ?? def.title.nl,
      definition: def,
      checksum,
      loaded_by: actor.id,
    });
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'survey.draft.fix',
      entity: 'survey',
      entityId: `${def.key}@${def.version}`,
      details: { draft: id, checksum, based_on_version: row.based_on_version },
    });
    return { key: def.key, version: def.version };
  });
}

export async function deleteDraft(db: Db, id: number, revision: number, actor: User): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await repo.findDraft(trx, id);
    if (!row) throw new DraftError('editor.error.not_found', {}, 404);
    const removed = await repo.deleteDraftIfRevision(trx, id, revision);
    if (!removed) throw new DraftConflict();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'survey.draft.delete',
      entity: 'survey_draft',
      entityId: id,
      details: { key: row.key },
    });
  });
}

export interface LibraryQuestion {
  survey: string;
  version: number;
  title: LocalText;
  question: Question;
}

/** Questions of stored versions whose key or text contains the search (each key once, from its newest version). */
export async function searchLibrary(db: Db, search: string, limit = 50): Promise<LibraryQuestion[]> {
  const needle = search.trim().toLowerCase();
  const seen = new Set<string>();
  const out: LibraryQuestion[] = [];
  const rows = await repo.libraryDefinitions(db);
  rows.sort((a, b) => b.version - a.version || a.key.localeCompare(b.key));
  for (const row of rows) {
    const def = storedDefinition(row);
    for (const q of def.pages.flatMap((p) => p.questions)) {
      if (seen.has(q.key)) continue;
      const hay = [q.key, q.label.nl, q.label.en].join(' ').toLowerCase();
      if (needle && !hay.includes(needle)) continue;
      seen.add(q.key);
      out.push({ survey: row.key, version: row.version, title: def.title, question: q });
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/** One question of a stored version, for copying into a draft. */
export async function libraryQuestion(
  db: Db,
  survey: string,
  version: number,
  questionKey: string,
): Promise<Question | undefined> {
  const row = await findDefinition(db, survey, version);
  if (!row) return undefined;
  return storedDefinition(row)
    .pages.flatMap((p) => p.questions)
    .find((q) => q.key === questionKey);
}
