// The report model (README "Estimates for the whole branch") as a pipeline of named steps:
//   plan      — what was asked, checked before any work (report-plan.ts)
//   aggregate — sums per group of respondents, in SQL (report-repository.ts)
//   estimate  — every cell as a domain of the wave's design (report-estimate.ts)
//   protect   — rules, cell-key noise, published precision (disclosure/protect.ts);
//               a single-choice question's shares made to add up to 100 % (disclosure/shares.ts)
//   compare   — the previous wave and the trend across waves (report-compare.ts)
//   branch    — the branch's protected frame figures as context (branch-figures.ts)
//   assemble  — response, representativeness, warnings, the model itself (report-assemble.ts)
import type { Kysely } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import type { AuxVariable } from '../../register/frame-columns';
import { branchFigures } from '../branch/branch-figures';
import { protectCell, unprotected } from '../disclosure/protect';
import { sharesAddUp } from '../disclosure/shares';
import { yieldToEventLoop } from '../yield';
import * as calibrationRepo from './calibration-repository';
import { assembleModel } from './report-assemble';
import { type CalibrationData, numericGroupsOfUnits } from './report-calibrate';
import { asReleased, type Comparison, compareWaves, type EarlierReport, earlierReports } from './report-compare';
import { type EstimatedCell, estimateCells, type ReportData } from './report-estimate';
import type { ReportEstimate, ReportModel, ReportOptions } from './report-model';
import { planReport, type ReportPlan } from './report-plan';
import * as repo from './report-repository';

type Db = Kysely<Database>;

/** Milliseconds per pipeline step (and per aggregation query), filled in when passed (the bench prints them). */
export type StepTimings = Record<string, number>;

/** Run one step, adding its time to `timings` under `name`. */
async function timed<T>(timings: StepTimings | undefined, name: string, step: () => Promise<T> | T): Promise<T> {
  if (!timings) return step();
  const start = performance.now();
  const result = await step();
  timings[name] = (timings[name] ?? 0) + performance.now() - start;
  return result;
}

/**
 * What the builds of one report share: a report builds the waves before it with
 * the same frame year, and reads that frame's groups once (per grouping and
 * variables). Lives as long as one call of buildReport, so it is never stale.
 */
type SharedReads = Map<string, Promise<repo.FrameGroup[]>>;

export async function buildReport(
  db: Db,
  options: ReportOptions,
  timings?: StepTimings,
  shared: SharedReads = new Map(),
): Promise<ReportModel> {
  // plan: what was asked; every user error is raised here, before any work.
  const plan = await timed(timings, 'plan', () => planReport(db, options));
  // The earlier waves compare needs are built (or found in the cache) while this
  // wave is aggregated and estimated: the cores stay busy, and the waves fall
  // evenly on them. Its failure is not lost: compare awaits it.
  const earlier = earlierOf(db, plan, shared);
  earlier?.catch(() => {});
  // aggregate: the sums of every group of respondents, from the database.
  const data = await timed(timings, 'aggregate', () => aggregate(db, plan, timings, shared));
  // estimate: every publishable cell as a domain of the wave's design.
  const { cells, notes } = await timed(timings, 'estimate', () => estimate(db, plan, data, timings));
  // protect: each cell as it may leave the tool.
  const estimates = await timed(timings, 'protect', () => protectCells(plan, cells));
  // shares: a protected single-choice question's shares add up to 100 % (disclosure/shares.ts).
  const shown = plan.protect ? sharesAddUp(estimates, singleChoiceKeys(plan)) : estimates;
  // compare: the earlier waves, built by this same pipeline (not when building one of them);
  // branch: the branch's frame figures as context. Independent, so at once.
  const [compared, branch] = await Promise.all([
    timed(timings, 'compare', () => compare(db, plan, shown, earlier)),
    timed(timings, 'branch', () => branchContext(db, plan)),
  ]);
  // assemble: the model.
  return timed(timings, 'assemble', () => assembleModel({ plan, data, notes, compared, branch }));
}

/**
 * The frame's groups change only with its frame: kept per database, grouping,
 * variables and frame state (the year's latest import and its number of units;
 * only an import writes frame units), so that a report does not sum the frame,
 * and derive its units' keys, again each time.
 */
const frameCache = new WeakMap<Db, Map<string, repo.FrameGroup[]>>();

