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
type Language = (typeof LANGUAGES)[number];

/** Texts that can be given per language (`label::nl`, `label::Dutch (nl)`, or `label` for the default language). */
const LOCALISED_COLUMNS = [
  'label',
  'hint',
  'required_message',
  'constraint_message',
  'unit',
  'report_label',
  'key_figure',
  'form_title',
  'intro',
];
const local = (base: string) => [base, `${base}::nl`, `${base}::en`];

/**
 * The columns each sheet reads (normalised by normaliseHeader): the standard XLSForm
 * columns we honour, `choice_filter` (to refuse it by row), and our own settings,
 * which our downloads write as `impact::…` columns (earlier downloads without the prefix).
 * Any other column is ignored with one warning.
 */
export const SURVEY_COLUMNS = [
  'type',
  'impact::type',
  'name',
  ...local('label'),
  ...local('hint'),
  'required',
  ...local('required_message'),
  'relevant',
  'constraint',
  ...local('constraint_message'),
  'choice_filter',
  ...local('unit'),
  'max_length',
  'aux',
  ...local('report_label'),
  'statistics',
  ...local('key_figure'),
  'report',
  'publish_consent',
];
export const CHOICES_COLUMNS = ['list_name', 'name', ...local('label'), 'exclusive'];
export const SETTINGS_COLUMNS = ['form_id', 'version', ...local('form_title'), ...local('intro'), 'default_language'];

/** The columns our download writes, in order: standard XLSForm first, our own as `impact::…` (converters ignore them). */
const NL = 'Nederlands (nl)';
const EN = 'English (en)';
const SURVEY_WRITE = [
  'type',
  'name',
  `label::${NL}`,
  `label::${EN}`,
  `hint::${NL}`,
  `hint::${EN}`,
  'required',
  'relevant',
  'constraint',
  `required_message::${NL}`,
  `required_message::${EN}`,
  `constraint_message::${NL}`,
  `constraint_message::${EN}`,
  'impact::type',
  `impact::unit::${NL}`,
  `impact::unit::${EN}`,
  'impact::max_length',
  'impact::aux',
  `impact::report_label::${NL}`,
  `impact::report_label::${EN}`,
  'impact::statistics',
  `impact::key_figure::${NL}`,
  `impact::key_figure::${EN}`,
  'impact::report',
  'impact::publish_consent',
];
const CHOICES_WRITE = ['list_name', 'name', `label::${NL}`, `label::${EN}`, 'impact::exclusive'];
const SETTINGS_WRITE = [
  'form_id',
  'version',
  'form_title',
  'default_language',
  `impact::form_title::${EN}`,
  `impact::intro::${NL}`,
  `impact::intro::${EN}`,
];

/** The yes/no list our download gives a yes/no question (standard XLSForm has no boolean type). */
const YES_NO_LIST = 'impact_ja_nee';

/** Our question types as standard XLSForm types; `impact::type` keeps the ones XLSForm lacks. */
const TYPE_TO_XLSFORM: Record<QuestionType, string> = {
  integer: 'integer',
  number: 'decimal',
  currency: 'decimal',
  percentage: 'decimal',
  boolean: 'select_one',
  text: 'text',
  single_choice: 'select_one',
  multi_choice: 'select_multiple',
};
/** XLSForm types read, with our own from earlier downloads (`currency`, `percentage`, `boolean`). */
const XLSFORM_TO_TYPE = new Map<string, QuestionType>([
  ['integer', 'integer'],
  ['int', 'integer'],
  ['decimal', 'number'],
  ['currency', 'currency'],
  ['percentage', 'percentage'],
  ['boolean', 'boolean'],
  ['text', 'text'],
  ['string', 'text'],
  ['select_one', 'single_choice'],
  ['select one', 'single_choice'],
  ['select_multiple', 'multi_choice'],
  ['select multiple', 'multi_choice'],
]);
/** Question types of other tools that only record something about the device or the session. */
const METADATA_TYPES = new Set([
  'start',
  'end',
  'today',
  'deviceid',
  'phonenumber',
  'username',
  'email',
  'simserial',
  'subscriberid',
  'audit',
  'start-geopoint',
  'background-audio',
]);
/** Features we cannot honour, by the type word that starts them: refused with a plain sentence. */
const REFUSED_TYPES: Record<string, string> = {
  begin_repeat: 'repeat',
  'begin repeat': 'repeat',
  end_repeat: 'repeat',
  'end repeat': 'repeat',
  calculate: 'calculate',
  select_one_from_file: 'from_file',
  select_multiple_from_file: 'from_file',
  'select one from file': 'from_file',
  'select multiple from file': 'from_file',
};

