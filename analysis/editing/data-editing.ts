// The staff's data-editing page: a wave's submitted responses ranked
// by how much each moves the branch totals of the money and count questions, with
// the reasons members gave for answers a soft check questioned; one response
// read-only with its soft checks, its part in each total and its history.
import type { Kysely } from 'kysely';
import { listAudit } from '../../foundation/audit/audit-log';
import type { Database } from '../../foundation/db/schema';
import type { AuxVariable } from '../../register/frame-columns';
import { allQuestions, NUMERIC_TYPES, type Question, reportStatistics } from '../../surveys/definition-schema';
import { confirms, type PlausibilityWarning, plausibilityWarnings } from '../../surveys/plausibility';
import { frameFigures, loadConfirmations, previousWaveAnswers } from '../../surveys/plausibility-repository';
import { type WaveWithDefinition, waveWithDefinition } from '../../surveys/responses/responses';
import { loadAnswers, type StoredAnswer } from '../../surveys/responses/responses-repository';
import { strataOf } from '../report/report-estimate';
import { weightingOf } from '../report/report-plan';
import { frameGroups } from '../report/report-repository';
import {
  type EditedResponse,
  editedResponses,
  influenceAnswers,
  responseIdOf,
  waveConfirmations,
} from './data-editing-repository';
import { type Contribution, type QuestionInfluence, questionInfluence, rankResponses } from './influence';

type Db = Kysely<Database>;

/** The money and count questions whose branch total the reports estimate. */
export function totalQuestions(definition: WaveWithDefinition['definition']): Question[] {
  return allQuestions(definition).filter(
    (q) => NUMERIC_TYPES.includes(q.type) && q.report?.include !== false && reportStatistics(q).includes('total'),
  );
}

/** Every total question's influence table for the wave. */
async function influencesOf(db: Db, target: WaveWithDefinition): Promise<QuestionInfluence[]> {
  const { wave, definition } = target;
  const questions = totalQuestions(definition);
  const weighting = weightingOf(wave);
  const auxByQuestion = Object.fromEntries(questions.map((q) => [q.key, (q.aux as AuxVariable | undefined) ?? null]));
  const auxes = [...new Set(Object.values(auxByQuestion).filter((a): a is AuxVariable => a !== null))];
  const scope = { waveId: wave.id, year: wave.frame_year };
  const [frame, answers] = await Promise.all([
    frameGroups(db, wave.frame_year, { weighting }, auxes),
    influenceAnswers(db, scope, weighting, auxByQuestion),
  ]);
  return questions.map((q) => {
    const aux = auxByQuestion[q.key];
    return questionInfluence(
      q.key,
      strataOf(frame, aux),
      answers
        .filter((a) => a.question === q.key)
        .map((a) => ({ responseId: a.response_id, stratum: a.stratum, y: a.y, x: a.x, shown: a.shown })),
      aux !== null,
    );
  });
}

export interface RankedRow {
  rank: number;
  response: EditedResponse;
  question: Question | null;
  share: number;
  contribution: Contribution | null;
  reasons: { question: Question; reason: string }[];
}

export interface DataEditingModel {
  target: WaveWithDefinition;
  questions: { question: Question; total: number; method: 'ratio' | 'expansion' }[];
  /** The question the ranking is by, or null: by each response's largest share. */
  rankedBy: Question | null;
  rows: RankedRow[];
  total: number;
  page: number;
  pages: number;
  /** Drafts staff asked the organisation to check, not submitted again yet. */
  awaitingReview: EditedResponse[];
}

export const RANKED_PER_PAGE = 50;

