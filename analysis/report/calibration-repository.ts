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

/**
 * The item answers to one question, column by column (a wave has about half a
 * million: as columns they cost the report far less than as one object each).
 * hidden: outside the question's domain; num: the numeric answer or null;
 * choices: a single choice's value, a boolean as 'true'/'false', a multi-choice's values, or null;
 * key: the answer's key (0 ≤ key < 2^32), which the cell keys sum.
 */
export interface QuestionAnswers {
  response: number[];
  hidden: boolean[];
  num: (number | null)[];
  choices: (string[] | null)[];
  key: number[];
}

/**
 * The item answers of the questions. A wave has about half a million numeric
 * answers: they come as one text per question ("response id:value", …), which the driver hands over far faster than as one row each;
 * the few choice answers come as rows.
 */
export async function unitAnswers(
  db: Db,
  scope: Scope,
  questions: readonly string[],
): Promise<Map<string, QuestionAnswers>> {
  const out = new Map<string, QuestionAnswers>();
  if (questions.length === 0) return out;
  const respondents = sql`select r.id from responses r
    join frame_units f on f.org_id = r.org_id and f.year = ${scope.year}
    where r.wave_id = ${scope.waveId} and r.status = 'submitted'`;
  const keys = sql.join([...questions]);
  // One entry "id:value:key" per answer; a hidden answer's value is 'h'. In the order the
  // database reads them: sorting costs the query half as much again, and only the last
  // bits of a sum of doubles could differ (the record keys' sums are exact).
  const numeric = await sql<{ question_key: string; answers: string }>`
    select a.question_key,
      string_agg(a.response_id::text || ':' || case when a.hidden then 'h' else a.value_num::text end
        || ':' || a.answer_key::text, ',') as answers
    from (${respondents}) p
    cross join lateral (select * from answers a where a.response_id = p.id and a.question_key in (${keys})
      and (a.hidden or a.value_num is not null) offset 0) a
    group by a.question_key`.execute(db);
  const choice = await sql<{
    response_id: number;
    question_key: string;
    value_text: string | null;
    value_bool: boolean | null;
    value_choices: string[] | null;
    answer_key: string;
  }>`
    select a.response_id, a.question_key, a.value_text, a.value_bool, a.value_choices, a.answer_key
    from (${respondents}) p
    join answers a on a.response_id = p.id
    where a.question_key in (${keys}) and not a.hidden and a.value_num is null
      and (a.value_text is not null or a.value_bool is not null or a.value_choices is not null)`.execute(db);
  const columnsOf = (question: string) => {
    let columns = out.get(question);
    if (!columns) out.set(question, (columns = { response: [], hidden: [], num: [], choices: [], key: [] }));
    return columns;
  };
  for (const r of numeric.rows) {
    const columns = columnsOf(r.question_key);
    // Scanned in place (no array of half a million entries): the id's digits, the value up to the colon, the key's digits.
    const text = r.answers;
    const digits = (at: number, stop: number, what: string) => {
      let value = 0;
      let c = text.charCodeAt(at);
      while (c !== stop && at < text.length) {
        if (!(c >= 48 && c <= 57)) throw new Error(`unit answers of ${r.question_key}: no ${what} at ${at}`);
        value = value * 10 + (c - 48);
        c = text.charCodeAt(++at);
      }
      return { value, at };
    };
    let at = 0;
    while (at < text.length) {
      const id = digits(at, 58 /* : */, '"id:"');
      const valueAt = id.at + 1;
      const valueEnd = text.indexOf(':', valueAt);
      if (id.at >= text.length || valueEnd < 0) throw new Error(`unit answers of ${r.question_key}: no value at ${at}`);
      const key = digits(valueEnd + 1, 44 /* , */, 'key');
      const hidden = text.charCodeAt(valueAt) === 104; /* h */
      columns.response.push(id.value);
      columns.hidden.push(hidden);
      columns.num.push(hidden ? null : Number(text.slice(valueAt, valueEnd)));
      columns.choices.push(null);
      columns.key.push(key.value);
      at = key.at + 1;
    }
  }
  for (const r of choice.rows) {
    const columns = columnsOf(r.question_key);
    columns.response.push(Number(r.response_id));
    columns.hidden.push(false);
    columns.num.push(null);
    columns.choices.push(r.value_choices ?? (r.value_text !== null ? [r.value_text] : [String(r.value_bool)]));
    columns.key.push(Number(r.answer_key));
  }
  return out;
}
