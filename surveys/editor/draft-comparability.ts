// What a draft changes compared with the stored versions: its
// differences from the version it is based on (or the latest stored version of
// its key), and the changes that break comparability with a version a wave has
// used — a changed type, options, unit or condition of a question whose key was
// asked before — so a trend over waves does not silently mix two questions.
import type { Kysely } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import { type DefinitionDiff, diffDefinitions, type QuestionChange } from '../definition-diff';
import type { SurveyDefinition } from '../definition-schema';
import { storedDefinition } from '../definitions';
import type { Draft } from './drafts';
import * as repo from './drafts-repository';

type Db = Kysely<Database>;

/** A question of the draft that can no longer be compared with the answers of a wave. */
export interface WaveBreak {
  key: string;
  /** The newest version used by a wave that asks this question. */
  version: number;
  changes: (QuestionChange & { breaks: boolean })[];
}

/** The fields of the question form a breaking change is about. */
export type BreakField = 'type' | 'unit' | 'options' | 'condition';

export function breakField(change: QuestionChange): BreakField | null {
  switch (change.kind) {
    case 'type':
      return 'type';
    case 'unit':
      return 'unit';
    case 'option_added':
    case 'option_removed':
      return 'options';
    case 'condition':
      return 'condition';
    default:
      return null;
  }
}

/**
 * For every question of `draft` whose key a wave-used version asks, compared with
 * the newest such version: the breaking changes. `used` is newest version first.
 */
export function waveBreaks(used: SurveyDefinition[], draft: SurveyDefinition): WaveBreak[] {
  const seen = new Set<string>();
  const out: WaveBreak[] = [];
  for (const earlier of used) {
    const diff = diffDefinitions(earlier, draft);
    for (const q of diff.questions) {
      if (q.status !== 'changed' || seen.has(q.key)) continue;
      seen.add(q.key);
      if (q.breaksComparability)
        out.push({ key: q.key, version: earlier.version, changes: q.changes.filter((c) => c.breaks) });
    }
    // A question this version asks unchanged is settled by it as well.
    for (const p of earlier.pages) for (const q of p.questions) seen.add(q.key);
  }
  const order = new Map(draft.pages.flatMap((p) => p.questions).map((q, i) => [q.key, i]));
  return out.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
}

export interface DraftComparison {
  /** The stored version the draft is compared with: the one it is based on, else the latest of its key. */
  against: { version: number; usedByWave: boolean; basedOn: boolean } | null;
  diff: DefinitionDiff | null;
  waveBreaks: WaveBreak[];
}

export async function compareDraft(db: Db, draft: Draft, nextVersion: number): Promise<DraftComparison> {
  const versions = await repo.versionsWithWaveUse(db, draft.key);
  const current = { ...draft.definition, version: nextVersion };
  const base =
    (draft.basedOnVersion !== null ? versions.find((v) => v.version === draft.basedOnVersion) : undefined) ??
    versions[0];
  const used = versions.filter((v) => v.used_by_wave).map((v) => storedDefinition(v));
  return {
    against: base
      ? {
          version: base.version,
          usedByWave: Boolean(base.used_by_wave),
          basedOn: base.version === draft.basedOnVersion,
        }
      : null,
    diff: base ? diffDefinitions(storedDefinition(base), current) : null,
    waveBreaks: waveBreaks(used, current),
  };
}
