// A questionnaire definition (README "Questionnaires") as the three sheets of an XLSForm
// workbook, and back. Pure: the sheets are plain rows of cell values; the Excel
// file itself is made and read in ../definition-xlsform.ts.
//
// survey    one row per question; `begin group` / `end group` around each page
// choices   the options of the select_one / select_multiple lists
// settings  one row: form_id (key), version, form_title::nl/en, intro::nl/en
//
// Reading checks the workbook's own structure (types, lists, groups, yes/no cells,
// relevant and constraint expressions, duplicate names), then validates the result
// with the same zod schema as `survey load`, and names every problem by sheet, row
// (as Excel numbers it) and column.

import {
  CHOICE_TYPES,
  type DefinitionProblem,
  type LocalText,
  parseDefinition,
  type Question,
  type QuestionType,
  type SurveyDefinition,
} from '../definition-schema';
import { ExpressionError, readConstraint, readRelevant, writeConstraint, writeRelevant } from './xlsform-expressions';

export type CellValue = string | number | boolean | null;

/** A sheet as written: a header and rows (row 2 onwards). */
export interface SheetOut {
  header: string[];
  rows: CellValue[][];
}

/** A sheet as read: its columns by normalised header, and each non-empty row with its Excel row number. */
export interface SheetIn {
  /** normalised header → column letter(s), e.g. `relevant` → `H`. */
  columns: Map<string, string>;
  /** Headers that are not ours, with their column letters (reported as errors). */
  unknownColumns?: { header: string; letter: string }[];
  rows: { row: number; cells: Record<string, CellValue> }[];
}

export interface SheetProblem {
  sheet: 'survey' | 'choices' | 'settings' | null;
  row: number | null;
  column: string | null;
  /** The column's letter in the workbook read (`H`), when it has the column. */
  letter?: string;
  key: string;
  params: Record<string, string | number>;
}

export const LANGUAGES = ['nl', 'en'] as const;

/** The columns of each sheet, in the order they are written. */
export const SURVEY_COLUMNS = [
  'type',
  'name',
  'label::nl',
  'label::en',
  'hint::nl',
  'hint::en',
  'required',
  'relevant',
  'constraint',
  'unit::nl',
  'unit::en',
  'max_length',
  'aux',
  'report_label::nl',
  'report_label::en',
  'statistics',
  'key_figure::nl',
  'key_figure::en',
  'report',
  'publish_consent',
] as const;
export const CHOICES_COLUMNS = ['list_name', 'name', 'label::nl', 'label::en', 'exclusive'] as const;
export const SETTINGS_COLUMNS = [
  'form_id',
  'version',
  'form_title::nl',
  'form_title::en',
  'intro::nl',
  'intro::en',
  'default_language',
] as const;

/** Our question types as XLSForm types; `currency`, `percentage` and `boolean` are ours. */
const TYPE_TO_XLSFORM: Record<QuestionType, string> = {
  integer: 'integer',
  number: 'decimal',
  currency: 'currency',
  percentage: 'percentage',
  boolean: 'boolean',
  text: 'text',
  single_choice: 'select_one',
  multi_choice: 'select_multiple',
};
const XLSFORM_TO_TYPE = new Map(
  Object.entries(TYPE_TO_XLSFORM).map(([ours, theirs]) => [theirs, ours as QuestionType]),
);

// ---------------------------------------------------------------- writing

const yesNo = (value: boolean | undefined) => (value === undefined ? null : value ? 'yes' : 'no');

function localised(row: Record<string, CellValue>, column: string, text: LocalText | undefined) {
  for (const lang of LANGUAGES) row[`${column}::${lang}`] = text?.[lang] ?? null;
}

function toRow(columns: readonly string[], cells: Record<string, CellValue>): CellValue[] {
  return columns.map((c) => cells[c] ?? null);
}

