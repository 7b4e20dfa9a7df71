// The SQL of a calibrated wave's report (README "Calibration"): calibration needs
// each respondent's own weight, so it reads the item respondents one by one, and
// the report sums the numeric groups protection uses from these same answers
// (report-calibrate.ts, numericGroupsOfUnits) instead of report-repository.ts's
// numeric query. Only calibrated waves run these queries.
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
  // One labels object per atom, shared by its respondents (a wave has thousands, its atoms hundreds).
  const atoms = new Map<string, Record<ReportVariable, string>>();
  return rows.rows.map((r) => {
    const key = REPORT_VARIABLES.map((v) => r[`v_${v}`]).join('\u001f');
    let labels = atoms.get(key);
    if (!labels) atoms.set(key, (labels = labelsOf(r)));
    const values: Record<string, number | null> = {};
    for (const a of numeric) values[a] = r[`x_${a}`] === null ? null : Number(r[`x_${a}`]);
    return { id: Number(r.id), stratum: String(r.stratum), labels, values };
  });
}

/**
 * The item answers to one question, column by column (a wave has about half a
 * million: as typed columns they cost the report far less than as one object each).
 * hidden: 1 outside the question's domain; num: the numeric answer, NaN for none;
 * choices: a single choice's value, a boolean as 'true'/'false', a multi-choice's values, or null;
 * key: the answer's key (0 ≤ key < 2^32), which the cell keys sum.
 */
export interface QuestionAnswers {
  response: Int32Array;
  hidden: Uint8Array;
  num: Float64Array;
  choices: (string[] | null)[];
  key: Float64Array;
}

/**
 * The item answers of the questions. A wave has about half a million numeric
 * answers: they come as one text per question ("response id:value:key", …), which
 * the driver hands over far faster than as one row each; the few choice answers come as rows.
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
  // Sized first: an entry per comma-separated item of the text, and a row per choice answer.
  const sizes = new Map<string, number>();
  const texts = new Map(numeric.rows.map((r) => [r.question_key, r.answers]));
  for (const [question, text] of texts) sizes.set(question, count(text, ',') + 1);
  for (const r of choice.rows) sizes.set(r.question_key, (sizes.get(r.question_key) ?? 0) + 1);
  const filled = new Map<string, number>();
  for (const [question, size] of sizes)
    out.set(question, {
      response: new Int32Array(size),
      hidden: new Uint8Array(size),
      num: new Float64Array(size).fill(Number.NaN),
      choices: new Array(size).fill(null),
      key: new Float64Array(size),
    });
  for (const [question, text] of texts) filled.set(question, scanNumeric(question, text, out.get(question)!));
  for (const r of choice.rows) {
    const columns = out.get(r.question_key)!;
    const at = filled.get(r.question_key) ?? 0;
    filled.set(r.question_key, at + 1);
    columns.response[at] = Number(r.response_id);
    columns.choices[at] = r.value_choices ?? (r.value_text !== null ? [r.value_text] : [String(r.value_bool)]);
    columns.key[at] = Number(r.answer_key);
  }
  return out;
}

/** How often `character` occurs in `text`. */
function count(text: string, character: string): number {
  let n = 0;
  for (let at = text.indexOf(character); at >= 0; at = text.indexOf(character, at + 1)) n++;
  return n;
}

/**
 * The entries "id:value:key" of one question's text into its columns, scanned in
 * place (no array of half a million strings); returns how many. A value of at most
 * 15 digits is read as its digits over a power of ten: one correctly rounded
 * division, so exactly the double Number() would give; a longer one through Number().
 */
function scanNumeric(question: string, text: string, columns: QuestionAnswers): number {
  const fail = (at: number, what: string) => new Error(`unit answers of ${question}: no ${what} at ${at}`);
  let m = 0;
  let at = 0;
  while (at < text.length) {
    let id = 0;
    let c = text.charCodeAt(at);
    if (!(c >= 48 && c <= 57)) throw fail(at, '"id:"');
    while (c >= 48 && c <= 57) {
      id = id * 10 + (c - 48);
      c = text.charCodeAt(++at);
    }
    if (c !== 58 /* : */) throw fail(at, '"id:"');
    const valueAt = ++at;
    if (text.charCodeAt(at) === 104 /* h */) {
      columns.hidden[m] = 1;
      at++;
    } else {
      let negative = false;
      if (text.charCodeAt(at) === 45 /* - */) {
        negative = true;
        at++;
      }
      let digits = 0;
      let mantissa = 0;
      let decimals = -1;
      for (c = text.charCodeAt(at); (c >= 48 && c <= 57) || c === 46 /* . */; c = text.charCodeAt(++at)) {
        if (c === 46) {
          if (decimals >= 0) throw fail(at, 'number');
          decimals = 0;
          continue;
        }
        mantissa = mantissa * 10 + (c - 48);
        digits++;
        if (decimals >= 0) decimals++;
      }
      if (digits === 0) throw fail(valueAt, 'number');
      columns.num[m] =
        digits <= 15
          ? (negative ? -mantissa : mantissa) / 10 ** Math.max(decimals, 0)
          : Number(text.slice(valueAt, at));
    }
    if (text.charCodeAt(at) !== 58 /* : */) throw fail(at, '":key"');
    let key = 0;
    for (c = text.charCodeAt(++at); c >= 48 && c <= 57; c = text.charCodeAt(++at)) key = key * 10 + (c - 48);
    if (!((at === text.length || c === 44) /* , */)) throw fail(at, 'key');
    columns.response[m] = id;
    columns.key[m] = key;
    m++;
    at++;
  }
  return m;
}
