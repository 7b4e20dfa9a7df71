// Wave rules: a wave asks one questionnaire version of the organisations in one
// frame year, between its open and close dates, and only while it is open.

import type { Kysely } from 'kysely';
import { recordAudit } from '../../foundation/audit/audit-log';
import type { Database, User, WaveStatus } from '../../foundation/db/schema';
import { inTransaction } from '../../foundation/db/transaction';
import { amsterdamInstant, endOfAmsterdamDay } from '../../foundation/numbers/amsterdam-time';
import { AUX_VARIABLES } from '../../register/frame-columns';
import { yearExists } from '../../register/frame-repository';
import { findDefinition, findLatestDefinition } from '../definitions-repository';
import * as repo from './waves-repository';

type Db = Kysely<Database>;

export class WaveError extends Error {
  constructor(
    readonly code: string,
    readonly field: string | null = null,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = 'WaveError';
  }
}

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface NewWave {
  surveyKey: string;
  surveyVersion?: number | null;
  slug: string;
  name: string;
  frameYear: number;
  opensAt?: Date | null;
  closesAt?: Date | null;
  /** The weighting design, fixed for the wave's life: one or two frame variables (default: type). */
  weighting?: string | null;
  /** The reference period its questions ask about, as calendar dates. */
  periodStart?: string | null;
  periodEnd?: string | null;
  /** Calibration variables (README "Calibration"), fixed for the wave's life; empty: none. */
  calibrate?: string | null;
  calibrationMethod?: string | null;
}

/** Categorical calibration variables: the frame's counts per category. */
export const CALIBRATION_CATEGORICAL = ['org_type', 'province', 'size_class', 'member'] as const;
/** Numeric calibration variables: the frame's totals. */
export const CALIBRATION_NUMERIC = AUX_VARIABLES;
export const CALIBRATION_METHODS = ['linear', 'raking'] as const;

/**
 * A wave's calibration as stored ("province,size_class") and its method, checked:
 * known frame variables, each once, none of the weighting's (the strata already
 * fix those counts), and only categorical ones for raking.
 */
export function parseCalibration(
  text: string | null | undefined,
  methodText: string | null | undefined,
  weighting: string,
): { calibration: string | null; method: 'linear' | 'raking' } {
  const method = methodText?.trim() || 'linear';
  if (!(CALIBRATION_METHODS as readonly string[]).includes(method))
    throw new WaveError('wave.calibration_method_invalid', 'calibration', { value: method });
  const vars = (text ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  const known: readonly string[] = [...CALIBRATION_CATEGORICAL, ...CALIBRATION_NUMERIC];
  for (const v of vars) {
    if (!known.includes(v))
      throw new WaveError('wave.calibration_unknown', 'calibrate', { value: v, allowed: known.join(', ') });
    if (weighting.split(',').includes(v))
      throw new WaveError('wave.calibration_is_weighting', 'calibrate', { value: v });
    if (method === 'raking' && !(CALIBRATION_CATEGORICAL as readonly string[]).includes(v))
      throw new WaveError('wave.calibration_raking_numeric', 'calibrate', { value: v });
  }
  if (new Set(vars).size !== vars.length)
    throw new WaveError('wave.calibration_twice', 'calibrate', { value: text ?? '' });
  return { calibration: vars.length ? vars.join(',') : null, method: method as 'linear' | 'raking' };
}

/** A calendar date typed by a user (YYYY-MM-DD); null when empty. */
export function parsePeriodDate(value: string | undefined | null, field: string): string | null {
  const text = value?.trim();
  if (!text) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== text)
    throw new WaveError('wave.date_invalid', field, { value: text });
  return text;
}

/** The weighting designs a wave can have: every report of the wave is a domain of it. */
export const WEIGHTINGS = ['org_type', 'org_type,size_class', 'org_type,member', 'size_class', 'province'] as const;

/**
 * Parse an ISO date or date-time given by a user; null when empty. Dates are Dutch
 * time: a date alone means the start of that day in Amsterdam, or for a closing
 * field (`closes_at`, CLI `--closes`) its end, so "sluit op 31 december" takes
 * answers all of 31 December. A date-time without an offset is Amsterdam time too;
 * one with `Z` or an offset is that instant.
 */
export function parseWaveDate(value: string | undefined | null, field: string): Date | null {
  if (!value?.trim()) return null;
  const trimmed = value.trim();
  const closing = field === 'closes_at' || field === 'closes';
  const local = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?))?$/.exec(trimmed);
  const date = local
    ? local[2]
      ? amsterdamInstant(local[1], local[2])
      : closing
        ? endOfAmsterdamDay(local[1])
        : amsterdamInstant(local[1])
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(trimmed)
      ? new Date(trimmed)
      : null;
  if (!date || Number.isNaN(date.getTime())) throw new WaveError('wave.date_invalid', field, { value: trimmed });
  return date;
}

/**
 * Every problem of a new wave that needs no database, in the order of the form:
 * slug, name, dates, reference period, weighting, calibration.
 */
