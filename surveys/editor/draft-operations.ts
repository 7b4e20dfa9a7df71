// The questionnaire editor's operations on a draft definition: pure
// functions that return a new definition and never throw on content. A draft may
// be invalid at any moment (empty texts, a condition without a value); the zod
// schema of `survey load` (definition-schema.ts) says what is wrong, and
// `fieldOfProblem` places each problem at the editor field that fixes it.
import { AUX_VARIABLES } from '../../register/frame-columns';
import {
  CHOICE_TYPES,
  type Condition,
  type DefinitionProblem,
  isLeaf,
  type LocalText,
  NUMERIC_TYPES,
  type Question,
  type QuestionType,
  reportStatisticsFor,
  type SurveyDefinition,
} from '../definition-schema';
import { ExpressionError, readRelevant, writeRelevant } from '../xlsform/xlsform-expressions';

/** A definition under edit: the shape of a SurveyDefinition, not necessarily valid. */
export type DraftDefinition = SurveyDefinition;
export type Direction = 'up' | 'down';

const emptyText = (): LocalText => ({ nl: '', en: '' });

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** A new questionnaire: its key and title, with one (still empty) page. */
export function newDefinition(key: string, title: LocalText): DraftDefinition {
  return {
    key,
    version: 1,
    title,
    pages: [{ key: 'pagina_1', title: { nl: 'Pagina 1', en: 'Page 1' }, questions: [] }],
  };
}

function freeKey(taken: Set<string>, prefix: string): string {
  for (let n = 1; ; n++) if (!taken.has(`${prefix}_${n}`)) return `${prefix}_${n}`;
}

export function questionKeys(def: DraftDefinition): Set<string> {
  return new Set(def.pages.flatMap((p) => p.questions.map((q) => q.key)));
}

function moveItem<T>(list: T[], index: number, direction: Direction): boolean {
  const to = direction === 'up' ? index - 1 : index + 1;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return false;
  [list[index], list[to]] = [list[to], list[index]];
  return true;
}

export function addPage(def: DraftDefinition): { definition: DraftDefinition; index: number } {
  const out = clone(def);
  const key = freeKey(new Set(out.pages.map((p) => p.key)), 'pagina');
  const n = out.pages.length + 1;
  out.pages.push({ key, title: { nl: `Pagina ${n}`, en: `Page ${n}` }, questions: [] });
  return { definition: out, index: out.pages.length - 1 };
}

export function updatePage(
  def: DraftDefinition,
  pageIndex: number,
  fields: { key: string; title: LocalText; intro?: LocalText },
): DraftDefinition {
  const out = clone(def);
  const page = out.pages[pageIndex];
  if (!page) return out;
  page.key = fields.key;
  page.title = fields.title;
  if (fields.intro) page.intro = fields.intro;
  else delete page.intro;
  return out;
}

export function movePage(def: DraftDefinition, pageIndex: number, direction: Direction): DraftDefinition {
  const out = clone(def);
  moveItem(out.pages, pageIndex, direction);
  return out;
}

export function removePage(def: DraftDefinition, pageIndex: number): DraftDefinition {
  const out = clone(def);
  out.pages.splice(pageIndex, 1);
  return out;
}

/** A new, still empty question of a type at the end of a page; its key is free in the whole draft. */
export function addQuestion(
  def: DraftDefinition,
  pageIndex: number,
  type: QuestionType,
): { definition: DraftDefinition; index: number } {
  const out = clone(def);
  const page = out.pages[pageIndex];
  if (!page) return { definition: out, index: -1 };
  const question: Question = { key: freeKey(questionKeys(out), 'vraag'), type, label: emptyText() };
  if (CHOICE_TYPES.includes(type)) question.options = [{ value: 'optie_1', label: emptyText() }];
  page.questions.push(question);
  return { definition: out, index: page.questions.length - 1 };
}

/**
 * Move a question one place; from the top of a page "up" goes to the end of the
 * previous page, from the bottom "down" to the start of the next. Returns where it is now.
 */
