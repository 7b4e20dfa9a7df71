// A revision is a linked table (issue 22.3, disclosure review 2 E2): whoever holds
// version N and version N+1 of a publication subtracts them. Before a new version
// of an address is released it is audited against the answers the earlier
// version was built from (kept with it, publication_answers):
// * batching: fewer than min_cell organisations changed (a correction, a late
//   submission) means the difference of the two versions is about those few, and
//   with a distinctive atom (org_type × province × size_class × member) about one
//   organisation; the version waits until at least min_cell have changed;
// * dominance: when one organisation makes more than k (85 %) of a question's
//   total change, the changed figures of that question are about that one.
// Either refuses the new version, with the reason in plain Dutch on the preview.
import type { Kysely } from 'kysely';
import { DEFAULT_DISCLOSURE } from '../analysis/disclosure/rules';
import type { Database } from '../foundation/db/schema';
import { allQuestions, NUMERIC_TYPES, type SurveyDefinition } from '../surveys/definition-schema';
import { type AnswerTable, answersOfPublication, currentAnswers, latestVersion } from './publications-repository';

/** One organisation's share of a question's total change above which it dominates the change. */
export const REVISION_DOMINANCE = 0.85;

export interface RevisionProblem {
  key: string;
  params: Record<string, string | number>;
}

export interface RevisionAudit {
  /** The version this one would replace. */
  version: number;
  /** Organisations whose numeric answers were added, changed or withdrawn since that version. */
  changed: number;
  problems: RevisionProblem[];
}

/** The audit of a new version against the answers of the one it replaces. Pure. */
export function auditRevision(
  before: AnswerTable,
  after: AnswerTable,
  questions: readonly { key: string; label: string }[],
  version: number,
  minCell = DEFAULT_DISCLOSURE.minCell,
): RevisionAudit {
  const orgs = new Set([...before.keys(), ...after.keys()]);
  const deltas = new Map<string, Map<string, number>>();
  for (const org of orgs) {
    for (const q of questions) {
      const delta = (after.get(org)?.get(q.key) ?? 0) - (before.get(org)?.get(q.key) ?? 0);
      const had = before.get(org)?.has(q.key) ?? false;
      const has = after.get(org)?.has(q.key) ?? false;
      if (delta === 0 && had === has) continue;
      const perOrg = deltas.get(q.key) ?? new Map<string, number>();
      perOrg.set(org, delta);
      deltas.set(q.key, perOrg);
    }
  }
  const changedOrgs = new Set([...deltas.values()].flatMap((m) => [...m.keys()]));
  const problems: RevisionProblem[] = [];
  if (changedOrgs.size > 0 && changedOrgs.size < minCell)
    problems.push({ key: 'publish.revision.too_few', params: { n: changedOrgs.size, version, min: minCell } });
  else
    for (const q of questions) {
      const perOrg = [...(deltas.get(q.key)?.values() ?? [])].map(Math.abs);
      const sum = perOrg.reduce((a, b) => a + b, 0);
      if (sum > 0 && Math.max(...perOrg) > REVISION_DOMINANCE * sum)
        problems.push({
          key: 'publish.revision.dominated',
          params: { question: q.label, version, share: Math.round(REVISION_DOMINANCE * 100) },
        });
    }
  return { version, changed: changedOrgs.size, problems };
}

/**
 * The audit of publishing the wave's figures at `slug` again; null when there is
 * no earlier version of the address for this wave, or it was published before
 * its answers were kept (nothing to compare with).
 */
export async function revisionAudit(
  db: Kysely<Database>,
  slug: string,
  waveSlug: string,
  definition: SurveyDefinition,
  locale: 'nl' | 'en',
): Promise<RevisionAudit | null> {
  const earlier = await latestVersion(db, slug.trim());
  if (!earlier || earlier.wave_slug !== waveSlug) return null;
  const before = await answersOfPublication(db, earlier.id);
  if (before.size === 0) return null;
  const questions = allQuestions(definition)
    .filter((q) => NUMERIC_TYPES.includes(q.type))
    .map((q) => ({ key: q.key, label: q.label[locale] ?? q.label.nl }));
  return auditRevision(before, await currentAnswers(db, waveSlug), questions, earlier.version);
}