export async function dataEditing(
  db: Db,
  slug: string,
  options: { question?: string | null; page?: number } = {},
): Promise<DataEditingModel | null> {
  const target = await waveWithDefinition(db, slug);
  if (!target) return null;
  const questions = totalQuestions(target.definition);
  const byKey = new Map(allQuestions(target.definition).map((q) => [q.key, q]));
  const rankedBy = questions.find((q) => q.key === options.question) ?? null;
  const [influences, responses, reasons] = await Promise.all([
    influencesOf(db, target),
    editedResponses(db, { waveId: target.wave.id, year: target.wave.frame_year }),
    waveConfirmations(db, target.wave.id),
  ]);
  const submitted = responses.filter((r) => r.status === 'submitted');
  const byId = new Map(submitted.map((r) => [r.response_id, r]));
  const ranking = rankResponses(
    rankedBy ? influences.filter((i) => i.question === rankedBy.key) : influences,
    submitted.map((r) => r.response_id),
  );
  const pages = Math.max(1, Math.ceil(ranking.length / RANKED_PER_PAGE));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1) || 1), pages);
  const rows = ranking.slice((page - 1) * RANKED_PER_PAGE, page * RANKED_PER_PAGE).map(
    (r, i): RankedRow => ({
      rank: (page - 1) * RANKED_PER_PAGE + i + 1,
      response: byId.get(r.responseId)!,
      question: r.question ? (byKey.get(r.question) ?? null) : null,
      share: r.share,
      contribution: r.question ? r.contributions[r.question] : null,
      reasons: (reasons.get(r.responseId) ?? []).flatMap((c) => {
        const q = byKey.get(c.question);
        return q ? [{ question: q, reason: c.reason }] : [];
      }),
    }),
  );
  return {
    target,
    questions: influences.map((i) => ({ question: byKey.get(i.question)!, total: i.total, method: i.method })),
    rankedBy,
    rows,
    total: ranking.length,
    page,
    pages,
    awaitingReview: responses.filter((r) => r.status === 'draft'),
  };
}

export interface ReviewedResponse {
  target: WaveWithDefinition;
  response: EditedResponse;
  answers: Map<string, StoredAnswer>;
  /** Every soft check of the answers, with the member's reason where it kept the value. */
  checks: { warning: PlausibilityWarning; reason: string | null }[];
  reasons: Map<string, string>;
  /** The response's part in each branch total (submitted responses only). */
  influence: { question: Question; total: number; contribution: Contribution }[];
  history: Awaited<ReturnType<typeof listAudit>>;
}

/** One organisation's response to the wave, read-only for staff; null when it has none. */
export async function reviewedResponse(db: Db, slug: string, orgId: string): Promise<ReviewedResponse | null> {
  const target = await waveWithDefinition(db, slug);
  if (!target) return null;
  const { wave, definition } = target;
  const responseId = await responseIdOf(db, wave.id, orgId);
  if (responseId === undefined) return null;
  const [response] = await editedResponses(db, { waveId: wave.id, year: wave.frame_year }, { responseId });
  const [answers, confirmations, frame, previous, history] = await Promise.all([
    loadAnswers(db, responseId),
    loadConfirmations(db, responseId),
    frameFigures(db, wave.frame_year, orgId),
    previousWaveAnswers(db, wave, orgId),
    listAudit(db, { entity: 'response', entityId: String(responseId), limit: 500 }),
  ]);
  const checks = plausibilityWarnings(allQuestions(definition), answers, frame, previous).map((warning) => {
    const c = confirmations.get(warning.question);
    return { warning, reason: confirms(c, answers.get(warning.question)) ? c!.reason : null };
  });
  const influence =
    response.status === 'submitted'
      ? (await influencesOf(db, target)).flatMap((i) => {
          const contribution = i.contributions.find((c) => c.responseId === responseId);
          const question = allQuestions(definition).find((q) => q.key === i.question)!;
          return contribution ? [{ question, total: i.total, contribution }] : [];
        })
      : [];
  return {
    target,
    response,
    answers,
    checks,
    reasons: new Map([...confirmations].map(([k, c]) => [k, c.reason])),
    influence,
    history,
  };
}
