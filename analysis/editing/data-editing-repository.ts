// SQL of the data-editing page: every submitted answer to the money and count
// questions with its response's design stratum and frame figure, the submitted
// responses with their organisation, and the reasons members gave for answers
// a soft check questioned.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import type { AuxVariable } from '../../register/frame-columns';
import type { ReportVariable } from '../report/report-model';
import { auxExpression, labelExpression } from '../report/report-repository';

type Db = Kysely<Database>;

export interface InfluenceAnswerRow {
  response_id: number;
  question: string;
  stratum: string;
  shown: boolean;
  y: number;
  x: number | null;
}

/** Submitted answers (hidden ones as 0) of organisations in the wave's frame, as the report uses them. */
export async function influenceAnswers(
  db: Db,
  scope: { waveId: number; year: number },
  weighting: readonly ReportVariable[],
  auxByQuestion: Record<string, AuxVariable | null>,
): Promise<InfluenceAnswerRow[]> {
  const questions = Object.keys(auxByQuestion);
  if (questions.length === 0) return [];
  const rows = await sql<{
    response_id: number;
    question: string;
    stratum: string;
    shown: boolean;
    y: string;
    x: string | null;
  }>`
    select r.id as response_id, a.question_key as question, ${labelExpression(weighting)} as stratum,
      not a.hidden as shown, (case when a.hidden then 0 else a.value_num end)::text as y,
      (${auxExpression(auxByQuestion)})::text as x
    from answers a
    join responses r on r.id = a.response_id
    join frame_units f on f.org_id = r.org_id and f.year = ${scope.year}
    where r.wave_id = ${scope.waveId} and r.status = 'submitted'
      and a.question_key in (${sql.join(questions)})
      and (a.hidden or a.value_num is not null)
    order by r.id, a.question_key`.execute(db);
  return rows.rows.map((r) => ({
    response_id: Number(r.response_id),
    question: r.question,
    stratum: r.stratum,
    shown: Boolean(r.shown),
    y: Number(r.y),
    x: r.x === null ? null : Number(r.x),
  }));
}

export interface EditedResponse {
  response_id: number;
  org_id: string;
  name: string | null;
  status: 'draft' | 'submitted';
  submitted_at: Date | null;
  source: 'web' | 'import';
  review_message: string | null;
  review_requested_at: Date | null;
  /** The organisation is in the wave's frame (else it feeds no estimate). */
  in_frame: boolean;
}

/** The wave's submitted responses and the drafts staff asked to check; or the one response asked for. */
export async function editedResponses(
  db: Db,
  scope: { waveId: number; year: number },
  only: { responseId: number } | null = null,
): Promise<EditedResponse[]> {
  let query = db
    .selectFrom('responses as r')
    .leftJoin('frame_units as f', (j) => j.onRef('f.org_id', '=', 'r.org_id').on('f.year', '=', scope.year))
    .leftJoin('organisations as o', 'o.org_id', 'r.org_id')
    .select([
      'r.id as response_id',
      'r.org_id',
      sql<string | null>`coalesce(f.name, o.name)`.as('name'),
      'r.status',
      'r.submitted_at',
      'r.source',
      'r.review_message',
      'r.review_requested_at',
      sql<boolean>`f.org_id is not null`.as('in_frame'),
    ])
    .where('r.wave_id', '=', scope.waveId)
    .orderBy('r.id');
  query = only
    ? query.where('r.id', '=', only.responseId)
    : query.where((eb) => eb.or([eb('r.status', '=', 'submitted'), eb('r.review_message', 'is not', null)]));
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, response_id: Number(r.response_id), in_frame: Boolean(r.in_frame) }));
}

/** Every kept answer's reason in the wave, per response. */
export async function waveConfirmations(
  db: Db,
  waveId: number,
): Promise<Map<number, { question: string; value: string; reason: string }[]>> {
  const rows = await db
    .selectFrom('answer_confirmations as c')
    .innerJoin('responses as r', 'r.id', 'c.response_id')
    // Only reasons for the answer as it stands: a reason holds for the value it was given for.
    .innerJoin('answers as a', (j) =>
      j
        .onRef('a.response_id', '=', 'c.response_id')
        .onRef('a.question_key', '=', 'c.question_key')
        .on('a.hidden', '=', false)
        .on(sql<boolean>`a.value_num = c.value::numeric`),
    )
    .select(['c.response_id', 'c.question_key', 'c.value', 'c.reason'])
    .where('r.wave_id', '=', waveId)
    .orderBy('c.response_id')
    .orderBy('c.question_key')
    .execute();
  const out = new Map<number, { question: string; value: string; reason: string }[]>();
  for (const r of rows) {
    const list = out.get(r.response_id) ?? [];
    list.push({ question: r.question_key, value: r.value, reason: r.reason });
    out.set(r.response_id, list);
  }
  return out;
}

/** The id of the organisation's response to the wave, or undefined when it has none. */
export async function responseIdOf(db: Db, waveId: number, orgId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('responses')
    .select('id')
    .where('wave_id', '=', waveId)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return row?.id;
}

/** Staff corrections of one response's answers, each with its reason (0018). */
export async function insertCorrections(
  db: Db,
  rows: {
    responseId: number;
    question: string;
    before: unknown | null;
    after: unknown | null;
    reason: string;
    by: number | null;
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('answer_corrections')
    .values(
      rows.map((r) => ({
        response_id: r.responseId,
        question_key: r.question,
        before: r.before === null ? null : JSON.stringify(r.before),
        after: r.after === null ? null : JSON.stringify(r.after),
        reason: r.reason,
        corrected_by: r.by,
      })),
    )
    .execute();
}

export interface StoredCorrection {
  question_key: string;
  before: unknown | null;
  after: unknown | null;
  reason: string;
  corrected_at: Date;
}

/** A response's corrections, oldest first. */
export async function correctionsOf(db: Db, responseId: number): Promise<StoredCorrection[]> {
  const rows = await db
    .selectFrom('answer_corrections')
    .select(['question_key', 'before', 'after', 'reason', 'corrected_at'])
    .where('response_id', '=', responseId)
    .orderBy('id')
    .execute();
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
  return rows.map((r) => ({ ...r, before: json(r.before), after: json(r.after) }));
}

/** Cached report models of the wave are stale after a correction: drop them at once. */
export async function forgetWaveReports(db: Db, waveId: number): Promise<void> {
  await db.deleteFrom('report_cache').where('wave_id', '=', waveId).execute();
}
