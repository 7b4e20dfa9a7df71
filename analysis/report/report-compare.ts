// The compare step of the report: the previous wave in the same breakdown
// (previous value and change per cell) and the whole branch in the waves before
// it (the trend). Earlier waves are built by the same pipeline, so each number
// is what that wave's own report publishes for the same cell. A wave that cannot
// give this report (a question it did not ask) is left out.

import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import { earlierWaves } from '../../surveys/waves/waves-repository';
import { auditedQuestions, auditRevision } from '../disclosure/revision-audit';
import {
  MAX_TREND_WAVES,
  ReportError,
  type ReportEstimate,
  type ReportModel,
  type ReportOptions,
  type ReportTrend,
  type RevisionHeld,
} from './report-model';
import type { ReportPlan } from './report-plan';
import * as repo from './report-repository';

type Db = Kysely<Database>;
type Build = (db: Db, options: ReportOptions) => Promise<ReportModel>;

/** What a later wave needs of an earlier wave's report: its name and its published cells. */
export interface EarlierReport {
  wave: ReportModel['wave'];
  estimates: EarlierEstimate[];
}
export type EarlierEstimate = Pick<
  ReportEstimate,
  'question' | 'statistic' | 'category' | 'dimension' | 'domain' | 'estimate' | 'ci_low' | 'ci_high'
>;

/** An earlier report as the cache keeps it: a fraction of the whole model. */
function earlierOf(model: ReportModel): EarlierReport {
  return {
    wave: model.wave,
    estimates: model.estimates.map(
      ({ question, statistic, category, dimension, domain, estimate, ci_low, ci_high }) => ({
        question,
        statistic,
        category,
        dimension,
        domain,
        estimate,
        ci_low,
        ci_high,
      }),
    ),
  };
}

/** What the compare step adds to the model. */
export interface Comparison {
  estimates: ReportEstimate[];
  previous_wave: ReportModel['previous_wave'];
  trend: ReportTrend | null;
  revisions_held?: RevisionHeld[];
}

/**
 * The reports of the waves before this one, newest first (the first is the
 * previous wave, whose cells of this breakdown give the change; all of them give
 * the whole branch for the trend); null for a wave that cannot give this report.
 * Each earlier wave is built with every cell of its universe, whatever the view:
 * a cell's value does not depend on the view it appears in, so one model per
 * wave serves every breakdown and every later wave, and is cached once.
 * `build` is the pipeline itself, passed in so that this module does not import it.
 */
export async function earlierReports(db: Db, plan: ReportPlan, build: Build): Promise<(EarlierReport | null)[]> {
  const earlier = await earlierWaves(db, plan.wave, MAX_TREND_WAVES - 1);
  const one = (slug: string) =>
    earlierReport(db, build, {
      wave: slug,
      questions: plan.options.questions,
      protect: plan.options.protect,
      disclosure: plan.options.disclosure,
      stratify: [],
      by: null,
      withPrevious: false,
      allCells: true,
    }).catch((error: unknown) => {
      if (error instanceof ReportError) return null;
      throw error;
    });
  // EARLIER_AT_ONCE waves at a time, the next starting as soon as one is done: on
  // PostgreSQL they use as many cores; the embedded database runs their queries
  // one after another, as before.
  const built: (EarlierReport | null)[] = new Array(earlier.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < earlier.length) {
      const i = next++;
      built[i] = await one(earlier[i].slug);
    }
  };
  await Promise.all(Array.from({ length: Math.min(EARLIER_AT_ONCE, earlier.length) }, worker));
  return built;
}

/** How many earlier waves are built at once when none is cached (a two-core server). */
const EARLIER_AT_ONCE = 2;

/**
 * An earlier wave's report, from the cache while nothing it depends on has
 * changed (a closed wave's responses and frame rarely do; reopening it, a
 * correction or resubmission, an import or a new frame change its state, and so
 * its key: exactly that wave is built again).
 */
async function earlierReport(db: Db, build: Build, options: ReportOptions): Promise<EarlierReport> {
  const target = await repo.findWaveStatus(db, options.wave);
  if (target?.status !== 'closed') return earlierOf(await build(db, options));
  const state = await repo.waveState(db, target.id);
  const key = createHash('sha256').update(JSON.stringify({ options, state })).digest('hex');
  const cached = await repo.cachedModel(db, key);
  if (cached) return cached as EarlierReport;
  const model = earlierOf(await build(db, options));
  await repo.storeModel(db, key, target.id, model);
  return model;
}

/**
 * The earlier reports as they may be shown again (issue 22.3, a revision is a
 * linked table): an earlier wave whose answers changed since its latest
 * publication is audited against the answers that publication was built from;
 * while the change singles out fewer than min_cell organisations, or one
 * organisation dominates a question's change, the wave is shown with the values
 * that publication released, and the model says so. A wave never published, an
 * unprotected report, or a batch of changes: the recomputed values.
 */
