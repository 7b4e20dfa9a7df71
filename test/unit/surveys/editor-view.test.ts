import { describe, expect, it } from 'vitest';
import type { WaveBreak } from '../../../surveys/editor/draft-comparability';
import { addPage, addQuestion, newDefinition, placeProblems } from '../../../surveys/editor/draft-operations';
import type { Draft } from '../../../surveys/editor/drafts';
import {
  breakWarnings,
  editorMessageKey,
  pageIndexOf,
  problemSummary,
  questionIndexOf,
  questionProblems,
  questionUrlByKey,
} from '../../../surveys/editor/editor-view';

function draft(): Draft {
  let def = newDefinition('crisis', { nl: 'Crisis', en: 'Crisis' });
  def = addQuestion(def, 0, 'boolean').definition; // vraag_1
  def = addPage(def).definition; // pagina_1
  def = addQuestion(def, 1, 'integer').definition; // vraag_2
  def = addQuestion(def, 1, 'text').definition; // vraag_3
  return { id: 7, key: 'crisis', basedOnVersion: null, definition: def, revision: 1 } as unknown as Draft;
}

describe('the editor placing problems and warnings', () => {
  const problems = placeProblems([
    { path: 'title.en', key: 'survey.def.text_required', params: {} },
    { path: 'pages[1].title.nl', key: 'survey.def.text_required', params: {} },
    { path: 'pages[1].questions[1].label.en', key: 'survey.def.text_required', params: {} },
    { path: 'pages[1].questions[1].visible_if', key: 'survey.def.visible_if_one_condition', params: {} },
  ]);

  it('links each problem to the field that fixes it: on the overview, or on the question form', () => {
    const summary = problemSummary(draft(), problems);
    expect(summary.map((s) => [s.href, s.scope, s.question])).toEqual([
      ['#title_en', 'survey', null],
      ['#page-1-title_nl', 'page', null],
      ['/beheer/concepten/7/paginas/1/vragen/1#label_en', 'question', 'vraag_3'],
      ['/beheer/concepten/7/paginas/1/vragen/1#visible_if_question', 'question', 'vraag_3'],
    ]);
  });

  it("words a schema problem the editor's own way where it has one", () => {
    expect(editorMessageKey('survey.def.visible_if_one_condition')).toBe('editor.def.visible_if_one_condition');
    expect(editorMessageKey('survey.def.text_required')).toBe('survey.def.text_required');
  });

  it("gives one question's problems as errors at its form's fields, no other question's", () => {
    expect(questionProblems(problems, { pi: 1, qi: 1 })).toEqual([
      { field: 'label_en', key: 'survey.def.text_required', params: {} },
      { field: 'visible_if_question', key: 'editor.def.visible_if_one_condition', params: {} },
    ]);
    expect(questionProblems(problems, { pi: 1, qi: 0 })).toEqual([]);
  });

  it('finds a page and a question by key wherever they are, and says when they are gone', () => {
    const d = draft();
    expect(pageIndexOf(d.definition, d.definition.pages[1].key)).toBe(1);
    expect(pageIndexOf(d.definition, 'weg')).toBeNull();
    expect(questionIndexOf(d.definition, 'vraag_3')).toEqual({ pi: 1, qi: 1 });
    expect(questionIndexOf(d.definition, 'weg')).toBeNull();
    expect(questionUrlByKey(d, 'vraag_2')).toBe('/beheer/concepten/7/paginas/1/vragen/0');
    expect(questionUrlByKey(d, 'weg')).toBe('/beheer/concepten/7');
  });

  it('warns at each field whose change breaks comparability with a wave, for this question only', () => {
    const breaks: WaveBreak[] = [
      {
        key: 'vraag_2',
        version: 3,
        changes: [
          { kind: 'type', before: 'integer', after: 'number', breaks: true },
          { kind: 'option_removed', value: 'a', label: { nl: 'A', en: 'A' }, breaks: true },
          { kind: 'reworded', before: { nl: 'x', en: 'x' }, after: { nl: 'y', en: 'y' }, breaks: false },
        ],
      },
      { key: 'vraag_3', version: 3, changes: [{ kind: 'type', before: 'text', after: 'integer', breaks: true }] },
    ];
    const warnings = breakWarnings(breaks, 'vraag_2', 'nl');
    expect(Object.keys(warnings).sort()).toEqual(['options', 'type']);
    expect(warnings.type).toContain('vraag vraag_2 in versie 3');
    expect(breakWarnings(breaks, 'vraag_1', 'nl')).toEqual({});
  });
});
