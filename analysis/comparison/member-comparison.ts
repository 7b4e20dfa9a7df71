// "Where do we stand?": for each numeric question, where the organisation's own
// answer lies among the branch's answers. Protected like every other output
// (README "Protection"): it is read from a snapshot that changes only in batches — after
// at least min_cell new submissions, or once a day — so a change cannot be
// pinned on one late respondent; it is shown only for groups of at least 10
// that pass the disclosure rules; and it shows a band (where the middle half of
// the branch lies, rounded outwards to two significant digits) and the quarter
// the organisation falls in, never a median or any one organisation's figure.
//
// What a member sees is computed only from what is published (issue 22.6): the
// quarter compares the organisation's answer *as it was at the snapshot* with the
// rounded band and a rounded middle, stored with the snapshot. Quartiles average
// the four order statistics around their position, so no quartile (nor the
// median of an odd group) is one organisation's answer. Every submission,
// resubmission, import and staff correction counts toward renewal; an
// organisation whose answers changed since the snapshot, or that submitted after
// it, gets its position at the next renewal. Probing with one's own answer
// therefore learns nothing between renewals.
import type { Kysely } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import { allQuestions, NUMERIC_TYPES, type Question, type SurveyDefinition } from '../../surveys/definition-schema';
import { DEFAULT_DISCLOSURE, primarySuppression, type SuppressionReason } from '../disclosure/rules';
import * as repo from './member-comparison-repository';

type Db = Kysely<Database>;

/** A comparison group needs at least this many organisations. */
export const COMPARISON_MIN_GROUP = 10;
/** A new snapshot after this many new submissions… */
export const SNAPSHOT_BATCH = DEFAULT_DISCLOSURE.minCell;
/** …or after this long, when anything changed. */
export const SNAPSHOT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export interface SnapshotQuestion {
  key: string;
  n: number;
  reason: SuppressionReason | null;
  /** Quartiles, each the mean of four order statistics (kept in the database only; never shown). */
  quartiles: [number, number, number] | null;
}

export type Quarter = 1 | 2 | 3 | 4;

export interface ComparisonSnapshot {
  created_at: Date;
  submitted: number;
  questions: SnapshotQuestion[];
  /** Each submitted organisation's quarter per question, from its answer at the snapshot. */
  positions: Record<string, Record<string, Quarter>>;
}

export interface ComparisonRow {
  question: Question;
  /** The organisation's own answer, exactly as entered. */
  own: number | null;
  /** The size of the comparison group as a band ("10–19"). */
  group: string;
  /** Where the middle half of the branch lies, rounded outwards. */
  band: { low: number; high: number } | null;
  /** The quarter of the branch the own answer (at the snapshot) falls in: 1 (lowest) to 4 (highest). */
  quarter: Quarter | null;
  suppressed: SuppressionReason | null;
}

/** Round down (or up) to two significant digits: the band never claims more precision than it has. */
export function roundOutward(value: number, direction: 'down' | 'up'): number {
  if (value === 0) return 0;
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(value))) - 1);
  const scaled = value / unit;
  return (direction === 'down' ? Math.floor(scaled + 1e-9) : Math.ceil(scaled - 1e-9)) * unit;
}

/** Round to two significant digits: the middle is never one organisation's exact figure. */
export function roundNearest(value: number): number {
  if (value === 0) return 0;
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(value))) - 1);
  return Math.round(value / unit) * unit;
}

/**
 * A quantile that is never one organisation's answer: the mean of the four order
 * statistics around the type-7 position (n − 1)p (two below, two above), as
 * τ-ARGUS-style safe percentiles do. Needs at least 4 values.
 */
export function protectedQuantile(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  const base = Math.floor((n - 1) * p);
  const start = Math.min(Math.max(0, base - 1), n - 4);
  return (sorted[start] + sorted[start + 1] + sorted[start + 2] + sorted[start + 3]) / 4;
}

/** The published figures of a question: the band rounded outwards, the middle rounded. */
export function publishedFigures(quartiles: [number, number, number]) {
  return {
    band: { low: roundOutward(quartiles[0], 'down'), high: roundOutward(quartiles[2], 'up') },
    middle: roundNearest(quartiles[1]),
  };
}

/** Where a value lies against the published figures only (never against an exact quantile). */
export function quarterOf(value: number, quartiles: [number, number, number]): Quarter {
  const { band, middle } = publishedFigures(quartiles);
  if (value < band.low) return 1;
  if (value > band.high) return 4;
  return value <= middle ? 2 : 3;
}

export function groupBand(n: number): string {
  if (n < COMPARISON_MIN_GROUP) return `< ${COMPARISON_MIN_GROUP}`;
  if (n < 20) return '10–19';
  if (n < 50) return '20–49';
  if (n < 100) return '50–99';
  return '≥ 100';
}

