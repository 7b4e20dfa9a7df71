// The report model (DESIGN 4.6) as a pipeline of named steps:
//   plan      — what was asked, checked before any work (report-plan.ts)
//   aggregate — sums per group of respondents, in SQL (report-repository.ts)
//   estimate  — every cell as a domain of the wave's design (report-estimate.ts)
//   protect   — rules, cell-key noise, published precision (disclosure/protect.ts)
//   compare   — the previous wave and the trend across waves
//   assemble  — response, representativeness, warnings, the model itself
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import { protectCell, protectCount, protectionStatement, unprotected } from '../disclosure/protect';
import { chiSquareGoodnessOfFit } from '../representativeness';
import { yieldToEventLoop } from '../yield';
import { branchFigures } from './branch-figures';
import { type EstimatedCell, estimateCells, type ReportData } from './report-estimate';
import {
  MAX_TREND_WAVES,
  ReportError,
  type ReportEstimate,
  type ReportModel,
  type ReportOptions,
  type ReportTrend,
  type ReportVariable,
  type ResponseRow,
} from './report-model';
import { planReport, type ReportPlan } from './report-plan';
import * as repo from './report-repository';
import { reportWarnings } from './report-warnings';

type Db = Kysely<Database>;

/** Step 2: the sums of every group of respondents, from the database. */
export async function aggregate(db: Db, plan: ReportPlan): Promise<ReportData> {
  const scope = { waveId: plan.wave.id, year: plan.year };
  const numeric = plan.questions.filter((q) => q.kind === 'numeric');
  const choice = plan.questions.filter((q) => q.kind === 'choice');
  const aux = [...new Set(numeric.map((q) => q.aux).filter((a) => a !== null))];
  // One query at a time, yielding in between: on the embedded database each query
  // holds the process, and other requests get their turn between them.
  const step = async <T>(query: () => Promise<T>) => {
    await yieldToEventLoop();
    return query();
  };
  const frame = await step(() => repo.frameGroups(db, plan.year, plan.grouping, aux));
  const numericRows = await step(() =>
    repo.numericGroups(db, scope, plan.grouping, Object.fromEntries(numeric.map((q) => [q.question.key, q.aux]))),
  );
  const choiceRows = await step(() =>
    repo.choiceGroups(
      db,
      scope,
      plan.grouping,
      choice.map((q) => q.question.key),
    ),
  );
  const respondents = await step(() => repo.respondentGroups(db, scope, plan.grouping));
  const outside = await step(() => repo.respondentsOutsideFrame(db, scope));
  return { frame, numeric: numericRows, choice: choiceRows, respondents, outside };
}

/** Step 4: each cell as it may leave the tool (exact with --no-protect). */
function protect(plan: ReportPlan, cells: EstimatedCell[]): ReportEstimate[] {
  return cells.map((c) => {
    // Total and mean of the same cell get independent noise: with one shared draw their
    // published difference would be an exact equation in the answers.
    const input = { ...c, shift: `${c.question}|${c.statistic}|${c.category ?? ''}` };
    const values = plan.protect ? protectCell(input, plan.params) : unprotected(input, plan.params);
    return {
      question: c.question,
      statistic: c.statistic,
      method: c.method,
      auxiliary: c.auxiliary,
      category: c.category,
      dimension: c.dimension,
      domain: c.domain,
      estimate: values.estimate,
      se: values.se,
      ci_low: values.ci_low,
      ci_high: values.ci_high,
      n: values.n,
      n_band: values.n_band,
      N: c.N,
      suppressed: values.suppressed,
      reason: values.reason,
      previous: null,
      change: null,
      perturbed: values.perturbed,
      rounding: values.rounding,
    };
  });
}

const estimateKey = (e: Pick<ReportEstimate, 'question' | 'statistic' | 'category' | 'dimension' | 'domain'>) =>
  JSON.stringify([e.question, e.statistic, e.category, e.dimension, e.domain]);

/**
 * Step 5: the previous wave with the same breakdown (previous value and change
 * per cell) and the whole branch in the waves before it (the trend). Earlier
 * waves are built by the same pipeline, so each number is what that wave's own
 * report publishes for the same cell. A wave that cannot give this report (a
 * question it did not ask) is left out.
 */
async function compareWaves(db: Db, plan: ReportPlan, estimates: ReportEstimate[]) {
  const earlier = await repo.earlierWaves(db, plan.wave, MAX_TREND_WAVES - 1);
  const built: (ReportModel | null)[] = [];
  // One wave after another, for the same reason as the queries of one wave.
  for (const [i, w] of earlier.entries())
    built.push(
      await earlierReport(db, {
        ...plan.options,
        wave: w.slug,
        // The previous wave in the same breakdown; the ones before only for the whole branch.
        stratify: i === 0 ? plan.breakdown : [],
        by: i === 0 ? plan.by : null,
        withPrevious: false,
      }).catch((error: unknown) => {
        if (error instanceof ReportError) return null;
        throw error;
      }),
    );
  const previous = built[0] ?? null;
  if (previous) {
    const map = new Map(previous.estimates.map((e) => [estimateKey(e), e]));
    for (const e of estimates) {
      const p = map.get(estimateKey(e));
      if (p && p.estimate !== null) {
        e.previous = p.estimate;
        e.change = e.estimate === null ? null : roundChange(e.estimate - p.estimate, e);
      }
    }
  }
  const reports = built.filter((r): r is ReportModel => r !== null).reverse();
  return {
    previous_wave: previous ? { slug: previous.wave.slug, name: previous.wave.name } : null,
    trend: reports.length ? trendOf([...reports, { wave: plan.wave, estimates }]) : null,
  };
}

