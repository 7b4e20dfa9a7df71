// Conditions as a small expression tree (README "Questionnaires", visible_if): the one
// evaluator (surveys/visibility.ts), the readable text, the definition's checks, and an
// XLSForm `relevant` with and/or/not read from a workbook another tool wrote.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { conditionText } from '../../../surveys/condition-text';
import { type Condition, parseDefinition, type SurveyDefinition } from '../../../surveys/definition-schema';
import { definitionFromXlsx, sheetProblemMessage } from '../../../surveys/definition-xlsform';
import type { StoredAnswer } from '../../../surveys/responses/responses-repository';
import { pageQuestions, visibleQuestions } from '../../../surveys/visibility';

const T = (nl: string) => ({ nl });
const DEF = (() => {
  const parsed = parseDefinition({
    key: 'boom',
    version: 1,
    title: T('Boom'),
    pages: [
      {
        key: 'een',
        title: T('Een'),
        questions: [
          { key: 'q1', type: 'boolean', label: T('Open?') },
          { key: 'q2', type: 'integer', label: T('Leerlingen') },
          {
            key: 'q3',
            type: 'multi_choice',
            label: T('Sporten'),
            options: [
              { value: 'sport', label: T('Sport') },
              { value: 'dans', label: T('Dans') },
            ],
          },
        ],
      },
      {
        key: 'twee',
        title: T('Twee'),
        questions: [
          {
            key: 'q4',
            type: 'currency',
            label: T('Bedrag'),
            visible_if: {
              all: [
                { question: 'q1', equals: true },
                { any: [{ question: 'q2', gte: 10 }, { not: { question: 'q3', equals: 'sport' } }] },
              ],
            },
          },
          { key: 'q5', type: 'text', label: T('Toelichting'), visible_if: { question: 'q4', lte: 1000 } },
          {
            key: 'q6',
            type: 'text',
            label: T('Waarom niet?'),
            visible_if: {
              all: [
                { question: 'q1', equals: true },
                { question: 'q5', not_equals: 'geen' },
              ],
            },
          },
        ],
      },
    ],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.definition;
})();

const answer = (key: string, v: Partial<StoredAnswer>): [string, StoredAnswer] => [
  key,
  { question_key: key, hidden: false, value_num: null, value_text: null, value_bool: null, value_choices: null, ...v },
];

describe('conditions with and, or and not', () => {
  it('are evaluated on the server: and binds the parts, or any part, not turns around', () => {
    const seen = (...answers: [string, StoredAnswer][]) => [...visibleQuestions(DEF, new Map(answers))];
    // q1 yes, q2 5 (not ≥ 10), q3 without sport: not(sport) holds, so q4 is shown.
    expect(
      seen(
        answer('q1', { value_bool: true }),
        answer('q2', { value_num: '5' }),
        answer('q3', { value_choices: ['dans'] }),
      ),
    ).toContain('q4');
    // q3 with sport and q2 below 10: neither part of the or holds.
    expect(
      seen(
        answer('q1', { value_bool: true }),
        answer('q2', { value_num: '5' }),
        answer('q3', { value_choices: ['sport'] }),
      ),
    ).not.toContain('q4');
    // q2 ≥ 10 is enough.
    expect(
      seen(
        answer('q1', { value_bool: true }),
        answer('q2', { value_num: '10' }),
        answer('q3', { value_choices: ['sport'] }),
      ),
    ).toContain('q4');
    // q1 no: the and fails whatever the rest.
    expect(seen(answer('q1', { value_bool: false }), answer('q2', { value_num: '99' }))).not.toContain('q4');
  });

  it('treats a comparison on a hidden or unanswered question as false, so what depends on it is hidden', () => {
    const answers = new Map([
      answer('q1', { value_bool: false }),
      answer('q4', { value_num: '500' }),
      answer('q5', { value_text: 'iets' }),
    ]);
    // q4 is hidden (q1 no), so its answer does not show q5, and q6 needs q1 yes anyway.
    expect([...visibleQuestions(DEF, answers)]).toEqual(['q1', 'q2', 'q3']);
    // Unanswered q5: != is false on an empty answer.
    const open = new Map([answer('q1', { value_bool: true }), answer('q2', { value_num: '12' })]);
    expect(visibleQuestions(DEF, open).has('q6')).toBe(false);
    open.set(...answer('q4', { value_num: '800' }));
    open.set(...answer('q5', { value_text: 'wel' }));
    expect(visibleQuestions(DEF, open).has('q6')).toBe(true);
  });

  it('gives the page the part that depends on its own questions; the rest decided by the server', () => {
    const answers = new Map([answer('q1', { value_bool: true }), answer('q2', { value_num: '12' })]);
    const qs = pageQuestions(DEF, 1, visibleQuestions(DEF, answers), answers);
    const q6 = qs.find((x) => x.q.key === 'q6')!;
    // q1 (earlier page) is folded away: only q5 on this page is left to evaluate live.
    expect(q6.live).toEqual({ question: 'q5', not_equals: 'geen' });
    expect(q6.controller?.key).toBe('q5');
    // q4 depends on the first page only: decided, no live condition.
    expect(qs.find((x) => x.q.key === 'q4')).toMatchObject({ shown: true, live: null, controller: null });
    const no = new Map([answer('q1', { value_bool: false })]);
    const hidden = pageQuestions(DEF, 1, visibleQuestions(DEF, no), no);
    // q1 no settles q6's and: hidden, whatever q5 says.
    expect(hidden.find((x) => x.q.key === 'q6')).toMatchObject({ shown: false, live: null });
  });

  it('reads as text with keys, option labels and parentheses', () => {
    expect(conditionText('nl', DEF.pages[1].questions[0].visible_if!, DEF)).toBe(
      'q1 = ja en (q2 ≥ 10 of niet q3: "Sport" gekozen)',
    );
    expect(conditionText('en', DEF.pages[1].questions[0].visible_if!, DEF)).toBe(
      'q1 = yes and (q2 ≥ 10 or not q3: "Sport" chosen)',
    );
    expect(conditionText('nl', { question: 'q2', in: [1000, 2] }, DEF)).toBe('q2 = 1.000 of 2');
  });

  it('are checked: an unknown or later question, or an option that does not exist, is named with its path', () => {
    const withCondition = (visible_if: unknown) => {
      const def: SurveyDefinition = structuredClone(DEF);
      def.pages[1].questions[0].visible_if = visible_if as Condition;
      const parsed = parseDefinition(def);
      return parsed.ok ? [] : parsed.problems.map((p) => `${p.path} ${p.key}`);
    };
    expect(
      withCondition({ all: [{ question: 'q1', equals: true }, { not: { question: 'q3', equals: 'zwemmen' } }] }),
    ).toEqual(['pages[1].questions[0].visible_if.all[1].not survey.def.visible_if_value']);
    expect(
      withCondition({
        any: [
          { question: 'nergens', equals: 1 },
          { question: 'q5', gt: 1 },
        ],
      }),
    ).toEqual([
      'pages[1].questions[0].visible_if.any[0].question survey.def.visible_if_unknown',
      'pages[1].questions[0].visible_if.any[1].question survey.def.visible_if_later',
    ]);
    expect(withCondition({ all: [{ question: 'q1', equals: true }] })).toEqual([
      'pages[1].questions[0].visible_if.all survey.def.too_small',
    ]);
    expect(withCondition({ question: 'q1', equals: true, gt: 1 })).toEqual([
      'pages[1].questions[0].visible_if survey.def.visible_if_one_condition',
    ]);
  });
});

describe('question keys in upper case', () => {
  it('are accepted as written; two keys that differ only in case are refused', () => {
    const def = structuredClone(DEF);
    def.pages[0].questions[0].key = 'Q1';
    expect(parseDefinition(def).ok).toBe(false); // q4 and q6 still refer to q1
    def.pages[1].questions[0].visible_if = { question: 'Q1', equals: true };
    def.pages[1].questions[2].visible_if = { question: 'Q1', equals: true };
    expect(parseDefinition(def).ok).toBe(true);
    def.pages[0].questions[1].key = 'q1';
    const parsed = parseDefinition(def);
    expect(parsed.ok ? [] : parsed.problems.map((p) => `${p.path} ${p.key}`)).toEqual([
      'pages[0].questions[1].key survey.def.duplicate_question_case',
    ]);
  });
});

describe('an XLSForm relevant with and, or and not()', () => {
  async function workbook(relevant: string): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const survey = wb.addWorksheet('survey');
    survey.addRow(['type', 'name', 'label', 'relevant']);
    survey.addRow(['select_one yn', 'Q1', 'Open?', null]);
    survey.addRow(['integer', 'q2', 'Leerlingen', null]);
    survey.addRow(['select_multiple sport', 'q3', 'Sporten', null]);
    survey.addRow(['decimal', 'q4', 'Bedrag', relevant]);
    const choices = wb.addWorksheet('choices');
    choices.addRow(['list_name', 'name', 'label']);
    choices.addRow(['yn', 'ja', 'Ja']);
    choices.addRow(['yn', 'nee', 'Nee']);
    choices.addRow(['sport', 'sport', 'Sport']);
    choices.addRow(['sport', 'dans', 'Dans']);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('is read into the tree, with upper-case names kept as written', async () => {
    const read = await definitionFromXlsx(
      await workbook("${Q1} = 'ja' and (${q2} >= 10 or not(selected(${q3}, 'sport')))"),
      'boom.xlsx',
    );
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    expect(read.definition.pages.flatMap((p) => p.questions).find((q) => q.key === 'q4')?.visible_if).toEqual({
      all: [
        { question: 'Q1', equals: 'ja' },
        { any: [{ question: 'q2', gte: 10 }, { not: { question: 'q3', equals: 'sport' } }] },
      ],
    });
  });

  it('names the row of an option that does not exist, and the row and position of what cannot be read', async () => {
    const unknownOption = await definitionFromXlsx(
      await workbook("${Q1} = 'ja' and not(selected(${q3}, 'zwemmen'))"),
      'boom.xlsx',
    );
    expect(unknownOption.ok ? [] : unknownOption.problems.map((p) => sheetProblemMessage('nl', p))).toEqual([
      'Blad survey, rij 5, kolom relevant (D): De waarde "zwemmen" past niet bij vraag "q3".',
    ]);
    const broken = await definitionFromXlsx(await workbook("${Q1} = 'ja' and (${q2} >= 10"), 'boom.xlsx');
    expect(broken.ok ? [] : broken.problems.map((p) => sheetProblemMessage('nl', p))).toEqual([
      `Blad survey, rij 5, kolom relevant (D): "\${Q1} = 'ja' and (\${q2} >= 10" is onvolledig. (bij teken 30)`,
    ]);
  });
});
