// How much one response moves the branch estimates (the staff's
// data-editing page). For each money or count question that reports a total, the
// whole-branch total is the wave's own estimator (README "Estimates for the whole branch": the separate ratio
// estimator with the question's frame variable, or the expansion estimator) over
// the wave's weighting design, and it is linear in the answers:
//   T = Σ_h a_h Σ_{i ∈ h} y_i,
// with a_h the estimator's weight of one answer in stratum h (N_h / n_h, or
// X_h / Σx_h). A response's influence on a total is a_h · y_i, its share
// a_h · y_i / T: "this one answer makes 38 % of the estimated students who quit".
// The figures are exact (unprotected): this page is for staff, who see the
// answers anyway; nothing of it is published.
import { type CellSums, cellSums, type StratumFrame } from '../estimators/design';
import { type Domain, expansionTotalOf, separateRatioTotalOf } from '../estimators/estimators';
import { respondentsPerStratum } from '../estimators/linearization';

/** One submitted answer to a numeric question, with the response's design stratum and frame figure. */
export interface InfluenceAnswer {
  responseId: number;
  stratum: string;
  /** The answer (0 when the question was hidden). */
  y: number;
  /** The question's frame variable for this organisation (null: unknown, or the question has none). */
  x: number | null;
  shown: boolean;
}

export interface Contribution {
  responseId: number;
  value: number;
  /** a_h: what one unit of this answer adds to the estimated total. */
  weight: number;
  /** a_h · y. */
  influence: number;
  /** influence / total (0 when the total is 0). */
  share: number;
}

export interface QuestionInfluence {
  question: string;
  method: 'ratio' | 'expansion';
  /** The exact whole-branch total, as the report estimates it before protection. */
  total: number;
  contributions: Contribution[];
}

/**
 * The whole-branch total of one question and every answer's part in it. `strata`
 * carries N_h and, for a ratio question, X_h (the frame total of its variable).
 * As in the report, a ratio total uses the answers whose organisation has the
 * frame figure; the others add nothing to it.
 */
export function questionInfluence(
  question: string,
  strata: readonly StratumFrame[],
  answers: readonly InfluenceAnswer[],
  ratio: boolean,
): QuestionInfluence {
  const used = ratio ? answers.filter((a) => a.x !== null) : answers;
  const cells: CellSums[] = cellSums(used.map((a) => ({ stratum: a.stratum, shown: a.shown, y: a.y, x: a.x ?? 0 })));
  const domain: Domain = { frame: strata, n: respondentsPerStratum(cells), cells };
  const estimate = cells.length ? (ratio ? separateRatioTotalOf(domain) : expansionTotalOf(domain)) : null;
  const total = estimate && Number.isFinite(estimate.estimate) ? estimate.estimate : 0;
  const usedIds = new Set(used.map((a) => a.responseId));
  const contributions = answers.map((a) => {
    const weight = usedIds.has(a.responseId) && estimate ? (estimate.weights.get(a.stratum) ?? 0) : 0;
    const value = a.shown ? a.y : 0;
    const influence = weight * value;
    return { responseId: a.responseId, value, weight, influence, share: total ? influence / total : 0 };
  });
  return { question, method: ratio ? 'ratio' : 'expansion', total, contributions };
}

export interface RankedResponse {
  responseId: number;
  /** The question where the response weighs most, and its share there. */
  question: string | null;
  share: number;
  /** Per question: the response's contribution. */
  contributions: Record<string, Contribution>;
}

/**
 * Responses ranked by their largest share in any of the questions' totals
 * (absolute: a negative answer moves a total as much as a positive one), largest first;
 * ties by response id.
 */
export function rankResponses(
  influences: readonly QuestionInfluence[],
  responseIds: readonly number[],
): RankedResponse[] {
  const byQuestion = influences.map((q) => ({
    question: q.question,
    of: new Map(q.contributions.map((c) => [c.responseId, c])),
  }));
  const ranked = responseIds.map((responseId): RankedResponse => {
    const contributions: Record<string, Contribution> = {};
    let question: string | null = null;
    let share = 0;
    for (const q of byQuestion) {
      const c = q.of.get(responseId);
      if (!c) continue;
      contributions[q.question] = c;
      if (question === null || Math.abs(c.share) > Math.abs(share)) {
        question = q.question;
        share = c.share;
      }
    }
    return { responseId, question, share, contributions };
  });
  return ranked.sort((a, b) => Math.abs(b.share) - Math.abs(a.share) || a.responseId - b.responseId);
}
