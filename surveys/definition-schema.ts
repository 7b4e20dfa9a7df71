// The questionnaire definition format (README "Questionnaires"), validated by zod with precise
// messages: every problem is reported with its path, e.g.
// `pages[1].questions[3].visible_if.question`.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AUX_VARIABLES } from '../register/frame-columns';

export const QUESTION_TYPES = [
  'integer',
  'number',
  'currency',
  'percentage',
  'boolean',
  'single_choice',
  'multi_choice',
  'text',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const NUMERIC_TYPES: readonly QuestionType[] = ['integer', 'number', 'currency', 'percentage'];
export const CHOICE_TYPES: readonly QuestionType[] = ['single_choice', 'multi_choice'];

// English is optional: the English interface shows the Dutch text where it is missing,
// and an empty English text (an editor field left blank) is no English text.
const text = z.preprocess(
  (v) =>
    v && typeof v === 'object' && !Array.isArray(v) && 'en' in v && typeof v.en === 'string' && !v.en.trim()
      ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'en'))
      : v,
  z
    .object(
      {
        nl: z.string().trim().min(1, 'survey.def.text_required'),
        en: z.string().trim().min(1, 'survey.def.text_required').optional(),
      },
      { error: 'survey.def.text_object' },
    )
    .strict(),
);
const key = z
  .string({ error: 'survey.def.key_required' })
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'survey.def.key_format')
  .max(60, 'survey.def.key_format');

const option = z
  .object({
    value: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'survey.def.option_value_format')
      .max(60),
    label: text,
    exclusive: z.boolean().optional(),
  })
  .strict();

const conditionValue = z.union([z.string(), z.number(), z.boolean()]);
export const LEAF_OPERATORS = ['equals', 'in', 'not_equals', 'gt', 'lt', 'gte', 'lte'] as const;
export type ConditionValue = z.infer<typeof conditionValue>;
/** One comparison on one earlier question (README "Questionnaires", visible_if). */
export interface ConditionLeaf {
  question: string;
  equals?: ConditionValue;
  in?: ConditionValue[];
  not_equals?: ConditionValue;
  gt?: number;
  lt?: number;
  gte?: number;
  lte?: number;
}
/**
 * A condition: one comparison, or `all` (and), `any` (or) and `not` over conditions.
 * The simple form `{ question, equals }` of earlier versions is a condition as it is.
 */
export type Condition = ConditionLeaf | { all: Condition[] } | { any: Condition[] } | { not: Condition };
export const isLeaf = (c: Condition): c is ConditionLeaf => 'question' in c;

// One object schema with every field optional, checked for exactly one shape, so that a
// problem keeps its precise path (`visible_if.all[1].question`) instead of a union's "no match".
const visibleIf: z.ZodType<Condition> = z.lazy(
  () =>
    z
      .object({
        question: key.optional(),
        equals: conditionValue.optional(),
        in: z.array(conditionValue).min(1).optional(),
        not_equals: conditionValue.optional(),
        gt: z.number().optional(),
        lt: z.number().optional(),
        gte: z.number().optional(),
        lte: z.number().optional(),
        all: z.array(visibleIf).min(2).optional(),
        any: z.array(visibleIf).min(2).optional(),
        not: visibleIf.optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        const groups = (['all', 'any', 'not'] as const).filter((k) => v[k] !== undefined);
        const ops = LEAF_OPERATORS.filter((op) => v[op] !== undefined);
        if (groups.length === 1 && ops.length === 0 && v.question === undefined) return;
        if (groups.length === 0 && ops.length === 1 && v.question !== undefined) return;
        if (groups.length === 0 && v.question === undefined)
          ctx.addIssue({ code: 'custom', message: 'survey.def.key_required', path: ['question'] });
        else ctx.addIssue({ code: 'custom', message: 'survey.def.visible_if_one_condition' });
      }) as unknown as z.ZodType<Condition>,
);

/** What reports show of a question (README "Questionnaires"); defaults by type when absent. */
const reportSettings = z
  .object({
    /** false: an internal question (consent, willingness to share) that reports leave out. */
    include: z.boolean().optional(),
    statistics: z
      .array(z.enum(['total', 'mean', 'proportion']))
      .min(1)
      .optional(),
    /** The key figure's wording, e.g. "Geschat aantal leerlingen dat opzegde". */
    key_figure: text.optional(),
  })
  .strict();

