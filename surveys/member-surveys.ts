// What a member organisation sees on its home page: the waves it can answer now,
// with the state of its own response, and its history — the waves that closed
// and the ones it submitted — with a way to read its answers back. Everything is
// scoped to the one organisation of the logged-in member.
import type { Kysely } from 'kysely';
import type { Database, ResponseStatus } from '../foundation/db/schema';
import { findOrganisation } from '../register/frame-repository';
import { listResponsesOfOrganisation } from './responses/responses-repository';
import { waveAcceptsAnswers } from './waves/waves';
import { listWavesShownToMembers, type WaveRow } from './waves/waves-repository';

export interface MemberSurvey {
  slug: string;
  name: string;
  title_nl: string;
  title_en: string;
  closes_at: Date | null;
  period_start: string | null;
  period_end: string | null;
  state: 'not_started' | 'draft' | 'submitted';
  submitted_at: Date | null;
}

export interface MemberHome {
  organisation: { org_id: string; name: string } | null;
  /** Waves that accept answers now and that the organisation has not submitted. */
  open: MemberSurvey[];
  /** Closed waves and every wave the organisation submitted, newest first. */
  earlier: (MemberSurvey & { still_open: boolean })[];
}

function memberSurvey(
  w: WaveRow,
  response: { status: ResponseStatus; submitted_at: Date | null } | undefined,
): MemberSurvey {
  return {
    slug: w.slug,
    name: w.name,
    title_nl: w.survey_title_nl,
    title_en: w.survey_title_en,
    closes_at: w.closes_at,
    period_start: w.period_start,
    period_end: w.period_end,
    state: response?.status ?? 'not_started',
    submitted_at: response?.submitted_at ?? null,
  };
}

export async function memberHome(db: Kysely<Database>, orgId: string, now = new Date()): Promise<MemberHome> {
  const [organisation, waves, responses] = await Promise.all([
    findOrganisation(db, orgId),
    listWavesShownToMembers(db),
    listResponsesOfOrganisation(db, orgId),
  ]);
  const byWave = new Map(responses.map((r) => [r.wave_id, r]));
  const open: MemberSurvey[] = [];
  const earlier: MemberHome['earlier'] = [];
  // Every open wave, also for an organisation that is new since the frame year:
  // its answers count as "outside the frame" in the analysis, not lost.
  for (const w of waves) {
    const survey = memberSurvey(w, byWave.get(w.id));
    const answerable = waveAcceptsAnswers(w, now);
    if (survey.state === 'submitted') earlier.push({ ...survey, still_open: answerable });
    else if (answerable) open.push(survey);
    else if (w.status === 'closed' || (w.closes_at && new Date(w.closes_at) <= now))
      earlier.push({ ...survey, still_open: false });
    // An open wave whose opening date lies ahead is not shown yet.
  }
  // The one closing first is the most urgent.
  open.sort((a, b) => (a.closes_at?.getTime() ?? Infinity) - (b.closes_at?.getTime() ?? Infinity));
  return { organisation: organisation ?? null, open, earlier };
}
