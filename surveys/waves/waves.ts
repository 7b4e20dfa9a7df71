// Wave rules: a wave asks one questionnaire version of the organisations in one
// frame year, between its open and close dates, and only while it is open.

import type { Kysely } from 'kysely';
import { yearExists } from '../../analysis/frame/frame-repository';
import { recordAudit } from '../../foundation/audit/audit-log';
import type { Database, User, WaveStatus } from '../../foundation/db/schema';
import { inTransaction } from '../../foundation/db/transaction';
import { amsterdamInstant, endOfAmsterdamDay } from '../../foundation/numbers/amsterdam-time';
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

export async function createWave(db: Db, wave: NewWave, actor: User | null): Promise<repo.WaveRow> {
  const slug = wave.slug.trim();
  if (!SLUG_PATTERN.test(slug) || slug.length > 60) throw new WaveError('wave.slug_invalid', 'slug', { value: slug });
  if (!wave.name.trim()) throw new WaveError('wave.name_required', 'name');
  if (!Number.isInteger(wave.frameYear)) throw new WaveError('wave.year_invalid', 'frame_year');
  if (wave.opensAt && wave.closesAt && wave.closesAt <= wave.opensAt)
    throw new WaveError('wave.dates_order', 'closes_at');
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
  if ((periodStart === null) !== (periodEnd === null))
    throw new WaveError('wave.period_incomplete', periodStart === null ? 'period_start' : 'period_end');
  if (periodStart && periodEnd && periodEnd < periodStart) throw new WaveError('wave.period_order', 'period_end');
  if (!(WEIGHTINGS as readonly string[]).includes(weighting))
    throw new WaveError('wave.weighting_invalid', 'weighting', { value: weighting, allowed: WEIGHTINGS.join(' | ') });
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
