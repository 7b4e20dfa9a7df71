// All SQL of the report: per group of respondents — design stratum × type ×
// province × size class × membership (an atom) — the sufficient statistics of every question, computed by
// GROUP BY in the database in exact numeric arithmetic, so a report costs per
// group and question, not per answer. Each group also carries the two largest
// answers (for the dominance rules and the noise) and the sum of its
// answers' keys (for the cell-key method: an answer's key changes when its value
// does, migration 0017), or of its respondents' record keys where no answer is counted.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import type { AuxVariable } from '../../register/frame-columns';
import { type AnswerTable, choiceKey } from '../disclosure/revision-audit';
import type { CellSums } from '../estimators/design';
import { REPORT_VARIABLES, type ReportVariable } from './report-model';

type Db = Kysely<Database>;

/** The label of a frame variable for a unit: member is "lid" / "niet-lid". */
function variable(v: ReportVariable): RawBuilder<string> {
  if (v === 'member') return sql<string>`case when f.member then 'lid' else 'niet-lid' end`;
  return sql<string>`coalesce(f.${sql.ref(v)}, '–')`;
}

/** Cross-classified label, e.g. "muziekschool × 250-999"; '*' without variables. */
export function labelExpression(vars: readonly ReportVariable[]): RawBuilder<string> {
  if (vars.length === 0) return sql<string>`'*'`;
  if (vars.length === 1) return variable(vars[0]);
  return sql<string>`concat_ws(' × ', ${sql.join(vars.map(variable))})`;
}

/** How the report groups respondents: by design stratum and by every report variable (the atoms). */
export interface Grouping {
  weighting: readonly ReportVariable[];
}

function groupColumns(g: Grouping) {
  return sql`${labelExpression(g.weighting)} as stratum, ${sql.join(
    REPORT_VARIABLES.map((v) => sql`${variable(v)} as ${sql.ref(`v_${v}`)}`),
  )}`;
}

/** Group by the stratum and the four variables (the columns groupColumns adds). */
const GROUP_COLUMNS = sql.raw('1, 2, 3, 4, 5');

function labelsOf(r: Record<string, unknown>): Record<ReportVariable, string> {
  return Object.fromEntries(REPORT_VARIABLES.map((v) => [v, String(r[`v_${v}`])])) as Record<ReportVariable, string>;
}

export interface FrameGroup extends GroupLabels {
  N: number;
  /** Frame totals of each auxiliary variable. */
  X: Record<string, number>;
  /**
   * Per auxiliary variable, Σ of its units' frame keys (record key, variable,
   * value): part of the cell key of every estimate that uses the frame's values,
   * so a value replaced by a frame import gives that estimate new noise.
   */
  keys: Record<string, number>;
  /** Per auxiliary variable, the largest absolute value of one unit (0 without values). */
  xmax: Record<string, number>;
}

/** Key sums are kept below 2^32 (the cell key adds them modulo 2^32). */
const KEY_MODULUS = sql.lit(4294967296);

export async function frameGroups(
  db: Db,
  year: number,
  g: Grouping,
  aux: readonly AuxVariable[],
): Promise<FrameGroup[]> {
  const rows = await sql<Record<string, string | number>>`
    select ${groupColumns(g)}, count(*)::int as n
      ${sql.join(
        aux.map(
          (a) =>
            sql`, coalesce(sum(f.${sql.ref(a)}), 0)::text as ${sql.ref(`x_${a}`)},
              (sum(impactmonitor_key(o.record_key, ${a}, trim_scale(f.${sql.ref(a)}::numeric)::text)) % ${KEY_MODULUS})::text
                as ${sql.ref(`k_${a}`)},
              coalesce(max(abs(f.${sql.ref(a)})), 0)::text as ${sql.ref(`m_${a}`)}`,
        ),
        sql``,
      )}
    from frame_units f join organisations o on o.org_id = f.org_id
    where f.year = ${year}
    group by ${GROUP_COLUMNS}`.execute(db);
  return rows.rows.map((r) => ({
    stratum: String(r.stratum),
    labels: labelsOf(r),
    N: Number(r.n),
    X: Object.fromEntries(aux.map((a) => [a, Number(r[`x_${a}`])])),
    keys: Object.fromEntries(aux.map((a) => [a, Number(r[`k_${a}`] ?? 0)])),
    xmax: Object.fromEntries(aux.map((a) => [a, Number(r[`m_${a}`] ?? 0)])),
  }));
}

