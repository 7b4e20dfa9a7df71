// What a button in the editor does to the draft, as pure functions of the definition:
// the route reads the form (editor-forms.ts), applies one of these inside `editDraft`
// (which checks the revision), and shows the page or question it returns.
import type { Question } from '../definition-schema';
import {
  addOption,
  addPage,
  addQuestion,
  type DraftDefinition,
  insertCopiedQuestion,
  KeyClash,
  moveOption,
  movePage,
  moveQuestion,
  removeOption,
  removePage,
  removeQuestion,
  updatePage,
} from './draft-operations';
import { DraftError } from './drafts';
import type { PageAction, QuestionAction } from './editor-forms';

/** The edited definition, and where to look afterwards: a page of the overview, or a question's form. */
export interface EditOutcome {
  definition: DraftDefinition;
  result: { page: number; question?: number };
}

/** A new, empty page at the end. */
export function applyAddPage(def: DraftDefinition): EditOutcome {
  const added = addPage(def);
  return { definition: added.definition, result: { page: added.index } };
}

/** A question from the library at the end of page `pi`; a key the draft already has is refused. */
export function applyLibraryCopy(def: DraftDefinition, pi: number, question: Question): EditOutcome {
  try {
    return { definition: insertCopiedQuestion(def, pi, question), result: { page: pi } };
  } catch (error) {
    if (error instanceof KeyClash) throw new DraftError('editor.error.key_clash', { key: error.key });
    throw error;
  }
}

/** A page form's button applied to page `pi`. */
export function applyPageAction(def: DraftDefinition, pi: number, action: PageAction): EditOutcome {
  switch (action.kind) {
    case 'save':
      return { definition: updatePage(def, pi, action.fields), result: { page: pi } };
    case 'move': {
      const definition = movePage(def, pi, action.direction);
      const page = Math.min(Math.max(pi + (action.direction === 'up' ? -1 : 1), 0), definition.pages.length - 1);
      return { definition, result: { page } };
    }
    case 'remove': {
      const definition = removePage(def, pi);
      return { definition, result: { page: Math.max(Math.min(pi, definition.pages.length - 1), 0) } };
    }
    case 'add_question': {
      const added = addQuestion(def, pi, action.type);
      return { definition: added.definition, result: { page: pi, question: added.index } };
    }
  }
}

/** A move or remove button on a question's row in the overview: the page it ends up on. */
export function applyQuestionRowAction(
  def: DraftDefinition,
  pi: number,
  qi: number,
  action: Extract<QuestionAction, { kind: 'move' | 'remove' }>,
): EditOutcome {
  if (action.kind === 'remove') return { definition: removeQuestion(def, pi, qi), result: { page: pi } };
  const moved = moveQuestion(def, pi, qi, action.direction);
  return { definition: moved.definition, result: { page: moved.page, question: moved.index } };
}

/** An option button on the question's form, applied to the question as typed. */
export function applyOptionAction(question: Question, action: QuestionAction): Question {
  switch (action.kind) {
    case 'option_add':
      return addOption(question);
    case 'option_move':
      return moveOption(question, action.option, action.direction);
    case 'option_remove':
      return removeOption(question, action.option);
    default:
      return question;
  }
}

/** The name of an edit in the audit log ("page.up", "question.option_add", …). */
export function pageAuditName(action: PageAction): string {
  if (action.kind === 'add_question') return 'question.add';
  return `page.${action.kind === 'move' ? action.direction : action.kind}`;
}

export function questionAuditName(action: QuestionAction): string {
  switch (action.kind) {
    case 'move':
      return `question.${action.direction}`;
    case 'option_move':
      return `question.option_${action.direction}`;
    case 'save':
      return action.back ? 'question.save_back' : 'question.save';
    default:
      return `question.${action.kind}`;
  }
}