export function moveQuestion(
  def: DraftDefinition,
  pageIndex: number,
  questionIndex: number,
  direction: Direction,
): { definition: DraftDefinition; page: number; index: number } {
  const out = clone(def);
  const page = out.pages[pageIndex];
  if (!page?.questions[questionIndex]) return { definition: out, page: pageIndex, index: questionIndex };
  if (moveItem(page.questions, questionIndex, direction))
    return { definition: out, page: pageIndex, index: questionIndex + (direction === 'up' ? -1 : 1) };
  const otherIndex = pageIndex + (direction === 'up' ? -1 : 1);
  const other = out.pages[otherIndex];
  if (!other) return { definition: out, page: pageIndex, index: questionIndex };
  const [question] = page.questions.splice(questionIndex, 1);
  if (direction === 'up') {
    other.questions.push(question);
    return { definition: out, page: otherIndex, index: other.questions.length - 1 };
  }
  other.questions.unshift(question);
  return { definition: out, page: otherIndex, index: 0 };
}

export function removeQuestion(def: DraftDefinition, pageIndex: number, questionIndex: number): DraftDefinition {
  const out = clone(def);
  out.pages[pageIndex]?.questions.splice(questionIndex, 1);
  return out;
}

export function replaceQuestion(
  def: DraftDefinition,
  pageIndex: number,
  questionIndex: number,
  question: Question,
): DraftDefinition {
  const out = clone(def);
  const page = out.pages[pageIndex];
  if (page?.questions[questionIndex]) page.questions[questionIndex] = clone(question);
  return out;
}

export function updateSettings(def: DraftDefinition, fields: { title: LocalText; intro?: LocalText }): DraftDefinition {
  const out = clone(def);
  out.title = fields.title;
  if (fields.intro) out.intro = fields.intro;
  else delete out.intro;
  return out;
}

// ---- options -------------------------------------------------------------------

export function addOption(question: Question): Question {
  const out = clone(question);
  const options = out.options ?? [];
  options.push({ value: freeKey(new Set(options.map((o) => o.value)), 'optie'), label: emptyText() });
  out.options = options;
  return out;
}

export function moveOption(question: Question, optionIndex: number, direction: Direction): Question {
  const out = clone(question);
  if (out.options) moveItem(out.options, optionIndex, direction);
  return out;
}

export function removeOption(question: Question, optionIndex: number): Question {
  const out = clone(question);
  out.options?.splice(optionIndex, 1);
  return out;
}

/**
 * An option value from its text: lower case, accents dropped, other characters as `_`,
 * at most 40 characters; a suffix `_2`, `_3`, … where another option has it already.
 */
export function optionValueFrom(label: string, taken: ReadonlySet<string>): string {
  const base =
    label
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 40)
      .replace(/_+$/, '') || 'optie';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
}

// ---- conditions ----------------------------------------------------------------

export type ConditionValue = string | number | boolean;

export interface ConditionChoice {
  question: Question;
  /** What the condition can compare: the options (choice), yes/no (boolean), or a number. */
  kind: 'options' | 'number';
  values: { value: ConditionValue; label: LocalText }[];
}

const YES_NO: { value: boolean; label: LocalText }[] = [
  { value: true, label: { nl: 'Ja', en: 'Yes' } },
  { value: false, label: { nl: 'Nee', en: 'No' } },
];

/** The questions a condition on this question may name: only earlier ones (in the whole questionnaire), not text. */
export function conditionChoices(def: DraftDefinition, pageIndex: number, questionIndex: number): ConditionChoice[] {
  const earlier: Question[] = [];
  for (const [pi, p] of def.pages.entries())
    for (const [qi, q] of p.questions.entries())
      if (pi < pageIndex || (pi === pageIndex && qi < questionIndex)) earlier.push(q);
  return earlier.flatMap((q): ConditionChoice[] => {
    if (q.type === 'boolean') return [{ question: q, kind: 'options', values: YES_NO }];
    if (CHOICE_TYPES.includes(q.type))
      return [
        { question: q, kind: 'options', values: (q.options ?? []).map((o) => ({ value: o.value, label: o.label })) },
      ];
    if (NUMERIC_TYPES.includes(q.type)) return [{ question: q, kind: 'number', values: [] }];
    return [];
  });
}

/** The types of the questions before this one (in the whole questionnaire), by key. */
function earlierTypes(def: DraftDefinition, pageIndex: number, questionIndex: number) {
  const types = new Map<string, QuestionType>();
  for (const [pi, p] of def.pages.entries())
    for (const [qi, q] of p.questions.entries())
      if (pi < pageIndex || (pi === pageIndex && qi < questionIndex)) types.set(q.key, q.type);
  return (key: string) => types.get(key);
}

