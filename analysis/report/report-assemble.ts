// The assemble step of the report: response per cell, representativeness and
// warnings around the protected, compared estimates, as the model every page,
// export and publication renders (report-model.ts). Pure.
import { protectCount, protectionStatement } from '../disclosure/protect';
import { chiSquareGoodnessOfFit, PROPENSITY_VARIABLES, rIndicator } from '../representativeness';
import type { Comparison } from './report-compare';
import type { ReportData, ReportNote } from './report-estimate';
import {
  compareLabels,
  type ReportModel,
  type ReportRepresentativeness,
  type ReportRIndicator,
  type ReportVariable,
  type ResponseRow,
} from './report-model';
import type { ReportPlan } from './report-plan';
import type { GroupLabels } from './report-repository';
import { reportWarnings } from './report-warnings';

export interface AssembleInput {
  plan: ReportPlan;
  data: ReportData;
  /** The estimate step's notes (for the warnings). */
  notes: ReportNote[];
  compared: Comparison;
  branch: ReportModel['branch'];
}

/** The report model of one wave from the results of the steps before. */
export function assembleModel({ plan, data, notes, compared, branch }: AssembleInput): ReportModel {
  const [breakdown] = plan.breakdown;
  const { wave } = plan;
  return {
    wave: {
      slug: wave.slug,
      name: wave.name,
      period: wave.period_start && wave.period_end ? { start: wave.period_start, end: wave.period_end } : null,
      provisional: wave.status !== 'closed',
    },
    survey: { key: wave.survey_key, version: wave.survey_version },
    frame: { year: plan.year, N: data.frame.reduce((a, f) => a + f.N, 0) },
    design: {
      stratify: [...plan.breakdown],
      by: plan.by,
      weighting: [...plan.grouping.weighting],
      ...(plan.calibration
        ? {
            calibration: {
              variables: [...plan.calibration.categorical, ...plan.calibration.numeric],
              method: plan.calibration.method,
            },
          }
        : {}),
      confidence: 0.95,
      min_cell: plan.params.minCell,
      dominance: { n: plan.params.dominanceN, k: plan.params.dominanceK, p: plan.params.p },
    },
    protection: protectionStatement(plan.protect) as ReportModel['protection'],
    branch,
    respondents: (({ n, n_band }) => ({ n, n_band }))(responseBy(plan, data, () => '*')[0] ?? { n: 0, n_band: null }),
    response: responseBy(plan, data, (g) => (breakdown ? g.labels[breakdown] : g.stratum), breakdown ?? null),
    representativeness: representativeness(plan, data),
    previous_wave: compared.previous_wave,
    trend: compared.trend,
    revisions_held: compared.revisions_held ?? [],
    warnings: reportWarnings(plan, notes, data.outside, strataSizes(data)),
    estimates: compared.estimates,
  };
}

/** Respondents and frame units per label (breakdown cell or design stratum), counts protected like any other. */
function responseBy(
  plan: ReportPlan,
  data: ReportData,
  label: (g: GroupLabels) => string,
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
    .sort(([a], [b]) => compareLabels(variable, a, b))
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
function representativeness(plan: ReportPlan, data: ReportData): ReportRepresentativeness | null {
  const strata = responseBy(plan, data, (g) => g.stratum).filter((r) => r.n !== null);
  const chi =
    strata.length < 2
      ? null
      : chiSquareGoodnessOfFit(
          strata.map((r) => r.n!),
          strata.map((r) => r.N),
        );
  const r_indicator = rIndicatorOf(plan, data);
  if (!chi && !r_indicator) return null;
  return { ...(chi ?? { statistic: null, df: null, p: null }), r_indicator };
}

/** Frame units and respondents per combination of the four frame variables (the report's atoms). */
export function propensityGroups(data: Pick<ReportData, 'frame' | 'respondents'>) {
  const groups = new Map<string, { labels: Record<string, string>; N: number; n: number }>();
  const key = (g: GroupLabels) => JSON.stringify(PROPENSITY_VARIABLES.map((v) => g.labels[v]));
  for (const f of data.frame) {
    const g = groups.get(key(f)) ?? { labels: { ...f.labels }, N: 0, n: 0 };
    g.N += f.N;
    groups.set(key(f), g);
  }
  for (const r of data.respondents) {
    const g = groups.get(key(r));
    if (g) g.n += r.n;
  }
  return [...groups.values()];
}

/** The R-indicator over the whole frame; protected, rounded and without its per-category values. */
function rIndicatorOf(plan: ReportPlan, data: ReportData): ReportRIndicator | null {
  const r = rIndicator(propensityGroups(data));
  if (!r || !Number.isFinite(r.R)) return null;
  if (!plan.protect)
    return {
      R: r.R,
      sd: r.sd,
      partials: r.partials.map((p) => ({ variable: p.variable, partial: p.partial, categories: p.categories })),
      rounded: false,
    };
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    R: round(r.R),
    sd: round(r.sd),
    partials: r.partials.map((p) => ({ variable: p.variable, partial: round(p.partial) })),
    rounded: true,
  };
}

function strataSizes(data: ReportData): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const f of data.frame) sizes.set(f.stratum, (sizes.get(f.stratum) ?? 0) + f.N);
  return sizes;
}
