// SQL of the soft checks: the organisation's frame figures, its answers to the
// previous wave of the same questionnaire, and the answers it kept with a reason.
import type { Kysely } from 'kysely';
import type { Database } from '../foundation/db/schema';
import { AUX_VARIABLES } from '../register/frame-columns';
import type { Confirmation, FrameFigures, PreviousWave } from './plausibility';
import { loadAnswers } from './responses/responses-repository';
import { earlierWaves, type WaveRow } from './waves/waves-repository';

type Db = Kysely<Database>;

/** The organisation's row in the frame of the wave's reference year (null: not in the frame). */
export async function frameFigures(db: Db, year: number, orgId: string): Promise<FrameFigures | null> {
  const row = await db
    .selectFrom('frame_units')
    .select([...AUX_VARIABLES])
    .where('year', '=', year)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  if (!row) return null;
  return Object.fromEntries(
    AUX_VARIABLES.map((v) => [v, row[v] === null || row[v] === undefined ? null : Number(row[v])]),
  ) as FrameFigures;
}

/**
 * The organisation's submitted answers to the wave of the same questionnaire
 * created just before this one; null when there is none or it did not submit.
 */
export async function previousWaveAnswers(db: Db, wave: WaveRow, orgId: string): Promise<PreviousWave | null> {
  const [previous] = await earlierWaves(db, wave, 1);
  if (!previous) return null;
  const response = await db
    .selectFrom('responses')
    .select('id')
    .where('wave_id', '=', previous.id)
    .where('org_id', '=', orgId)
    .where('status', '=', 'submitted')
    .executeTakeFirst();
  if (!response) return null;
  return { name: previous.name, answers: await loadAnswers(db, response.id) };
}

export async function loadConfirmations(db: Db, responseId: number): Promise<Map<string, Confirmation>> {
  const rows = await db
    .selectFrom('answer_confirmations')
    .select(['question_key', 'value', 'reason'])
    .where('response_id', '=', responseId)
    .execute();
  return new Map(rows.map((r) => [r.question_key, { value: r.value, reason: r.reason }]));
}

export async function upsertConfirmations(
  db: Db,
  responseId: number,
  userId: number | null,
  rows: { question: string; value: string; reason: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('answer_confirmations')
    .values(
      rows.map((r) => ({
        response_id: responseId,
        question_key: r.question,
        value: r.value,
        reason: r.reason,
        confirmed_by: userId,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['response_id', 'question_key']).doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        reason: eb.ref('excluded.reason'),
        confirmed_by: eb.ref('excluded.confirmed_by'),
        confirmed_at: new Date(),
      })),
    )
    .execute();
}

/** Confirmations of answers that changed or went: they were for another value. */
export async function deleteConfirmations(db: Db, responseId: number, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db
    .deleteFrom('answer_confirmations')
    .where('response_id', '=', responseId)
    .where('question_key', 'in', keys)
    .execute();
}
