// Step 1 of the report: the plan. Which wave and questionnaire, which weighting
// design, which breakdown and domains, which questions with which statistics,
// under which disclosure parameters. Everything the user asked for is checked
// here, before any aggregation starts.
import type { Kysely } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import { AUX_VARIABLES, type AuxVariable } from '../../register/frame-columns';
import {
  allQuestions,
  NUMERIC_TYPES,
  type Question,
  reportStatistics,
  type SurveyDefinition,
} from '../../surveys/definition-schema';
import { waveWithDefinition } from '../../surveys/responses/responses';
import type { WaveRow } from '../../surveys/waves/waves-repository';
import { DEFAULT_DISCLOSURE, type DisclosureParameters, publicParameters } from '../disclosure/rules';
import type { PlanCalibration } from './report-calibrate';
import {
  MAX_BREAKDOWN_VARIABLES,
  parseVariables,
  REPORT_VARIABLES,
  ReportError,
  type ReportOptions,
  type ReportVariable,
  type Statistic,
} from './report-model';
import type { Grouping } from './report-repository';

export interface PlannedQuestion {
  question: Question;
  kind: 'numeric' | 'choice';
  statistics: Statistic[];
  aux: AuxVariable | null;
  /** The options reported as proportions ('true' for a boolean). */
  categories: string[];
}

export interface ReportPlan {
  wave: WaveRow;
  definition: SurveyDefinition;
  year: number;
  grouping: Grouping;
  /** The wave's calibration (README "Calibration"), or null: the uncalibrated estimators. */
  calibration: PlanCalibration | null;
  /** The breakdown variable (none: the whole branch only) and the `--by` variable. */
  breakdown: ReportVariable[];
  by: ReportVariable | null;
  questions: PlannedQuestion[];
  protect: boolean;
  params: DisclosureParameters;
  options: ReportOptions;
}

const REPORTABLE: Question['type'][] = [
  'integer',
  'number',
  'currency',
  'percentage',
  'boolean',
  'single_choice',
  'multi_choice',
];

function categoriesOf(q: Question): string[] {
  if (q.type === 'boolean') return ['true'];
  return (q.options ?? []).map((o) => o.value);
}

/** The wave's calibration as stored ("province,size_class,students"), split into categorical and numeric variables. */
export function calibrationOf(wave: Pick<WaveRow, 'calibration' | 'calibration_method'>): PlanCalibration | null {
  const vars = (wave.calibration ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (vars.length === 0) return null;
  return {
    categorical: vars.filter((v) => (REPORT_VARIABLES as readonly string[]).includes(v)),
    numeric: vars.filter((v): v is AuxVariable => (AUX_VARIABLES as readonly string[]).includes(v)),
    method: wave.calibration_method,
  };
}

/** The wave's weighting design as stored ("org_type,size_class"). */
export function weightingOf(wave: { weighting: string }): ReportVariable[] {
  return parseVariables(wave.weighting, ['org_type']);
}

function questionsOf(definition: SurveyDefinition, wanted: string[] | null | undefined): PlannedQuestion[] {
  const known = allQuestions(definition);
  if (wanted?.length) {
    for (const key of wanted) {
      const q = known.find((k) => k.key === key);
      if (!q) throw new ReportError('report.unknown_question', { value: key });
      if (!REPORTABLE.includes(q.type)) throw new ReportError('report.text_question', { value: key });
    }
  }
  // Internal questions (report.include false) are left out unless asked for by key.
  return known
    .filter((q) => REPORTABLE.includes(q.type))
    .filter((q) => (wanted?.length ? wanted.includes(q.key) : q.report?.include !== false))
    .map((q) => {
      const numeric = NUMERIC_TYPES.includes(q.type);
      return {
        question: q,
        kind: numeric ? 'numeric' : 'choice',
        statistics: reportStatistics(q),
        aux: numeric ? ((q.aux as AuxVariable | undefined) ?? null) : null,
        categories: numeric ? [] : categoriesOf(q),
      };
    });
}

export async function planReport(db: Kysely<Database>, options: ReportOptions): Promise<ReportPlan> {
  const target = await waveWithDefinition(db, options.wave);
  if (!target) throw new ReportError('wave.not_found', { value: options.wave });
  const { wave, definition } = target;
  const weighting = weightingOf(wave);
  const breakdown = options.stratify ?? weighting.slice(0, MAX_BREAKDOWN_VARIABLES);
  const by = options.by ?? null;
  if (breakdown.length > MAX_BREAKDOWN_VARIABLES)
    throw new ReportError('report.too_many_variables', { max: MAX_BREAKDOWN_VARIABLES }, true);
  if (by && breakdown.includes(by)) throw new ReportError('report.by_is_stratifier', { value: by }, true);
  const protect = options.protect ?? true;
  const params = protect ? publicParameters(options.disclosure) : { ...DEFAULT_DISCLOSURE, ...options.disclosure };
  return {
    wave,
    definition,
    year: wave.frame_year,
    grouping: { weighting },
    calibration: calibrationOf(wave),
    breakdown,
    by,
    questions: questionsOf(definition, options.questions),
    protect,
    params,
    options,
  };
}
