// All SQL on waves.
import { type Kysely, sql } from 'kysely';
import type { Database, WaveStatus } from '../../foundation/db/schema';

type Db = Kysely<Database>;

export interface WaveRow {
  id: number;
  slug: string;
  name: string;
  survey_id: number;
  survey_key: string;
  survey_version: number;
  survey_title_nl: string;
  survey_title_en: string;
  frame_year: number;
  opens_at: Date | null;
  closes_at: Date | null;
  status: WaveStatus;
  created_at: Date;
  /** The weighting design, e.g. "org_type" or "org_type,size_class". */
  weighting: string;
  /** The reference period (YYYY-MM-DD), or null. */
  period_start: string | null;
  period_end: string | null;
  /** The calibration variables ("province,size_class"), or null when the wave is not calibrated. */
  calibration: string | null;
  calibration_method: 'linear' | 'raking';
  /** The wave's own mail texts, or null for the standard text. */
  invitation_text?: string | null;
  reminder_text?: string | null;
}

function waveQuery(db: Db) {
  return db
    .selectFrom('waves')
    .innerJoin('survey_definitions as s', 's.id', 'waves.survey_id')
    .select([
      'waves.id',
      'waves.slug',
      'waves.name',
      'waves.survey_id',
      's.key as survey_key',
      's.version as survey_version',
      's.title_nl as survey_title_nl',
      's.title_en as survey_title_en',
      'waves.frame_year',
      'waves.opens_at',
      'waves.closes_at',
      'waves.status',
      'waves.created_at',
      'waves.weighting',
      'waves.calibration',
      'waves.calibration_method',
      'waves.invitation_text',
      'waves.reminder_text',
      // Dates as text: a calendar date has no time zone to shift it.
      sql<string | null>`waves.period_start::text`.as('period_start'),
      sql<string | null>`waves.period_end::text`.as('period_end'),
    ]);
}

export function findWaveBySlug(db: Db, slug: string): Promise<WaveRow | undefined> {
  return waveQuery(db).where('waves.slug', '=', slug).executeTakeFirst();
}

export function findWaveById(db: Db, id: number): Promise<WaveRow | undefined> {
  return waveQuery(db).where('waves.id', '=', id).executeTakeFirst();
}

export interface WaveListRow extends WaveRow {
  responses: number;
  submitted: number;
  /** Organisations in the frame of the wave's frame year (N). */
  population: number;
}

export async function listWaves(db: Db): Promise<WaveListRow[]> {
  const rows = await waveQuery(db)
    .select([
      sql<number>`(select count(*)::int from responses r where r.wave_id = waves.id)`.as('responses'),
      sql<number>`(select count(*)::int from responses r where r.wave_id = waves.id and r.status = 'submitted')`.as(
        'submitted',
      ),
      sql<number>`(select count(*)::int from frame_units f where f.year = waves.frame_year)`.as('population'),
    ])
    .orderBy('waves.created_at', 'desc')
    .orderBy('waves.id', 'desc')
    .execute();
  return rows.map((r) => ({
    ...r,
    responses: Number(r.responses),
    submitted: Number(r.submitted),
    population: Number(r.population),
  }));
}

export async function insertWave(
  db: Db,
  wave: {
    slug: string;
    name: string;
    surveyId: number;
    frameYear: number;
    opensAt: Date | null;
    closesAt: Date | null;
    weighting: string;
    periodStart: string | null;
    periodEnd: string | null;
    calibration?: string | null;
    calibrationMethod?: 'linear' | 'raking';
  },
) {
  return db
    .insertInto('waves')
    .values({
      slug: wave.slug,
      name: wave.name,
      survey_id: wave.surveyId,
      frame_year: wave.frameYear,
      opens_at: wave.opensAt,
      closes_at: wave.closesAt,
      weighting: wave.weighting,
      period_start: wave.periodStart,
      period_end: wave.periodEnd,
      calibration: wave.calibration ?? null,
      calibration_method: wave.calibrationMethod ?? 'linear',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function setWaveStatus(db: Db, id: number, status: WaveStatus) {
  await db.updateTable('waves').set({ status }).where('id', '=', id).execute();
}

export async function updateWaveDates(db: Db, id: number, opensAt: Date | null, closesAt: Date | null) {
  await db.updateTable('waves').set({ opens_at: opensAt, closes_at: closesAt }).where('id', '=', id).execute();
}

/** Waves that currently accept answers: open, and now within their dates. */
export function listAnswerableWaves(db: Db, now = new Date()) {
  return waveQuery(db)
    .where('waves.status', '=', 'open')
    .where((eb) => eb.or([eb('waves.opens_at', 'is', null), eb('waves.opens_at', '<=', now)]))
    .where((eb) => eb.or([eb('waves.closes_at', 'is', null), eb('waves.closes_at', '>', now)]))
    .orderBy('waves.closes_at')
    .execute();
}

/** Waves a member can have taken part in: opened once (open or closed), newest first. */
export function listWavesShownToMembers(db: Db) {
  return waveQuery(db)
    .where('waves.status', 'in', ['open', 'closed'])
    .orderBy(sql`coalesce(waves.closes_at, waves.opens_at, waves.created_at)`, 'desc')
    .orderBy('waves.id', 'desc')
    .execute();
}

/**
 * The waves of the same questionnaire created before this one, newest first (ties
 * by id), at most `limit`: the previous wave for soft checks, the trend for reports.
 */
export function earlierWaves(
  db: Db,
  wave: { id: number; survey_key: string; created_at: Date },
  limit: number,
): Promise<{ id: number; slug: string; name: string }[]> {
  return db
    .selectFrom('waves as w')
    .innerJoin('survey_definitions as s', 's.id', 'w.survey_id')
    .select(['w.id', 'w.slug', 'w.name'])
    .where('s.key', '=', wave.survey_key)
    .where('w.id', '<>', wave.id)
    .where((eb) =>
      eb.or([
        eb('w.created_at', '<', wave.created_at),
        eb.and([eb('w.created_at', '=', wave.created_at), eb('w.id', '<', wave.id)]),
      ]),
    )
    .orderBy('w.created_at', 'desc')
    .orderBy('w.id', 'desc')
    .limit(limit)
    .execute();
}

/** Store the wave's own invitation and reminder texts (null: the standard text). */
export async function updateWaveTexts(
  db: Db,
  waveId: number,
  texts: { invitation_text: string | null; reminder_text: string | null },
): Promise<void> {
  await db.updateTable('waves').set(texts).where('id', '=', waveId).execute();
}