/** A group's label parts, shared by every kind of group row. */
export interface GroupLabels {
  /** The design stratum. */
  stratum: string;
  /** The group's value of every report variable: a group lies in exactly one atom. */
  labels: Record<ReportVariable, string>;
}

/** The estimators' cell sums of one question in one group, split by shown and by whether the auxiliary is known. */
export interface NumericGroup extends CellSums, GroupLabels {
  domain: null;
  question: string;
  has_x: boolean;
  /**
   * The two largest absolute answers of the group's shown answers (0 where there
   * are fewer). The second is null until fetched: it only matters where a
   * dominance rule is close to firing (secondLargest).
   */
  top: [number, number | null];
  /** Σ answer keys of the group's answers to the question. */
  keys: number;
}

/** The auxiliary value of a unit for a question: a CASE over the questions that have one. */
export function auxExpression(auxByQuestion: Record<string, AuxVariable | null>): RawBuilder<string | null> {
  const entries = Object.entries(auxByQuestion).filter(([, a]) => a);
  if (entries.length === 0) return sql<string | null>`null::numeric`;
  return sql<string | null>`case a.question_key ${sql.join(
    entries.map(([q, a]) => sql`when ${q} then f.${sql.ref(a!)}::numeric`),
    sql` `,
  )} else null end`;
}

interface Scope {
  waveId: number;
  year: number;
}

/**
 * The frame's units of the year, each with the number of its atom (stratum and
 * report variables), and the submitted respondents with their atom, record key
 * and auxiliary values (x_i, with x_i² once per respondent, not per answer).
 * The big aggregation then groups by a number instead of five labels, and
 * the labels are joined back onto its few thousand rows. The respondents are
 * materialized: inlined, the planner buffers every answer row for a merge join.
 */
function atomsAndRespondents(scope: Scope, g: Grouping, aux: readonly AuxVariable[]) {
  const labels = sql.join(['stratum', ...REPORT_VARIABLES.map((v) => `v_${v}`)].map((c) => sql.ref(c)));
  return sql`unit as (
      select u.*, dense_rank() over (order by concat_ws(chr(31), ${labels}) collate "C")::int as atom
      from (select f.org_id, ${groupColumns(g)}
          ${sql.join(
            aux.map((a, i) => sql`, f.${sql.ref(a)}::numeric as ${sql.ref(`x_${i + 1}`)}`),
            sql``,
          )}
        from frame_units f where f.year = ${scope.year}) u
    ), atom as (
      select distinct atom, ${labels} from unit
    ), resp as materialized (
      select r.id, u.atom
        ${sql.join(
          aux.map(
            (_, i) =>
              sql`, u.${sql.ref(`x_${i + 1}`)}, u.${sql.ref(`x_${i + 1}`)} * u.${sql.ref(`x_${i + 1}`)} as ${sql.ref(`xx_${i + 1}`)}`,
          ),
          sql``,
        )}
      from responses r join unit u on u.org_id = r.org_id
      where r.wave_id = ${scope.waveId} and r.status = 'submitted'
    )`;
}

/** Per question the number of its auxiliary in `aux` (1, 2, …; 0 without one), as a VALUES list. */
function questionAux(auxByQuestion: Record<string, AuxVariable | null>, aux: readonly AuxVariable[]) {
  return sql`q (question, aux) as (values ${sql.join(
    Object.entries(auxByQuestion).map(([q, a]) => sql`(${q}, ${sql.lit(a ? aux.indexOf(a) + 1 : 0)})`),
  )})`;
}

/** x (or x² with prefix 'xx_') of the respondent p for the question's auxiliary q.aux. */
function auxOf(aux: readonly AuxVariable[], prefix: 'x_' | 'xx_') {
  if (aux.length === 0) return sql`null::numeric`;
  return sql`case q.aux ${sql.join(
    aux.map((_, i) => sql`when ${i + 1} then p.${sql.ref(`${prefix}${i + 1}`)}`),
    sql` `,
  )} end`;
}

/**
 * The answers of respondent p, through the answers' primary key: the answers
 * table holds every wave, and a wave's report should read only its own answers.
 * `offset 0` keeps the subquery a lookup per respondent: flattened, the planner
 * joins by scanning every wave's answers (eight waves: 0.6 s instead of 0.1 s).
 */
function answersOf(questions: readonly string[], where: RawBuilder<unknown>) {
  return sql`select a.* from answers a
    where a.response_id = p.id and a.question_key in (${sql.join([...questions])}) and (${where}) offset 0`;
}

