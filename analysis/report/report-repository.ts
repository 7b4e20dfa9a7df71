// All SQL of the report: per-stratum (× domain) sufficient statistics computed by
// GROUP BY in the database, in exact numeric arithmetic, so a report costs per
// stratum and question, not per answer.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../server/db/schema';
import type { CellSums } from '../estimators/design';
import type { AuxVariable } from '../frame/frame-columns';

type Db = Kysely<Database>;

export const REPORT_VARIABLES = ['org_type', 'province', 'size_class', 'member'] as const;
export type ReportVariable = (typeof REPORT_VARIABLES)[number];

/** The label of a frame variable for a unit: member is "lid" / "niet-lid". */
function variable(v: ReportVariable): RawBuilder<string> {
  if (v === 'member') return sql<string>`case when f.member then 'lid' else 'niet-lid' end`;
  return sql<string>`coalesce(f.${sql.ref(v)}, '–')`;
}

/** Cross-classified stratum label, e.g. "muziekschool × 250-999". */
export function stratumExpression(stratify: readonly ReportVariable[]): RawBuilder<string> {
  if (stratify.length === 1) return variable(stratify[0]);
  return sql<string>`concat_ws(' × ', ${sql.join(stratify.map(variable))})`;
}

function domainExpression(by: ReportVariable | null): RawBuilder<string | null> {
  return by ? variable(by) : sql<string | null>`null::text`;
}

export interface FrameCell {
  stratum: string;
  domain: string | null;
  N: number;
  /** Frame totals of each auxiliary variable, and how many units lack it. */
  X: Record<string, number>;
}

export async function frameCells(
  db: Db,
  year: number,
  stratify: readonly ReportVariable[],
  by: ReportVariable | null,
  aux: readonly AuxVariable[],
): Promise<FrameCell[]> {
  const rows = await db
    .selectFrom('frame_units as f')
    .select([
      stratumExpression(stratify).as('stratum'),
      domainExpression(by).as('domain'),
      sql<number>`count(*)::int`.as('N'),
      ...aux.map((a) => sql<string>`coalesce(sum(f.${sql.ref(a)}), 0)::text`.as(`x_${a}`)),
    ])
    .where('f.year', '=', year)
    .groupBy([sql`1`, sql`2`])
    .execute();
  return rows.map((r) => {
    const row = r as unknown as Record<string, string | number | null>;
    return {
      stratum: String(row.stratum),
      domain: row.domain === null ? null : String(row.domain),
      N: Number(row.N),
      X: Object.fromEntries(aux.map((a) => [a, Number(row[`x_${a}`])])),
    };
  });
}

/** The estimators' cell sums, per question, split by whether the auxiliary value is known. */
export interface NumericCellRow extends CellSums {
  question: string;
  has_x: boolean;
  /** The largest absolute answer in the cell (shown answers), for the dominance rules. */
  x1: number | null;
}

/** The auxiliary value of a unit for a question: a CASE over the questions that have one. */
function auxExpression(auxByQuestion: Record<string, AuxVariable | null>): RawBuilder<string | null> {
  const entries = Object.entries(auxByQuestion).filter(([, a]) => a);
  if (entries.length === 0) return sql<string | null>`null::numeric`;
  return sql<string | null>`case a.question_key ${sql.join(
    entries.map(([q, a]) => sql`when ${q} then f.${sql.ref(a!)}::numeric`),
    sql` `,
  )} else null end`;
}

/** Sums per question × stratum × domain × shown × has-aux over submitted respondents in the frame. */
export async function numericCells(
  db: Db,
  args: {
    waveId: number;
    year: number;
    stratify: readonly ReportVariable[];
    by: ReportVariable | null;
    auxByQuestion: Record<string, AuxVariable | null>;
  },
): Promise<NumericCellRow[]> {
  const questions = Object.keys(args.auxByQuestion);
  if (questions.length === 0) return [];
  const x = auxExpression(args.auxByQuestion);
  // y and x are computed once per answer in the inner query; the outer one only sums.
  const rows = await sql<Record<string, string | number | boolean | null>>`
    select question, stratum, domain, shown, x is not null as has_x, count(*)::int as n,
      sum(y)::text as sy, coalesce(sum(x), 0)::text as sx, sum(y * y)::text as syy,
      coalesce(sum(x * x), 0)::text as sxx, coalesce(sum(x * y), 0)::text as sxy,
      (max(abs(y)) filter (where shown))::text as x1
    from (
      select a.question_key as question, ${stratumExpression(args.stratify)} as stratum, ${domainExpression(args.by)} as domain,
        not a.hidden as shown, case when a.hidden then 0 else a.value_num end as y, ${x} as x
      from answers a
      join responses r on r.id = a.response_id
      join frame_units f on f.org_id = r.org_id and f.year = ${args.year}
      where r.wave_id = ${args.waveId} and r.status = 'submitted'
        and a.question_key in (${sql.join(questions)})
        and (a.hidden or a.value_num is not null)
    ) cell
    group by 1, 2, 3, 4, 5`.execute(db);
  return rows.rows.map((r) => ({
    question: String(r.question),
    stratum: String(r.stratum),
    domain: r.domain === null ? null : String(r.domain),
    shown: Boolean(r.shown),
    has_x: Boolean(r.has_x),
    n: Number(r.n),
    sy: Number(r.sy),
    sx: Number(r.sx),
    syy: Number(r.syy),
    sxx: Number(r.sxx),
    sxy: Number(r.sxy),
    x1: r.x1 === null ? null : Number(r.x1),
  }));
}

export interface ChoiceCellRow {
  question: string;
  stratum: string;
  domain: string | null;
  shown: boolean;
  /** The option value ('true' for a boolean), or null for the row counting all respondents. */
  category: string | null;
  n: number;
}

