// Loading questionnaire definitions. A key + version is a fixed text once a wave
// uses it: a changed file under the same version is refused; a new version is a
// new definition.

import type { Kysely } from 'kysely';
import { recordAudit } from '../foundation/audit/audit-log';
import type { Database, User } from '../foundation/db/schema';
import { inTransaction } from '../foundation/db/transaction';
import { checkJsonText, FileLimitError } from '../foundation/file-limits';
import {
  type DefinitionProblem,
  definitionChecksum,
  parseDefinition,
  type SurveyDefinition,
} from './definition-schema';
import * as repo from './definitions-repository';

type Db = Kysely<Database>;

export class DefinitionError extends Error {
  constructor(readonly problems: DefinitionProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.key}`).join('; '));
    this.name = 'DefinitionError';
  }
}

export type LoadOutcome = 'created' | 'unchanged' | 'replaced';

export function parseDefinitionText(text: string): SurveyDefinition {
  let json: unknown;
  try {
    checkJsonText(text);
  } catch (error) {
    if (!(error instanceof FileLimitError)) throw error;
    throw new DefinitionError([{ path: '', key: error.key, params: error.params }]);
  }
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new DefinitionError([
      { path: '', key: 'survey.def.invalid_json', params: { detail: (error as Error).message } },
    ]);
  }
  const parsed = parseDefinition(json);
  if (!parsed.ok) throw new DefinitionError(parsed.problems);
  return parsed.definition;
}

export interface LoadOptions {
  /** Written to the audit entry, e.g. `{ source: 'web', file: 'vragenlijst.xlsx' }`. */
  details?: Record<string, string>;
  /** Refuse (with survey.file.stale) when this key and version exist already: a new version only. */
  createOnly?: boolean;
}

export async function loadDefinition(
  db: Db,
  def: SurveyDefinition,
  actor: User | null,
  options: LoadOptions = {},
): Promise<{ id: number; outcome: LoadOutcome }> {
  const checksum = definitionChecksum(def);
  return inTransaction(db, async (trx) => {
    const existing = await repo.findDefinition(trx, def.key, def.version);
    if (existing && options.createOnly)
      throw new DefinitionError([{ path: 'version', key: 'survey.file.stale', params: {} }]);
    const content = { title_nl: def.title.nl, title_en: def.title.en ?? def.title.nl, definition: def, checksum };
    if (!existing) {
      const { id } = await repo.insertDefinition(trx, {
        key: def.key,
        version: def.version,
        ...content,
        loaded_by: actor?.id ?? null,
      });
      await recordAudit(trx, {
        actorUserId: actor?.id ?? null,
        action: 'survey.load',
        entity: 'survey',
        entityId: `${def.key}@${def.version}`,
        details: { checksum, ...options.details },
      });
      return { id, outcome: 'created' };
    }
    if (existing.checksum === checksum) return { id: existing.id, outcome: 'unchanged' };
    if (await repo.definitionInUse(trx, existing.id)) {
      throw new DefinitionError([
        { path: 'version', key: 'survey.def.in_use_changed', params: { key: def.key, version: def.version } },
      ]);
    }
    await repo.replaceDefinitionContent(trx, existing.id, content);
    await recordAudit(trx, {
      actorUserId: actor?.id ?? null,
      action: 'survey.replace',
      entity: 'survey',
      entityId: `${def.key}@${def.version}`,
      details: { before: existing.checksum, after: checksum },
    });
    return { id: existing.id, outcome: 'replaced' };
  });
}

/** The stored definition, parsed (stored definitions were validated when loaded). */
export function storedDefinition(row: { definition: unknown }): SurveyDefinition {
  const raw = typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition;
  return raw as SurveyDefinition;
}
