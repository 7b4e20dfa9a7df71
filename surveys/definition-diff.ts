// The differences between two versions of a questionnaire (README "Questionnaires"), question
// by question: added, removed, reworded, moved, options added / removed /
// relabelled, type, unit, condition and other settings changed — and which of
// them break comparability with earlier waves, so a trend over waves would
// silently mix two different questions: a changed type, changed options (added
// or removed), a changed unit, or a changed condition (another group answers).
// Pure: two definitions in, a description out.

import { allQuestions, canonicalJson, type LocalText, type Question, type SurveyDefinition } from './definition-schema';

export type QuestionChange =
  | { kind: 'reworded'; before: LocalText; after: LocalText }
  | { kind: 'moved'; fromPage: string; toPage: string }
  | { kind: 'type'; before: Question['type']; after: Question['type'] }
  | { kind: 'unit'; before: LocalText | null; after: LocalText | null }
  | { kind: 'option_added'; value: string; label: LocalText }
  | { kind: 'option_removed'; value: string; label: LocalText }
  | { kind: 'option_relabelled'; value: string; before: LocalText; after: LocalText }
  | { kind: 'condition'; before: Question['visible_if'] | null; after: Question['visible_if'] | null }
  | { kind: 'bounds'; before: [number | null, number | null]; after: [number | null, number | null] }
  | { kind: 'required'; before: boolean; after: boolean }
  | { kind: 'help' }
  | { kind: 'aux'; before: string | null; after: string | null }
  | { kind: 'report' }
  | { kind: 'other' };

export interface QuestionDiff {
  key: string;
  status: 'added' | 'removed' | 'changed';
  /** The label in the newer version (the older one for a removed question). */
  label: LocalText;
  page: string;
  changes: (QuestionChange & { breaks: boolean })[];
  /** True when answers to this question in the two versions cannot be put in one trend. */
  breaksComparability: boolean;
}

