// All SQL on responses and their answers.
import { type Kysely, sql } from 'kysely';
import type { Database, ResponseStatus } from '../../foundation/db/schema';

type Db = Kysely<Database>;

/** One stored answer: the long shape, one row per response × question. */
export interface StoredAnswer {
  question_key: string;
  hidden: boolean;
  value_num: string | null;
  value_text: string | null;
  value_bool: boolean | null;
  value_choices: string[] | null;
}

export interface ResponseRow {
  id: number;
  wave_id: number;
  org_id: string;
  status: ResponseStatus;
  version: number;
  source: 'web' | 'import';
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  /** Staff's request to check the answers, while the organisation has not submitted again. */
  review_message: string | null;
  review_requested_at: Date | null;
  /** The page to continue on (page count + 1 = review), or null. */
  resume_page: number | null;
}

const RESPONSE_COLUMNS = [
  'id',
  'wave_id',
  'org_id',
  'status',
  'version',
  'source',
  'created_at',
  'updated_at',
  'submitted_at',
  'review_message',
  'review_requested_at',
  'resume_page',
] as const;

export function findResponse(db: Db, waveId: number, orgId: string): Promise<ResponseRow | undefined> {
  return db
    .selectFrom('responses')
    .select(RESPONSE_COLUMNS)
    .where('wave_id', '=', waveId)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
}

/** The organisation's response to a wave, created as an empty draft when there is none. */
export async function findOrCreateResponse(
  db: Db,
  waveId: number,
  orgId: string,
  userId: number | null,
): Promise<ResponseRow> {
  await db
    .insertInto('responses')
    .values({ wave_id: waveId, org_id: orgId, updated_by: userId })
    .onConflict((oc) => oc.columns(['wave_id', 'org_id']).doNothing())
    .execute();
  return (await findResponse(db, waveId, orgId))!;
}

export async function loadAnswers(db: Db, responseId: number): Promise<Map<string, StoredAnswer>> {
  const rows = await db
    .selectFrom('answers')
    .select([
      'question_key',
      'hidden',
      sql<string | null>`value_num::text`.as('value_num'),
      'value_text',
      'value_bool',
      'value_choices',
    ])
    .where('response_id', '=', responseId)
    .execute();
  return new Map(
    rows.map((r) => [r.question_key, { ...r, value_num: r.value_num === null ? null : normaliseDecimal(r.value_num) }]),
  );
}

