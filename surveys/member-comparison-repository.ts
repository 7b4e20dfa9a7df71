// All SQL of the member comparison: submitted numeric answers, submission counts
// and the comparison snapshots.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../foundation/db/schema';
import type { SnapshotQuestion } from './member-comparison';

type Db = Kysely<Database>;

/** Every visible numeric answer to the given questions in the wave's submitted responses (value as exact text). */
export async function submittedNumericAnswers(
  db: Db,
  waveId: number,
  questionKeys: string[],
): Promise<{ question_key: string; value: string }[]> {
  if (questionKeys.length === 0) return [];
  return db
    .selectFrom('answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .select(['a.question_key', sql<string>`a.value_num::text`.as('value')])
    .where('r.wave_id', '=', waveId)
    .where('r.status', '=', 'submitted')
    .where('a.hidden', '=', false)
    .where('a.value_num', 'is not', null)
    .where('a.question_key', 'in', questionKeys)
    .execute();
}

/** The organisation's own visible numeric answers in the wave (value as exact text). */
export function numericAnswersOf(
  db: Db,
  waveId: number,
  orgId: string,
): Promise<{ question_key: string; value: string }[]> {
  return db
    .selectFrom('answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .select(['a.question_key', sql<string>`a.value_num::text`.as('value')])
    .where('r.wave_id', '=', waveId)
    .where('r.org_id', '=', orgId)
    .where('a.hidden', '=', false)
    .where('a.value_num', 'is not', null)
    .execute();
}

/** Submitted responses of the wave, or only those submitted after `since`. */
export async function countSubmitted(db: Db, waveId: number, since?: Date): Promise<number> {
  let query = db
    .selectFrom('responses')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('wave_id', '=', waveId)
    .where('status', '=', 'submitted');
  if (since) query = query.where('submitted_at', '>', since);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

export function latestSnapshot(db: Db, waveId: number) {
  return db
    .selectFrom('comparison_snapshots')
    .select(['created_at', 'submitted', 'data'])
    .where('wave_id', '=', waveId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** Stores a new snapshot; returns its creation time. */
export async function insertSnapshot(
  db: Db,
  waveId: number,
  submitted: number,
  questions: SnapshotQuestion[],
): Promise<Date> {
  const row = await db
    .insertInto('comparison_snapshots')
    .values({ wave_id: waveId, submitted, data: JSON.stringify(questions) })
    .returning('created_at')
    .executeTakeFirstOrThrow();
  return row.created_at;
}