// ---------------------------------------------------------------- writing

const yesNo = (value: boolean | undefined) => (value === undefined ? null : value ? 'yes' : 'no');

function localised(row: Record<string, CellValue>, column: string, text: LocalText | undefined) {
  row[`${column}::${NL}`] = text?.nl ?? null;
  row[`${column}::${EN}`] = text?.en ?? null;
}

function toRow(columns: readonly string[], cells: Record<string, CellValue>): CellValue[] {
  return columns.map((c) => cells[c] ?? null);
}

export function definitionToSheets(def: SurveyDefinition): { survey: SheetOut; choices: SheetOut; settings: SheetOut } {
  const types = new Map(def.pages.flatMap((p) => p.questions).map((q) => [q.key, q.type]));
  const survey: CellValue[][] = [];
  const choices: CellValue[][] = [];
  for (const page of def.pages) {
    const begin: Record<string, CellValue> = { type: 'begin_group', name: page.key };
    localised(begin, 'label', page.title);
    localised(begin, 'hint', page.intro);
    survey.push(toRow(SURVEY_WRITE, begin));
    for (const q of page.questions) {
      const list = CHOICE_TYPES.includes(q.type) ? q.key : q.type === 'boolean' ? YES_NO_LIST : null;
      const cells: Record<string, CellValue> = {
        type: list ? `${TYPE_TO_XLSFORM[q.type]} ${list}` : TYPE_TO_XLSFORM[q.type],
        name: q.key,
        required: yesNo(q.required),
        relevant: q.visible_if ? writeRelevant(q.visible_if, (k) => types.get(k)) : null,
        constraint: writeConstraint(q.min, q.max) || null,
        'impact::type': ['currency', 'percentage', 'boolean'].includes(q.type) ? q.type : null,
        'impact::max_length': q.max_length ?? null,
        'impact::aux': q.aux ?? null,
        'impact::statistics': q.report?.statistics?.join(' ') ?? null,
        'impact::report': yesNo(q.report?.include),
        'impact::publish_consent': q.publish_consent ?? null,
      };
      localised(cells, 'label', q.label);
      localised(cells, 'hint', q.help);
      localised(cells, 'required_message', q.required_message);
      localised(cells, 'constraint_message', q.constraint_message);
      localised(cells, 'impact::unit', q.unit);
      localised(cells, 'impact::report_label', q.report_label);
      localised(cells, 'impact::key_figure', q.report?.key_figure);
      survey.push(toRow(SURVEY_WRITE, cells));
      for (const o of q.options ?? []) {
        const choice: Record<string, CellValue> = {
          list_name: list,
          name: o.value,
          'impact::exclusive': yesNo(o.exclusive),
        };
        localised(choice, 'label', o.label);
        choices.push(toRow(CHOICES_WRITE, choice));
      }
    }
    survey.push(toRow(SURVEY_WRITE, { type: 'end_group', name: page.key }));
  }
  if (def.pages.some((p) => p.questions.some((q) => q.type === 'boolean')))
    for (const [value, nl, en] of [
      ['yes', 'Ja', 'Yes'],
      ['no', 'Nee', 'No'],
    ])
      choices.push(
        toRow(CHOICES_WRITE, { list_name: YES_NO_LIST, name: value, [`label::${NL}`]: nl, [`label::${EN}`]: en }),
      );
  const settings: Record<string, CellValue> = {
    form_id: def.key,
    version: def.version,
    form_title: def.title.nl,
    default_language: NL,
    [`impact::form_title::${EN}`]: def.title.en ?? null,
  };
  localised(settings, 'impact::intro', def.intro);
  return {
    survey: { header: [...SURVEY_WRITE], rows: survey },
    choices: { header: [...CHOICES_WRITE], rows: choices },
    settings: { header: [...SETTINGS_WRITE], rows: [toRow(SETTINGS_WRITE, settings)] },
  };
}

// ---------------------------------------------------------------- reading

