// "Where do we stand?": for each numeric question, where the organisation's own
// answer lies among the branch's answers. Protected like every other output
// (README "Protection"): it is read from a snapshot that changes only in batches — after
// at least min_cell new submissions, or once a day — so a change cannot be
// pinned on one late respondent; it is shown only for groups of at least 10
// that pass the disclosure rules; and it shows a band (where the middle half of
// the branch lies, rounded outwards to two significant digits) and the quarter
// the organisation falls in, never a median or any one organisation's figure.
import type { Kysely } from 'kysely';
import { quantileSorted } from 'simple-statistics';
import { DEFAULT_DISCLOSURE, primarySuppression, type SuppressionReason } from '../analysis/disclosure/rules';
import type { Database } from '../foundation/db/schema';
import { allQuestions, NUMERIC_TYPES, type Question, type SurveyDefinition } from './definition-schema';
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
  /** Quartiles, exact (kept in the database only; never shown). */
  quartiles: [number, number, number] | null;
}

export interface ComparisonSnapshot {
  created_at: Date;
  submitted: number;
  questions: SnapshotQuestion[];
}

export interface ComparisonRow {
  question: Question;
  /** The organisation's own answer, exactly as entered. */
  own: number | null;
  /** The size of the comparison group as a band ("10–19"). */
  group: string;
  /** Where the middle half of the branch lies, rounded outwards. */
  band: { low: number; high: number } | null;
  /** The quarter of the branch the own answer falls in: 1 (lowest) to 4 (highest). */
  quarter: 1 | 2 | 3 | 4 | null;
  suppressed: SuppressionReason | null;
}

/** Round down (or up) to two significant digits: the band never claims more precision than it has. */
export function roundOutward(value: number, direction: 'down' | 'up'): number {
  if (value === 0) return 0;
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(value))) - 1);
  const scaled = value / unit;
  return (direction === 'down' ? Math.floor(scaled + 1e-9) : Math.ceil(scaled - 1e-9)) * unit;
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
    quartiles: [quantileSorted(sorted, 0.25), quantileSorted(sorted, 0.5), quantileSorted(sorted, 0.75)],
  };
}

async function makeSnapshot(db: Db, waveId: number, definition: SurveyDefinition): Promise<ComparisonSnapshot> {
  const questions = allQuestions(definition).filter((q) => NUMERIC_TYPES.includes(q.type));
  const [rows, submitted] = await Promise.all([
    repo.submittedNumericAnswers(
      db,
      waveId,
      questions.map((q) => q.key),
    ),
    repo.countSubmitted(db, waveId),
  ]);
  const snapshot = {
    submitted,
    questions: questions.map((q) =>
      summarise(
        q.key,
        rows.filter((r) => r.question_key === q.key).map((r) => Number(r.value)),
        q.type !== 'percentage',
      ),
    ),
  };
  const created_at = await repo.insertSnapshot(db, waveId, snapshot.submitted, snapshot.questions);
  return { ...snapshot, created_at };
}

/** The current snapshot of a wave, renewed when a batch of submissions came in or a day passed. */
export async function comparisonSnapshot(
  db: Db,
  waveId: number,
  definition: SurveyDefinition,
  now = new Date(),
): Promise<ComparisonSnapshot> {
  const last = await repo.latestSnapshot(db, waveId);
  if (last) {
    // Submissions since the snapshot: new ones and resubmissions after a reopen.
    const changed = await repo.countSubmitted(db, waveId, last.created_at);
    const age = now.getTime() - new Date(last.created_at).getTime();
    if (changed < SNAPSHOT_BATCH && (changed === 0 || age < SNAPSHOT_MAX_AGE_MS)) {
      const data = typeof last.data === 'string' ? JSON.parse(last.data) : last.data;
      return {
        created_at: new Date(last.created_at),
        submitted: last.submitted,
        questions: data as SnapshotQuestion[],
      };
    }
  }
  return makeSnapshot(db, waveId, definition);
}

function quarterOf(value: number, [q1, q2, q3]: [number, number, number]): 1 | 2 | 3 | 4 {
  if (value <= q1) return 1;
  if (value <= q2) return 2;
  if (value <= q3) return 3;
  return 4;
}

export async function memberComparison(
  db: Db,
  args: { waveId: number; definition: SurveyDefinition; orgId: string },
): Promise<{ asOf: Date; rows: ComparisonRow[] }> {
  const snapshot = await comparisonSnapshot(db, args.waveId, args.definition);
  const own = await repo.numericAnswersOf(db, args.waveId, args.orgId);
  const questions = allQuestions(args.definition).filter((q) => NUMERIC_TYPES.includes(q.type));
  const rows = questions.map((q): ComparisonRow => {
    const mine = own.find((r) => r.question_key === q.key);
    const value = mine ? Number(mine.value) : null;
    const summary = snapshot.questions.find((s) => s.key === q.key);
    const quartiles = summary?.quartiles ?? null;
    return {
      question: q,
      own: value,
      group: groupBand(summary?.n ?? 0),
      band: quartiles ? { low: roundOutward(quartiles[0], 'down'), high: roundOutward(quartiles[2], 'up') } : null,
      quarter: quartiles && value !== null ? quarterOf(value, quartiles) : null,
      suppressed: summary ? summary.reason : 'min_n',
    };
  });
  return { asOf: snapshot.created_at, rows };
}