/** Respondents per cell and, per option, how many chose it (multi-choice options counted each). */
export async function choiceCells(
  db: Db,
  args: {
    waveId: number;
    year: number;
    stratify: readonly ReportVariable[];
    by: ReportVariable | null;
    questions: string[];
  },
): Promise<ChoiceCellRow[]> {
  if (args.questions.length === 0) return [];
  const rows = await sql<Record<string, string | number | boolean | null>>`
    with item as (
      select a.question_key, a.hidden, a.value_text, a.value_bool, a.value_choices,
        ${stratumExpression(args.stratify)} as stratum, ${domainExpression(args.by)} as domain
      from answers a
      join responses r on r.id = a.response_id
      join frame_units f on f.org_id = r.org_id and f.year = ${args.year}
      where r.wave_id = ${args.waveId} and r.status = 'submitted'
        and a.question_key in (${sql.join(args.questions)})
        and (a.hidden or a.value_text is not null or a.value_bool is not null or a.value_choices is not null)
    )
    select question_key as question, stratum, domain, not hidden as shown, null::text as category, count(*)::int as n
      from item group by 1, 2, 3, 4
    union all
    select question_key, stratum, domain, true, coalesce(value_text, value_bool::text), count(*)::int
      from item where not hidden and value_choices is null group by 1, 2, 3, 5
    union all
    select question_key, stratum, domain, true, choice, count(*)::int
      from item cross join lateral unnest(value_choices) as choice where not hidden group by 1, 2, 3, 5`.execute(db);
  return rows.rows.map((r) => ({
    question: String(r.question),
    stratum: String(r.stratum),
    domain: r.domain === null ? null : String(r.domain),
    shown: Boolean(r.shown),
    category: r.category === null ? null : String(r.category),
    n: Number(r.n),
  }));
}

export interface CellKey {
  question: string;
  stratum: string;
  domain: string | null;
  x1: number;
}

/**
 * The second largest absolute answer of a few cells (the largest again when it
 * occurs twice). Only asked for cells whose largest answer is big enough that a
 * dominance rule could fire, so the report scans the answers once more only for
 * those, not for every cell.
 */
export async function secondLargest(
  db: Db,
  args: { waveId: number; year: number; stratify: readonly ReportVariable[]; by: ReportVariable | null },
  cells: CellKey[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (cells.length === 0) return out;
  const want = sql.join(
    cells.map((c) => sql`(${c.question}::text, ${c.stratum}::text, ${c.domain}::text, ${String(c.x1)}::numeric)`),
  );
  const rows = await sql<{ question: string; stratum: string; domain: string | null; x2: string | null }>`
    with want(question, stratum, domain, x1) as (values ${want}),
    v as (
      select a.question_key as question, ${stratumExpression(args.stratify)} as stratum, ${domainExpression(args.by)} as domain, abs(a.value_num) as a
      from answers a
      join responses r on r.id = a.response_id
      join frame_units f on f.org_id = r.org_id and f.year = ${args.year}
      where r.wave_id = ${args.waveId} and r.status = 'submitted' and not a.hidden and a.value_num is not null
        and a.question_key in (${sql.join([...new Set(cells.map((c) => c.question))])})
    )
    select w.question, w.stratum, w.domain,
      (case when count(*) filter (where v.a = w.x1) > 1 then w.x1 else max(v.a) filter (where v.a < w.x1) end)::text as x2
    from want w join v on v.question = w.question and v.stratum = w.stratum and v.domain is not distinct from w.domain
    group by w.question, w.stratum, w.domain, w.x1`.execute(db);
  for (const r of rows.rows) out.set(cellKey(r.question, r.stratum, r.domain), r.x2 === null ? 0 : Number(r.x2));
  return out;
}

export function cellKey(question: string, stratum: string, domain: string | null): string {
  return JSON.stringify([question, stratum, domain]);
}

/** Submitted responses whose organisation is not in the wave's frame year. */
export async function respondentsOutsideFrame(db: Db, waveId: number, year: number): Promise<number> {
  const row = await sql<{ n: number }>`
    select count(*)::int as n from responses r
    where r.wave_id = ${waveId} and r.status = 'submitted'
      and not exists (select 1 from frame_units f where f.org_id = r.org_id and f.year = ${year})`.execute(db);
  return Number(row.rows[0].n);
}

/** Submitted respondents per stratum (unit response, whatever they answered). */
export async function respondentsPerStratum(db: Db, waveId: number, year: number, stratify: readonly ReportVariable[]) {
  const rows = await sql<{ stratum: string; n: number }>`
    select ${stratumExpression(stratify)} as stratum, count(*)::int as n
    from responses r join frame_units f on f.org_id = r.org_id and f.year = ${year}
    where r.wave_id = ${waveId} and r.status = 'submitted'
    group by 1`.execute(db);
  return rows.rows.map((r) => ({ stratum: r.stratum, n: Number(r.n) }));
}

/** The waves of the same questionnaire created before this one, newest first, at most `limit`. */
export async function earlierWaves(db: Db, wave: { id: number; survey_key: string; created_at: Date }, limit: number) {
  return db
    .selectFrom('waves as w')
    .innerJoin('survey_definitions as s', 's.id', 'w.survey_id')
    .select(['w.slug'])
    .where('s.key', '=', wave.survey_key)
    .where('w.id', '<>', wave.id)
    .where((eb) =>
      eb.or([
        eb('w.created_at', '<', wave.created_at),
        eb.and([eb('w.created_at', '=', wave.created_at), eb('w.id', '<', wave.id)]),
      ]),
    )
    .orderBy('w.created_at', 'desc')
    .orderBy('w.id', 'desc')
    .limit(limit)
    .execute();
}