const NUMERIC_ORDER = sql.raw(
  's.question, t.stratum, t.v_org_type, t.v_province, t.v_size_class, t.v_member, s.shown, s.has_x',
);

/**
 * How many queries share the numeric questions of a report. On PostgreSQL each
 * runs in its own connection and so on its own core, which halves the report's
 * largest step on a two-core server; the embedded database runs them one after
 * the other. Each part reads every answer of a respondent (the index is by
 * respondent) and keeps its own questions, so parts cost more in all: where the
 * cores are busy anyway (earlier waves built side by side), use one.
 */
export const NUMERIC_QUERIES = 2;

/**
 * Sums per question × group × shown × has-aux over submitted respondents in the
 * frame, with the largest answer; the questions in `queries` parts, run
 * at once. Each question's rows come from one query, in the same order.
 */
export async function numericGroups(
  db: Db,
  scope: Scope,
  g: Grouping,
  auxByQuestion: Record<string, AuxVariable | null>,
  queries = NUMERIC_QUERIES,
): Promise<NumericGroup[]> {
  const entries = Object.entries(auxByQuestion);
  const size = Math.ceil(entries.length / queries);
  const parts = Array.from({ length: queries }, (_, i) => entries.slice(i * size, (i + 1) * size)).filter(
    (part) => part.length > 0,
  );
  const results = await Promise.all(parts.map((part) => numericGroupsOf(db, scope, g, Object.fromEntries(part))));
  return results.flat();
}

/**
 * The sums of numericGroups for some questions. One hash aggregation over the
 * answers: no sort per group (the second largest answer comes from
 * secondLargest, where needed).
 */
async function numericGroupsOf(
  db: Db,
  scope: Scope,
  g: Grouping,
  auxByQuestion: Record<string, AuxVariable | null>,
): Promise<NumericGroup[]> {
  const aux = [...new Set(Object.values(auxByQuestion).filter((a): a is AuxVariable => a !== null))];
  // The rows are ordered as the labels sort, so that the estimators add them up in the same order every time.
  const rows = await sql<Record<string, string | number | boolean | null>>`
    with ${atomsAndRespondents(scope, g, aux)}, ${questionAux(auxByQuestion, aux)},
    cell as (
      select a.question_key as question, p.atom, not a.hidden as shown,
        case when a.hidden then 0 else a.value_num end as y,
        ${auxOf(aux, 'x_')} as x, ${auxOf(aux, 'xx_')} as xx, a.answer_key as rk
      from resp p
      cross join lateral (${answersOf(Object.keys(auxByQuestion), sql`a.hidden or a.value_num is not null`)}) a
      join q on q.question = a.question_key
    ), sums as (
      select question, atom, shown, x is not null as has_x, count(*)::int as n,
        sum(y) as sy, coalesce(sum(x), 0) as sx, sum(y * y) as syy, coalesce(sum(xx), 0) as sxx,
        coalesce(sum(x * y), 0) as sxy, sum(rk) as keys,
        max(abs(y)) filter (where shown) as top1, count(*) filter (where shown) as shown_n
      from cell group by 1, 2, 3, 4
    )
    select s.question, s.atom, s.shown, s.has_x, s.n,
      s.sy::text as sy, s.sx::text as sx, s.syy::text as syy, s.sxx::text as sxx, s.sxy::text as sxy,
      s.keys::text as keys, s.top1::text as top1, s.shown_n,
      -- An atom's labels once, on its first row: the rows are many, the atoms few.
      ${sql.join(
        ['stratum', ...REPORT_VARIABLES.map((v) => `v_${v}`)].map(
          (c) => sql`case when row_number() over (partition by s.atom) = 1 then t.${sql.ref(c)} end as ${sql.ref(c)}`,
        ),
      )}
    from sums s join atom t on t.atom = s.atom
    order by ${NUMERIC_ORDER}`.execute(db);
  // One labels object per atom, shared by its rows.
  const atoms = new Map<number, GroupLabels>();
  for (const r of rows.rows)
    if (r.stratum !== null) atoms.set(Number(r.atom), { stratum: String(r.stratum), labels: labelsOf(r) });
  return rows.rows.map((r) => ({
    question: String(r.question),
    ...(atoms.get(Number(r.atom)) as GroupLabels),
    domain: null,
    shown: Boolean(r.shown),
    has_x: Boolean(r.has_x),
    n: Number(r.n),
    sy: Number(r.sy),
    sx: Number(r.sx),
    syy: Number(r.syy),
    sxx: Number(r.sxx),
    sxy: Number(r.sxy),
    keys: Number(r.keys),
    // With fewer than two shown answers the second largest is known: 0.
    top: [Number(r.top1 ?? 0), Number(r.shown_n) < 2 ? 0 : null],
  }));
}

