import { describe, expect, it } from 'vitest';
import { allQuestions, canonicalJson, definitionChecksum, parseDefinition } from '../../../surveys/definition-schema';
import { missingTranslations } from '../../../views/i18n/index';
import { CORONA } from '../../support/survey-fixtures';

const T = (s: string) => ({ nl: s, en: s });
function def(questions: unknown[], extraPages: unknown[] = []) {
  return {
    key: 'test',
    version: 1,
    title: T('Test'),
    pages: [{ key: 'p1', title: T('P1'), questions }, ...extraPages],
  };
}
function problems(json: unknown) {
  const r = parseDefinition(json);
  return r.ok ? [] : r.problems.map((p) => `${p.path} ${p.key}`);
}

describe('questionnaire definition schema', () => {
  it('accepts the shipped corona-impact questionnaire: about 20 questions, Dutch and English, aux on numeric questions', () => {
    const questions = allQuestions(CORONA);
    expect(questions.length).toBeGreaterThanOrEqual(18);
    expect(CORONA.pages.length).toBeGreaterThanOrEqual(4);
    for (const q of questions) {
      expect(q.label.nl && q.label.en).toBeTruthy();
      for (const o of q.options ?? []) expect(o.label.nl && o.label.en).toBeTruthy();
    }
    const withAux = questions.filter((q) => q.aux).map((q) => `${q.key}:${q.aux}`);
    expect(withAux).toEqual(
      expect.arrayContaining([
        'revenue_loss_eur:turnover_eur',
        'students_quit:students',
        'freelance_teachers_affected:teachers_freelance',
      ]),
    );
    expect(questions.find((q) => q.key === 'online_share_pct')!.visible_if).toEqual({
      question: 'online_lessons',
      equals: true,
    });
    expect(questions.find((q) => q.key === 'schemes')!.options!.map((o) => o.value)).toEqual([
      'NOW',
      'TOGS',
      'TVL',
      'Tozo',
      'municipal',
      'none',
    ]);
    expect(missingTranslations()).toEqual({ nl: [], en: [] });
  });

  it('reports every problem with its path', () => {
    const result = problems(
      def([
        { key: 'a', type: 'integer', label: T('A'), min: 10, max: 5, aux: 'omzet' },
        { key: 'a', type: 'single_choice', label: T('dup') },
        {
          key: 'b',
          type: 'text',
          label: T('B'),
          visible_if: { question: 'c', equals: true },
          aux: 'students',
          options: [{ value: 'x', label: T('x') }],
        },
        { key: 'c', type: 'boolean', label: T('C'), visible_if: { question: 'zzz', equals: true } },
        { key: 'd', type: 'percentage', label: T('D'), max: 120 },
        {
          key: 'e',
          type: 'multi_choice',
          label: T('E'),
          options: [
            { value: 'x', label: T('x') },
            { value: 'x', label: T('y') },
          ],
        },
        { key: 'f', type: 'integer', label: T('F'), visible_if: { question: 'c', gt: 3 } },
        { key: 'g', type: 'integer', label: T('G'), visible_if: { question: 'c', equals: 'ja' } },
        { key: 'h', type: 'boolean', label: T('H'), max_length: 10 },
      ]),
    );
    expect(result).toEqual([
      'pages[0].questions[0].min survey.def.min_above_max',
      'pages[0].questions[0].aux survey.def.aux_unknown',
      'pages[0].questions[1].key survey.def.duplicate_question',
      'pages[0].questions[1].options survey.def.choice_without_options',
      'pages[0].questions[2].options survey.def.options_not_allowed',
      'pages[0].questions[2].aux survey.def.aux_not_numeric',
      'pages[0].questions[2].visible_if.question survey.def.visible_if_later',
      'pages[0].questions[3].visible_if.question survey.def.visible_if_unknown',
      'pages[0].questions[4].max survey.def.percentage_bounds',
      'pages[0].questions[5].options[1].value survey.def.duplicate_option',
      'pages[0].questions[6].visible_if survey.def.visible_if_compare_numeric',
      'pages[0].questions[7].visible_if survey.def.visible_if_value',
      'pages[0].questions[8].max_length survey.def.max_length_only_text',
    ]);
  });

  it('reports structural problems from zod with paths', () => {
    expect(problems({ key: 'Bad Key', version: 0, title: { nl: 'x' }, pages: [] })).toEqual([
      'key survey.def.survey_key_format',
      'version survey.def.version_required',
      'pages survey.def.no_pages',
    ]);
    expect(problems(def([{ key: 'a', type: 'slider', label: T('A') }]))).toEqual([
      'pages[0].questions[0].type survey.def.type_unknown',
    ]);
    expect(problems(def([{ key: 'a', type: 'text', label: T('A'), colour: 'red' }]))).toEqual([
      'pages[0].questions[0] survey.def.unknown_field',
    ]);
    expect(
      problems(
        def([
          { key: 'b', type: 'boolean', label: T('B') },
          { key: 'a', type: 'text', label: T('A'), visible_if: { question: 'b', equals: true, lt: 3 } },
        ]),
      ),
    ).toEqual(['pages[0].questions[1].visible_if survey.def.visible_if_one_condition']);
  });

  it('takes Dutch texts alone as complete: English is optional, an empty English text is none', () => {
    const parsed = parseDefinition(def([{ key: 'a', type: 'text', label: { nl: 'A', en: ' ' } }]));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.definition.pages[0].questions[0].label).toEqual({ nl: 'A' });
    expect(problems(def([{ key: 'a', type: 'text', label: { en: 'A' } }]))).toEqual([
      'pages[0].questions[0].label.nl survey.def.wrong_type',
    ]);
  });

  it('gives the same checksum for the same content in any key order', () => {
    const a = {
      key: 'x',
      version: 1,
      title: T('t'),
      pages: [{ key: 'p', title: T('p'), questions: [{ key: 'q', type: 'text', label: T('q') }] }],
    };
    const b = JSON.parse(JSON.stringify({ pages: a.pages, title: a.title, version: 1, key: 'x' }));
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    const pa = parseDefinition(a);
    const pb = parseDefinition({ ...b, title: T('other') });
    expect(pa.ok && pb.ok && definitionChecksum(pa.definition) !== definitionChecksum(pb.definition)).toBe(true);
  });
});
