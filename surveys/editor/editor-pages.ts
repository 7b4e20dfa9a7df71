// The editor's pages as models for their templates: the overview of a draft, a
// question's form and the preview. Each checks the draft against the schema and
// the waves that used earlier versions; the route only renders what they return.
import { type Locale, t } from '../../views/i18n/index';
import { changeText } from '../definition-diff-text';
import { CHOICE_TYPES, NUMERIC_TYPES, QUESTION_TYPES, type Question, reportStatisticsFor } from '../definition-schema';
import { pageQuestions } from '../visibility';
import { compareDraft } from './draft-comparability';
import {
  AUX_CHOICES,
  conditionChoices,
  conditionExpression,
  type DraftDefinition,
  type FormError,
  placeProblems,
  replaceQuestion,
} from './draft-operations';
import { checkDraft, type Db, type Draft } from './drafts';
import { breakWarnings, problemSummary, questionProblems, questionUrlByKey, textsWithoutEnglish } from './editor-view';

export interface OverviewExtra {
  /** Messages on top of the overview (a refused "vastleggen", a conflict). */
  errors?: FormError[];
  /** The page whose settings are shown opened. */
  openPage?: number;
  /** Text typed over a newer draft, shown (unsaved) in the settings and page forms. */
  typed?: DraftDefinition;
}

/** The overview: every page and question, the problems with links to their fields, the differences. */
export async function overviewPage(db: Db, draft: Draft, locale: Locale, extra: OverviewExtra = {}) {
  const { version, problems } = await checkDraft(db, draft);
  const placed = placeProblems(problems);
  const comparison = await compareDraft(db, draft, version);
  return {
    title: t(locale, 'editor.title', { key: draft.key }),
    draft,
    def: draft.definition,
    nextVersion: version,
    problems: placed,
    summary: problemSummary(draft, placed),
    missingEnglish: textsWithoutEnglish(draft),
    types: QUESTION_TYPES,
    formErrors: extra.errors ?? [],
    openPage: extra.openPage ?? -1,
    typedDefinition: extra.typed ?? null,
    comparison,
    diff: comparison.diff,
    changeText: (c: Parameters<typeof changeText>[1]) => changeText(locale, c),
    questionUrlOf: (key: string) => questionUrlByKey(draft, key),
  };
}

/**
 * A question's form showing `question` (as stored, or as typed): its own problems at
 * its fields, and a warning at each field whose change breaks comparability with a wave.
 */
export async function questionPage(
  db: Db,
  shown: {
    draft: Draft;
    at: { pi: number; qi: number };
    question: Question;
    formErrors: FormError[];
    /** Just added: its empty fields are not yet problems to show. */
    fresh?: boolean;
  },
  locale: Locale,
) {
  const { draft, at, question } = shown;
  const { problems, version } = await checkDraft(db, draft);
  const asTyped = { ...draft, definition: replaceQuestion(draft.definition, at.pi, at.qi, question) };
  const { waveBreaks } = await compareDraft(db, asTyped, version);
  return {
    title: t(locale, 'editor.question.title', { key: question.key }),
    draft,
    pi: at.pi,
    qi: at.qi,
    q: question,
    errors: shown.fresh ? shown.formErrors : [...shown.formErrors, ...questionProblems(placeProblems(problems), at)],
    fresh: shown.fresh ?? false,
    types: QUESTION_TYPES,
    numeric: NUMERIC_TYPES.includes(question.type),
    choice: CHOICE_TYPES.includes(question.type),
    statistics: reportStatisticsFor(question.type),
    auxChoices: AUX_CHOICES,
    conditions: conditionChoices(draft.definition, at.pi, at.qi),
    conditionExpression: conditionExpression(draft.definition, question.visible_if),
    consentChoices: draft.definition.pages.flatMap((p) => p.questions).filter((c) => c.type === 'boolean'),
    previewLocale: locale,
    breakWarnings: breakWarnings(waveBreaks, question.key, locale),
  };
}

/** Page `n` of the draft with the member's own markup; every question shown, as if every condition were met. */
export function previewPage(draft: Draft, n: number, phone: boolean, locale: Locale) {
  const def = draft.definition;
  const total = def.pages.length;
  const number = Math.min(Math.max(Math.trunc(n) || 1, 1), Math.max(total, 1));
  const page = def.pages[number - 1];
  return {
    title: t(locale, 'editor.preview.title', { key: draft.key }),
    draft,
    definition: def,
    page,
    n: number,
    total,
    // One controlled from the same page hides live, as on the member's form. A draft's
    // choice question may still lack options: the preview shows none.
    questions: page
      ? pageQuestions(def, page, 'all').map((item) => ({ ...item, q: { ...item.q, options: item.q.options ?? [] } }))
      : [],
    phone,
    values: {},
    errors: [],
  };
}