/**
 * Fill in the second largest shown answer of the given groups (those whose
 * cell's dominance rules depend on it): one query over just their questions
 * and atoms, sorting only their answers.
 */
export async function secondLargest(
  db: Db,
  scope: Scope,
  g: Grouping,
  auxByQuestion: Record<string, AuxVariable | null>,
  groups: readonly NumericGroup[],
): Promise<void> {
  if (groups.length === 0) return;
  const aux = [...new Set(Object.values(auxByQuestion).filter((a): a is AuxVariable => a !== null))];
  const key = (question: string, l: GroupLabels, hasX: boolean) =>
    JSON.stringify([question, l.stratum, ...REPORT_VARIABLES.map((v) => l.labels[v]), hasX]);
  const wanted = new Map(groups.map((n) => [key(n.question, n, n.has_x), n]));
  const questions = [...new Set(groups.map((n) => n.question))];
  const rows = await sql<Record<string, string | boolean | null>>`
    with ${atomsAndRespondents(scope, g, aux)}, ${questionAux(
      Object.fromEntries(questions.map((q) => [q, auxByQuestion[q] ?? null])),
      aux,
    )},
    wanted (question, stratum, v_org_type, v_province, v_size_class, v_member, has_x) as (values ${sql.join(
      groups.map(
        (n) =>
          sql`(${n.question}, ${n.stratum}, ${sql.join(REPORT_VARIABLES.map((v) => sql`${n.labels[v]}`))}, ${sql.lit(n.has_x)})`,
      ),
    )}),
    cell as (
      select a.question_key as question, p.atom, ${auxOf(aux, 'x_')} is not null as has_x, abs(a.value_num) as y
      from resp p
      cross join lateral (${answersOf(questions, sql`not a.hidden and a.value_num is not null`)}) a
      join q on q.question = a.question_key
    )
    select c.question, t.stratum, t.v_org_type, t.v_province, t.v_size_class, t.v_member, c.has_x,
      ((array_agg(c.y order by c.y desc))[2])::text as top2
    from cell c join atom t on t.atom = c.atom
    join wanted w on (w.question, w.stratum, w.v_org_type, w.v_province, w.v_size_class, w.v_member, w.has_x)
      = (c.question, t.stratum, t.v_org_type, t.v_province, t.v_size_class, t.v_member, c.has_x)
    group by 1, 2, 3, 4, 5, 6, 7`.execute(db);
  for (const r of rows.rows) {
    const group = wanted.get(
      key(String(r.question), { stratum: String(r.stratum), labels: labelsOf(r) }, Boolean(r.has_x)),
    );
    if (group) group.top[1] = Number(r.top2 ?? 0);
  }
}

export interface ChoiceGroup extends GroupLabels {
  question: string;
  shown: boolean;
  /** The option value ('true' for a boolean), or null for the row counting all respondents. */
  category: string | null;
  n: number;
  /** Σ answer keys (of all the group's answers on the null-category row). */
  keys: number;
}

/** Respondents per group and, per option, how many chose it (multi-choice options counted each). */
export async function choiceGroups(db: Db, scope: Scope, g: Grouping, questions: string[]): Promise<ChoiceGroup[]> {
  if (questions.length === 0) return [];
  const rows = await sql<Record<string, string | number | boolean | null>>`
    with item as (
      select a.question_key, a.hidden, a.value_text, a.value_bool, a.value_choices, a.answer_key as rk, ${groupColumns(g)}
      from answers a
      join responses r on r.id = a.response_id
      join frame_units f on f.org_id = r.org_id and f.year = ${scope.year}
      where r.wave_id = ${scope.waveId} and r.status = 'submitted'
        and a.question_key in (${sql.join(questions)})
        and (a.hidden or a.value_text is not null or a.value_bool is not null or a.value_choices is not null)
    )
    select question_key as question, stratum, v_org_type, v_province, v_size_class, v_member, not hidden as shown,
        null::text as category, count(*)::int as n, sum(rk)::text as keys
      from item group by 1, 2, 3, 4, 5, 6, 7
    union all
    select question_key, stratum, v_org_type, v_province, v_size_class, v_member, true,
        coalesce(value_text, value_bool::text), count(*)::int, sum(rk)::text
      from item where not hidden and value_choices is null group by 1, 2, 3, 4, 5, 6, 8
    union all
    select question_key, stratum, v_org_type, v_province, v_size_class, v_member, true, choice, count(*)::int,
        sum(rk)::text
      from item cross join lateral unnest(value_choices) as choice where not hidden group by 1, 2, 3, 4, 5, 6, 8`.execute(
    db,
  );
  return rows.rows.map((r) => ({
    question: String(r.question),
    stratum: String(r.stratum),
    labels: labelsOf(r),
    shown: Boolean(r.shown),
    category: r.category === null ? null : String(r.category),
    n: Number(r.n),
    keys: Number(r.keys),
  }));
}