const question = z
  .object({
    key,
    type: z.enum(QUESTION_TYPES, { error: 'survey.def.type_unknown' }),
    label: text,
    help: text.optional(),
    unit: text.optional(),
    /** A short name for reports and charts ("omzetderving"); the label when absent. */
    report_label: text.optional(),
    /** For a text question: the boolean question by which the respondent consents to publication. */
    publish_consent: key.optional(),
    required: z.boolean().optional(),
    /** The field's error when a required question is left empty (XLSForm required_message). */
    required_message: text.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    /** The field's error for an answer below min or above max (XLSForm constraint_message). */
    constraint_message: text.optional(),
    max_length: z.number().int().positive().max(20000).optional(),
    options: z.array(option).optional(),
    visible_if: visibleIf.optional(),
    aux: z.string().optional(),
    report: reportSettings.optional(),
  })
  .strict();

const page = z
  .object({
    key,
    title: text,
    intro: text.optional(),
    questions: z.array(question).min(1, 'survey.def.page_without_questions'),
  })
  .strict();

const definition = z
  .object({
    key: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'survey.def.survey_key_format')
      .max(60),
    version: z
      .number({ error: 'survey.def.version_required' })
      .int('survey.def.version_required')
      .min(1, 'survey.def.version_required'),
    title: text,
    intro: text.optional(),
    pages: z.array(page).min(1, 'survey.def.no_pages'),
  })
  .strict();

export type SurveyDefinition = z.infer<typeof definition>;
export type Page = SurveyDefinition['pages'][number];
export type Question = Page['questions'][number];
export type LocalText = z.infer<typeof text>;

export interface DefinitionProblem {
  path: string;
  key: string;
  params: Record<string, string | number>;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)),
    '',
  );
}

function zodKey(issue: z.core.$ZodIssue): { key: string; params: Record<string, string | number> } {
  if (issue.message.startsWith('survey.def.')) return { key: issue.message, params: {} };
  switch (issue.code) {
    case 'unrecognized_keys':
      return { key: 'survey.def.unknown_field', params: { fields: issue.keys.join(', ') } };
    case 'invalid_type':
      return { key: 'survey.def.wrong_type', params: { expected: String(issue.expected) } };
    case 'too_small':
      return { key: 'survey.def.too_small', params: { minimum: String(issue.minimum) } };
    default:
      return { key: 'survey.def.invalid', params: { detail: issue.message } };
  }
}

/** The statistics a report can show of a question type. */
export function reportStatisticsFor(type: QuestionType): ('total' | 'mean' | 'proportion')[] {
  if (type === 'integer' || type === 'number' || type === 'currency') return ['total', 'mean'];
  if (type === 'percentage') return ['mean'];
  if (type === 'text') return [];
  return ['proportion'];
}

/**
 * What a report shows of a question: its own `report.statistics`, else by type —
 * amounts and counts a total and a mean, other numbers (months, scores) and
 * percentages a mean (their sum over organisations means nothing), choices proportions.
 */
export function reportStatistics(q: Question): ('total' | 'mean' | 'proportion')[] {
  if (q.report?.statistics) return [...new Set(q.report.statistics)];
  if (q.type === 'currency' || q.type === 'integer') return ['total', 'mean'];
  if (q.type === 'number' || q.type === 'percentage') return ['mean'];
  if (q.type === 'text') return [];
  return ['proportion'];
}

/** Every problem of a definition; an empty list means it is valid. */
export function parseDefinition(
  json: unknown,
): { ok: true; definition: SurveyDefinition } | { ok: false; problems: DefinitionProblem[] } {
  const parsed = definition.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({ path: pathText(issue.path), ...zodKey(issue) })),
    };
  }
  const problems = crossChecks(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, definition: parsed.data };
}

/** Adds a problem at a path of the definition. */
type AddProblem = (path: string, key: string, params?: Record<string, string | number>) => void;