async function frameGroups(
  db: Db,
  year: number,
  grouping: repo.Grouping,
  variables: AuxVariable[],
): Promise<repo.FrameGroup[]> {
  const key = JSON.stringify([year, grouping.weighting, variables, await repo.frameState(db, year)]);
  const cache = frameCache.get(db) ?? new Map<string, repo.FrameGroup[]>();
  frameCache.set(db, cache);
  const cached = cache.get(key);
  // A copy: the groups are the report's to read, and not shared with another report.
  if (cached) return structuredClone(cached);
  const groups = await repo.frameGroups(db, year, grouping, variables);
  if (cache.size > 20) cache.clear();
  cache.set(key, structuredClone(groups));
  return groups;
}

/** The sums of every group of respondents, from the database. */
export async function aggregate(
  db: Db,
  plan: ReportPlan,
  timings?: StepTimings,
  shared: SharedReads = new Map(),
): Promise<ReportData> {
  const scope = { waveId: plan.wave.id, year: plan.year };
  const numeric = plan.questions.filter((q) => q.kind === 'numeric');
  const choice = plan.questions.filter((q) => q.kind === 'choice');
  const aux = [...new Set(numeric.map((q) => q.aux).filter((a) => a !== null))];
  // One query at a time, yielding in between: on the embedded database each query
  // holds the process, and other requests get their turn between them.
  const step = async <T>(name: string, query: () => Promise<T>) => {
    await yieldToEventLoop();
    return timed(timings, `aggregate.${name}`, query);
  };
  // A calibrated wave also reads its respondents one by one: separate queries,
  // run beside the grouped sums (on PostgreSQL in another connection).
  const calibration = plan.calibration ? readCalibration(db, plan, scope, aux, step) : Promise.resolve(undefined);
  // The frame's totals and keys of every auxiliary and, in a calibrated wave, of its numeric calibration variables.
  const frameVariables = [...new Set([...aux, ...(plan.calibration?.numeric ?? [])])];
  const frameKey = JSON.stringify([plan.year, plan.grouping.weighting, frameVariables]);
  if (!shared.has(frameKey)) shared.set(frameKey, frameGroups(db, plan.year, plan.grouping, frameVariables));
  const frame = await step('frame', () => shared.get(frameKey) as Promise<repo.FrameGroup[]>);
  // An earlier wave's model is built beside another (report-compare.ts): one query each.
  // A calibrated wave sums its unit answers itself (below) instead.
  const queries = plan.options.withPrevious === false ? 1 : repo.NUMERIC_QUERIES;
  const numericRows = plan.calibration
    ? null
    : await step('numeric', () => repo.numericGroups(db, scope, plan.grouping, numericAux(plan), queries));
  const choiceRows = await step('choice', () =>
    repo.choiceGroups(
      db,
      scope,
      plan.grouping,
      choice.map((q) => q.question.key),
    ),
  );
  const respondents = await step('respondents', () => repo.respondentGroups(db, scope, plan.grouping));
  const outside = await step('outside', () => repo.respondentsOutsideFrame(db, scope));
  const read = await calibration;
  // The calibration's frame totals are the frame groups' (read with its numeric variables).
  const calibrationData = read && { ...read, atoms: frame };
  const numericSums =
    numericRows ??
    (await timed(timings, 'aggregate.numeric_from_units', () =>
      numericGroupsOfUnits(calibrationData as CalibrationData, numericAux(plan)),
    ));
  const data: ReportData = { frame, numeric: numericSums, choice: choiceRows, respondents, outside };
  if (calibrationData) data.calibration = calibrationData;
  return data;
}

/** What calibration reads besides the grouped sums: the frame's atoms, the respondents and their answers one by one. */
async function readCalibration(
  db: Db,
  plan: ReportPlan,
  scope: { waveId: number; year: number },
  aux: AuxVariable[],
  step: <T>(name: string, query: () => Promise<T>) => Promise<T>,
): Promise<Omit<CalibrationData, 'atoms'>> {
  const numericVars = [...new Set([...(plan.calibration?.numeric ?? []), ...aux])];
  const keys = plan.questions.map((q) => q.question.key);
  // Both at once (on PostgreSQL each in its own connection); the answers, by far
  // the larger, in two halves of the questions, so on two cores.
  const half = Math.ceil(keys.length / 2);
  const [answers, units] = await Promise.all([
    step('calibration_answers', async () => {
      const parts = await Promise.all(
        [keys.slice(0, half), keys.slice(half)].map((part) => calibrationRepo.unitAnswers(db, scope, part)),
      );
      return new Map(parts.flatMap((part) => [...part]));
    }),
    step('calibration_units', () => calibrationRepo.respondentUnits(db, scope, plan.grouping, numericVars)),
  ]);
  return { units, answers };
}

