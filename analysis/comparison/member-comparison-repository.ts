// All SQL of the member comparison: submitted numeric answers, submission counts
// and the comparison snapshots.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import type { ComparisonSnapshot } from './member-comparison';

type Db = Kysely<Database>;

/** Every visible numeric answer to the given questions in the wave's submitted responses (value as exact text). */
export async function submittedNumericAnswers(
  db: Db,
  waveId: number,
  questionKeys: string[],
): Promise<{ org_id: string; question_key: string; value: string }[]> {
  if (questionKeys.length === 0) return [];
  return db
    .selectFrom('answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .select(['r.org_id', 'a.question_key', sql<string>`a.value_num::text`.as('value')])
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

/** The organisations with a submitted response to the wave. */
export async function submittedOrganisations(db: Db, waveId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('responses')
    .select('org_id')
    .where('wave_id', '=', waveId)
    .where('status', '=', 'submitted')
    .orderBy('org_id')
    .execute();
  return rows.map((r) => r.org_id);
}

/** The audit actions that change what a comparison snapshot would hold. */
const CHANGES = ['response.submit', 'response.import', 'response.correct'];

/**
 * Changes to the wave's answers since `since`, one per submission, import or
 * correction: one organisation resubmitting five times counts five times.
 */
export async function countChanges(db: Db, waveId: number, since: Date): Promise<number> {
  const row = await db
    .selectFrom('audit_log as l')
    .innerJoin('responses as r', (j) => j.on(sql<boolean>`l.entity_id = r.id::text`))
    .select(sql<number>`count(*)::int`.as('n'))
    .where('l.entity', '=', 'response')
    .where('l.action', 'in', CHANGES)
    .where('r.wave_id', '=', waveId)
    .where('l.at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether the organisation's response to the wave was submitted, imported or corrected after `since`. */
export async function organisationChangedSince(db: Db, waveId: number, orgId: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('audit_log as l')
    .innerJoin('responses as r', (j) => j.on(sql<boolean>`l.entity_id = r.id::text`))
    .select('l.id')
    .where('l.entity', '=', 'response')
    .where('l.action', 'in', CHANGES)
    .where('r.wave_id', '=', waveId)
    .where('r.org_id', '=', orgId)
    .where('l.at', '>', since)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
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
  data: Pick<ComparisonSnapshot, 'questions' | 'positions'>,
): Promise<Date> {
  const row = await db
    .insertInto('comparison_snapshots')
    .values({ wave_id: waveId, submitted, data: JSON.stringify(data) })
    .returning('created_at')
    .executeTakeFirstOrThrow();
  return row.created_at;
}
