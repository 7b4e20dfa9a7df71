// What a member organisation sees on its home page: the waves it can answer now,
// with the state of its own response.
import type { Kysely } from 'kysely';
import type { Database } from '../server/db/schema';
import { listAnswerableWaves } from './waves/waves-repository';

export interface MemberSurvey {
  slug: string;
  name: string;
  title_nl: string;
  title_en: string;
  closes_at: Date | null;
  state: 'not_started' | 'draft' | 'submitted';
}

export async function surveysForOrganisation(
  db: Kysely<Database>,
  orgId: string,
  now = new Date(),
): Promise<MemberSurvey[]> {
  const waves = await listAnswerableWaves(db, now);
  if (waves.length === 0) return [];
  const responses = await db
    .selectFrom('responses')
    .select(['wave_id', 'status'])
    .where('org_id', '=', orgId)
    .where(
      'wave_id',
      'in',
      waves.map((w) => w.id),
    )
    .execute();
  const state = new Map(responses.map((r) => [r.wave_id, r.status]));
  // Every open wave, also for an organisation that is new since the frame year:
  // its answers count as "outside the frame" in the analysis, not lost.
  return waves.map((w) => ({
    slug: w.slug,
    name: w.name,
    title_nl: w.survey_title_nl,
    title_en: w.survey_title_en,
    closes_at: w.closes_at,
    state: state.get(w.id) ?? 'not_started',
  }));
}
