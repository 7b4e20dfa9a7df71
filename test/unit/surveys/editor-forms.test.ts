import { describe, expect, it } from 'vitest';
import { addPage, addQuestion, newDefinition } from '../../../surveys/editor/draft-operations';
import { type Draft, DraftError } from '../../../surveys/editor/drafts';
import {
  applyAddPage,
  applyLibraryCopy,
  applyOptionAction,
  applyPageAction,
  applyQuestionRowAction,
  pageAuditName,
  questionAuditName,
} from '../../../surveys/editor/editor-actions';
import {
  questionAction,
  readEditorAction,
  readLibraryCopyForm,
  readPageForm,
  readSettingsForm,
} from '../../../surveys/editor/editor-forms';
import { previewPage } from '../../../surveys/editor/editor-pages';

function sample() {
  let def = newDefinition('crisis', { nl: 'Crisis', en: 'Crisis' });
  def = addQuestion(def, 0, 'boolean').definition; // vraag_1
  def = addQuestion(def, 0, 'single_choice').definition; // vraag_2
  def = addPage(def).definition;
  def = addQuestion(def, 1, 'integer').definition; // vraag_3
  return def;
}
const keys = (def: ReturnType<typeof sample>) => def.pages.map((p) => p.questions.map((q) => q.key));

describe('the editor forms, read by their schemas', () => {
  it('reads the revision, and a missing or malformed one as -1 (always stale)', () => {
    expect(readEditorAction({ revision: '7', action: 'save', was: ' vraag_1 ' })).toEqual({
      revision: 7,
      action: 'save',
      was: 'vraag_1',
    });
    expect(readEditorAction({ revision: '7x' }).revision).toBe(-1);
    expect(readEditorAction({ revision: ['7', '8'] }).revision).toBe(-1);
    expect(readEditorAction(undefined)).toEqual({ revision: -1, action: '', was: '' });
    expect(readEditorAction('revision=7')).toEqual({ revision: -1, action: '', was: '' });
  });

  it('reads the settings: trimmed texts, an empty introduction is absent, hostile shapes read as empty', () => {
    expect(readSettingsForm({ title_nl: ' Crisis ', title_en: 'Crisis', intro_nl: '', intro_en: '' })).toEqual({
      title: { nl: 'Crisis', en: 'Crisis' },
      intro: undefined,
    });
    expect(readSettingsForm({ title_nl: { $ne: 1 }, title_en: ['a'], intro_nl: 'Welkom' })).toEqual({
      title: { nl: '', en: '' },
      intro: { nl: 'Welkom', en: '' },
    });
  });

  it('reads a page form as one action: save with its fields, move, remove, or add a question of a known type', () => {
    const fields = { page_key: ' situatie ', page_title_nl: 'Situatie', page_title_en: 'Situation', revision: '3' };
    expect(readPageForm({ ...fields, action: 'save', was: 'begin' })).toEqual({
      revision: 3,
      was: 'begin',
      action: {
        kind: 'save',
        fields: { key: 'situatie', title: { nl: 'Situatie', en: 'Situation' }, intro: undefined },
      },
    });
    expect(readPageForm({ ...fields }).action.kind).toBe('save');
    expect(readPageForm({ action: 'up' }).action).toEqual({ kind: 'move', direction: 'up' });
    expect(readPageForm({ action: 'remove' }).action).toEqual({ kind: 'remove' });
    expect(readPageForm({ action: 'add_question', type: 'integer' }).action).toEqual({
      kind: 'add_question',
      type: 'integer',
    });
    expect(readPageForm({ action: 'add_question', type: 'script' }).action).toEqual({
      kind: 'add_question',
      type: 'text',
    });
  });

  it("reads a question's buttons, including the option buttons with their index", () => {
    expect(questionAction('down')).toEqual({ kind: 'move', direction: 'down' });
    expect(questionAction('remove')).toEqual({ kind: 'remove' });
    expect(questionAction('option_add')).toEqual({ kind: 'option_add' });
    expect(questionAction('option_up:2')).toEqual({ kind: 'option_move', option: 2, direction: 'up' });
    expect(questionAction('option_remove:0')).toEqual({ kind: 'option_remove', option: 0 });
    expect(questionAction('save_back')).toEqual({ kind: 'save', back: true });
    expect(questionAction('option_up:99999')).toEqual({ kind: 'save', back: false });
    expect(questionAction('')).toEqual({ kind: 'save', back: false });
  });

  it('reads a library choice "key@version/question" and the page, refusing anything else', () => {
    expect(readLibraryCopyForm({ source: 'corona-impact@2/online', page: '1' })).toEqual({
      source: { key: 'corona-impact', version: 2, question: 'online' },
      page: 1,
    });
    expect(readLibraryCopyForm({ source: 'corona-impact@2/online', page: '' }).page).toBeNull();
    expect(readLibraryCopyForm({ source: 'x@y/z', page: '-1' })).toEqual({ source: null, page: null });
  });
});