/** numeric comes back as "12500.50" or "12500"; keep it as the canonical decimal text. */
export function normaliseDecimal(value: string): string {
  if (!value.includes('.')) return value;
  return value.replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * Bump the version when it still is the one the user started from (optimistic
 * concurrency). Returns the new version, or null when someone saved in between
 * or the response is no longer a draft.
 */
export async function claimVersion(
  db: Db,
  responseId: number,
  expectedVersion: number,
  userId: number | null,
): Promise<number | null> {
  const row = await db
    .updateTable('responses')
    .set({ version: sql`version + 1`, updated_at: new Date(), updated_by: userId })
    .where('id', '=', responseId)
    .where('version', '=', expectedVersion)
    .where('status', '=', 'draft')
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? null;
}

export async function upsertAnswers(db: Db, responseId: number, answers: StoredAnswer[]): Promise<void> {
  if (answers.length === 0) return;
  await db
    .insertInto('answers')
    .values(answers.map((a) => ({ response_id: responseId, ...a })))
    .onConflict((oc) =>
      oc.columns(['response_id', 'question_key']).doUpdateSet((eb) => ({
        hidden: eb.ref('excluded.hidden'),
        value_num: eb.ref('excluded.value_num'),
        value_text: eb.ref('excluded.value_text'),
        value_bool: eb.ref('excluded.value_bool'),
        value_choices: eb.ref('excluded.value_choices'),
      })),
    )
    .execute();
}

export async function deleteAnswers(db: Db, responseId: number, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.deleteFrom('answers').where('response_id', '=', responseId).where('question_key', 'in', keys).execute();
}

export async function markSubmitted(
  db: Db,
  responseId: number,
  userId: number | null,
  source: 'web' | 'import',
): Promise<void> {
  await db
    .updateTable('responses')
    // Submitting answers staff's request to check (if any): the message has done its work.
    .set({
      status: 'submitted',
      submitted_at: new Date(),
      submitted_by: userId,
      source,
      review_message: null,
      review_requested_at: null,
      review_requested_by: null,
    })
    .where('id', '=', responseId)
    .execute();
}

export async function markDraft(db: Db, responseId: number, userId: number | null): Promise<void> {
  await db
    .updateTable('responses')
    .set({ status: 'draft', submitted_at: null, submitted_by: null, updated_by: userId, version: sql`version + 1` })
    .where('id', '=', responseId)
    .execute();
}

/** Staff reopened the response with a message for the organisation (0014). */
export async function setReviewRequest(db: Db, responseId: number, message: string, userId: number): Promise<void> {
  await db
    .updateTable('responses')
    .set({ review_message: message, review_requested_at: new Date(), review_requested_by: userId })
    .where('id', '=', responseId)
    .execute();
}

/** Remember the page a member left a draft on (no version change: it is navigation, not an answer). */
export async function setResumePage(db: Db, waveId: number, orgId: string, page: number): Promise<void> {
  await db
    .updateTable('responses')
    .set({ resume_page: page })
    .where('wave_id', '=', waveId)
    .where('org_id', '=', orgId)
    .where('status', '=', 'draft')
    .execute();
}

export interface OrganisationResponse {
  wave_id: number;
  status: ResponseStatus;
  submitted_at: Date | null;
  updated_at: Date;
}

/** Every response of one organisation, to any wave: its own history. */
export function listResponsesOfOrganisation(db: Db, orgId: string): Promise<OrganisationResponse[]> {
  return db
    .selectFrom('responses')
    .select(['wave_id', 'status', 'submitted_at', 'updated_at'])
    .where('org_id', '=', orgId)
    .execute();
}

/** Every organisation id in the population frame (any year). */
export async function organisationIds(db: Db): Promise<Set<string>> {
  return new Set((await db.selectFrom('organisations').select('org_id').execute()).map((r) => r.org_id));
}

/** The status of each organisation's response to the wave, by organisation id. */
export async function responseStatuses(db: Db, waveId: number): Promise<Map<string, ResponseStatus>> {
  const rows = await db.selectFrom('responses').select(['org_id', 'status']).where('wave_id', '=', waveId).execute();
  return new Map(rows.map((r) => [r.org_id, r.status]));
}

/** All of a response's answers replaced by these, and the reasons given for the old ones dropped. */
export async function replaceAnswers(db: Db, responseId: number, answers: StoredAnswer[]): Promise<void> {
  await db.deleteFrom('answers').where('response_id', '=', responseId).execute();
  await db.deleteFrom('answer_confirmations').where('response_id', '=', responseId).execute();
  await upsertAnswers(db, responseId, answers);
}

/** The response's next version, changed now by this user (a change that does not go through claimVersion). */
export async function bumpVersion(
  db: Db,
  response: { id: number; version: number },
  userId: number | null,
): Promise<void> {
  await db
    .updateTable('responses')
    .set({ version: response.version + 1, updated_at: new Date(), updated_by: userId })
    .where('id', '=', response.id)
    .execute();
}

/** Every response of a wave with its organisation's name, by KAnS id. */
export function listResponsesOfWave(db: Db, waveId: number) {
  return db
    .selectFrom('responses as r')
    .leftJoin('organisations as o', 'o.org_id', 'r.org_id')
    .select(['r.id', 'r.org_id', 'o.name', 'r.status', 'r.source', 'r.submitted_at', 'r.updated_at'])
    .where('r.wave_id', '=', waveId)
    .orderBy('r.org_id')
    .execute();
}

/** Every stored answer of a wave's responses, numbers as the database's text. */
export function listAnswersOfWave(db: Db, waveId: number) {
  return db
    .selectFrom('answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .select([
      'a.response_id',
      'a.question_key',
      'a.hidden',
      sql<string | null>`a.value_num::text`.as('value_num'),
      'a.value_text',
      'a.value_bool',
      'a.value_choices',
    ])
    .where('r.wave_id', '=', waveId)
    .execute();
}

/** What the member typed that is not an answer yet, per question (0020). */
export async function loadPendingInputs(db: Db, responseId: number): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('pending_inputs')
    .select(['question_key', 'raw'])
    .where('response_id', '=', responseId)
    .execute();
  return new Map(rows.map((r) => [r.question_key, r.raw]));
}

/** Keep (a string) or clear (null) what was typed for each question in `inputs`. */
export async function setPendingInputs(
  db: Db,
  responseId: number,
  inputs: ReadonlyMap<string, string | null>,
): Promise<void> {
  const keep = [...inputs].flatMap(([question_key, raw]) => (raw === null ? [] : [{ question_key, raw }]));
  const clear = [...inputs].filter(([, raw]) => raw === null).map(([key]) => key);
  if (clear.length)
    await db
      .deleteFrom('pending_inputs')
      .where('response_id', '=', responseId)
      .where('question_key', 'in', clear)
      .execute();
  if (keep.length)
    await db
      .insertInto('pending_inputs')
      .values(keep.map((k) => ({ response_id: responseId, ...k, updated_at: new Date() })))
      .onConflict((oc) =>
        oc.columns(['response_id', 'question_key']).doUpdateSet((eb) => ({
          raw: eb.ref('excluded.raw'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
}

/** A submitted response has no half-typed inputs left. */
export async function clearPendingInputs(db: Db, responseId: number): Promise<void> {
  await db.deleteFrom('pending_inputs').where('response_id', '=', responseId).execute();
}