/** A language as XLSForm names it (`nl`, `Dutch (nl)`, `Nederlands`, `English (en)`) as nl or en; other languages as given. */
export function languageCode(name: string): string {
  const n = name.trim().toLowerCase();
  const code = n.match(/\(\s*([a-z]{2,3}(?:-[a-z0-9]+)?)\s*\)\s*$/)?.[1] ?? n;
  if (['nl', 'dutch', 'nederlands', 'nld', 'dut'].includes(code) || code.startsWith('nl-')) return 'nl';
  if (['en', 'english', 'engels', 'eng'].includes(code) || code.startsWith('en-')) return 'en';
  return code;
}

/**
 * A header as we compare it: lower case, no spaces around `::`, the language of a
 * text column as nl or en (`label::Dutch (nl)`, `label::Nederlands (nl)` and
 * `label::nl` are all `label::nl`), a text column without a language as itself
 * (`label`: the form's default language), and our own `impact::aux` as `aux`.
 */
export function normaliseHeader(header: string): string {
  let h = header
    .trim()
    .toLowerCase()
    .replace(/\s*::\s*/g, '::');
  if (h === 'list name') return 'list_name';
  if (h.startsWith('impact::')) {
    h = h.slice('impact::'.length);
    if (h === 'type') return 'impact::type';
  }
  const [base, ...rest] = h.split('::');
  const column = base.replace(/\s+/g, '_');
  if (LOCALISED_COLUMNS.includes(column) && rest.length === 1) return `${column}::${languageCode(rest[0])}`;
  return rest.length ? h : column;
}

export function cellText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

interface Located {
  sheet: 'survey' | 'choices' | 'settings';
  row: number;
}

export type SheetsResult =
  | { ok: true; definition: SurveyDefinition; warnings: SheetProblem[] }
  | { ok: false; problems: SheetProblem[] };

/** A questionnaire key from a file name (`Sport Restituties v2.xlsx` → `sport-restituties-v2`). */
export function keyFromFileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  return base
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

