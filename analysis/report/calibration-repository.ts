// The SQL of a calibrated wave's report (README "Calibration"): calibration needs
// each respondent's own weight, so it reads the item respondents one by one —
// next to, not instead of, the grouped sums of report-repository.ts, which the
// protection step still uses. Only calibrated waves run these queries.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import type { AuxVariable } from '../../register/frame-columns';
import { REPORT_VARIABLES, type ReportVariable } from './report-model';
import { type Grouping, labelExpression } from './report-repository';

type Db = Kysely<Database>;

interface Scope {
  waveId: number;
  year: number;
}

const labelColumns = sql.join(REPORT_VARIABLES.map((v) => sql`${labelExpression([v])} as ${sql.ref(`v_${v}`)}`));
const labelsOf = (r: Record<string, unknown>) =>
  Object.fromEntries(REPORT_VARIABLES.map((v) => [v, String(r[`v_${v}`])])) as Record<ReportVariable, string>;

/** The frame per stratum × the four variables: N and the totals of the numeric variables (unknown counts 0). */
export interface FrameAtom {
  stratum: string;
  labels: Record<ReportVariable, string>;
  N: number;
  totals: Record<string, number>;
}

export async function frameAtoms(
  db: Db,
  year: number,
  g: Grouping,
  numeric: readonly AuxVariable[],
): Promise<FrameAtom[]> {
  const rows = await sql<Record<string, string | number>>`
    select ${labelExpression(g.weighting)} as stratum, ${labelColumns}, count(*)::int as n
      ${sql.join(
        numeric.map((a) => sql`, coalesce(sum(f.${sql.ref(a)}), 0)::text as ${sql.ref(`t_${a}`)}`),
        sql``,
      )}
    from frame_units f where f.year = ${year}
    group by 1, 2, 3, 4, 5`.execute(db);
  return rows.rows.map((r) => ({
    stratum: String(r.stratum),
    labels: labelsOf(r),
    N: Number(r.n),
    totals: Object.fromEntries(numeric.map((a) => [a, Number(r[`t_${a}`])])),
  }));
}

/** A submitted respondent in the frame: its stratum, variables and numeric frame values (null: unknown). */
export interface RespondentUnit {
  id: number;
  stratum: string;
  labels: Record<ReportVariable, string>;
  values: Record<string, number | null>;
}

export async function respondentUnits(
  db: Db,
  scope: Scope,
  g: Grouping,
  numeric: readonly AuxVariable[],
): Promise<RespondentUnit[]> {
  const rows = await sql<Record<string, string | number | null>>`
    select r.id, ${labelExpression(g.weighting)} as stratum, ${labelColumns}
      ${sql.join(
        numeric.map((a) => sql`, f.${sql.ref(a)}::text as ${sql.ref(`x_${a}`)}`),
        sql``,
      )}
    from responses r join frame_units f on f.org_id = r.org_id and f.year = ${scope.year}
    where r.wave_id = ${scope.waveId} and r.status = 'submitted'
    order by r.id`.execute(db);
  return rows.rows.map((r) => ({
    id: Number(r.id),
    stratum: String(r.stratum),
    labels: labelsOf(r),
    values: Object.fromEntries(numeric.map((a) => [a, r[`x_${a}`] === null ? null : Number(r[`x_${a}`])])),
  }));
}

/** One item answer of a submitted respondent in the frame (hidden: outside the question's domain). */
export interface UnitAnswer {
  response: number;
  question: string;
  hidden: boolean;
  num: number | null;
  /** The chosen options: a single choice's value, a boolean as 'true'/'false', a multi-choice's values; null: none given. */
  choices: string[] | null;
}

export async function unitAnswers(db: Db, scope: Scope, questions: readonly string[]): Promise<UnitAnswer[]> {
  if (questions.length === 0) return [];
  const rows = await sql<{
    response_id: number;
    question_key: string;
    hidden: boolean;
    value_num: string | null;
    value_text: string | null;
    value_bool: boolean | null;
    value_choices: string[] | null;
  }>`
    select a.response_id, a.question_key, a.hidden, a.value_num::text as value_num, a.value_text, a.value_bool,
      a.value_choices
    from answers a
    join responses r on r.id = a.response_id
    join frame_units f on f.org_id = r.org_id and f.year = ${scope.year}
    where r.wave_id = ${scope.waveId} and r.status = 'submitted'
      and a.question_key in (${sql.join([...questions])})
      and (a.hidden or a.value_num is not null or a.value_text is not null or a.value_bool is not null
        or a.value_choices is not null)`.execute(db);
  return rows.rows.map((r) => ({
    response: Number(r.response_id),
    question: r.question_key,
    hidden: Boolean(r.hidden),
    num: r.value_num === null ? null : Number(r.value_num),
    choices:
      r.value_choices ??
      (r.value_text !== null ? [r.value_text] : r.value_bool !== null ? [String(r.value_bool)] : null),
  }));
}