export function definitionToSheets(def: SurveyDefinition): { survey: SheetOut; choices: SheetOut; settings: SheetOut } {
  const types = new Map(def.pages.flatMap((p) => p.questions).map((q) => [q.key, q.type]));
  const survey: CellValue[][] = [];
  const choices: CellValue[][] = [];
  for (const page of def.pages) {
    const begin: Record<string, CellValue> = { type: 'begin group', name: page.key };
    localised(begin, 'label', page.title);
    localised(begin, 'hint', page.intro);
    survey.push(toRow(SURVEY_COLUMNS, begin));
    for (const q of page.questions) {
      const list = CHOICE_TYPES.includes(q.type) ? q.key : null;
      const cells: Record<string, CellValue> = {
        type: list ? `${TYPE_TO_XLSFORM[q.type]} ${list}` : TYPE_TO_XLSFORM[q.type],
        name: q.key,
        required: yesNo(q.required),
        relevant: q.visible_if ? writeRelevant(q.visible_if, types.get(q.visible_if.question)) : null,
        constraint: writeConstraint(q.min, q.max) || null,
        max_length: q.max_length ?? null,
        aux: q.aux ?? null,
        statistics: q.report?.statistics?.join(' ') ?? null,
        report: yesNo(q.report?.include),
        publish_consent: q.publish_consent ?? null,
      };
      localised(cells, 'label', q.label);
      localised(cells, 'hint', q.help);
      localised(cells, 'unit', q.unit);
      localised(cells, 'report_label', q.report_label);
      localised(cells, 'key_figure', q.report?.key_figure);
      survey.push(toRow(SURVEY_COLUMNS, cells));
      for (const o of q.options ?? []) {
        const choice: Record<string, CellValue> = { list_name: list, name: o.value, exclusive: yesNo(o.exclusive) };
        localised(choice, 'label', o.label);
        choices.push(toRow(CHOICES_COLUMNS, choice));
      }
    }
    survey.push(toRow(SURVEY_COLUMNS, { type: 'end group', name: page.key }));
  }
  const settings: Record<string, CellValue> = { form_id: def.key, version: def.version, default_language: 'nl' };
  localised(settings, 'form_title', def.title);
  localised(settings, 'intro', def.intro);
  return {
    survey: { header: [...SURVEY_COLUMNS], rows: survey },
    choices: { header: [...CHOICES_COLUMNS], rows: choices },
    settings: { header: [...SETTINGS_COLUMNS], rows: [toRow(SETTINGS_COLUMNS, settings)] },
  };
}

// ---------------------------------------------------------------- reading

/**
 * A header as we compare it: lower case, no spaces around `::`, and XLSForm's
 * `label::Dutch (nl)` / `label::English (en)` read as `label::nl` / `label::en`.
 */
export function normaliseHeader(header: string): string {
  const h = header
    .trim()
    .toLowerCase()
    .replace(/\s*::\s*/g, '::');
  const lang = h.match(/^(.+?)::.*\((nl|en)\)$/);
  if (lang) return `${lang[1]}::${lang[2]}`;
  return h.replace(/^list name$/, 'list_name');
}

export function cellText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

interface Located {
  sheet: 'survey' | 'choices' | 'settings';
  row: number;
}

type Result = { ok: true; definition: SurveyDefinition } | { ok: false; problems: SheetProblem[] };