export interface RespondentGroup extends GroupLabels {
  /** Submitted respondents (unit response, whatever they answered). */
  n: number;
  keys: number;
}

/** Submitted respondents per group, with the sum of their record keys. */
export async function respondentGroups(db: Db, scope: Scope, g: Grouping): Promise<RespondentGroup[]> {
  const rows = await sql<Record<string, string | number>>`
    select ${groupColumns(g)}, count(*)::int as n, sum(r.record_key)::text as keys
    from responses r join frame_units f on f.org_id = r.org_id and f.year = ${scope.year}
    where r.wave_id = ${scope.waveId} and r.status = 'submitted'
    group by ${GROUP_COLUMNS}`.execute(db);
  return rows.rows.map((r) => ({
    stratum: String(r.stratum),
    labels: labelsOf(r),
    n: Number(r.n),
    keys: Number(r.keys),
  }));
}

/** Submitted responses whose organisation is not in the wave's frame year. */
export async function respondentsOutsideFrame(db: Db, scope: Scope): Promise<number> {
  const row = await sql<{ n: number }>`
    select count(*)::int as n from responses r
    where r.wave_id = ${scope.waveId} and r.status = 'submitted'
      and not exists (select 1 from frame_units f where f.org_id = r.org_id and f.year = ${scope.year})`.execute(db);
  return Number(row.rows[0].n);
}

/** The waves of the same questionnaire created before this one (the one query is in the waves repository). */

/** A wave's id and status by its slug, or undefined. */
export function findWaveStatus(db: Db, slug: string) {
  return db.selectFrom('waves').select(['id', 'status']).where('slug', '=', slug).executeTakeFirst();
}

/**
 * What a wave's report depends on, as one text: its status, its submitted
 * responses (how many, the latest change, their record keys) and the latest
 * import of its frame year. A cached report is valid while this is unchanged.
 */
export async function waveState(db: Db, waveId: number): Promise<string> {
  const row = await sql<Record<string, string | number | null>>`
    select w.status, w.weighting,
      (select count(*)::int from responses r where r.wave_id = w.id and r.status = 'submitted') as submitted,
      (select max(r.updated_at)::text from responses r where r.wave_id = w.id) as updated,
      (select max(r.submitted_at)::text from responses r where r.wave_id = w.id) as submitted_at,
      (select coalesce(sum(r.record_key), 0)::text from responses r where r.wave_id = w.id and r.status = 'submitted') as keys,
      (select max(i.id) from frame_imports i where i.year = w.frame_year) as frame_import
    from waves w where w.id = ${waveId}`.execute(db);
  return JSON.stringify(row.rows[0] ?? null);
}

/** What a frame year's figures depend on: its latest import and its number of units. */
export async function frameState(db: Db, year: number): Promise<string> {
  const row = await sql<{ import_id: number | null; units: number }>`
    select (select max(i.id) from frame_imports i where i.year = ${year}) as import_id,
      (select count(*)::int from frame_units f where f.year = ${year}) as units`.execute(db);
  return JSON.stringify(row.rows[0]);
}

export async function cachedModel(db: Db, key: string): Promise<unknown | null> {
  const row = await db.selectFrom('report_cache').select('model').where('key', '=', key).executeTakeFirst();
  if (!row) return null;
  return typeof row.model === 'string' ? JSON.parse(row.model) : row.model;
}

