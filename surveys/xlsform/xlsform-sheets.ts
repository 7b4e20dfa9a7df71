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

/** The problems and warnings of one workbook, each naming its sheet, row and column. */
class SheetReport {
  readonly problems: SheetProblem[] = [];
  readonly warnings: SheetProblem[] = [];

  problem(
    sheet: SheetProblem['sheet'],
    row: number | null,
    column: string | null,
    key: string,
    params: Record<string, string | number> = {},
  ) {
    this.problems.push({ sheet, row, column, key, params });
  }

  refuse(row: number, feature: string) {
    this.problem(null, null, null, `survey.xlsx.refused.${feature}`, { row });
  }
}

type Cells = Record<string, CellValue>;

const trimmed = (cells: Cells, column: string) => cellText(cells[column]).trim();

/** A row's texts in both languages (the form's default language in the plain column) and its yes/no cells. */
class CellReader {
  constructor(
    private readonly report: SheetReport,
    private readonly defaultLanguage: Language,
  ) {}

  /** A text in one language: `label::nl`, or `label` when nl is the form's default language. */
  private textIn(cells: Cells, column: string, lang: Language): string {
    return cellText(cells[`${column}::${lang}`] ?? (lang === this.defaultLanguage ? cells[column] : undefined));
  }

  localText(cells: Cells, column: string): LocalText {
    const nl = this.textIn(cells, column, 'nl');
    const en = this.textIn(cells, column, 'en');
    return en.trim() ? { nl, en } : { nl };
  }

  optionalText(cells: Cells, column: string): LocalText | undefined {
    const text = this.localText(cells, column);
    // Only English given (an English form's hint): the Dutch interface shows it too.
    if (!text.nl.trim() && text.en) return { nl: text.en, en: text.en };
    return text.nl.trim() ? text : undefined;
  }

  yesNo(sheet: Located['sheet'], row: number, cells: Cells, column: string): boolean | undefined {
    const value = cells[column];
    if (value === null || value === undefined || String(value).trim() === '') return undefined;
    const v = String(value).trim().toLowerCase();
    if (['yes', 'ja', 'true', 'true()', '1'].includes(v)) return true;
    if (['no', 'nee', 'false', 'false()', '0'].includes(v)) return false;
    this.report.problem(sheet, row, column, 'survey.xlsx.not_yes_no', { value: String(value) });
    return undefined;
  }
}

type Sheets = { survey?: SheetIn; choices?: SheetIn; settings?: SheetIn };