export function definitionFromSheets(sheets: { survey?: SheetIn; choices?: SheetIn; settings?: SheetIn }): Result {
  const problems: SheetProblem[] = [];
  const problem = (
    sheet: SheetProblem['sheet'],
    row: number | null,
    column: string | null,
    key: string,
    params: Record<string, string | number> = {},
  ) => problems.push({ sheet, row, column, key, params });

  for (const name of ['survey', 'choices', 'settings'] as const) {
    const sheet = sheets[name];
    if (!sheet) {
      if (name !== 'choices') problem(name, null, null, 'survey.xlsx.sheet_missing', { sheet: name });
      continue;
    }
    for (const u of sheet.unknownColumns ?? [])
      problem(name, 1, u.header, 'survey.xlsx.column_unknown', { column: u.header });
  }
  const need = (name: 'survey' | 'choices' | 'settings', columns: string[]) => {
    const sheet = sheets[name];
    if (!sheet) return;
    for (const c of columns)
      if (!sheet.columns.has(c)) problem(name, 1, c, 'survey.xlsx.column_missing', { column: c });
  };
  need('survey', ['type', 'name', 'label::nl', 'label::en']);
  need('settings', ['form_id', 'version', 'form_title::nl', 'form_title::en']);
  if (sheets.choices) need('choices', ['list_name', 'name', 'label::nl', 'label::en']);
  if (problems.length) return { ok: false, problems };

  const text = (cells: Record<string, CellValue>, column: string) => cellText(cells[column]);
  const trimmed = (cells: Record<string, CellValue>, column: string) => cellText(cells[column]).trim();
  const optionalText = (cells: Record<string, CellValue>, column: string): LocalText | undefined => {
    const nl = text(cells, `${column}::nl`);
    const en = text(cells, `${column}::en`);
    return nl.trim() || en.trim() ? { nl, en } : undefined;
  };
  const yesNoCell = (sheet: Located['sheet'], row: number, cells: Record<string, CellValue>, column: string) => {
    const value = cells[column];
    if (value === null || value === undefined || String(value).trim() === '') return undefined;
    const v = String(value).trim().toLowerCase();
    if (['yes', 'ja', 'true', 'true()', '1'].includes(v)) return true;
    if (['no', 'nee', 'false', 'false()', '0'].includes(v)) return false;
    problem(sheet, row, column, 'survey.xlsx.not_yes_no', { value: String(value) });
    return undefined;
  };

  // settings: the first row with content
  const settingsRow = sheets.settings!.rows[0];
  const settingsAt: Located = { sheet: 'settings', row: settingsRow?.row ?? 2 };
  const settings = settingsRow?.cells ?? {};
  const versionText = trimmed(settings, 'version');
  const version = /^\d+$/.test(versionText) ? Number(versionText) : Number.NaN;
  if (!Number.isInteger(version))
    problem('settings', settingsAt.row, 'version', 'survey.xlsx.version_invalid', { value: versionText });
  const title = { nl: text(settings, 'form_title::nl'), en: text(settings, 'form_title::en') };
  const intro = optionalText(settings, 'intro');

  // choices: lists by name, each option with its row
  const lists = new Map<string, { option: NonNullable<Question['options']>[number]; row: number }[]>();
  for (const { row, cells } of sheets.choices?.rows ?? []) {
    const list = trimmed(cells, 'list_name');
    if (!list) {
      problem('choices', row, 'list_name', 'survey.xlsx.list_name_missing');
      continue;
    }
    const option: NonNullable<Question['options']>[number] = {
      value: trimmed(cells, 'name'),
      label: { nl: text(cells, 'label::nl'), en: text(cells, 'label::en') },
    };
    if (!option.value) problem('choices', row, 'name', 'survey.xlsx.choice_name_missing');
    const exclusive = yesNoCell('choices', row, cells, 'exclusive');
    if (exclusive !== undefined) option.exclusive = exclusive;
    const entries = lists.get(list) ?? [];
    if (entries.some((e) => e.option.value === option.value) && option.value)
      problem('choices', row, 'name', 'survey.xlsx.choice_duplicate', { value: option.value, list });
    entries.push({ option, row });
    lists.set(list, entries);
  }

  // survey: pages from begin group … end group, questions in between
  type PageOut = SurveyDefinition['pages'][number];
  const pages: PageOut[] = [];
  const pageRows: number[] = [];
  const questionRows: number[][] = [];
  const optionRows: number[][][] = [];
  let current: { page: PageOut; row: number; rows: number[]; optionRows: number[][] } | null = null;
  const seenQuestions = new Map<string, { row: number; type: QuestionType }>();
  const seenPages = new Map<string, number>();
  let anyRow = false;

  for (const { row, cells } of sheets.survey!.rows) {
    anyRow = true;
    const typeText = trimmed(cells, 'type').replace(/\s+/g, ' ');
    const name = trimmed(cells, 'name');
    const typeLower = typeText.toLowerCase();
    if (!typeText) {
      problem('survey', row, 'type', 'survey.xlsx.type_missing');
      continue;
    }
    if (typeLower === 'begin group' || typeLower === 'begin_group') {
      if (current) {
        problem('survey', row, 'type', 'survey.xlsx.group_nested', { open: current.row });
        continue;
      }
      if (name && seenPages.has(name))
        problem('survey', row, 'name', 'survey.xlsx.name_duplicate', { name, row: seenPages.get(name)! });
      if (name) seenPages.set(name, row);
      const page: PageOut = {
        key: name,
        title: { nl: text(cells, 'label::nl'), en: text(cells, 'label::en') },
        questions: [],
      };
      const pageIntro = optionalText(cells, 'hint');
      if (pageIntro) page.intro = pageIntro;
      current = { page, row, rows: [], optionRows: [] };
      continue;
    }
    if (typeLower === 'end group' || typeLower === 'end_group') {
      if (!current) {
        problem('survey', row, 'type', 'survey.xlsx.group_end_without_begin');
        continue;
      }
      pages.push(current.page);
      pageRows.push(current.row);
      questionRows.push(current.rows);
      optionRows.push(current.optionRows);
      current = null;
      continue;
    }
    const [xlsType, listName, ...extra] = typeText.split(' ');
    const type = XLSFORM_TO_TYPE.get(xlsType.toLowerCase());
    if (!type) {
      problem('survey', row, 'type', 'survey.xlsx.type_unknown', { type: typeText });
      continue;
    }
    const choice = CHOICE_TYPES.includes(type);
    if (extra.length || (!choice && listName)) {
      problem('survey', row, 'type', 'survey.xlsx.type_extra', { type: typeText });
      continue;
    }
    if (!current) {
      problem('survey', row, 'type', 'survey.xlsx.question_outside_group', { name });
      continue;
    }
    if (!name) {
      problem('survey', row, 'name', 'survey.xlsx.name_missing');
      continue;
    }
    if (seenQuestions.has(name)) {
      problem('survey', row, 'name', 'survey.xlsx.name_duplicate', { name, row: seenQuestions.get(name)!.row });
      continue;
    }
    seenQuestions.set(name, { row, type });
    const q: Question = { key: name, type, label: { nl: text(cells, 'label::nl'), en: text(cells, 'label::en') } };
    const help = optionalText(cells, 'hint');
    if (help) q.help = help;
    const unit = optionalText(cells, 'unit');
    if (unit) q.unit = unit;
    const reportLabel = optionalText(cells, 'report_label');
    if (reportLabel) q.report_label = reportLabel;
    const required = yesNoCell('survey', row, cells, 'required');
    if (required !== undefined) q.required = required;
    const constraint = trimmed(cells, 'constraint');
    if (constraint) {
      try {
        const bounds = readConstraint(constraint);
        if (bounds.min !== undefined) q.min = bounds.min;
        if (bounds.max !== undefined) q.max = bounds.max;
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        problem('survey', row, 'constraint', error.key, { ...error.params, expression: constraint });
      }
    }
    const maxLength = trimmed(cells, 'max_length');
    if (maxLength) {
      if (/^\d+$/.test(maxLength)) q.max_length = Number(maxLength);
      else problem('survey', row, 'max_length', 'survey.xlsx.not_whole_number', { value: maxLength });
    }
    const rowOptions: number[] = [];
    if (choice) {
      const entries = listName ? lists.get(listName) : undefined;
      if (!listName) problem('survey', row, 'type', 'survey.xlsx.list_not_named', { type: typeText });
      else if (!entries) problem('survey', row, 'type', 'survey.xlsx.list_missing', { list: listName });
      else {
        q.options = entries.map((e) => ({ ...e.option, label: { ...e.option.label } }));
        rowOptions.push(...entries.map((e) => e.row));
      }
    }
    const relevant = trimmed(cells, 'relevant');
    if (relevant) {
      try {
        const { condition, selected } = readRelevant(relevant);
        const controller = seenQuestions.get(condition.question);
        const controllerType = controller && controller.row !== row ? controller.type : undefined;
        if (controllerType === 'multi_choice' && !selected && condition.gt === undefined && condition.lt === undefined)
          throw new ExpressionError('survey.xlsx.relevant_use_selected', { question: condition.question });
        if (selected && controllerType && !CHOICE_TYPES.includes(controllerType))
          throw new ExpressionError('survey.xlsx.relevant_selected_not_choice', { question: condition.question });
        q.visible_if = controllerType ? typedCondition(condition, controllerType) : condition;
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        problem('survey', row, 'relevant', error.key, { ...error.params, expression: relevant });
      }
    }
    const aux = trimmed(cells, 'aux');
    if (aux) q.aux = aux;
    const report: NonNullable<Question['report']> = {};
    const include = yesNoCell('survey', row, cells, 'report');
    if (include !== undefined) report.include = include;
    const statistics = trimmed(cells, 'statistics');
    if (statistics) report.statistics = statistics.split(/[\s,;]+/) as NonNullable<typeof report.statistics>;
    const keyFigure = optionalText(cells, 'key_figure');
    if (keyFigure) report.key_figure = keyFigure;
    if (Object.keys(report).length) q.report = report;
    const consent = trimmed(cells, 'publish_consent');
    if (consent) q.publish_consent = consent;
    current.page.questions.push(q);
    current.rows.push(row);
    current.optionRows.push(rowOptions);
  }
  if (current) problem('survey', current.row, 'type', 'survey.xlsx.group_not_closed', { name: current.page.key });
  if (!anyRow) problem('survey', 2, 'type', 'survey.xlsx.survey_empty');
  if (problems.length) return { ok: false, problems };

  const candidate: Record<string, unknown> = { key: trimmed(settings, 'form_id'), version, title, pages };
  if (intro) candidate.intro = intro;
  const parsed = parseDefinition(candidate);
  if (parsed.ok) return parsed;
  return {
    ok: false,
    problems: parsed.problems.map((p) => locate(p, { settingsAt, pageRows, questionRows, optionRows })),
  };
}