/** Whether the editor's lists can show a condition: one comparison =, one of, > or <. */
export function isSimpleCondition(c: Condition): boolean {
  return isLeaf(c) && (c.equals !== undefined || c.in !== undefined || c.gt !== undefined || c.lt !== undefined);
}

/** A condition the lists cannot show, as the XLSForm expression the editor's text field holds; '' otherwise. */
export function conditionExpression(def: DraftDefinition, c: Condition | undefined): string {
  if (!c || isSimpleCondition(c)) return '';
  const types = new Map(def.pages.flatMap((p) => p.questions).map((q) => [q.key, q.type]));
  return writeRelevant(c, (k) => types.get(k));
}

// ---- the question library ---------------------------------------------------------

export class KeyClash extends Error {
  constructor(readonly key: string) {
    super(`question key ${key} is already in the draft`);
    this.name = 'KeyClash';
  }
}

/** Copy a question (with its key) to the end of a page; a key already in the draft is refused. */
export function insertCopiedQuestion(def: DraftDefinition, pageIndex: number, question: Question): DraftDefinition {
  if (questionKeys(def).has(question.key)) throw new KeyClash(question.key);
  const out = clone(def);
  const page = out.pages[pageIndex];
  if (!page) throw new RangeError('no such page');
  page.questions.push(clone(question));
  return out;
}

// ---- problems at their fields ----------------------------------------------------

/** Where the editor shows a problem: the settings, a page's form, or a question's form, and the field's id there. */
export type ProblemPlace =
  | { scope: 'survey'; field: string }
  | { scope: 'page'; page: number; field: string }
  | { scope: 'question'; page: number; question: number; field: string };

/**
 * The editor field of a schema problem. Paths are as parseDefinition writes them:
 * `title.en`, `pages[1].title`, `pages[1].questions[3].options[0].label.nl`,
 * `pages[1].questions[3].visible_if.question`, `pages[0].questions[2].report.statistics[0]`.
 */
export function fieldOfProblem(path: string): ProblemPlace {
  const question = path.match(/^pages\[(\d+)\]\.questions\[(\d+)\](?:\.(.*))?$/);
  if (question) {
    return {
      scope: 'question',
      page: Number(question[1]),
      question: Number(question[2]),
      field: questionField(question[3] ?? ''),
    };
  }
  const page = path.match(/^pages\[(\d+)\](?:\.(.*))?$/);
  if (page) {
    const rest = page[2] ?? '';
    if (rest.startsWith('questions')) return { scope: 'page', page: Number(page[1]), field: 'questions' };
    return { scope: 'page', page: Number(page[1]), field: textField(rest) || 'key' };
  }
  if (path.startsWith('pages')) return { scope: 'survey', field: 'pages' };
  return { scope: 'survey', field: textField(path) || 'title_nl' };
}

/** `title.en` → `title_en`; `title` (the object itself) → `title_nl`. */
function textField(rest: string): string {
  const [name, lang] = rest.split('.');
  if (!name) return '';
  if (['title', 'intro', 'label', 'help', 'unit', 'report_label'].includes(name))
    return `${name}_${lang === 'en' ? 'en' : 'nl'}`;
  return name;
}

function questionField(rest: string): string {
  if (!rest) return 'key';
  const option = rest.match(/^options\[(\d+)\](?:\.(\w+))?(?:\.(\w+))?/);
  if (option) {
    const [, i, field, lang] = option;
    if (field === 'label') return `option_${i}_label_${lang === 'en' ? 'en' : 'nl'}`;
    if (field === 'exclusive') return `option_${i}_exclusive`;
    return `option_${i}_value`;
  }
  if (rest.startsWith('options')) return 'options';
  if (rest.startsWith('visible_if')) return 'visible_if_question';
  if (rest.startsWith('report.key_figure')) return rest.endsWith('.en') ? 'key_figure_en' : 'key_figure_nl';
  if (rest.startsWith('report.statistics')) return 'report_statistics';
  if (rest.startsWith('report')) return 'report_exclude';
  return textField(rest);
}

export interface PlacedProblem extends DefinitionProblem {
  place: ProblemPlace;
}

export function placeProblems(problems: readonly DefinitionProblem[]): PlacedProblem[] {
  return problems.map((p) => ({ ...p, place: fieldOfProblem(p.path) }));
}

// ---- the question form -----------------------------------------------------------