export function definitionFromSheets(
  sheets: { survey?: SheetIn; choices?: SheetIn; settings?: SheetIn },
  source: { fileName?: string } = {},
): SheetsResult {
  const problems: SheetProblem[] = [];
  const warnings: SheetProblem[] = [];
  const problem = (
    sheet: SheetProblem['sheet'],
    row: number | null,
    column: string | null,
    key: string,
    params: Record<string, string | number> = {},
  ) => problems.push({ sheet, row, column, key, params });
  const refuse = (row: number, feature: string) => problem(null, null, null, `survey.xlsx.refused.${feature}`, { row });

  if (!sheets.survey) problem('survey', null, null, 'survey.xlsx.sheet_missing', { sheet: 'survey' });
  // Other tools' columns are not errors: listed once per sheet, then ignored.
  for (const name of ['survey', 'choices', 'settings'] as const) {
    const unknown = sheets[name]?.unknownColumns ?? [];
    if (unknown.length)
      warnings.push({
        sheet: name,
        row: 1,
        column: null,
        key: 'survey.xlsx.columns_ignored',
        params: { columns: unknown.map((u) => u.header).join(', '), n: unknown.length },
      });
  }
  const need = (name: 'survey' | 'choices' | 'settings', columns: string[]) => {
    const sheet = sheets[name];
    if (!sheet) return;
    for (const c of columns)
      if (!sheet.columns.has(c)) problem(name, 1, c, 'survey.xlsx.column_missing', { column: c });
  };
  need('survey', ['type', 'name']);
  if (sheets.choices) need('choices', ['list_name', 'name']);
  if (problems.length) return { ok: false, problems };

  const trimmed = (cells: Record<string, CellValue>, column: string) => cellText(cells[column]).trim();
  // settings: the first row with content; none at all is fine (key from the file name)
  const settingsRow = sheets.settings?.rows[0];
  const settingsAt: Located = { sheet: 'settings', row: settingsRow?.row ?? 2 };
  const settings = settingsRow?.cells ?? {};
  const defaultLanguage = languageCode(trimmed(settings, 'default_language') || 'nl') === 'en' ? 'en' : 'nl';
  /** A text in one language: `label::nl`, or `label` when nl is the form's default language. */
  const textIn = (cells: Record<string, CellValue>, column: string, lang: Language): string =>
    cellText(cells[`${column}::${lang}`] ?? (lang === defaultLanguage ? cells[column] : undefined));
  const localText = (cells: Record<string, CellValue>, column: string): LocalText => {
    const nl = textIn(cells, column, 'nl');
    const en = textIn(cells, column, 'en');
    return en.trim() ? { nl, en } : { nl };
  };
  const optionalText = (cells: Record<string, CellValue>, column: string): LocalText | undefined => {
    const text = localText(cells, column);
    // Only English given (an English form's hint): the Dutch interface shows it too.
    if (!text.nl.trim() && text.en) return { nl: text.en, en: text.en };
    return text.nl.trim() ? text : undefined;
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

  // Our own version number is given on storing; another tool's version (`2024-05-01`, `v3`) is only kept when it is one.
  const versionText = trimmed(settings, 'version');
  const version = /^\d+$/.test(versionText) && Number(versionText) >= 1 ? Number(versionText) : 1;
  const formId = trimmed(settings, 'form_id');
  const key = formId ? keyFromFileName(formId) || formId : keyFromFileName(source.fileName ?? '');
  const title = optionalText(settings, 'form_title') ?? (formId || key ? { nl: formId || key } : { nl: '' });
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
      label: localText(cells, 'label'),
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

  // survey: pages from begin group … end group, questions in between; questions
  // outside any group make a page of their own (forms of other tools often have no groups)
  type PageOut = SurveyDefinition['pages'][number];
  const pages: PageOut[] = [];
  const pageRows: number[] = [];
  const questionRows: number[][] = [];
  const optionRows: number[][][] = [];
  type Open = { page: PageOut; row: number; rows: number[]; optionRows: number[][]; implicit: boolean };
  let current: Open | null = null;
  const seenQuestions = new Map<string, { row: number; type: QuestionType }>();
  const seenPages = new Map<string, number>();
  const metadataRows: number[] = [];
  let anyRow = false;
  const close = () => {
    if (!current) return;
    if (current.page.questions.length || !current.implicit) {
      pages.push(current.page);
      pageRows.push(current.row);
      questionRows.push(current.rows);
      optionRows.push(current.optionRows);
    }
    current = null;
  };
  const implicitPage = (row: number): Open => {
    let n = pages.length + 1;
    while (seenPages.has(`pagina_${n}`)) n++;
    seenPages.set(`pagina_${n}`, row);
    return {
      page: { key: `pagina_${n}`, title: { ...title }, questions: [] },
      row,
      rows: [],
      optionRows: [],
      implicit: true,
    };
  };

  for (const { row, cells } of sheets.survey!.rows) {
    anyRow = true;
    const typeText = trimmed(cells, 'type').replace(/\s+/g, ' ');
    const name = trimmed(cells, 'name');
    const typeLower = typeText.toLowerCase();
    if (!typeText) {
      problem('survey', row, 'type', 'survey.xlsx.type_missing');
      continue;
    }
    const firstWord = typeLower.split(' ')[0];
    const refused = REFUSED_TYPES[typeLower] ?? REFUSED_TYPES[firstWord];
    if (refused) {
      if (!typeLower.startsWith('end')) refuse(row, refused);
      continue;
    }
    if (/\bor_other\b/.test(typeLower)) {
      refuse(row, 'or_other');
      continue;
    }
    if (trimmed(cells, 'choice_filter')) {
      refuse(row, 'choice_filter');
      continue;
    }
    if (METADATA_TYPES.has(firstWord)) {
      metadataRows.push(row);
      continue;
    }
    if (typeLower === 'begin group' || typeLower === 'begin_group') {
      if (current?.implicit) close();
      if (current) {
        problem('survey', row, 'type', 'survey.xlsx.group_nested', { open: current.row });
        continue;
      }
      if (name && seenPages.has(name))
        problem('survey', row, 'name', 'survey.xlsx.name_duplicate', { name, row: seenPages.get(name)! });
      if (name) seenPages.set(name, row);
      const page: PageOut = { key: name, title: localText(cells, 'label'), questions: [] };
      const pageIntro = optionalText(cells, 'hint');
      if (pageIntro) page.intro = pageIntro;
      current = { page, row, rows: [], optionRows: [], implicit: false };
      continue;
    }
    if (typeLower === 'end group' || typeLower === 'end_group') {
      if (!current || current.implicit) {
        problem('survey', row, 'type', 'survey.xlsx.group_end_without_begin');
        continue;
      }
      close();
      continue;
    }
    if (typeLower === 'note') {
      // A note is text on its page: it joins the page's introduction.
      current ??= implicitPage(row);
      const note = optionalText(cells, 'label');
      if (note) {
        const intro = current.page.intro;
        current.page.intro = intro
          ? {
              nl: [intro.nl, note.nl].filter((x) => x.trim()).join('\n\n'),
              ...(intro.en || note.en
                ? { en: [intro.en ?? '', note.en ?? ''].filter((x) => x.trim()).join('\n\n') }
                : {}),
            }
          : note;
      }
      continue;
    }
    const [xlsTypeWord, ...restWords] = typeText.split(' ');
    // `select one regelingen` is `select_one regelingen` too
    const twoWords = `${xlsTypeWord} ${restWords[0] ?? ''}`.toLowerCase();
    const joined = XLSFORM_TO_TYPE.has(twoWords);
    const [listName, ...extra] = joined ? restWords.slice(1) : restWords;
    let type = XLSFORM_TO_TYPE.get(joined ? twoWords : xlsTypeWord.toLowerCase());
    if (!type) {
      problem('survey', row, 'type', 'survey.xlsx.type_unknown', { type: typeText });
      continue;
    }
    const ownType = trimmed(cells, 'impact::type').toLowerCase();
    if (ownType) {
      const own = XLSFORM_TO_TYPE.get(ownType);
      if (!own) {
        problem('survey', row, 'impact::type', 'survey.xlsx.type_unknown', { type: ownType });
        continue;
      }
      type = own;
    }
    const choice = CHOICE_TYPES.includes(type);
    const listed = choice || (type === 'boolean' && listName !== undefined);
    if (extra.length || (!listed && listName)) {
      problem('survey', row, 'type', 'survey.xlsx.type_extra', { type: typeText });
      continue;
    }
    current ??= implicitPage(row);
    if (!name) {
      problem('survey', row, 'name', 'survey.xlsx.name_missing');
      continue;
    }
    if (seenQuestions.has(name)) {
      problem('survey', row, 'name', 'survey.xlsx.name_duplicate', { name, row: seenQuestions.get(name)!.row });
      continue;
    }
    seenQuestions.set(name, { row, type });
    const q: Question = { key: name, type, label: localText(cells, 'label') };
    const help = optionalText(cells, 'hint');
    if (help) q.help = help;
    const unit = optionalText(cells, 'unit');
    if (unit) q.unit = unit;
    const reportLabel = optionalText(cells, 'report_label');
    if (reportLabel) q.report_label = reportLabel;
    const required = yesNoCell('survey', row, cells, 'required');
    if (required !== undefined) q.required = required;
    const requiredMessage = optionalText(cells, 'required_message');
    if (requiredMessage) q.required_message = requiredMessage;
    const constraintMessage = optionalText(cells, 'constraint_message');
    if (constraintMessage) q.constraint_message = constraintMessage;
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
        // Only questions on earlier rows count: a reference to this row or a later one is
        // left for the definition's checks, which name it.
        const earlier = (k: string) => {
          const c = seenQuestions.get(k);
          return c && c.row !== row ? c.type : undefined;
        };
        q.visible_if = readRelevant(relevant, earlier);
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
  const open = current as Open | null;
  if (open && !open.implicit)
    problem('survey', open.row, 'type', 'survey.xlsx.group_not_closed', { name: open.page.key });
  else close();
  if (!anyRow) problem('survey', 2, 'type', 'survey.xlsx.survey_empty');
  if (metadataRows.length)
    warnings.push({
      sheet: 'survey',
      row: null,
      column: null,
      key: 'survey.xlsx.metadata_ignored',
      params: { rows: metadataRows.join(', '), n: metadataRows.length },
    });
  if (!key) problem('settings', settingsAt.row, 'form_id', 'survey.xlsx.form_id_missing');
  if (problems.length) return { ok: false, problems };

  const candidate: Record<string, unknown> = { key, version, title, pages };
  if (intro) candidate.intro = intro;
  const parsed = parseDefinition(candidate);
  if (parsed.ok) return { ...parsed, warnings };
  return {
    ok: false,
    problems: parsed.problems.map((p) => locate(p, { settingsAt, pageRows, questionRows, optionRows })),
  };
}

const QUESTION_FIELD_COLUMN: Record<string, string> = {
  key: 'name',
  type: 'type',
  label: 'label',
  help: 'hint',
  unit: 'unit',
  report_label: 'report_label',
  required: 'required',
  required_message: 'required_message',
  constraint_message: 'constraint_message',
  min: 'constraint',
  max: 'constraint',
  max_length: 'max_length',
  options: 'type',
  visible_if: 'relevant',
  aux: 'aux',
  publish_consent: 'publish_consent',
};
const LOCALISED = new Set<string>(LOCALISED_COLUMNS);

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