/** A value typed in a relevant expression, made to fit its question: 'yes' for a yes/no question is true. */
function typedCondition(condition: ReturnType<typeof readRelevant>['condition'], type: QuestionType) {
  const fitValue = (v: string | number | boolean): string | number | boolean => {
    if (type === 'boolean' && typeof v === 'string') {
      const l = v.toLowerCase();
      if (['yes', 'ja', 'true', '1'].includes(l)) return true;
      if (['no', 'nee', 'false', '0'].includes(l)) return false;
    }
    if (
      (type === 'integer' || type === 'number' || type === 'currency' || type === 'percentage') &&
      typeof v === 'string'
    )
      if (/^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
    return v;
  };
  if (condition.equals !== undefined) return { ...condition, equals: fitValue(condition.equals) };
  if (condition.in !== undefined) return { ...condition, in: condition.in.map(fitValue) };
  return condition;
}

const QUESTION_FIELD_COLUMN: Record<string, string> = {
  key: 'name',
  type: 'type',
  label: 'label',
  help: 'hint',
  unit: 'unit',
  report_label: 'report_label',
  required: 'required',
  min: 'constraint',
  max: 'constraint',
  max_length: 'max_length',
  options: 'type',
  visible_if: 'relevant',
  aux: 'aux',
  publish_consent: 'publish_consent',
};
const LOCALISED = new Set(['label', 'hint', 'unit', 'report_label', 'key_figure', 'form_title', 'intro']);

function withLanguage(column: string, rest: string[]): string {
  if (!LOCALISED.has(column)) return column;
  return `${column}::${rest[0] === 'en' ? 'en' : 'nl'}`;
}

/** A schema problem's path (`pages[1].questions[3].visible_if.question`) as the cell it came from. */
function locate(
  p: DefinitionProblem,
  at: { settingsAt: Located; pageRows: number[]; questionRows: number[][]; optionRows: number[][][] },
): SheetProblem {
  const out = (sheet: SheetProblem['sheet'], row: number | null, column: string | null): SheetProblem => ({
    sheet,
    row,
    column,
    key: p.key,
    params: p.params,
  });
  const m = p.path.match(/^pages\[(\d+)\](?:\.questions\[(\d+)\](?:\.options\[(\d+)\])?)?\.?(.*)$/);
  if (!m) {
    const [field, ...rest] = p.path.split('.');
    const column =
      field === 'key'
        ? 'form_id'
        : field === 'title'
          ? withLanguage('form_title', rest)
          : field === 'intro'
            ? withLanguage('intro', rest)
            : field === 'version'
              ? 'version'
              : null;
    if (field === 'pages') return out('survey', null, null);
    return out('settings', at.settingsAt.row, column);
  }
  const [, pi, qi, oi, restPath] = m;
  const [field, ...rest] = restPath ? restPath.split('.') : [];
  const fieldName = field?.replace(/\[\d+\]$/, '');
  if (qi === undefined) {
    const row = at.pageRows[Number(pi)] ?? null;
    const column =
      fieldName === 'title'
        ? withLanguage('label', rest)
        : fieldName === 'intro'
          ? withLanguage('hint', rest)
          : fieldName === 'questions'
            ? 'type'
            : 'name';
    return out('survey', row, column);
  }
  if (oi !== undefined) {
    const row = at.optionRows[Number(pi)]?.[Number(qi)]?.[Number(oi)] ?? null;
    const column =
      fieldName === 'label' ? withLanguage('label', rest) : fieldName === 'exclusive' ? 'exclusive' : 'name';
    return out('choices', row, column);
  }
  const row = at.questionRows[Number(pi)]?.[Number(qi)] ?? null;
  if (!fieldName) return out('survey', row, 'name');
  if (fieldName === 'report') {
    const sub = rest[0]?.replace(/\[\d+\]$/, '');
    const column =
      sub === 'statistics' ? 'statistics' : sub === 'key_figure' ? withLanguage('key_figure', rest.slice(1)) : 'report';
    return out('survey', row, column);
  }
  const column = QUESTION_FIELD_COLUMN[fieldName];
  return out('survey', row, column ? withLanguage(column, rest) : 'name');
}