/** The protected summary of one question's answers. */
export function summarise(key: string, values: number[], magnitude: boolean): SnapshotQuestion {
  const n = values.length;
  if (n < COMPARISON_MIN_GROUP) return { key, n, reason: 'min_n', quartiles: null };
  const rule = primarySuppression(n, magnitude ? values : null);
  if (rule) return { key, n, reason: rule, quartiles: null };
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted[0] === sorted[n - 1] && sorted[0] !== 0) return { key, n, reason: 'uniform', quartiles: null };
  return {
    key,
    n,
    reason: null,
    quartiles: [protectedQuantile(sorted, 0.25), protectedQuantile(sorted, 0.5), protectedQuantile(sorted, 0.75)],
  };
}

async function makeSnapshot(db: Db, waveId: number, definition: SurveyDefinition): Promise<ComparisonSnapshot> {
  const questions = allQuestions(definition).filter((q) => NUMERIC_TYPES.includes(q.type));
  const [rows, organisations] = await Promise.all([
    repo.submittedNumericAnswers(
      db,
      waveId,
      questions.map((q) => q.key),
    ),
    repo.submittedOrganisations(db, waveId),
  ]);
  const summaries = questions.map((q) =>
    summarise(
      q.key,
      rows.filter((r) => r.question_key === q.key).map((r) => Number(r.value)),
      q.type !== 'percentage',
    ),
  );
  // Every organisation's position now, from its answer now: what it is shown until the next renewal.
  const positions: ComparisonSnapshot['positions'] = Object.fromEntries(organisations.map((o) => [o, {}]));
  for (const r of rows) {
    const quartiles = summaries.find((s) => s.key === r.question_key)?.quartiles;
    if (quartiles && positions[r.org_id]) positions[r.org_id][r.question_key] = quarterOf(Number(r.value), quartiles);
  }
  const data = { questions: summaries, positions };
  const created_at = await repo.insertSnapshot(db, waveId, organisations.length, data);
  return { submitted: organisations.length, ...data, created_at };
}

/** The snapshot as stored; null for one stored before positions were kept (it is renewed). */
function storedSnapshot(last: { created_at: Date; submitted: number; data: unknown }): ComparisonSnapshot | null {
  const data = (typeof last.data === 'string' ? JSON.parse(last.data) : last.data) as
    | SnapshotQuestion[]
    | { questions: SnapshotQuestion[]; positions: ComparisonSnapshot['positions'] };
  if (Array.isArray(data)) return null;
  return { created_at: new Date(last.created_at), submitted: last.submitted, ...data };
}

/** The current snapshot of a wave, renewed when a batch of changes came in or a day passed. */
export async function comparisonSnapshot(
  db: Db,
  waveId: number,
  definition: SurveyDefinition,
  now = new Date(),
): Promise<ComparisonSnapshot> {
  const last = await repo.latestSnapshot(db, waveId);
  const stored = last ? storedSnapshot(last) : null;
  if (stored) {
    // Every submission since the snapshot counts, also one organisation's fifth resubmission,
    // and so do imports and staff corrections.
    const changed = await repo.countChanges(db, waveId, stored.created_at);
    const age = now.getTime() - stored.created_at.getTime();
    if (changed < SNAPSHOT_BATCH && (changed === 0 || age < SNAPSHOT_MAX_AGE_MS)) return stored;
  }
  return makeSnapshot(db, waveId, definition);
}

export interface MemberComparisonResult {
  asOf: Date;
  rows: ComparisonRow[];
  /** The organisation submitted or changed its answers after the snapshot: its position follows at the next renewal. */
  pending: boolean;
}

export async function memberComparison(
  db: Db,
  args: { waveId: number; definition: SurveyDefinition; orgId: string },
): Promise<MemberComparisonResult> {
  const snapshot = await comparisonSnapshot(db, args.waveId, args.definition);
  const [own, changedSince] = await Promise.all([
    repo.numericAnswersOf(db, args.waveId, args.orgId),
    repo.organisationChangedSince(db, args.waveId, args.orgId, snapshot.created_at),
  ]);
  const positions = snapshot.positions[args.orgId];
  const pending = changedSince || positions === undefined;
  const questions = allQuestions(args.definition).filter((q) => NUMERIC_TYPES.includes(q.type));
  const rows = questions.map((q): ComparisonRow => {
    const mine = own.find((r) => r.question_key === q.key);
    const summary = snapshot.questions.find((s) => s.key === q.key);
    const quartiles = summary?.quartiles ?? null;
    return {
      question: q,
      own: mine ? Number(mine.value) : null,
      group: groupBand(summary?.n ?? 0),
      band: quartiles ? publishedFigures(quartiles).band : null,
      quarter: quartiles && !pending ? (positions?.[q.key] ?? null) : null,
      suppressed: summary ? summary.reason : 'min_n',
    };
  });
  return { asOf: snapshot.created_at, rows, pending };
}
