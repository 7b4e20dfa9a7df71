// The editor's forms, each read by one zod schema: what a posted body means before
// any draft is touched. A missing or malformed field reads as empty (or as revision
// -1, which is always stale), so hostile shapes never reach the draft operations.
// The question form itself is read by `questionFromForm` (draft-operations.ts),
// because its fields follow the question's type and options.
import { z } from 'zod';
import { formBody, formText } from '../../foundation/form-fields';
import { type LocalText, QUESTION_TYPES, type QuestionType } from '../definition-schema';
import type { Direction } from './draft-operations';

/** The draft revision a form was rendered with; -1 when missing or malformed (a conflict). */
const revision = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number)
  .catch(-1);

const trimmed = formText.transform((s) => s.trim());

/** Both languages empty: absent; otherwise both (an empty one is a schema problem shown at its field). */
function optionalLocalText(text: LocalText): LocalText | undefined {
  return text.nl || text.en ? text : undefined;
}

/**
 * Every editor form carries the revision it was rendered with and the button pressed;
 * a page's or question's form also the key it had then (`was`), so that after a
 * colleague's change the typed text is put back on that page or question, wherever it is now.
 */
export const editorActionForm = z.object({ revision, action: formText, was: trimmed });

export function readEditorAction(body: unknown): { revision: number; action: string; was: string } {
  return editorActionForm.parse(formBody(body));
}

/** The questionnaire's settings: title and introduction in both languages. */
const settingsSchema = z
  .object({ title_nl: trimmed, title_en: trimmed, intro_nl: trimmed, intro_en: trimmed })
  .transform((v) => ({
    title: { nl: v.title_nl, en: v.title_en },
    intro: optionalLocalText({ nl: v.intro_nl, en: v.intro_en }),
  }));

export type SettingsFields = z.output<typeof settingsSchema>;

export function readSettingsForm(body: unknown): SettingsFields {
  return settingsSchema.parse(formBody(body));
}

/** A page's form: its key, title and introduction, and the button pressed (save, up, down, remove, add_question). */
const pageSchema = z
  .object({
    page_key: trimmed,
    page_title_nl: trimmed,
    page_title_en: trimmed,
    page_intro_nl: trimmed,
    page_intro_en: trimmed,
    type: z.enum(QUESTION_TYPES).catch('text'),
  })
  .transform((v) => ({
    type: v.type,
    fields: {
      key: v.page_key,
      title: { nl: v.page_title_nl, en: v.page_title_en },
      intro: optionalLocalText({ nl: v.page_intro_nl, en: v.page_intro_en }),
    },
  }));

export type PageAction =
  | { kind: 'save'; fields: { key: string; title: LocalText; intro?: LocalText } }
  | { kind: 'move'; direction: Direction }
  | { kind: 'remove' }
  | { kind: 'add_question'; type: QuestionType };

export function readPageForm(body: unknown): { revision: number; was: string; action: PageAction } {
  const { revision, action, was } = readEditorAction(body);
  const page = pageSchema.parse(formBody(body));
  if (action === 'add_question') return { revision, was, action: { kind: 'add_question', type: page.type } };
  if (action === 'up' || action === 'down') return { revision, was, action: { kind: 'move', direction: action } };
  if (action === 'remove') return { revision, was, action: { kind: 'remove' } };
  return { revision, was, action: { kind: 'save', fields: page.fields } };
}

/** What a button on a question's form or its row in the overview asks for. */
export type QuestionAction =
  | { kind: 'move'; direction: Direction }
  | { kind: 'remove' }
  | { kind: 'save'; back: boolean }
  | { kind: 'option_add' }
  | { kind: 'option_move'; option: number; direction: Direction }
  | { kind: 'option_remove'; option: number };

export function questionAction(action: string): QuestionAction {
  if (action === 'up' || action === 'down') return { kind: 'move', direction: action };
  if (action === 'remove') return { kind: 'remove' };
  if (action === 'option_add') return { kind: 'option_add' };
  const option = action.match(/^option_(up|down|remove):(\d{1,4})$/);
  if (option) {
    const index = Number(option[2]);
    return option[1] === 'remove'
      ? { kind: 'option_remove', option: index }
      : { kind: 'option_move', option: index, direction: option[1] as Direction };
  }
  return { kind: 'save', back: action === 'save_back' };
}

/** A new questionnaire: its key and titles (checked by the domain, which shows problems at their fields). */
export const newQuestionnaireForm = z.object({ key: formText, title_nl: formText, title_en: formText });

/** A question copied from the library: "key@version/question" and the page to put it on. */
const libraryCopySchema = z.object({
  source: formText.transform((s) => s.match(/^([a-z0-9-]+)@(\d{1,9})\/([A-Za-z][A-Za-z0-9_]*)$/)),
  page: formText.transform((s) => (/^\d{1,4}$/.test(s) ? Number(s) : null)),
});

export function readLibraryCopyForm(body: unknown): {
  source: { key: string; version: number; question: string } | null;
  page: number | null;
} {
  const { source, page } = libraryCopySchema.parse(formBody(body));
  return {
    source: source ? { key: source[1], version: Number(source[2]), question: source[3] } : null,
    page,
  };
}