/** A question's options: only for choice questions, each value once, "exclusive" only in a multiple choice. */
function optionChecks(q: Question, at: string, add: AddProblem) {
  const choice = CHOICE_TYPES.includes(q.type);
  if (choice && (!q.options || q.options.length === 0))
    add(`${at}.options`, 'survey.def.choice_without_options', { key: q.key });
  if (!choice && q.options) add(`${at}.options`, 'survey.def.options_not_allowed', { key: q.key, type: q.type });
  const values = new Set<string>();
  q.options?.forEach((o, oi) => {
    if (values.has(o.value)) add(`${at}.options[${oi}].value`, 'survey.def.duplicate_option', { value: o.value });
    values.add(o.value);
    if (o.exclusive && q.type !== 'multi_choice')
      add(`${at}.options[${oi}].exclusive`, 'survey.def.exclusive_only_multi');
  });
}

/** What the report may do with a question: statistics its type allows, nothing for an open text. */
function reportChecks(q: Question, at: string, add: AddProblem) {
  if (q.report?.statistics) {
    const allowed = reportStatisticsFor(q.type);
    for (const [si, statistic] of q.report.statistics.entries())
      if (!allowed.includes(statistic))
        add(`${at}.report.statistics[${si}]`, 'survey.def.statistic_not_allowed', {
          statistic,
          type: q.type,
          allowed: allowed.join(', ') || '–',
        });
  }
  if (q.type === 'text' && q.report && (q.report.include !== false || q.report.statistics || q.report.key_figure))
    add(`${at}.report`, 'survey.def.report_on_text', { key: q.key });
}

/** Bounds, lengths and messages only where the type has them, and bounds that make sense. */
function boundChecks(q: Question, at: string, add: AddProblem) {
  const numeric = NUMERIC_TYPES.includes(q.type);
  if ((q.min !== undefined || q.max !== undefined) && !numeric)
    add(`${at}.${q.min !== undefined ? 'min' : 'max'}`, 'survey.def.bounds_not_numeric', { key: q.key });
  if (q.min !== undefined && q.max !== undefined && q.min > q.max)
    add(`${at}.min`, 'survey.def.min_above_max', { min: q.min, max: q.max });
  if (q.type === 'percentage' && ((q.min ?? 0) < 0 || (q.max ?? 100) > 100))
    add(`${at}.${(q.min ?? 0) < 0 ? 'min' : 'max'}`, 'survey.def.percentage_bounds');
  if (q.constraint_message && !numeric)
    add(`${at}.constraint_message`, 'survey.def.constraint_message_not_numeric', { key: q.key });
  if (q.max_length !== undefined && q.type !== 'text') add(`${at}.max_length`, 'survey.def.max_length_only_text');
}

/** The auxiliary variable of an amount or count, and the yes/no question that consents to publishing a text. */
function linkChecks(def: SurveyDefinition, q: Question, at: string, add: AddProblem) {
  const numeric = NUMERIC_TYPES.includes(q.type);
  if (q.aux !== undefined) {
    if (!numeric || q.type === 'percentage') add(`${at}.aux`, 'survey.def.aux_not_numeric', { key: q.key });
    else if (!(AUX_VARIABLES as readonly string[]).includes(q.aux))
      add(`${at}.aux`, 'survey.def.aux_unknown', { aux: q.aux, allowed: AUX_VARIABLES.join(', ') });
  }
  if (q.publish_consent !== undefined) {
    const consent = def.pages.flatMap((pp) => pp.questions).find((c) => c.key === q.publish_consent);
    if (q.type !== 'text') add(`${at}.publish_consent`, 'survey.def.consent_only_text');
    else if (consent?.type !== 'boolean')
      add(`${at}.publish_consent`, 'survey.def.consent_not_boolean', { question: q.publish_consent });
  }
}

/** Whether a value can be an answer of the question a condition compares it with. */
function fitsAnswer(c: Question, v: unknown): boolean {
  if (c.type === 'boolean') return typeof v === 'boolean';
  if (NUMERIC_TYPES.includes(c.type)) return typeof v === 'number';
  if (CHOICE_TYPES.includes(c.type)) return typeof v === 'string' && (c.options ?? []).some((o) => o.value === v);
  return typeof v === 'string';
}