describe('the editor actions, applied to a definition', () => {
  it('says where to look after a page is moved, removed or given a question', () => {
    const def = sample();
    const moved = applyPageAction(def, 0, { kind: 'move', direction: 'down' });
    expect(keys(moved.definition)).toEqual([['vraag_3'], ['vraag_1', 'vraag_2']]);
    expect(moved.result).toEqual({ page: 1 });
    expect(applyPageAction(def, 1, { kind: 'move', direction: 'down' }).result).toEqual({ page: 1 });
    const removed = applyPageAction(def, 1, { kind: 'remove' });
    expect(keys(removed.definition)).toEqual([['vraag_1', 'vraag_2']]);
    expect(removed.result).toEqual({ page: 0 });
    const added = applyPageAction(def, 1, { kind: 'add_question', type: 'percentage' });
    expect(added.result).toEqual({ page: 1, question: 1 });
    expect(added.definition.pages[1].questions[1].type).toBe('percentage');
    const saved = applyPageAction(def, 0, {
      kind: 'save',
      fields: { key: 'begin', title: { nl: 'Begin', en: 'Start' } },
    });
    expect(saved.definition.pages[0]).toMatchObject({ key: 'begin', title: { nl: 'Begin', en: 'Start' } });
    expect(def.pages[0].key).not.toBe('begin');
    expect(applyAddPage(def).result).toEqual({ page: 2 });
  });

  it('moves a question across a page boundary and reports the page it landed on', () => {
    const moved = applyQuestionRowAction(sample(), 1, 0, { kind: 'move', direction: 'up' });
    expect(keys(moved.definition)).toEqual([['vraag_1', 'vraag_2', 'vraag_3'], []]);
    expect(moved.result).toEqual({ page: 0, question: 2 });
    const removed = applyQuestionRowAction(sample(), 0, 0, { kind: 'remove' });
    expect(keys(removed.definition)).toEqual([['vraag_2'], ['vraag_3']]);
  });

  it('applies option buttons to the question as typed, and leaves it alone on save', () => {
    const q = sample().pages[0].questions[1];
    const two = applyOptionAction(q, { kind: 'option_add' });
    expect(two.options).toHaveLength(2);
    const swapped = applyOptionAction(two, { kind: 'option_move', option: 1, direction: 'up' });
    expect(swapped.options?.map((o) => o.value)).toEqual(two.options?.map((o) => o.value).reverse());
    expect(applyOptionAction(two, { kind: 'option_remove', option: 0 }).options).toHaveLength(1);
    expect(applyOptionAction(q, { kind: 'save', back: false })).toBe(q);
  });

  it('refuses a library question whose key the draft already has', () => {
    const def = sample();
    expect(() => applyLibraryCopy(def, 0, { ...def.pages[1].questions[0] })).toThrow(DraftError);
    const copied = applyLibraryCopy(def, 0, {
      key: 'online',
      type: 'boolean',
      label: { nl: 'Online?', en: 'Online?' },
    });
    expect(keys(copied.definition)[0]).toEqual(['vraag_1', 'vraag_2', 'online']);
  });

  it('names each edit in the audit log as before', () => {
    expect(pageAuditName({ kind: 'move', direction: 'up' })).toBe('page.up');
    expect(pageAuditName({ kind: 'add_question', type: 'text' })).toBe('question.add');
    expect(questionAuditName({ kind: 'option_move', option: 1, direction: 'down' })).toBe('question.option_down');
    expect(questionAuditName({ kind: 'save', back: true })).toBe('question.save_back');
    expect(questionAuditName({ kind: 'option_remove', option: 1 })).toBe('question.option_remove');
  });
});

describe('the preview page', () => {
  it('clamps the page number, shows every question and pads a choice question without options', () => {
    const def = sample();
    delete def.pages[0].questions[1].options;
    const draft = { id: 1, key: 'crisis', basedOnVersion: null, definition: def, revision: 1 } as unknown as Draft;
    const first = previewPage(draft, 0, false, 'nl');
    expect(first.n).toBe(1);
    expect(first.questions.map((x) => [x.q.key, x.shown])).toEqual([
      ['vraag_1', true],
      ['vraag_2', true],
    ]);
    expect(first.questions[1].q.options).toEqual([]);
    expect(previewPage(draft, 99, true, 'nl')).toMatchObject({ n: 2, total: 2, phone: true });
  });
});
