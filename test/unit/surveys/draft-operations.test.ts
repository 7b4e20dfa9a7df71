import { describe, expect, it } from 'vitest';
import { parseDefinition } from '../../../surveys/definition-schema';
import {
  addOption,
  addPage,
  addQuestion,
  conditionChoices,
  fieldOfProblem,
  insertCopiedQuestion,
  KeyClash,
  moveOption,
  moveQuestion,
  newDefinition,
  optionValueFrom,
  placeProblems,
  questionFromForm,
  removeOption,
  removeQuestion,
} from '../../../surveys/editor/draft-operations';
import { textsWithoutEnglish } from '../../../surveys/editor/editor-view';

const keys = (def: ReturnType<typeof newDefinition>) => def.pages.map((p) => p.questions.map((q) => q.key));

function sample() {
  let def = newDefinition('crisis', { nl: 'Crisis', en: 'Crisis' });
  def = addQuestion(def, 0, 'boolean').definition; // vraag_1
  def = addQuestion(def, 0, 'single_choice').definition; // vraag_2
  def = addPage(def).definition;
  def = addQuestion(def, 1, 'integer').definition; // vraag_3
  def = addQuestion(def, 1, 'text').definition; // vraag_4
  return def;
}

describe('editing operations on a draft', () => {
  it('adds questions with free keys, and choice questions with one option', () => {
    const def = sample();
    expect(keys(def)).toEqual([
      ['vraag_1', 'vraag_2'],
      ['vraag_3', 'vraag_4'],
    ]);
    expect(def.pages[0].questions[1].options).toEqual([{ value: 'optie_1', label: { nl: '', en: '' } }]);
    expect(def.pages[0].questions[0].options).toBeUndefined();
    expect(def.pages[1].key).toBe('pagina_2');
  });

  it('moves questions within a page and across page boundaries, and removes them', () => {
    const def = sample();
    const down = moveQuestion(def, 0, 0, 'down');
    expect(keys(down.definition)).toEqual([
      ['vraag_2', 'vraag_1'],
      ['vraag_3', 'vraag_4'],
    ]);
    expect([down.page, down.index]).toEqual([0, 1]);
    const across = moveQuestion(def, 0, 1, 'down');
    expect(keys(across.definition)).toEqual([['vraag_1'], ['vraag_2', 'vraag_3', 'vraag_4']]);
    expect([across.page, across.index]).toEqual([1, 0]);
    const back = moveQuestion(across.definition, 1, 0, 'up');
    expect(keys(back.definition)).toEqual(keys(def));
    // The first question cannot go further up; the original is untouched.
    expect(keys(moveQuestion(def, 0, 0, 'up').definition)).toEqual(keys(def));
    expect(keys(removeQuestion(def, 1, 0))).toEqual([['vraag_1', 'vraag_2'], ['vraag_4']]);
    expect(keys(def)[1]).toEqual(['vraag_3', 'vraag_4']);
  });

  it('adds, reorders and removes options', () => {
    let q = sample().pages[0].questions[1];
    q = addOption(q);
    q = addOption(q);
    expect(q.options!.map((o) => o.value)).toEqual(['optie_1', 'optie_2', 'optie_3']);
    expect(moveOption(q, 2, 'up').options!.map((o) => o.value)).toEqual(['optie_1', 'optie_3', 'optie_2']);
    expect(moveOption(q, 0, 'up').options!.map((o) => o.value)).toEqual(['optie_1', 'optie_2', 'optie_3']);
    expect(removeOption(q, 1).options!.map((o) => o.value)).toEqual(['optie_1', 'optie_3']);
  });

  it('offers conditions only on earlier questions that can steer one (not text)', () => {
    const def = sample();
    expect(conditionChoices(def, 0, 0)).toEqual([]);
    expect(conditionChoices(def, 0, 1).map((c) => c.question.key)).toEqual(['vraag_1']);
    expect(conditionChoices(def, 0, 1)[0].values.map((v) => v.value)).toEqual([true, false]);
    const later = conditionChoices(def, 1, 1);
    expect(later.map((c) => [c.question.key, c.kind])).toEqual([
      ['vraag_1', 'options'],
      ['vraag_2', 'options'],
      ['vraag_3', 'number'],
    ]);
    expect(later[1].values.map((v) => v.value)).toEqual(['optie_1']);
  });

  it('reads the question form: texts, Dutch numbers, options, a condition on an earlier question, report settings', () => {
    const def = sample();
    const before = def.pages[1].questions[0];
    const { question, errors } = questionFromForm(def, 1, 0, before, {
      key: 'leerlingen',
      type: 'integer',
      label_nl: 'Hoeveel leerlingen?',
      label_en: 'How many students?',
      help_nl: '',
      help_en: '',
      required: 'on',
      min: '0',
      max: '10.000',
      aux: 'students',
      visible_if_question: 'vraag_2',
      vi_values__vraag_2: ['optie_1'],
      report_statistics: ['total', 'proportion'],
      key_figure_nl: 'Aantal leerlingen',
      key_figure_en: 'Number of students',
      report_exclude: '',
    });
    expect(errors).toEqual([]);
    expect(question).toEqual({
      key: 'leerlingen',
      type: 'integer',
      label: { nl: 'Hoeveel leerlingen?', en: 'How many students?' },
      required: true,
      min: 0,
      max: 10000,
      aux: 'students',
      visible_if: { question: 'vraag_2', equals: 'optie_1' },
      report: { statistics: ['total'], key_figure: { nl: 'Aantal leerlingen', en: 'Number of students' } },
    });
  });

  it('refuses a condition on a later question and an unreadable number, as form errors', () => {
    const def = sample();
    const before = def.pages[0].questions[0];
    const { errors, question } = questionFromForm(def, 0, 0, before, {
      key: 'vraag_1',
      type: 'boolean',
      label_nl: 'a',
      label_en: 'b',
      visible_if_question: 'vraag_3',
    });
    expect(errors).toEqual([
      { field: 'visible_if_question', key: 'editor.error.condition_not_earlier', params: { question: 'vraag_3' } },
    ]);
    expect(question.visible_if).toBeUndefined();
    const bad = questionFromForm(def, 1, 0, def.pages[1].questions[0], {
      key: 'vraag_3',
      type: 'integer',
      label_nl: 'a',
      label_en: 'b',
      min: 'veel',
    });
    expect(bad.errors).toEqual([{ field: 'min', key: 'editor.error.number', params: { value: 'veel' } }]);
  });

  it('keeps several chosen values as "in", a numeric comparison as gt/lt, and drops fields of another type', () => {
    const def = sample();
    const choice = questionFromForm(def, 1, 1, def.pages[1].questions[1], {
      key: 'toelichting',
      type: 'text',
      label_nl: 'a',
      label_en: 'b',
      visible_if_question: 'vraag_1',
      vi_values__vraag_1: ['true', 'false'],
      min: '3',
      aux: 'students',
    });
    expect(choice.question.visible_if).toEqual({ question: 'vraag_1', in: [true, false] });
    expect(choice.question.min).toBeUndefined();
    expect(choice.question.aux).toBeUndefined();
    const numeric = questionFromForm(def, 1, 1, def.pages[1].questions[1], {
      key: 'toelichting',
      type: 'text',
      label_nl: 'a',
      label_en: 'b',
      visible_if_question: 'vraag_3',
      vi_op__vraag_3: 'lt',
      vi_number__vraag_3: '2,5',
    });
    expect(numeric.question.visible_if).toEqual({ question: 'vraag_3', lt: 2.5 });
    // A question that becomes a choice question gets one empty option to fill in.
    const toChoice = questionFromForm(def, 1, 0, def.pages[1].questions[0], {
      key: 'vraag_3',
      type: 'multi_choice',
      label_nl: 'a',
      label_en: 'b',
      option_count: '0',
    });
    expect(toChoice.question.options).toEqual([{ value: 'optie_1', label: { nl: '', en: '' } }]);
  });

  it('gives a new option a value from the text typed for it, unique, and keeps a value typed', () => {
    const def = sample();
    const choice = addOption(addOption(def.pages[0].questions[1])); // optie_1, optie_2 without text
    const saved = questionFromForm(def, 0, 1, choice, {
      key: 'vraag_2',
      type: 'single_choice',
      label_nl: 'Terugbetaald?',
      option_count: '3',
      option_0_value: 'optie_1',
      option_0_label_nl: 'Gedeeltelijk terug',
      option_1_value: 'optie_2',
      option_1_label_nl: 'Gedeeltelijk  terug!',
      option_2_value: 'eigen',
      option_2_label_nl: 'Café',
    });
    expect(saved.question.options?.map((o) => o.value)).toEqual([
      'gedeeltelijk_terug',
      'gedeeltelijk_terug_2',
      'eigen',
    ]);
    // Once the option has a text, its value is the user's: a later rewording keeps it.
    const again = questionFromForm(def, 0, 1, saved.question, {
      key: 'vraag_2',
      type: 'single_choice',
      label_nl: 'Terugbetaald?',
      option_count: '1',
      option_0_value: 'gedeeltelijk_terug',
      option_0_label_nl: 'Deels terug',
    });
    expect(again.question.options?.[0].value).toBe('gedeeltelijk_terug');
    expect(optionValueFrom('Één café', new Set())).toBe('een_cafe');
  });

  it('lists the texts without English, calmly, per question', () => {
    const def = sample();
    def.pages[0].questions[0].label = { nl: 'Open?' };
    def.pages[0].questions[1].label = { nl: 'Beleid', en: 'Policy' };
    def.pages[0].questions[1].options = [{ value: 'a', label: { nl: 'A' } }];
    const draft = { id: 7, definition: def } as Parameters<typeof textsWithoutEnglish>[0];
    expect(textsWithoutEnglish(draft)).toEqual([
      {
        href: '/beheer/concepten/7/paginas/0/vragen/0',
        question: 'vraag_1',
        page: null,
        fields: ['editor.english.field.label'],
      },
      {
        href: '/beheer/concepten/7/paginas/0/vragen/1',
        question: 'vraag_2',
        page: null,
        fields: ['editor.english.field.options'],
      },
    ]);
  });

  it('copies a library question with its key and refuses a key clash', () => {
    const def = sample();
    const copied = insertCopiedQuestion(def, 1, {
      key: 'omzet',
      type: 'currency',
      label: { nl: 'Omzet', en: 'Turnover' },
    });
    expect(keys(copied)[1]).toEqual(['vraag_3', 'vraag_4', 'omzet']);
    expect(() =>
      insertCopiedQuestion(copied, 0, { key: 'omzet', type: 'currency', label: { nl: 'x', en: 'y' } }),
    ).toThrow(KeyClash);
  });
});