/** A condition refers to earlier questions only, compares numbers with numbers and names existing options. */
function conditionChecks(
  def: SurveyDefinition,
  q: Question,
  at: string,
  earlier: ReadonlyMap<string, { question: Question }>,
  add: AddProblem,
) {
  if (!q.visible_if) return;
  for (const { leaf, path } of conditionLeaves(q.visible_if, `${at}.visible_if`)) {
    const controller = earlier.get(leaf.question);
    if (!controller) {
      const later = def.pages.some((pp) => pp.questions.some((qq) => qq.key === leaf.question));
      add(`${path}.question`, later ? 'survey.def.visible_if_later' : 'survey.def.visible_if_unknown', {
        question: leaf.question,
      });
      continue;
    }
    const c = controller.question;
    if ([leaf.gt, leaf.lt, leaf.gte, leaf.lte].some((v) => v !== undefined) && !NUMERIC_TYPES.includes(c.type))
      add(path, 'survey.def.visible_if_compare_numeric', { question: c.key });
    const values = leaf.in ?? [leaf.equals, leaf.not_equals].filter((v) => v !== undefined);
    for (const v of values)
      if (!fitsAnswer(c, v)) add(path, 'survey.def.visible_if_value', { question: c.key, value: String(v) });
  }
}

/** What the schema cannot say: unique keys, options, report settings, bounds, links and conditions per question. */
function crossChecks(def: SurveyDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const add: AddProblem = (path, key, params = {}) => problems.push({ path, key, params });
  const seenQuestions = new Map<string, { question: Question; path: string }>();
  const seenPages = new Set<string>();
  def.pages.forEach((p, pi) => {
    if (seenPages.has(p.key)) add(`pages[${pi}].key`, 'survey.def.duplicate_page', { key: p.key });
    seenPages.add(p.key);
    p.questions.forEach((q, qi) => {
      const at = `pages[${pi}].questions[${qi}]`;
      if (seenQuestions.has(q.key))
        add(`${at}.key`, 'survey.def.duplicate_question', { key: q.key, other: seenQuestions.get(q.key)!.path });
      else {
        // Keys are kept as written (`Q1`), but two that differ only in case would be one
        // column in Excel and in a case-insensitive tool: refused.
        const twin = [...seenQuestions.keys()].find((k) => k.toLowerCase() === q.key.toLowerCase());
        if (twin) add(`${at}.key`, 'survey.def.duplicate_question_case', { key: q.key, other: twin });
      }
      optionChecks(q, at, add);
      reportChecks(q, at, add);
      boundChecks(q, at, add);
      linkChecks(def, q, at, add);
      conditionChecks(def, q, at, seenQuestions, add);
      seenQuestions.set(q.key, { question: q, path: at });
    });
  });
  return problems;
}

/** Every comparison of a condition with its path (`…visible_if.all[1]`), in reading order. */
export function conditionLeaves(c: Condition, path = 'visible_if'): { leaf: ConditionLeaf; path: string }[] {
  if (isLeaf(c)) return [{ leaf: c, path }];
  if ('not' in c) return conditionLeaves(c.not, `${path}.not`);
  const [kind, parts] = 'all' in c ? ['all', c.all] : ['any', c.any];
  return parts.flatMap((part, i) => conditionLeaves(part, `${path}.${kind}[${i}]`));
}

/** The questions a condition refers to, each once, in reading order. */
export function conditionQuestions(c: Condition): string[] {
  return [...new Set(conditionLeaves(c).map((l) => l.leaf.question))];
}

/** Canonical JSON (sorted keys): the same content always gives the same text and checksum. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function definitionChecksum(def: SurveyDefinition): string {
  return createHash('sha256').update(canonicalJson(def)).digest('hex');
}

/** Every question in order, with its page. */
export function allQuestions(def: SurveyDefinition): (Question & { pageKey: string; pageIndex: number })[] {
  return def.pages.flatMap((p, pageIndex) => p.questions.map((q) => ({ ...q, pageKey: p.key, pageIndex })));
}

/** A text in the reader's language, the Dutch text where no English is given (English is optional). */
export function inLanguage(text: LocalText | undefined, locale: 'nl' | 'en'): string | undefined {
  return text ? (text[locale] ?? text.nl) : undefined;
}