export async function storeModel(db: Db, key: string, waveId: number, model: unknown): Promise<void> {
  await db
    .insertInto('report_cache')
    .values({ key, wave_id: waveId, model: JSON.stringify(model) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  // Older states of the same wave are of no use any more.
  await db
    .deleteFrom('report_cache')
    .where('wave_id', '=', waveId)
    .where('created_at', '<', sql<Date>`now() - interval '1 day'`)
    .execute();
}

// The releases of a wave's figures (issue 22.3): what a publication of the wave was
// built from (publication_answers) and every cell it released (publication_cells).

type AnswerRow = { org_id: string; question_key: string; value_num: string | null; value_choices: string[] | null };

/** Numbers by question; a chosen option as 1 under its own key (README "Protection": a choice flip is audited as a change of 1). */
function byOrganisation(rows: AnswerRow[]): AnswerTable {
  const out: AnswerTable = new Map();
  for (const r of rows) {
    const answers = out.get(r.org_id) ?? new Map<string, number>();
    if (r.value_num !== null) answers.set(r.question_key, Number(r.value_num));
    for (const option of r.value_choices ?? []) answers.set(choiceKey(r.question_key, option), 1);
    out.set(r.org_id, answers);
  }
  return out;
}

/** The answers a version was built from; empty for a version published before they were kept. */
export async function answersOfPublication(db: Db, publicationId: number): Promise<AnswerTable> {
  const rows = await db
    .selectFrom('publication_answers')
    .select(['org_id', 'question_key', sql<string | null>`value_num::text`.as('value_num'), 'value_choices'])
    .where('publication_id', '=', publicationId)
    .execute();
  return byOrganisation(rows);
}

/** The options of a choice answer (a single choice and a yes/no answer as one option); null for a number. */
const chosenOptions = () =>
  sql<string[] | null>`case when a.value_num is null then
    coalesce(a.value_choices, array[coalesce(a.value_text, a.value_bool::text)]) end`;

/**
 * The wave's submitted answers as a revision is audited on them: numbers, and the
 * options chosen in `choiceQuestions` (a single choice and a yes/no answer as one option).
 */
function auditedAnswers(db: Db, waveSlug: string, choiceQuestions: readonly string[]) {
  return db
    .selectFrom('answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .innerJoin('waves as w', 'w.id', 'r.wave_id')
    .where('w.slug', '=', waveSlug)
    .where('r.status', '=', 'submitted')
    .where('a.hidden', '=', false)
    .where((eb) =>
      eb.or([
        eb('a.value_num', 'is not', null),
        ...(choiceQuestions.length ? [eb('a.question_key', 'in', [...choiceQuestions])] : []),
      ]),
    )
    .select([
      'r.org_id',
      'a.question_key',
      sql<string | null>`a.value_num::text`.as('value_num'),
      chosenOptions().as('value_choices'),
    ]);
}

/** The numeric and choice answers of the wave's submitted responses now. */
export async function currentAnswers(
  db: Db,
  waveSlug: string,
  choiceQuestions: readonly string[] = [],
): Promise<AnswerTable> {
  return byOrganisation(await auditedAnswers(db, waveSlug, choiceQuestions).execute());
}

/** Keep the wave's submitted answers with the version built from them: the next version is audited against them. */
export async function storePublicationAnswers(
  db: Db,
  publicationId: number,
  waveSlug: string,
  choiceQuestions: readonly string[],
): Promise<void> {
  await db
    .insertInto('publication_answers')
    .columns(['publication_id', 'org_id', 'question_key', 'value_num', 'value_choices'])
    .expression(
      auditedAnswers(db, waveSlug, choiceQuestions)
        .clearSelect()
        .select([
          sql<number>`${publicationId}::int`.as('publication_id'),
          'r.org_id',
          'a.question_key',
          'a.value_num',
          chosenOptions().as('value_choices'),
        ]),
    )
    .execute();
}

/** The wave's latest publication whose answers and cells were kept: how its figures were last released. */
export async function latestRelease(
  db: Db,
  waveSlug: string,
): Promise<{ id: number; slug: string; version: number; model: unknown } | null> {
  const row = await db
    .selectFrom('publications as p')
    .innerJoin('publication_cells as c', 'c.publication_id', 'p.id')
    .select(['p.id', 'p.slug', 'p.version', 'c.model'])
    .where('p.wave_slug', '=', waveSlug)
    .orderBy('p.published_at', 'desc')
    .orderBy('p.id', 'desc')
    .executeTakeFirst();
  if (!row) return null;
  return { id: row.id, slug: row.slug, version: row.version, model: JSON.parse(row.model) };
}
