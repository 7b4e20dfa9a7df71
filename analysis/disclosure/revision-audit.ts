// A revision is a linked table (issue 22.3, disclosure review 2 E2): whoever holds
// two releases of the same figures subtracts them. Before figures built from
// changed answers are released again — a new version of a publication, or an
// earlier wave's values in a later wave's previous, change and trend columns —
// they are audited against the answers the earlier release was built from:
// * batching: fewer than min_cell organisations changed (a correction, a late
//   submission) means the difference of the two releases is about those few, and
//   with a distinctive atom (org_type × province × size_class × member) about one
//   organisation;
// * dominance: when one organisation makes more than k (85 %) of a question's
//   total change, the changed figures of that question are about that one.
// Pure: the answers come in as tables of organisation → question → value.
import { DEFAULT_DISCLOSURE } from './rules';

/** Numeric answers per organisation and question. */
export type AnswerTable = Map<string, Map<string, number>>;

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