export type FormBody = Record<string, unknown>;
export interface FormError {
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

function str(body: FormBody, name: string): string {
  const v = body[name];
  return typeof v === 'string' ? v.trim() : '';
}
function list(body: FormBody, name: string): string[] {
  const v = body[name];
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Both languages empty: absent; otherwise both (an empty one is a schema problem shown at its field). */
export function optionalText(body: FormBody, name: string): LocalText | undefined {
  const nl = str(body, `${name}_nl`);
  const en = str(body, `${name}_en`);
  return nl || en ? { nl, en } : undefined;
}
export function requiredText(body: FormBody, name: string): LocalText {
  return { nl: str(body, `${name}_nl`), en: str(body, `${name}_en`) };
}

/** A number typed the Dutch way ("1.000", "2,5") or the plain way; empty is absent. */
export function formNumber(raw: string): number | undefined | null {
  const s = raw.replace(/\s/g, '');
  if (s === '') return undefined;
  let normal = s;
  if (/,/.test(s)) normal = s.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d{1,3}(\.\d{3})+$/.test(s)) normal = s.replace(/\./g, '');
  const n = Number(normal);
  return Number.isFinite(n) && /^-?\d+(\.\d+)?$/.test(normal) ? n : null;
}

/**
 * The question as its form describes it, over the question it was: fields the form
 * does not show (e.g. `publish_consent` of another type) are kept. Fields that do not
 * apply to the (possibly changed) type are dropped. Numbers that cannot be read are
 * form errors: then nothing is saved and the form is shown again with what was typed.
 */
export function questionFromForm(
  def: DraftDefinition,
  pageIndex: number,
  questionIndex: number,
  before: Question,
  body: FormBody,
): { question: Question; errors: FormError[] } {
  const errors: FormError[] = [];
  const type = (str(body, 'type') || before.type) as QuestionType;
  const q: Question = { ...clone(before), key: str(body, 'key'), type, label: requiredText(body, 'label') };
  setOptionalText(q, body, 'help');
  setOptionalText(q, body, 'report_label');
  if (body.required === 'on' || body.required === 'true') q.required = true;
  else delete q.required;
  readTypeFields(q, body, errors);
  if (CHOICE_TYPES.includes(type)) q.options = optionsFromForm(q, before, body);
  else delete q.options;
  readCondition(q, def, pageIndex, questionIndex, body, errors);
  readReportSettings(q, body);
  return { question: q, errors };
}

/** A text field of the form in both languages, or none when it was left empty. */
function setOptionalText(q: Question, body: FormBody, field: 'help' | 'unit' | 'report_label') {
  const value = optionalText(body, field);
  if (value) q[field] = value;
  else delete q[field];
}

/** The fields that depend on the type: bounds, unit and aux of a number; length and consent of a text. */
function readTypeFields(q: Question, body: FormBody, errors: FormError[]) {
  const type = q.type;
  delete q.min;
  delete q.max;
  delete q.unit;
  delete q.aux;
  delete q.max_length;
  if (NUMERIC_TYPES.includes(type)) {
    for (const bound of ['min', 'max'] as const) {
      const raw = str(body, bound);
      const n = formNumber(raw);
      if (n === null) errors.push({ field: bound, key: 'editor.error.number', params: { value: raw } });
      else if (n !== undefined) q[bound] = n;
    }
    if (type !== 'currency' && type !== 'percentage') setOptionalText(q, body, 'unit');
    const aux = str(body, 'aux');
    if (aux && type !== 'percentage') q.aux = aux;
  }
  if (type === 'text') {
    const raw = str(body, 'max_length');
    const n = formNumber(raw);
    if (n === null || (n !== undefined && (!Number.isInteger(n) || n < 1)))
      errors.push({ field: 'max_length', key: 'editor.error.whole_number', params: { value: raw } });
    else if (n !== undefined) q.max_length = n;
    const consent = str(body, 'publish_consent');
    if (consent) q.publish_consent = consent;
    else delete q.publish_consent;
  } else delete q.publish_consent;
}

/** A choice question's options as the form lists them. */
function optionsFromForm(q: Question, before: Question, body: FormBody): NonNullable<Question['options']> {
  const count = Math.min(Number(str(body, 'option_count')) || 0, 500);
  const options: NonNullable<Question['options']> = [];
  for (let i = 0; i < count; i++) {
    const option: NonNullable<Question['options']>[number] = {
      value: str(body, `option_${i}_value`),
      label: requiredText(body, `option_${i}_label`),
    };
    if (q.type === 'multi_choice' && body[`option_${i}_exclusive`] === 'on') option.exclusive = true;
    options.push(option);
  }
  // A new option's value follows the text typed for it ("Gedeeltelijk" → gedeeltelijk), so
  // no placeholder like optie_1 ends up in conditions and exports: an empty value, or a
  // placeholder the editor gave an option that had no text yet. A value typed is kept.
  const taken = new Set(options.map((o) => o.value));
  options.forEach((option, i) => {
    const placeholder = /^optie_\d+$/.test(option.value) && !before.options?.[i]?.label.nl.trim();
    if ((option.value !== '' && !placeholder) || !option.label.nl.trim()) return;
    taken.delete(option.value);
    option.value = optionValueFrom(option.label.nl, taken);
    taken.add(option.value);
  });
  // A question that just became a choice question starts with one empty option.
  return options.length || CHOICE_TYPES.includes(before.type) ? options : [{ value: 'optie_1', label: emptyText() }];
}

/**
 * The condition: the controlling question from a list of earlier questions, then
 * its values; or a compound condition typed as an XLSForm expression, which wins when filled.
 */
function readCondition(
  q: Question,
  def: DraftDefinition,
  pageIndex: number,
  questionIndex: number,
  body: FormBody,
  errors: FormError[],
) {
  const controllerKey = str(body, 'visible_if_question');
  const controller = conditionChoices(def, pageIndex, questionIndex).find((c) => c.question.key === controllerKey);
  delete q.visible_if;
  if (controllerKey && controller) {
    const condition = conditionOn(controllerKey, controller, body, errors);
    if (condition) q.visible_if = condition;
  } else if (controllerKey) {
    errors.push({
      field: 'visible_if_question',
      key: 'editor.error.condition_not_earlier',
      params: { question: controllerKey },
    });
  }
  const expression = str(body, 'visible_if_expression');
  if (expression) {
    try {
      q.visible_if = readRelevant(expression, earlierTypes(def, pageIndex, questionIndex));
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      errors.push({ field: 'visible_if_question', key: error.key, params: { ...error.params, expression } });
    }
  }
}

/** The condition on one earlier question: the options chosen, or a comparison with a number. */
function conditionOn(
  controllerKey: string,
  controller: ReturnType<typeof conditionChoices>[number],
  body: FormBody,
  errors: FormError[],
): Question['visible_if'] | undefined {
  if (controller.kind === 'options') {
    const chosen = list(body, `vi_values__${controllerKey}`)
      .map((raw) => controller.values.find((v) => String(v.value) === raw)?.value)
      .filter((v): v is ConditionValue => v !== undefined);
    if (chosen.length === 1) return { question: controllerKey, equals: chosen[0] };
    return chosen.length > 1 ? { question: controllerKey, in: chosen } : { question: controllerKey };
  }
  const op = str(body, `vi_op__${controllerKey}`);
  const raw = str(body, `vi_number__${controllerKey}`);
  const n = formNumber(raw);
  if (n === null) {
    errors.push({ field: 'visible_if_question', key: 'editor.error.number', params: { value: raw } });
    return undefined;
  }
  if (n === undefined) return { question: controllerKey };
  if (op === 'lt') return { question: controllerKey, lt: n };
  return op === 'equals' ? { question: controllerKey, equals: n } : { question: controllerKey, gt: n };
}

/** Report settings: left out of the report, the statistics, the key figure's text. */
function readReportSettings(q: Question, body: FormBody) {
  const allowed = reportStatisticsFor(q.type);
  const statistics = list(body, 'report_statistics').filter((s): s is 'total' | 'mean' | 'proportion' =>
    (allowed as string[]).includes(s),
  );
  const keyFigure = optionalText(body, 'key_figure');
  const report: NonNullable<Question['report']> = {};
  if (body.report_exclude === 'on') report.include = false;
  if (q.type !== 'text') {
    if (statistics.length) report.statistics = statistics;
    if (keyFigure) report.key_figure = keyFigure;
  }
  if (Object.keys(report).length) q.report = report;
  else delete q.report;
}

/** The frame variables a numeric question may name as `aux`. */
export const AUX_CHOICES = AUX_VARIABLES;
