// "Where do we stand?": for each numeric question, the organisation's percentile
// among the wave's respondents and the branch median, shown only where the
// comparison group passes the disclosure rules (DESIGN 6). The median is rounded
// to two significant digits so it never equals one organisation's exact figure.
import { type Kysely, sql } from 'kysely';
import { median } from 'simple-statistics';
import { primarySuppression, type SuppressionReason } from '../analysis/disclosure/rules';
import type { Database } from '../server/db/schema';
import { allQuestions, NUMERIC_TYPES, type Question, type SurveyDefinition } from './definition-schema';

export interface ComparisonRow {
  question: Question;
  own: number | null;
  n: number;
  median: number | null;
  percentile: number | null;
  suppressed: SuppressionReason | null;
}

export function roundSignificant(value: number, digits = 2): number {
  if (value === 0) return 0;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const factor = 10 ** (magnitude - digits + 1);
  return Math.round(value / factor) * factor;
}

/** Share of values below own, counting ties half (mid-rank percentile), 0–100. */
export function percentileOf(values: readonly number[], own: number): number {
  const below = values.filter((v) => v < own).length;
  const equal = values.filter((v) => v === own).length;
  return (100 * (below + equal / 2)) / values.length;
}

export async function memberComparison(
  db: Kysely<Database>,
  args: { waveId: number; definition: SurveyDefinition; orgId: string },
): Promise<ComparisonRow[]> {
  const questions = allQuestions(args.definition).filter((q) => NUMERIC_TYPES.includes(q.type));
  if (questions.length === 0) return [];
  const rows = await db
    .selectFrom('answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .select(['a.question_key', 'r.org_id', sql<string>`a.value_num::text`.as('value')])
    .where('r.wave_id', '=', args.waveId)
    .where('r.status', '=', 'submitted')
    .where('a.hidden', '=', false)
    .where('a.value_num', 'is not', null)
    .where(
      'a.question_key',
      'in',
      questions.map((q) => q.key),
    )
    .execute();
  return questions.map((q) => {
    const mine = rows.find((r) => r.question_key === q.key && r.org_id === args.orgId);
    const values = rows.filter((r) => r.question_key === q.key).map((r) => Number(r.value));
    const magnitude = q.type !== 'percentage';
    const suppressed = primarySuppression(values.length, magnitude ? values : null);
    const own = mine ? Number(mine.value) : null;
    return {
      question: q,
      own,
      n: values.length,
      median: suppressed ? null : roundSignificant(median(values)),
      percentile: suppressed || own === null ? null : Math.round(percentileOf(values, own)),
      suppressed,
    };
  });
}