/**
 * An earlier wave's report for the comparison, from the cache while nothing it
 * depends on has changed (a closed wave's responses and frame rarely do; reopening
 * it, a resubmission, an import or a new frame change its state, and so its key).
 */
async function earlierReport(db: Db, options: ReportOptions): Promise<ReportModel> {
  const target = await repo.findWaveStatus(db, options.wave);
  if (target?.status !== 'closed') return buildReport(db, options);
  const state = await repo.waveState(db, target.id);
  const key = createHash('sha256')
    .update(JSON.stringify({ options: { ...options, withPrevious: false }, state }))
    .digest('hex');
  const cached = await repo.cachedModel(db, key);
  if (cached) return cached as ReportModel;
  const model = await buildReport(db, options);
  await repo.storeModel(db, key, target.id, model);
  return model;
}

/** A change of two published values, without binary noise (0.1 − 0.3 = −0.19999999999999998). */
function roundChange(change: number, e: ReportEstimate): number {
  const unit = e.rounding?.estimate;
  if (!unit) return change;
  const decimals = Math.max(0, -Math.floor(Math.log10(unit) + 1e-9));
  return Number(change.toFixed(decimals));
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
    waves: reports.map((r) => ({ slug: r.wave.slug, name: r.wave.name })),
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

/** Respondents and frame units per label (breakdown cell or design stratum), counts protected like any other. */
function responseBy(
  plan: ReportPlan,
  data: ReportData,
  label: (g: repo.GroupLabels) => string,
  variable: ReportVariable | null = null,
): ResponseRow[] {
  const rows = new Map<string, { N: number; n: number; keys: number }>();
  for (const f of data.frame) {
    const r = rows.get(label(f)) ?? { N: 0, n: 0, keys: 0 };
    r.N += f.N;
    rows.set(label(f), r);
  }
  for (const g of data.respondents) {
    const r = rows.get(label(g));
    if (!r) continue;
    r.n += g.n;
    r.keys += g.keys;
  }
  return [...rows.entries()]
    .sort(([a], [b]) => repo.compareLabels(variable, a, b))
    .map(([stratum, r]) => {
      if (!plan.protect) return { stratum, N: r.N, n: r.n, n_band: null, rate: r.N ? r.n / r.N : 0 };
      const count = protectCount(r.n, r.keys, plan.params.minCell);
      return { stratum, N: r.N, ...count, rate: count.n === null || !r.N ? null : count.n / r.N };
    });
}

/**
 * Representativeness over the design strata (what the weighting corrects for),
 * from the published counts: it cannot tell more than they do.
 */
function representativeness(plan: ReportPlan, data: ReportData) {
  const strata = responseBy(plan, data, (g) => g.stratum).filter((r) => r.n !== null);
  if (strata.length < 2) return null;
  return chiSquareGoodnessOfFit(
    strata.map((r) => r.n!),
    strata.map((r) => r.N),
  );
}

function strataSizes(data: ReportData): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const f of data.frame) sizes.set(f.stratum, (sizes.get(f.stratum) ?? 0) + f.N);
  return sizes;
}

/** The branch of the frame year in three protected figures: organisations, students, turnover. */
async function branchContext(db: Db, plan: ReportPlan): Promise<ReportModel['branch']> {
  if (plan.options.withPrevious === false) return null;
  const figures = await branchFigures(db, { year: plan.year, protect: plan.protect });
  const whole = figures?.cells.find((c) => c.dimension === null);
  if (!whole) return null;
  return {
    organisations: whole.organisations,
    students: whole.values.students.estimate,
    turnover_eur: whole.values.turnover_eur.estimate,
  };
}

export async function buildReport(db: Db, options: ReportOptions): Promise<ReportModel> {
  const plan = await planReport(db, options);
  const data = await aggregate(db, plan);
  const { cells, notes } = await estimateCells(plan, data);
  const estimates = protect(plan, cells);
  const compared =
    options.withPrevious === false ? { previous_wave: null, trend: null } : await compareWaves(db, plan, estimates);
  const [breakdown] = plan.breakdown;
  const response = responseBy(plan, data, (g) => (breakdown ? g.labels[breakdown] : g.stratum), breakdown ?? null);
  return {
    wave: {
      slug: plan.wave.slug,
      name: plan.wave.name,
      period:
        plan.wave.period_start && plan.wave.period_end
          ? { start: plan.wave.period_start, end: plan.wave.period_end }
          : null,
      provisional: plan.wave.status !== 'closed',
    },
    survey: { key: plan.wave.survey_key, version: plan.wave.survey_version },
    frame: { year: plan.year, N: data.frame.reduce((a, f) => a + f.N, 0) },
    design: {
      stratify: [...plan.breakdown],
      by: plan.by,
      weighting: [...plan.grouping.weighting],
      confidence: 0.95,
      min_cell: plan.params.minCell,
      dominance: { n: plan.params.dominanceN, k: plan.params.dominanceK, p: plan.params.p },
    },
    protection: protectionStatement(plan.protect) as ReportModel['protection'],
    branch: await branchContext(db, plan),
    respondents: (({ n, n_band }) => ({ n, n_band }))(responseBy(plan, data, () => '*')[0] ?? { n: 0, n_band: null }),
    response,
    representativeness: representativeness(plan, data),
    previous_wave: compared.previous_wave,
    trend: compared.trend,
    warnings: reportWarnings(plan, notes, data.outside, strataSizes(data)),
    estimates,
  };
}

export {
  MAX_TREND_WAVES,
  parseVariables,
  REPORT_VARIABLES,
  ReportError,
  type ReportEstimate,
  type ReportModel,
  type ReportOptions,
  type ReportTrend,
  type ReportVariable,
  type Statistic,
  type TrendPoint,
} from './report-model';
