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
// A choice answer counts as 1 for each option chosen (choiceKey): a corrected
// option is a change of 1 in two options' counts, as the published proportions move.
// Pure: the answers come in as tables of organisation → question → value.
import { allQuestions, CHOICE_TYPES, NUMERIC_TYPES, type SurveyDefinition } from '../../surveys/definition-schema';
import { DEFAULT_DISCLOSURE } from './rules';

/** Answers per organisation and question: a number, or 1 under choiceKey for each option chosen. */
export type AnswerTable = Map<string, Map<string, number>>;

/**
 * The key of one option of a choice question in an AnswerTable: choosing it is 1,
 * so an option flipped by a correction is a change of 1 in the option's count, the
 * way the published proportion moves.
 */
export function choiceKey(question: string, option: string): string {
  return `${question}=${option}`;
}

/**
 * What a revision is audited on in a questionnaire: every numeric question by its
 * own key, every option of a choice question and the "yes" of a yes/no question by
 * choiceKey; and the keys of the questions whose chosen options are read.
 */
export function auditedQuestions(
  definition: SurveyDefinition,
  locale: 'nl' | 'en',
  /** Only these questions (a report's own); all when absent. */
  only?: ReadonlySet<string>,
): { keys: { key: string; label: string }[]; choiceQuestions: string[] } {
  const keys: { key: string; label: string }[] = [];
  const choiceQuestions: string[] = [];
  for (const q of allQuestions(definition)) {
    if (only && !only.has(q.key)) continue;
    const label = q.label[locale] ?? q.label.nl;
    if (NUMERIC_TYPES.includes(q.type)) keys.push({ key: q.key, label });
    const options = CHOICE_TYPES.includes(q.type)
      ? (q.options ?? []).map((o) => ({ value: o.value, label: o.label[locale] ?? o.label.nl }))
      : q.type === 'boolean'
        ? [{ value: 'true', label: locale === 'en' ? 'yes' : 'ja' }]
        : [];
    if (options.length) choiceQuestions.push(q.key);
    for (const o of options) keys.push({ key: choiceKey(q.key, o.value), label: `${label}: ${o.label}` });
  }
  return { keys, choiceQuestions };
}

/** One organisation's share of a question's total change above which it dominates the change. */
export const REVISION_DOMINANCE = 0.85;

export interface RevisionProblem {
  key: string;
  params: Record<string, string | number>;
}

export interface RevisionAudit {
  /** The version this one would replace. */
  version: number;
  /** Organisations whose audited answers were added, changed or withdrawn since that version. */
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