/**
 * Every cell's estimate. Where a dominance rule hinges on a group's second
 * largest answer (rare: a cell close to being dominated), fetch those and
 * estimate again, so the rules see exactly the two largest contributions.
 */
async function estimate(db: Db, plan: ReportPlan, data: ReportData, timings?: StepTimings) {
  const first = await estimateCells(plan, data);
  if (first.undecided.length === 0) return first;
  await timed(timings, 'estimate.second_largest', () =>
    repo.secondLargest(db, { waveId: plan.wave.id, year: plan.year }, plan.grouping, numericAux(plan), first.undecided),
  );
  // A group the query did not find (none should be missing) counts with its largest: the cautious side.
  for (const g of first.undecided) if (g.top[1] === null) g.top[1] = g.top[0];
  return estimateCells(plan, data);
}

/** The single-choice questions of the plan: their shares are one whole. */
function singleChoiceKeys(plan: ReportPlan): Set<string> {
  return new Set(plan.questions.filter((q) => q.question.type === 'single_choice').map((q) => q.question.key));
}

/** The auxiliary of every numeric question of the plan. */
function numericAux(plan: ReportPlan) {
  return Object.fromEntries(plan.questions.filter((q) => q.kind === 'numeric').map((q) => [q.question.key, q.aux]));
}

/** Each cell as it may leave the tool (exact with --no-protect). */
export function protectCells(plan: ReportPlan, cells: EstimatedCell[]): ReportEstimate[] {
  return cells.map((c) => {
    // Total and mean of the same cell get independent noise: with one shared draw their
    // published difference would be an exact equation in the answers.
    const shift = `${c.question}|${c.statistic}|${c.category ?? ''}`;
    const strip = (list: EstimatedCell[]) => list.map(({ tables: _t, ...p }) => ({ ...p, shift }));
    const tables = c.tables?.map((t) => ({
      ...t,
      parts: strip(t.parts),
      siblings: t.siblings && strip(t.siblings),
    }));
    const input = { ...c, shift, tables };
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

/** The reports of the earlier waves, built by this same pipeline; null while building one of them. */
function earlierOf(db: Db, plan: ReportPlan, shared: SharedReads): Promise<(EarlierReport | null)[]> | null {
  if (plan.options.withPrevious === false) return null;
  return earlierReports(db, plan, (d: Db, o: ReportOptions) => buildReport(d, o, undefined, shared));
}

/** The previous wave and the trend; nothing while building an earlier wave's report itself. */
async function compare(
  db: Db,
  plan: ReportPlan,
  estimates: ReportEstimate[],
  earlier: Promise<(EarlierReport | null)[]> | null,
): Promise<Comparison> {
  if (earlier === null) return { estimates, previous_wave: null, trend: null };
  // An earlier wave changed since it was published is shown as released while the change would single out one.
  const { reports, held } = await asReleased(db, plan, await earlier);
  return { ...compareWaves(plan.wave, estimates, reports), revisions_held: held };
}

/**
 * The branch's figures change only with its frame: kept per database and frame
 * state (the year's latest import and its number of units), so that a report
 * does not sum the whole frame again each time.
 */
const branchCache = new WeakMap<Db, Map<string, ReportModel['branch']>>();

/** The branch of the frame year in three protected figures: organisations, students, turnover. */
async function branchContext(db: Db, plan: ReportPlan): Promise<ReportModel['branch']> {
  if (plan.options.withPrevious === false) return null;
  const key = JSON.stringify([plan.year, plan.protect, await repo.frameState(db, plan.year)]);
  const cache = branchCache.get(db) ?? new Map<string, ReportModel['branch']>();
  branchCache.set(db, cache);
  // A copy: a model may be changed by whoever renders it.
  if (cache.has(key)) return structuredClone(cache.get(key) ?? null);
  const figures = await branchFigures(db, { year: plan.year, protect: plan.protect });
  const whole = figures?.cells.find((c) => c.dimension === null);
  const branch = whole
    ? {
        organisations: whole.organisations,
        students: whole.values.students.estimate,
        turnover_eur: whole.values.turnover_eur.estimate,
      }
    : null;
  if (cache.size > 20) cache.clear();
  cache.set(key, structuredClone(branch));
  return branch;
}