export function newWaveProblems(
  wave: Pick<
    NewWave,
    | 'slug'
    | 'name'
    | 'opensAt'
    | 'closesAt'
    | 'weighting'
    | 'periodStart'
    | 'periodEnd'
    | 'calibrate'
    | 'calibrationMethod'
  >,
): WaveError[] {
  const problems: WaveError[] = [];
  const attempt = (check: () => void) => {
    try {
      check();
    } catch (error) {
      if (!(error instanceof WaveError)) throw error;
      problems.push(error);
    }
  };
  const slug = wave.slug.trim();
  if (!SLUG_PATTERN.test(slug) || slug.length > 60)
    problems.push(new WaveError('wave.slug_invalid', 'slug', { value: slug }));
  if (!wave.name.trim()) problems.push(new WaveError('wave.name_required', 'name'));
  if (wave.opensAt && wave.closesAt && wave.closesAt <= wave.opensAt)
    problems.push(new WaveError('wave.dates_order', 'closes_at'));
  const periodStart = wave.periodStart ?? null;
  const periodEnd = wave.periodEnd ?? null;
  if ((periodStart === null) !== (periodEnd === null))
    problems.push(new WaveError('wave.period_incomplete', periodStart === null ? 'period_start' : 'period_end'));
  if (periodStart && periodEnd && periodEnd < periodStart)
    problems.push(new WaveError('wave.period_order', 'period_end'));
  const weighting = wave.weighting?.trim() || 'org_type';
  if (!(WEIGHTINGS as readonly string[]).includes(weighting))
    problems.push(
      new WaveError('wave.weighting_invalid', 'weighting', { value: weighting, allowed: WEIGHTINGS.join(' | ') }),
    );
  attempt(() => parseCalibration(wave.calibrate, wave.calibrationMethod, weighting));
  return problems;
}

/** The problems of a new wave that the database tells: unknown questionnaire or frame year, slug in use. */
export async function newWaveDatabaseProblems(
  db: Db,
  wave: Pick<NewWave, 'surveyKey' | 'surveyVersion' | 'frameYear' | 'slug'>,
): Promise<WaveError[]> {
  const problems: WaveError[] = [];
  if (wave.surveyKey) {
    const definition = wave.surveyVersion
      ? await findDefinition(db, wave.surveyKey, wave.surveyVersion)
      : await findLatestDefinition(db, wave.surveyKey);
    if (!definition)
      problems.push(
        new WaveError('wave.survey_unknown', 'survey', { key: wave.surveyKey, version: wave.surveyVersion ?? '' }),
      );
  }
  if (Number.isInteger(wave.frameYear) && !(await yearExists(db, wave.frameYear)))
    problems.push(new WaveError('wave.frame_year_unknown', 'frame_year', { year: wave.frameYear }));
  const slug = wave.slug.trim();
  if (slug && (await repo.findWaveBySlug(db, slug)))
    problems.push(new WaveError('wave.slug_taken', 'slug', { value: slug }));
  return problems;
}

export async function createWave(db: Db, wave: NewWave, actor: User | null): Promise<repo.WaveRow> {
  const slug = wave.slug.trim();
  const [problem] = newWaveProblems(wave);
  if (problem) throw problem;
  if (!Number.isInteger(wave.frameYear)) throw new WaveError('wave.year_invalid', 'frame_year');
  const definition = wave.surveyVersion
    ? await findDefinition(db, wave.surveyKey, wave.surveyVersion)
    : await findLatestDefinition(db, wave.surveyKey);
  if (!definition)
    throw new WaveError('wave.survey_unknown', 'survey', { key: wave.surveyKey, version: wave.surveyVersion ?? '' });
  if (!(await yearExists(db, wave.frameYear)))
    throw new WaveError('wave.frame_year_unknown', 'frame_year', { year: wave.frameYear });
  if (await repo.findWaveBySlug(db, slug)) throw new WaveError('wave.slug_taken', 'slug', { value: slug });
  const weighting = wave.weighting?.trim() || 'org_type';
  const periodStart = wave.periodStart ?? null;
  const periodEnd = wave.periodEnd ?? null;
  const { calibration, method } = parseCalibration(wave.calibrate, wave.calibrationMethod, weighting);
  return inTransaction(db, async (trx) => {
    const { id } = await repo.insertWave(trx, {
      slug,
      name: wave.name.trim(),
      surveyId: definition.id,
      frameYear: wave.frameYear,
      opensAt: wave.opensAt ?? null,
      closesAt: wave.closesAt ?? null,
      weighting,
      periodStart,
      periodEnd,
      calibration,
      calibrationMethod: method,
    });
    await recordAudit(trx, {
      actorUserId: actor?.id ?? null,
      action: 'wave.create',
      entity: 'wave',
      entityId: id,
      details: {
        slug,
        survey: wave.surveyKey,
        version: definition.version,
        frame_year: wave.frameYear,
        weighting,
        calibration: calibration ? { variables: calibration, method } : null,
        period: periodStart ? [periodStart, periodEnd] : null,
      },
    });
    return (await repo.findWaveById(trx, id))!;
  });
}

export async function changeWaveStatus(
  db: Db,
  slug: string,
  status: WaveStatus,
  actor: User | null,
): Promise<repo.WaveRow> {
  const wave = await repo.findWaveBySlug(db, slug);
  if (!wave) throw new WaveError('wave.not_found', 'slug', { value: slug });
  return inTransaction(db, async (trx) => {
    await repo.setWaveStatus(trx, wave.id, status);
    await recordAudit(trx, {
      actorUserId: actor?.id ?? null,
      action: `wave.${status === 'open' ? 'open' : status === 'closed' ? 'close' : 'draft'}`,
      entity: 'wave',
      entityId: wave.id,
      details: { slug, before: wave.status, after: status },
    });
    return (await repo.findWaveById(trx, wave.id))!;
  });
}

/** Whether members can answer now: open, and within the dates when set. */
export function waveAcceptsAnswers(
  wave: Pick<repo.WaveRow, 'status' | 'opens_at' | 'closes_at'>,
  now = new Date(),
): boolean {
  if (wave.status !== 'open') return false;
  if (wave.opens_at && now < new Date(wave.opens_at)) return false;
  // closes_at is the last moment answers are taken (23:59:59.999 of a closing day).
  if (wave.closes_at && now > new Date(wave.closes_at)) return false;
  return true;
}