/** The sheets and columns every form needs; other tools' columns are listed once per sheet, then ignored. */
function checkColumns(sheets: Sheets, report: SheetReport) {
  if (!sheets.survey) report.problem('survey', null, null, 'survey.xlsx.sheet_missing', { sheet: 'survey' });
  for (const name of ['survey', 'choices', 'settings'] as const) {
    const unknown = sheets[name]?.unknownColumns ?? [];
    if (unknown.length)
      report.warnings.push({
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
      if (!sheet.columns.has(c)) report.problem(name, 1, c, 'survey.xlsx.column_missing', { column: c });
  };
  need('survey', ['type', 'name']);
  if (sheets.choices) need('choices', ['list_name', 'name']);
}

/** The settings sheet: its first row with content; none at all is fine (the key from the file name). */
function readSettings(sheets: Sheets, source: { fileName?: string }, report: SheetReport) {
  const settingsRow = sheets.settings?.rows[0];
  const at: Located = { sheet: 'settings', row: settingsRow?.row ?? 2 };
  const settings = settingsRow?.cells ?? {};
  const defaultLanguage = languageCode(trimmed(settings, 'default_language') || 'nl') === 'en' ? 'en' : 'nl';
  const reader = new CellReader(report, defaultLanguage);
  // Our own version number is given on storing; another tool's version (`2024-05-01`, `v3`) is only kept when it is one.
  const versionText = trimmed(settings, 'version');
  const version = /^\d+$/.test(versionText) && Number(versionText) >= 1 ? Number(versionText) : 1;
  const formId = trimmed(settings, 'form_id');
  const key = formId ? keyFromFileName(formId) || formId : keyFromFileName(source.fileName ?? '');
  const title = reader.optionalText(settings, 'form_title') ?? (formId || key ? { nl: formId || key } : { nl: '' });
  const intro = reader.optionalText(settings, 'intro');
  return { at, reader, version, key, title, intro };
}

type Option = NonNullable<Question['options']>[number];
type ChoiceLists = Map<string, { option: Option; row: number }[]>;

/** The choices sheet: the lists by name, each option with its row. */
function readChoices(sheet: SheetIn | undefined, reader: CellReader, report: SheetReport): ChoiceLists {
  const lists: ChoiceLists = new Map();
  for (const { row, cells } of sheet?.rows ?? []) {
    const list = trimmed(cells, 'list_name');
    if (!list) {
      report.problem('choices', row, 'list_name', 'survey.xlsx.list_name_missing');
      continue;
    }
    const option: Option = { value: trimmed(cells, 'name'), label: reader.localText(cells, 'label') };
    if (!option.value) report.problem('choices', row, 'name', 'survey.xlsx.choice_name_missing');
    const exclusive = reader.yesNo('choices', row, cells, 'exclusive');
    if (exclusive !== undefined) option.exclusive = exclusive;
    const entries = lists.get(list) ?? [];
    if (entries.some((e) => e.option.value === option.value) && option.value)
      report.problem('choices', row, 'name', 'survey.xlsx.choice_duplicate', { value: option.value, list });
    entries.push({ option, row });
    lists.set(list, entries);
  }
  return lists;
}

type PageOut = SurveyDefinition['pages'][number];
interface OpenPage {
  page: PageOut;
  row: number;
  rows: number[];
  optionRows: number[][];
  implicit: boolean;
}

/**
 * The pages of the survey sheet as they are read: a page from `begin group` to
 * `end group`, and an implicit page for questions outside any group (forms of
 * other tools often have no groups); each page, question and option with its row.
 */
class PageCollector {
  readonly pages: PageOut[] = [];
  readonly pageRows: number[] = [];
  readonly questionRows: number[][] = [];
  readonly optionRows: number[][][] = [];
  readonly seenPages = new Map<string, number>();
  current: OpenPage | null = null;

  constructor(private readonly title: LocalText) {}

  close() {
    const current = this.current;
    if (!current) return;
    if (current.page.questions.length || !current.implicit) {
      this.pages.push(current.page);
      this.pageRows.push(current.row);
      this.questionRows.push(current.rows);
      this.optionRows.push(current.optionRows);
    }
    this.current = null;
  }

  /** The open page, or a new implicit one starting at this row. */
  openOrImplicit(row: number): OpenPage {
    if (this.current) return this.current;
    let n = this.pages.length + 1;
    while (this.seenPages.has(`pagina_${n}`)) n++;
    this.seenPages.set(`pagina_${n}`, row);
    this.current = {
      page: { key: `pagina_${n}`, title: { ...this.title }, questions: [] },
      row,
      rows: [],
      optionRows: [],
      implicit: true,
    };
    return this.current;
  }
}

/** What the survey sheet says: its pages with their rows, and the rows of other tools' metadata. */
function readSurvey(sheet: SheetIn, lists: ChoiceLists, title: LocalText, reader: CellReader, report: SheetReport) {
  const collector = new PageCollector(title);
  const seenQuestions = new Map<string, { row: number; type: QuestionType }>();
  const metadataRows: number[] = [];
  for (const { row, cells } of sheet.rows) {
    const typeText = trimmed(cells, 'type').replace(/\s+/g, ' ');
    const typeLower = typeText.toLowerCase();
    if (!typeText) {
      report.problem('survey', row, 'type', 'survey.xlsx.type_missing');
      continue;
    }
    if (refusedRow(row, cells, typeLower, report)) continue;
    if (METADATA_TYPES.has(typeLower.split(' ')[0])) metadataRows.push(row);
    else if (typeLower === 'begin group' || typeLower === 'begin_group')
      beginGroup(row, cells, collector, reader, report);
    else if (typeLower === 'end group' || typeLower === 'end_group') {
      if (!collector.current || collector.current.implicit)
        report.problem('survey', row, 'type', 'survey.xlsx.group_end_without_begin');
      else collector.close();
    } else if (typeLower === 'note') addNote(row, cells, collector, reader);
    else {
      const read = questionFromRow(row, cells, typeText, { collector, seenQuestions, lists, reader, report });
      if (!read) continue;
      const current = collector.openOrImplicit(row);
      current.page.questions.push(read.question);
      current.rows.push(row);
      current.optionRows.push(read.optionRows);
    }
  }
  const open = collector.current;
  if (open && !open.implicit)
    report.problem('survey', open.row, 'type', 'survey.xlsx.group_not_closed', { name: open.page.key });
  else collector.close();
  if (!sheet.rows.length) report.problem('survey', 2, 'type', 'survey.xlsx.survey_empty');
  if (metadataRows.length)
    report.warnings.push({
      sheet: 'survey',
      row: null,
      column: null,
      key: 'survey.xlsx.metadata_ignored',
      params: { rows: metadataRows.join(', '), n: metadataRows.length },
    });
  return collector;
}

/** A row of a kind Impactmonitor refuses (repeats, calculations, `or_other`, choice filters), said once. */
function refusedRow(row: number, cells: Cells, typeLower: string, report: SheetReport): boolean {
  const refused = REFUSED_TYPES[typeLower] ?? REFUSED_TYPES[typeLower.split(' ')[0]];
  if (refused) {
    if (!typeLower.startsWith('end')) report.refuse(row, refused);
    return true;
  }
  if (/\bor_other\b/.test(typeLower)) {
    report.refuse(row, 'or_other');
    return true;
  }
  if (trimmed(cells, 'choice_filter')) {
    report.refuse(row, 'choice_filter');
    return true;
  }
  return false;
}

/** `begin group`: a page of its own (an implicit page before it is closed; groups do not nest). */
function beginGroup(row: number, cells: Cells, collector: PageCollector, reader: CellReader, report: SheetReport) {
  if (collector.current?.implicit) collector.close();
  if (collector.current) {
    report.problem('survey', row, 'type', 'survey.xlsx.group_nested', { open: collector.current.row });
    return;
  }
  const name = trimmed(cells, 'name');
  if (name && collector.seenPages.has(name))
    report.problem('survey', row, 'name', 'survey.xlsx.name_duplicate', { name, row: collector.seenPages.get(name)! });
  if (name) collector.seenPages.set(name, row);
  const page: PageOut = { key: name, title: reader.localText(cells, 'label'), questions: [] };
  const pageIntro = reader.optionalText(cells, 'hint');
  if (pageIntro) page.intro = pageIntro;
  collector.current = { page, row, rows: [], optionRows: [], implicit: false };
}

/** A note is text on its page: it joins the page's introduction. */
function addNote(row: number, cells: Cells, collector: PageCollector, reader: CellReader) {
  const current = collector.openOrImplicit(row);
  const note = reader.optionalText(cells, 'label');
  if (!note) return;
  const intro = current.page.intro;
  current.page.intro = intro
    ? {
        nl: [intro.nl, note.nl].filter((x) => x.trim()).join('\n\n'),
        ...(intro.en || note.en ? { en: [intro.en ?? '', note.en ?? ''].filter((x) => x.trim()).join('\n\n') } : {}),
      }
    : note;
}

/** What reading a question row needs from the rest of the workbook. */
interface QuestionContext {
  collector: PageCollector;
  seenQuestions: Map<string, { row: number; type: QuestionType }>;
  lists: ChoiceLists;
  reader: CellReader;
  report: SheetReport;
}

/** The question type of a row (`select_one regelingen`, `impact::type`) and its list; null after a problem. */
function questionTypeOf(
  row: number,
  cells: Cells,
  typeText: string,
  report: SheetReport,
): { type: QuestionType; listName: string | undefined; choice: boolean } | null {
  const [xlsTypeWord, ...restWords] = typeText.split(' ');
  // `select one regelingen` is `select_one regelingen` too
  const twoWords = `${xlsTypeWord} ${restWords[0] ?? ''}`.toLowerCase();
  const joined = XLSFORM_TO_TYPE.has(twoWords);
  const [listName, ...extra] = joined ? restWords.slice(1) : restWords;
  let type = XLSFORM_TO_TYPE.get(joined ? twoWords : xlsTypeWord.toLowerCase());
  if (!type) {
    report.problem('survey', row, 'type', 'survey.xlsx.type_unknown', { type: typeText });
    return null;
  }
  const ownType = trimmed(cells, 'impact::type').toLowerCase();
  if (ownType) {
    const own = XLSFORM_TO_TYPE.get(ownType);
    if (!own) {
      report.problem('survey', row, 'impact::type', 'survey.xlsx.type_unknown', { type: ownType });
      return null;
    }
    type = own;
  }
  const choice = CHOICE_TYPES.includes(type);
  const listed = choice || (type === 'boolean' && listName !== undefined);
  if (extra.length || (!listed && listName)) {
    report.problem('survey', row, 'type', 'survey.xlsx.type_extra', { type: typeText });
    return null;
  }
  return { type, listName, choice };
}

/** A question row as a question, with the rows of its options; null after a problem. */
function questionFromRow(
  row: number,
  cells: Cells,
  typeText: string,
  context: QuestionContext,
): { question: Question; optionRows: number[] } | null {
  const { collector, seenQuestions, reader, report } = context;
  const typed = questionTypeOf(row, cells, typeText, report);
  if (!typed) return null;
  collector.openOrImplicit(row);
  const name = trimmed(cells, 'name');
  if (!name) {
    report.problem('survey', row, 'name', 'survey.xlsx.name_missing');
    return null;
  }
  if (seenQuestions.has(name)) {
    report.problem('survey', row, 'name', 'survey.xlsx.name_duplicate', { name, row: seenQuestions.get(name)!.row });
    return null;
  }
  seenQuestions.set(name, { row, type: typed.type });
  const q: Question = { key: name, type: typed.type, label: reader.localText(cells, 'label') };
  readQuestionTexts(q, cells, reader);
  readQuestionChecks(q, row, cells, reader, report);
  const optionRows = typed.choice ? readQuestionOptions(q, row, typeText, typed.listName, context) : [];
  readQuestionCondition(q, row, cells, seenQuestions, report);
  readQuestionReport(q, row, cells, reader);
  return { question: q, optionRows };
}

/** hint, unit, report_label, required_message and constraint_message, in both languages. */
function readQuestionTexts(q: Question, cells: Cells, reader: CellReader) {
  const help = reader.optionalText(cells, 'hint');
  if (help) q.help = help;
  const unit = reader.optionalText(cells, 'unit');
  if (unit) q.unit = unit;
  const reportLabel = reader.optionalText(cells, 'report_label');
  if (reportLabel) q.report_label = reportLabel;
  const requiredMessage = reader.optionalText(cells, 'required_message');
  if (requiredMessage) q.required_message = requiredMessage;
  const constraintMessage = reader.optionalText(cells, 'constraint_message');
  if (constraintMessage) q.constraint_message = constraintMessage;
}

/** required, constraint (bounds) and max_length. */
function readQuestionChecks(q: Question, row: number, cells: Cells, reader: CellReader, report: SheetReport) {
  const required = reader.yesNo('survey', row, cells, 'required');
  if (required !== undefined) q.required = required;
  const constraint = trimmed(cells, 'constraint');
  if (constraint) {
    try {
      const bounds = readConstraint(constraint);
      if (bounds.min !== undefined) q.min = bounds.min;
      if (bounds.max !== undefined) q.max = bounds.max;
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      report.problem('survey', row, 'constraint', error.key, { ...error.params, expression: constraint });
    }
  }
  const maxLength = trimmed(cells, 'max_length');
  if (maxLength) {
    if (/^\d+$/.test(maxLength)) q.max_length = Number(maxLength);
    else report.problem('survey', row, 'max_length', 'survey.xlsx.not_whole_number', { value: maxLength });
  }
}

/** A choice question's options from its list on the choices sheet; the options' rows. */
function readQuestionOptions(
  q: Question,
  row: number,
  typeText: string,
  listName: string | undefined,
  { lists, report }: QuestionContext,
): number[] {
  const entries = listName ? lists.get(listName) : undefined;
  if (!listName) report.problem('survey', row, 'type', 'survey.xlsx.list_not_named', { type: typeText });
  else if (!entries) report.problem('survey', row, 'type', 'survey.xlsx.list_missing', { list: listName });
  else {
    q.options = entries.map((e) => ({ ...e.option, label: { ...e.option.label } }));
    return entries.map((e) => e.row);
  }
  return [];
}

/** relevant: the condition on questions of earlier rows. */
function readQuestionCondition(
  q: Question,
  row: number,
  cells: Cells,
  seenQuestions: QuestionContext['seenQuestions'],
  report: SheetReport,
) {
  const relevant = trimmed(cells, 'relevant');
  if (!relevant) return;
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
    report.problem('survey', row, 'relevant', error.key, { ...error.params, expression: relevant });
  }
}

/** aux, report, statistics, key_figure and publish_consent: how the report uses the question. */
function readQuestionReport(q: Question, row: number, cells: Cells, reader: CellReader) {
  const aux = trimmed(cells, 'aux');
  if (aux) q.aux = aux;
  const report: NonNullable<Question['report']> = {};
  const include = reader.yesNo('survey', row, cells, 'report');
  if (include !== undefined) report.include = include;
  const statistics = trimmed(cells, 'statistics');
  if (statistics) report.statistics = statistics.split(/[\s,;]+/) as NonNullable<typeof report.statistics>;
  const keyFigure = reader.optionalText(cells, 'key_figure');
  if (keyFigure) report.key_figure = keyFigure;
  if (Object.keys(report).length) q.report = report;
  const consent = trimmed(cells, 'publish_consent');
  if (consent) q.publish_consent = consent;
}

export function definitionFromSheets(sheets: Sheets, source: { fileName?: string } = {}): SheetsResult {
  const report = new SheetReport();
  checkColumns(sheets, report);
  if (report.problems.length) return { ok: false, problems: report.problems };
  const settings = readSettings(sheets, source, report);
  const lists = readChoices(sheets.choices, settings.reader, report);
  const survey = readSurvey(sheets.survey!, lists, settings.title, settings.reader, report);
  if (!settings.key) report.problem('settings', settings.at.row, 'form_id', 'survey.xlsx.form_id_missing');
  if (report.problems.length) return { ok: false, problems: report.problems };

  const candidate: Record<string, unknown> = {
    key: settings.key,
    version: settings.version,
    title: settings.title,
    pages: survey.pages,
  };
  if (settings.intro) candidate.intro = settings.intro;
  const parsed = parseDefinition(candidate);
  if (parsed.ok) return { ...parsed, warnings: report.warnings };
  const { pageRows, questionRows, optionRows } = survey;
  return {
    ok: false,
    problems: parsed.problems.map((p) => locate(p, { settingsAt: settings.at, pageRows, questionRows, optionRows })),
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