describe('schema problems at their editor fields', () => {
  it('maps zod and cross-check paths to the fields of the editor', () => {
    expect(fieldOfProblem('title.en')).toEqual({ scope: 'survey', field: 'title_en' });
    expect(fieldOfProblem('title')).toEqual({ scope: 'survey', field: 'title_nl' });
    expect(fieldOfProblem('pages')).toEqual({ scope: 'survey', field: 'pages' });
    expect(fieldOfProblem('pages[1].title.nl')).toEqual({ scope: 'page', page: 1, field: 'title_nl' });
    expect(fieldOfProblem('pages[1].questions')).toEqual({ scope: 'page', page: 1, field: 'questions' });
    expect(fieldOfProblem('pages[1].key')).toEqual({ scope: 'page', page: 1, field: 'key' });
    const q = (field: string) => ({ scope: 'question', page: 0, question: 2, field });
    expect(fieldOfProblem('pages[0].questions[2].label.en')).toEqual(q('label_en'));
    expect(fieldOfProblem('pages[0].questions[2].key')).toEqual(q('key'));
    expect(fieldOfProblem('pages[0].questions[2]')).toEqual(q('key'));
    expect(fieldOfProblem('pages[0].questions[2].options[1].label.nl')).toEqual(q('option_1_label_nl'));
    expect(fieldOfProblem('pages[0].questions[2].options[1].value')).toEqual(q('option_1_value'));
    expect(fieldOfProblem('pages[0].questions[2].options')).toEqual(q('options'));
    expect(fieldOfProblem('pages[0].questions[2].visible_if.question')).toEqual(q('visible_if_question'));
    expect(fieldOfProblem('pages[0].questions[2].visible_if')).toEqual(q('visible_if_question'));
    expect(fieldOfProblem('pages[0].questions[2].report.statistics[0]')).toEqual(q('report_statistics'));
    expect(fieldOfProblem('pages[0].questions[2].report.key_figure.en')).toEqual(q('key_figure_en'));
    expect(fieldOfProblem('pages[0].questions[2].min')).toEqual(q('min'));
    expect(fieldOfProblem('pages[0].questions[2].aux')).toEqual(q('aux'));
    expect(fieldOfProblem('pages[0].questions[2].help.nl')).toEqual(q('help_nl'));
  });

  it('places every problem of a real invalid draft on a field of the form that can fix it', () => {
    const def = sample();
    const parsed = parseDefinition(def);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const placed = placeProblems(parsed.problems);
    // Empty Dutch texts of four questions and one option: each at its label field; empty English is no problem.
    const fields = placed.filter((p) => p.place.scope === 'question').map((p) => p.place.field);
    expect(fields).toEqual(expect.arrayContaining(['label_nl', 'option_0_label_nl']));
    expect(fields).not.toContain('label_en');
    expect(placed.every((p) => p.place.field !== '')).toBe(true);
  });
});