export async function asReleased(
  db: Db,
  plan: ReportPlan,
  earlier: (EarlierReport | null)[],
): Promise<{ reports: (EarlierReport | null)[]; held: RevisionHeld[] }> {
  if (!plan.protect) return { reports: earlier, held: [] };
  // The report's own questions: only their earlier values are shown again.
  const own = new Set(plan.questions.map((q) => q.question.key));
  const { keys, choiceQuestions } = auditedQuestions(plan.definition, 'nl', own);
  const held: RevisionHeld[] = [];
  const reports: (EarlierReport | null)[] = [];
  for (const report of earlier) {
    const release = report && (await repo.latestRelease(db, report.wave.slug));
    if (!report || !release) {
      reports.push(report);
      continue;
    }
    const before = await repo.answersOfPublication(db, release.id);
    const audit = auditRevision(
      before,
      await repo.currentAnswers(db, report.wave.slug, choiceQuestions),
      keys,
      release.version,
      plan.params.minCell,
    );
    if (!audit.problems.length) {
      reports.push(report);
      continue;
    }
    reports.push({ wave: report.wave, estimates: (release.model as EarlierReport).estimates });
    held.push({
      wave: report.wave.slug,
      name: report.wave.name,
      publication: release.slug,
      version: release.version,
      problems: audit.problems,
    });
  }
  return { reports, held };
}

/** What a publication of a wave keeps of it: every cell, as a later wave's report would show them. */
export async function releasedCells(db: Db, waveSlug: string, build: Build): Promise<EarlierReport> {
  return earlierReport(db, build, {
    wave: waveSlug,
    stratify: [],
    by: null,
    withPrevious: false,
    allCells: true,
  });
}

/** This wave's estimates compared with the earlier reports (newest first, as `earlierReports` gives them). */
export function compareWaves(
  wave: ReportModel['wave'],
  estimates: ReportEstimate[],
  earlier: (EarlierReport | null)[],
): Comparison {
  const previous = earlier[0] ?? null;
  const compared = withPrevious(estimates, previous);
  const reports = earlier.filter((r): r is EarlierReport => r !== null).reverse();
  return {
    estimates: compared,
    previous_wave: previous
      ? { slug: previous.wave.slug, name: previous.wave.name, period: previous.wave.period ?? null }
      : null,
    trend: reports.length ? trendOf([...reports, { wave, estimates: compared }]) : null,
  };
}

const estimateKey = (e: Pick<ReportEstimate, 'question' | 'statistic' | 'category' | 'dimension' | 'domain'>) =>
  JSON.stringify([e.question, e.statistic, e.category, e.dimension, e.domain]);

/** Each estimate with the previous wave's published value of the same cell and the change, where there is one. */
export function withPrevious(
  estimates: readonly ReportEstimate[],
  previous: { estimates: readonly EarlierEstimate[] } | null,
): ReportEstimate[] {
  if (!previous) return [...estimates];
  const before = new Map(previous.estimates.map((e) => [estimateKey(e), e]));
  return estimates.map((e) => {
    const p = before.get(estimateKey(e));
    if (!p || p.estimate === null) return e;
    return { ...e, previous: p.estimate, change: e.estimate === null ? null : roundChange(e.estimate - p.estimate, e) };
  });
}

/** A change of two published values, without binary noise (0.1 − 0.3 = −0.19999999999999998). */
function roundChange(change: number, e: ReportEstimate): number {
  const unit = e.rounding?.estimate;
  if (!unit) return change;
  const decimals = Math.max(0, -Math.floor(Math.log10(unit) + 1e-9));
  return Number(change.toFixed(decimals));
}

/** The whole-branch estimates of the last report, followed through the reports before it (oldest first). */
export function trendOf(reports: EarlierReport[]): ReportTrend {
  const key = (e: EarlierEstimate) => `${e.question}|${e.statistic}|${e.category}`;
  const whole = (r: EarlierReport) => new Map(r.estimates.filter((e) => e.dimension === null).map((e) => [key(e), e]));
  const perWave = reports.map(whole);
  const last = reports[reports.length - 1];
  return {
    waves: reports.map((r) => ({ slug: r.wave.slug, name: r.wave.name, period: r.wave.period ?? null })),
    series: last.estimates
      .filter((e) => e.dimension === null)
      .map((e) => ({
        question: e.question,
        statistic: e.statistic,
        category: e.category,
        points: perWave.map((m) => {
          const p = m.get(key(e));
          return { estimate: p?.estimate ?? null, ci_low: p?.ci_low ?? null, ci_high: p?.ci_high ?? null };
        }),
      })),
  };
}
