// The report model (README "Estimates for the whole branch") as a pipeline of named steps:
//   plan      — what was asked, checked before any work (report-plan.ts)
//   aggregate — sums per group of respondents, in SQL (report-repository.ts)
//   estimate  — every cell as a domain of the wave's design (report-estimate.ts)
//   protect   — rules, cell-key noise, published precision (disclosure/protect.ts)
//   compare   — the previous wave and the trend across waves (report-compare.ts)
//   assemble  — response, representativeness, warnings, the model itself (report-assemble.ts)
import type { Kysely } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import { branchFigures } from '../branch/branch-figures';
import { protectCell, unprotected } from '../disclosure/protect';
import { yieldToEventLoop } from '../yield';
import * as calibrationRepo from './calibration-repository';
import { assembleModel } from './report-assemble';
import { type Comparison, compareWaves, earlierReports } from './report-compare';
import { type EstimatedCell, estimateCells, type ReportData } from './report-estimate';
import type { ReportEstimate, ReportModel, ReportOptions } from './report-model';
import { planReport, type ReportPlan } from './report-plan';
import * as repo from './report-repository';

type Db = Kysely<Database>;

export async function buildReport(db: Db, options: ReportOptions): Promise<ReportModel> {
  // plan: what was asked; every user error is raised here, before any work.
  const plan = await planReport(db, options);
  // aggregate: the sums of every group of respondents, from the database.
  const data = await aggregate(db, plan);
  // estimate: every publishable cell as a domain of the wave's design.
  const { cells, notes } = await estimateCells(plan, data);
  // protect: each cell as it may leave the tool.
  const estimates = protect(plan, cells);
  // compare: the earlier waves, built by this same pipeline (not when building one of them).
  const compared = await compare(db, plan, estimates);
  // assemble: the model, with the branch's frame figures as its context.
  return assembleModel({ plan, data, notes, compared, branch: await branchContext(db, plan) });
}

/** The sums of every group of respondents, from the database. */
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
  const data: ReportData = { frame, numeric: numericRows, choice: choiceRows, respondents, outside };
  // A calibrated wave also reads its respondents one by one (separate queries; the grouped sums stay as they are).
  if (plan.calibration) {
    const numericVars = [...new Set([...plan.calibration.numeric, ...aux])];
    const keys = plan.questions.map((q) => q.question.key);
    data.calibration = {
      atoms: await step(() => calibrationRepo.frameAtoms(db, plan.year, plan.grouping, numericVars)),
      units: await step(() => calibrationRepo.respondentUnits(db, scope, plan.grouping, numericVars)),
      answers: await step(() => calibrationRepo.unitAnswers(db, scope, keys)),
    };
  }
  return data;
}

/** Each cell as it may leave the tool (exact with --no-protect). */
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

/** The previous wave and the trend; nothing while building an earlier wave's report itself. */
async function compare(db: Db, plan: ReportPlan, estimates: ReportEstimate[]): Promise<Comparison> {
  if (plan.options.withPrevious === false) return { estimates, previous_wave: null, trend: null };
  return compareWaves(plan.wave, estimates, await earlierReports(db, plan, buildReport));
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