export interface DefinitionDiff {
  from: { key: string; version: number };
  to: { key: string; version: number };
  titleChanged: boolean;
  introChanged: boolean;
  pages: { added: string[]; removed: string[]; retitled: string[]; reordered: boolean };
  /** Added and changed questions in the newer version's order, then the removed ones. */
  questions: QuestionDiff[];
  counts: { added: number; removed: number; changed: number; unchanged: number; breaking: number };
  /** Nothing differs but the version number. */
  identical: boolean;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

const BREAKING: ReadonlySet<QuestionChange['kind']> = new Set([
  'type',
  'unit',
  'option_added',
  'option_removed',
  'condition',
]);

/** The questions added, changed (with what changed) and removed, and how many stayed the same. */
function questionDiffs(older: SurveyDefinition, newer: SurveyDefinition) {
  const oldQuestions = allQuestions(older);
  const newQuestions = allQuestions(newer);
  const oldByKey = new Map(oldQuestions.map((q) => [q.key, q]));
  const newByKey = new Map(newQuestions.map((q) => [q.key, q]));
  const common = (list: typeof oldQuestions, other: Map<string, unknown>) =>
    list.filter((q) => other.has(q.key)).map((q) => q.key);
  const moved = movedKeys(common(oldQuestions, newByKey), common(newQuestions, oldByKey));
  const entry = (
    q: (typeof newQuestions)[number],
    status: QuestionDiff['status'],
    changes: QuestionDiff['changes'],
  ) => ({
    key: q.key,
    status,
    label: q.label,
    page: q.pageKey,
    changes,
    breaksComparability: changes.some((c) => c.breaks),
  });
  const questions: QuestionDiff[] = [];
  let unchanged = 0;
  for (const q of newQuestions) {
    const old = oldByKey.get(q.key);
    if (!old) {
      questions.push(entry(q, 'added', []));
      continue;
    }
    const changes = questionChanges(old, q, moved.has(q.key)).map((c) => ({ ...c, breaks: BREAKING.has(c.kind) }));
    if (changes.length === 0) unchanged++;
    else questions.push(entry(q, 'changed', changes));
  }
  for (const q of oldQuestions) if (!newByKey.has(q.key)) questions.push(entry(q, 'removed', []));
  return { questions, unchanged };
}

/** The pages added, removed, retitled, and whether the pages kept changed order. */
function pageDiffs(older: SurveyDefinition, newer: SurveyDefinition) {
  const oldPages = new Map(older.pages.map((p) => [p.key, p]));
  const newPages = new Map(newer.pages.map((p) => [p.key, p]));
  return {
    added: newer.pages.filter((p) => !oldPages.has(p.key)).map((p) => p.key),
    removed: older.pages.filter((p) => !newPages.has(p.key)).map((p) => p.key),
    retitled: newer.pages
      .filter(
        (p) =>
          oldPages.has(p.key) &&
          !same({ t: p.title, i: p.intro }, { t: oldPages.get(p.key)!.title, i: oldPages.get(p.key)!.intro }),
      )
      .map((p) => p.key),
    reordered:
      movedKeys(
        older.pages.filter((p) => newPages.has(p.key)).map((p) => p.key),
        newer.pages.filter((p) => oldPages.has(p.key)).map((p) => p.key),
      ).size > 0,
  };
}

/** The keys of `sequence` that are not in a longest common subsequence with `reference`: they moved. */
function movedKeys(reference: string[], sequence: string[]): Set<string> {
  const n = reference.length;
  const m = sequence.length;
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      table[i][j] = reference[i] === sequence[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  const kept = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (reference[i] === sequence[j]) {
      kept.add(reference[i]);
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return new Set(sequence.filter((k) => !kept.has(k)));
}

function questionChanges(
  before: Question & { pageKey: string },
  after: Question & { pageKey: string },
  movedInOrder: boolean,
): QuestionChange[] {
  const changes: QuestionChange[] = [];
  if (!same(before.label, after.label)) changes.push({ kind: 'reworded', before: before.label, after: after.label });
  if (before.pageKey !== after.pageKey || movedInOrder)
    changes.push({ kind: 'moved', fromPage: before.pageKey, toPage: after.pageKey });
  if (before.type !== after.type) changes.push({ kind: 'type', before: before.type, after: after.type });
  if (!same(before.unit, after.unit))
    changes.push({ kind: 'unit', before: before.unit ?? null, after: after.unit ?? null });
  const oldOptions = new Map((before.options ?? []).map((o) => [o.value, o]));
  const newOptions = new Map((after.options ?? []).map((o) => [o.value, o]));
  for (const [value, o] of newOptions) {
    const old = oldOptions.get(value);
    if (!old) changes.push({ kind: 'option_added', value, label: o.label });
    else if (!same(old.label, o.label))
      changes.push({ kind: 'option_relabelled', value, before: old.label, after: o.label });
  }
  for (const [value, o] of oldOptions)
    if (!newOptions.has(value)) changes.push({ kind: 'option_removed', value, label: o.label });
  if (!same(before.visible_if, after.visible_if))
    changes.push({ kind: 'condition', before: before.visible_if ?? null, after: after.visible_if ?? null });
  if (before.min !== after.min || before.max !== after.max)
    changes.push({
      kind: 'bounds',
      before: [before.min ?? null, before.max ?? null],
      after: [after.min ?? null, after.max ?? null],
    });
  if (Boolean(before.required) !== Boolean(after.required))
    changes.push({ kind: 'required', before: Boolean(before.required), after: Boolean(after.required) });
  if (!same(before.help, after.help)) changes.push({ kind: 'help' });
  if (before.aux !== after.aux) changes.push({ kind: 'aux', before: before.aux ?? null, after: after.aux ?? null });
  if (!same(before.report, after.report) || !same(before.report_label, after.report_label))
    changes.push({ kind: 'report' });
  // exclusive only on options both versions have (added and removed ones are named above)
  const rest = (q: Question) => ({
    exclusive: (q.options ?? [])
      .filter((o) => oldOptions.has(o.value) && newOptions.has(o.value))
      .map((o) => [o.value, Boolean(o.exclusive)])
      .sort(),
    max_length: q.max_length,
    publish_consent: q.publish_consent,
  });
  if (!same(rest(before), rest(after))) changes.push({ kind: 'other' });
  return changes;
}

export function diffDefinitions(older: SurveyDefinition, newer: SurveyDefinition): DefinitionDiff {
  const { questions, unchanged } = questionDiffs(older, newer);
  const pages = pageDiffs(older, newer);
  const count = (status: QuestionDiff['status']) => questions.filter((q) => q.status === status).length;
  const counts = {
    added: count('added'),
    removed: count('removed'),
    changed: count('changed'),
    unchanged,
    breaking: questions.filter((q) => q.breaksComparability).length,
  };
  const titleChanged = !same(older.title, newer.title);
  const introChanged = !same(older.intro, newer.intro);
  return {
    from: { key: older.key, version: older.version },
    to: { key: newer.key, version: newer.version },
    titleChanged,
    introChanged,
    pages,
    questions,
    counts,
    identical:
      !titleChanged &&
      !introChanged &&
      questions.length === 0 &&
      pages.added.length + pages.removed.length + pages.retitled.length === 0 &&
      !pages.reordered &&
      older.key === newer.key,
  };
}
