// The report model (DESIGN 4.6): response per stratum, representativeness, every
// estimate of every question for the whole frame, per stratum and per --by
// domain, wave-over-wave change, warnings, and disclosure control applied before
// anything leaves the tool.
import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/schema';
import { allQuestions, NUMERIC_TYPES, type Question, type SurveyDefinition } from '../../surveys/definition-schema';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { t } from '../../views/i18n/index';
import {
  DEFAULT_DISCLOSURE,
  type DisclosureParameters,
  primarySuppressionFromTop,
  publicParameters,
  type SuppressionReason,
} from '../disclosure/rules';
import { suppressInTables } from '../disclosure/secondary';
import type { CellSums, Estimate, StratumFrame } from '../estimators/design';
import { domainMean, domainRatioTotal, expansionTotal, separateRatioTotal } from '../estimators/estimators';
import type { AuxVariable } from '../frame/frame-columns';
import { type ChiSquare, chiSquareGoodnessOfFit } from '../representativeness';
import * as repo from './report-repository';
import { REPORT_VARIABLES, type ReportVariable } from './report-repository';

type Db = Kysely<Database>;

export class ReportError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    readonly usage = false,
  ) {
    super(code);
    this.name = 'ReportError';
  }
}

export interface ReportOptions {
  wave: string;
  stratify?: ReportVariable[];
  by?: ReportVariable | null;
  questions?: string[] | null;
  /** false only in the CLI (--no-protect): suppressed values are shown with their flag. */
  protect?: boolean;
  disclosure?: Partial<DisclosureParameters>;
  /** Include the earlier waves: previous values and the trend (off when building those earlier reports). */
  withPrevious?: boolean;
}

/** How many waves a trend shows at most, this one included. */
export const MAX_TREND_WAVES = 8;

export type Statistic = 'total' | 'mean' | 'proportion';

export interface ReportEstimate {
  question: string;
  statistic: Statistic;
  method: 'ratio' | 'expansion' | 'stratified';
  auxiliary: string | null;
  category: string | null;
  dimension: string | null;
  domain: string;
  estimate: number | null;
  se: number | null;
  ci_low: number | null;
  ci_high: number | null;
  n: number;
  N: number;
  suppressed: boolean;
  reason: SuppressionReason | null;
  previous: number | null;
  change: number | null;
}

/** A whole-branch estimate in one wave; null values where it was suppressed or not asked. */
export interface TrendPoint {
  estimate: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

/** Trends across waves: the whole-branch estimates of this report in every wave of the questionnaire up to this one. */
export interface ReportTrend {
  /** Oldest first; the last is this wave. */
  waves: { slug: string; name: string }[];
  series: { question: string; statistic: Statistic; category: string | null; points: TrendPoint[] }[];
}

export interface ReportModel {
  wave: { slug: string; name: string };
  survey: { key: string; version: number };
  frame: { year: number; N: number };
  design: {
    stratify: string[];
    by: string | null;
    confidence: number;
    min_cell: number;
    dominance: { n: number; k: number; p: number };
  };
  response: { stratum: string; N: number; n: number; rate: number }[];
  representativeness: ChiSquare | null;
  previous_wave: { slug: string; name: string } | null;
  /** Null when there is no earlier wave. */
  trend: ReportTrend | null;
  warnings: string[];
  estimates: ReportEstimate[];
}

export function parseVariables(text: string | undefined, fallback: ReportVariable[]): ReportVariable[] {
  if (!text) return fallback;
  const vars = text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const v of vars)
    if (!(REPORT_VARIABLES as readonly string[]).includes(v))
      throw new ReportError('report.unknown_variable', { value: v, allowed: REPORT_VARIABLES.join(', ') }, true);
  if (new Set(vars).size !== vars.length || vars.length === 0)
    throw new ReportError('report.unknown_variable', { value: text, allowed: REPORT_VARIABLES.join(', ') }, true);
  return vars as ReportVariable[];
}

interface Working extends ReportEstimate {
  tables: string[];
}

const SUPPORTED: Question['type'][] = [
  'integer',
  'number',
  'currency',
  'percentage',
  'boolean',
  'single_choice',
  'multi_choice',
];

export async function buildReport(db: Db, options: ReportOptions): Promise<ReportModel> {
  const target = await waveWithDefinition(db, options.wave);
  if (!target) throw new ReportError('wave.not_found', { value: options.wave });
  const { wave, definition } = target;
  const stratify = options.stratify ?? ['org_type'];
  const by = options.by ?? null;
  if (by && stratify.includes(by)) throw new ReportError('report.by_is_stratifier', { value: by }, true);
  const protect = options.protect ?? true;
  const params = protect ? publicParameters(options.disclosure) : { ...DEFAULT_DISCLOSURE, ...options.disclosure };

  const known = allQuestions(definition);
  let questions = known.filter((q) => SUPPORTED.includes(q.type));
  if (options.questions?.length) {
    for (const key of options.questions) {
      const q = known.find((k) => k.key === key);
      if (!q) throw new ReportError('report.unknown_question', { value: key });
      if (!SUPPORTED.includes(q.type)) throw new ReportError('report.text_question', { value: key });
    }
    questions = questions.filter((q) => options.questions!.includes(q.key));
  }
  const numeric = questions.filter((q) => NUMERIC_TYPES.includes(q.type));
  const choice = questions.filter((q) => !NUMERIC_TYPES.includes(q.type));
  const auxByQuestion = Object.fromEntries(numeric.map((q) => [q.key, (q.aux as AuxVariable | undefined) ?? null]));
  const auxList = [...new Set(Object.values(auxByQuestion).filter((a): a is AuxVariable => a !== null))];

  const year = wave.frame_year;
  const args = { waveId: wave.id, year, stratify, by };
  const [frameCells, numRows, choiceRows, outside, respondents] = await Promise.all([
    repo.frameCells(db, year, stratify, by, auxList),
    repo.numericCells(db, { ...args, auxByQuestion }),
    repo.choiceCells(db, { ...args, questions: choice.map((q) => q.key) }),
    repo.respondentsOutsideFrame(db, wave.id, year),
    repo.respondentsPerStratum(db, wave.id, year, stratify),
  ]);

  // Dominance needs the two largest answers of a cell. The largest comes with the
  // sums; the second is fetched only for cells where a rule could fire at all:
  // with x2 ≤ x1, (n,k) needs 2·x1 > k·T and p% needs T < (2 + p)·x1.
  const magnitudeQuestions = new Set(numeric.filter((q) => q.type !== 'percentage').map((q) => q.key));
  interface Group {
    key: string;
    stratum: string;
    domain: string | null;
    x1: number;
    total: number;
  }
  const groupCache = new Map<string, Group[]>();
  const groupsOf = (question: string): Group[] => {
    const cached = groupCache.get(question);
    if (cached) return cached;
    const map = new Map<string, Group>();
    for (const r of numRows) {
      if (r.question !== question || !r.shown || r.x1 === null) continue;
      const key = repo.cellKey(question, r.stratum, r.domain);
      const g = map.get(key) ?? { key, stratum: r.stratum, domain: r.domain, x1: 0, total: 0 };
      g.x1 = Math.max(g.x1, r.x1);
      g.total += r.sy;
      map.set(key, g);
    }
    const groups = [...map.values()];
    groupCache.set(question, groups);
    return groups;
  };
  const mightDominate = (groups: Group[]) => {
    const x1 = Math.max(0, ...groups.map((g) => g.x1));
    const total = groups.reduce((a, g) => a + g.total, 0);
    return x1 > 0 && total < Math.max(2 / params.dominanceK, 2 + params.p) * x1;
  };
  const unions = (groups: Group[]) => [groups, ...strataOf(groups), ...domainsOf(groups)];
  const strataOf = (groups: Group[]) =>
    [...new Set(groups.map((g) => g.stratum))].map((s) => groups.filter((g) => g.stratum === s));
  const domainsOf = (groups: Group[]) =>
    by
      ? [...new Set(groups.map((g) => g.domain ?? '–'))].map((d) => groups.filter((g) => (g.domain ?? '–') === d))
      : [];
  const needed = new Map<string, repo.CellKey>();
  for (const question of magnitudeQuestions) {
    for (const union of unions(groupsOf(question))) {
      if (!mightDominate(union)) continue;
      const top = [...union].sort((a, b) => b.x1 - a.x1)[0];
      needed.set(top.key, { question, stratum: top.stratum, domain: top.domain, x1: top.x1 });
    }
  }
  const secondInCell = await repo.secondLargest(db, args, [...needed.values()]);
  /** The two largest answers of a union of cells (exact wherever a rule could fire). */
  const topTwo = (groups: Group[]): number[] => {
    if (groups.length === 0) return [];
    const sorted = [...groups].sort((a, b) => b.x1 - a.x1);
    const x1 = sorted[0].x1;
    if (!mightDominate(groups)) return [x1, x1]; // no rule can fire, whatever x2 is
    const x2 = Math.max(secondInCell.get(sorted[0].key) ?? 0, sorted[1]?.x1 ?? 0);
    return [x1, x2];
  };

  // The frame per stratum and per domain.
  const strataNames = [...new Set(frameCells.map((c) => c.stratum))].sort();
  const frameN = frameCells.reduce((a, c) => a + c.N, 0);
  const strataFor = (aux: AuxVariable | null): StratumFrame[] =>
    strataNames.map((s) => {
      const cells = frameCells.filter((c) => c.stratum === s);
      return {
        stratum: s,
        N: cells.reduce((a, c) => a + c.N, 0),
        X: aux ? cells.reduce((a, c) => a + c.X[aux], 0) : null,
      };
    });
  const domains = by ? [...new Set(frameCells.map((c) => c.domain ?? '–'))].sort() : [];
  const domainN = (d: string) => frameCells.filter((c) => c.domain === d).reduce((a, c) => a + c.N, 0);
  const domainX = (d: string, aux: AuxVariable) =>
    frameCells.filter((c) => c.domain === d).reduce((a, c) => a + c.X[aux], 0);
  const stratumN = (s: string) => frameCells.filter((c) => c.stratum === s).reduce((a, c) => a + c.N, 0);

  const warnings: string[] = [];
  if (outside > 0) warnings.push(t('nl', 'report.warning.outside_frame', { n: outside, year }));
  const dimension = stratify.join(',');
  const estimates: Working[] = [];
  const push = (e: Omit<Working, 'suppressed' | 'reason' | 'previous' | 'change'>, reason: SuppressionReason | null) =>
    estimates.push({ ...e, suppressed: reason !== null, reason, previous: null, change: null });
  const fromEstimate = (e: Estimate) => ({ estimate: e.estimate, se: e.se, ci_low: e.ci_low, ci_high: e.ci_high });
  const empty = { estimate: null, se: null, ci_low: null, ci_high: null };

  for (const q of numeric) {
    const rows = numRows.filter((r) => r.question === q.key);
    const cells: CellSums[] = rows;
    const aux = (q.aux as AuxVariable | undefined) ?? null;
    const ratioCells: CellSums[] = aux ? rows.filter((r) => r.has_x) : [];
    const frame = strataFor(aux);
    const magnitude = q.type !== 'percentage';
    const shownCount = (filter: (c: CellSums) => boolean) =>
      cells.filter((c) => c.shown && filter(c)).reduce((a, c) => a + c.n, 0);
    const sumY = (filter: (c: CellSums) => boolean) =>
      cells.filter((c) => c.shown && filter(c)).reduce((a, c) => a + c.sy, 0);
    const topOf = (filter: (r: { stratum: string; domain: string | null }) => boolean) =>
      topTwo(groupsOf(q.key).filter(filter));
    const reasonFor = (
      filter: (c: CellSums) => boolean,
      topFilter: (r: { stratum: string; domain: string | null }) => boolean,
    ) => primarySuppressionFromTop(shownCount(filter), magnitude ? topOf(topFilter) : null, sumY(filter), params);

    // Warnings for this question: strata without respondents, lonely strata, missing aux.
    const covered = new Set(cells.filter((c) => c.n > 0).map((c) => c.stratum));
    const missing = frame.filter((s) => !covered.has(s.stratum));
    if (missing.length) {
      const shareN = missing.reduce((a, s) => a + s.N, 0) / frameN;
      const totalX = frame.reduce((a, s) => a + (s.X ?? 0), 0);
      const shareX = aux && totalX > 0 ? missing.reduce((a, s) => a + (s.X ?? 0), 0) / totalX : null;
      warnings.push(
        t('nl', shareX === null ? 'report.warning.empty_strata' : 'report.warning.empty_strata_x', {
          question: q.key,
          strata: missing.map((s) => s.stratum).join(', '),
          shareN: (100 * shareN).toFixed(1),
          shareX: shareX === null ? '' : (100 * shareX).toFixed(1),
          aux: aux ?? '',
        }),
      );
    }
    const lonely = frame.filter((s) => cells.filter((c) => c.stratum === s.stratum).reduce((a, c) => a + c.n, 0) === 1);
    if (lonely.length)
      warnings.push(
        t('nl', 'report.warning.lonely', { question: q.key, strata: lonely.map((s) => s.stratum).join(', ') }),
      );
    const missingX = aux ? rows.filter((r) => !r.has_x && r.shown).reduce((a, r) => a + r.n, 0) : 0;
    if (missingX) warnings.push(t('nl', 'report.warning.missing_aux', { question: q.key, n: missingX, aux: aux! }));

    const statistics: Statistic[] = q.type === 'percentage' ? ['mean'] : ['total', 'mean'];
    for (const statistic of statistics) {
      const method = statistic === 'mean' ? 'stratified' : aux ? 'ratio' : 'expansion';
      const base = {
        question: q.key,
        statistic,
        method,
        auxiliary: statistic === 'total' ? aux : null,
        category: null,
      } as const;
      const table = `${q.key}|${statistic}`;
      const compute = (filter: (c: CellSums) => boolean, domainX: number | null, N: number): Estimate | null => {
        if (statistic === 'mean') return shownCount(filter) ? domainMean(frame, cells, filter) : null;
        if (method === 'ratio') {
          if (!ratioCells.some((c) => filter(c) && c.n > 0)) return null;
          return domainX === null
            ? separateRatioTotal(frame, ratioCells, filter)
            : domainRatioTotal(frame, ratioCells, filter, domainX, N);
        }
        return cells.some((c) => filter(c) && c.n > 0) ? expansionTotal(frame, cells, filter) : null;
      };
      const add = (
        dimensionName: string | null,
        domainName: string,
        filter: (c: CellSums) => boolean,
        topFilter: (r: { stratum: string; domain: string | null }) => boolean,
        N: number,
        X: number | null,
        tables: string[],
      ) => {
        const e = compute(filter, X, N);
        push(
          {
            ...base,
            dimension: dimensionName,
            domain: domainName,
            ...(e ? fromEstimate(e) : empty),
            n: shownCount(filter),
            N,
            tables,
          },
          e ? reasonFor(filter, topFilter) : 'no_respondents',
        );
      };
      add(
        null,
        '*',
        () => true,
        () => true,
        frameN,
        null,
        [`${table}|strata`, `${table}|by`],
      );
      for (const s of strataNames)
        add(
          dimension,
          s,
          (c) => c.stratum === s,
          (r) => r.stratum === s,
          stratumN(s),
          null,
          [`${table}|strata`],
        );
      for (const d of domains)
        add(
          by,
          d,
          (c) => (c.domain ?? '–') === d,
          (r) => (r.domain ?? '–') === d,
          domainN(d),
          aux && statistic === 'total' ? domainX(d, aux) : null,
          [`${table}|by`],
        );
    }
  }

  for (const q of choice) {
    const rows = choiceRows.filter((r) => r.question === q.key);
    const frame = strataFor(null);
    const options = q.type === 'boolean' ? ['true'] : (q.options ?? []).map((o) => o.value);
    for (const option of options) {
      // Cell sums of the 0/1 indicator: n respondents per cell, sy = how many chose the option.
      const cells: CellSums[] = rows
        .filter((r) => r.category === null)
        .map((r) => {
          const chosen = r.shown
            ? rows
                .filter((c) => c.category === option && c.stratum === r.stratum && c.domain === r.domain)
                .reduce((a, c) => a + c.n, 0)
            : 0;
          return {
            stratum: r.stratum,
            domain: r.domain,
            shown: r.shown,
            n: r.n,
            sy: chosen,
            sx: 0,
            syy: chosen,
            sxx: 0,
            sxy: 0,
          };
        });
      const table = `${q.key}|proportion|${option}`;
      const count = (filter: (c: CellSums) => boolean) =>
        cells.filter((c) => c.shown && filter(c)).reduce((a, c) => a + c.n, 0);
      const add = (
        dimensionName: string | null,
        domainName: string,
        filter: (c: CellSums) => boolean,
        N: number,
        tables: string[],
      ) => {
        const n = count(filter);
        const e = n ? domainMean(frame, cells, filter) : null;
        push(
          {
            question: q.key,
            statistic: 'proportion',
            method: 'stratified',
            auxiliary: null,
            category: option,
            dimension: dimensionName,
            domain: domainName,
            ...(e ? fromEstimate(e) : empty),
            n,
            N,
            tables,
          },
          primarySuppressionFromTop(n, null, 0, params),
        );
      };
      add(null, '*', () => true, frameN, [`${table}|strata`, `${table}|by`]);
      for (const s of strataNames) add(dimension, s, (c) => c.stratum === s, stratumN(s), [`${table}|strata`]);
      for (const d of domains) add(by, d, (c) => (c.domain ?? '–') === d, domainN(d), [`${table}|by`]);
    }
  }

  // Secondary suppression per one-dimensional table (the cells of one estimate plus its total).
  const tables = new Map<string, Working[]>();
  for (const e of estimates) for (const id of e.tables) tables.set(id, [...(tables.get(id) ?? []), e]);
  suppressInTables([...tables.values()]);
  for (const e of estimates) e.suppressed = e.reason !== null;

  // Wave over wave: the previous wave with the same breakdown (previous value and
  // change per cell), the ones before it for the whole-branch trend only. An
  // earlier wave that cannot give this report (a question it did not ask) is left out.
  let previousWave: ReportModel['previous_wave'] = null;
  let earlierReports: ReportModel[] = [];
  if (options.withPrevious !== false) {
    const earlier = await repo.earlierWaves(db, wave, MAX_TREND_WAVES - 1);
    const built = await Promise.all(
      earlier.map((w, i) =>
        buildReport(db, { ...options, wave: w.slug, by: i === 0 ? by : null, withPrevious: false }).catch(
          (error: unknown) => {
            if (error instanceof ReportError) return null;
            throw error;
          },
        ),
      ),
    );
    const previous = built[0];
    if (previous) {
      previousWave = previous.wave;
      const key = (e: ReportEstimate) => [e.question, e.statistic, e.category, e.dimension, e.domain].join('|');
      const map = new Map(previous.estimates.map((e) => [key(e), e]));
      for (const e of estimates) {
        const p = map.get(key(e));
        if (p && p.estimate !== null) {
          e.previous = p.estimate;
          e.change = e.estimate === null ? null : e.estimate - p.estimate;
        }
      }
    }
    earlierReports = built.filter((r): r is ReportModel => r !== null).reverse();
  }

  const responseRows = strataNames.map((s) => {
    const N = stratumN(s);
    const n = respondents.find((r) => r.stratum === s)?.n ?? 0;
    return { stratum: s, N, n, rate: N ? n / N : 0 };
  });

  const published = estimates.map(({ tables: _tables, ...e }): ReportEstimate => {
    if (protect && e.suppressed)
      return { ...e, estimate: null, se: null, ci_low: null, ci_high: null, previous: null, change: null };
    return e;
  });
  return {
    wave: { slug: wave.slug, name: wave.name },
    survey: { key: wave.survey_key, version: wave.survey_version },
    frame: { year, N: frameN },
    design: {
      stratify,
      by,
      confidence: 0.95,
      min_cell: params.minCell,
      dominance: { n: params.dominanceN, k: params.dominanceK, p: params.p },
    },
    response: responseRows,
    representativeness: chiSquareGoodnessOfFit(
      responseRows.map((r) => r.n),
      responseRows.map((r) => r.N),
    ),
    previous_wave: previousWave,
    trend: earlierReports.length
      ? trendOf([...earlierReports, { wave: { slug: wave.slug, name: wave.name }, estimates: published }])
      : null,
    warnings,
    estimates: published,
  };
}

/** The whole-branch estimates of the last report, followed through the reports before it (oldest first). */
function trendOf(reports: Pick<ReportModel, 'wave' | 'estimates'>[]): ReportTrend {
  const whole = (r: Pick<ReportModel, 'estimates'>) =>
    new Map(
      r.estimates.filter((e) => e.dimension === null).map((e) => [`${e.question}|${e.statistic}|${e.category}`, e]),
    );
  const perWave = reports.map(whole);
  const last = reports[reports.length - 1];
  return {
    waves: reports.map((r) => r.wave),
    series: last.estimates
      .filter((e) => e.dimension === null)
      .map((e) => ({
        question: e.question,
        statistic: e.statistic,
        category: e.category,
        points: perWave.map((m) => {
          const p = m.get(`${e.question}|${e.statistic}|${e.category}`);
          return { estimate: p?.estimate ?? null, ci_low: p?.ci_low ?? null, ci_high: p?.ci_high ?? null };
        }),
      })),
  };
}

export type { ReportVariable, SurveyDefinition };
export { REPORT_VARIABLES };
