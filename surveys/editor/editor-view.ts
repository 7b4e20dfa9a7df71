// What the editor's pages show besides the draft itself: the problems placed at the
// fields that fix them, and the comparability warnings next to a question's fields.
import { hasMessage, type Locale, t } from '../../views/i18n/index';
import { changeText } from '../definition-diff-text';
import { breakField, type WaveBreak } from './draft-comparability';
import type { DraftDefinition, FormError, PlacedProblem } from './draft-operations';
import type { Draft } from './drafts';

/** Where the editor words a schema problem its own way (no JSON terms), its message key. */
export function editorMessageKey(key: string): string {
  const own = key.replace(/^survey\.def\./, 'editor.def.');
  return hasMessage(own) ? own : key;
}

export const draftUrl = (draft: { id: number }) => `/beheer/concepten/${draft.id}`;
export const questionUrl = (draft: { id: number }, page: number, question: number) =>
  `${draftUrl(draft)}/paginas/${page}/vragen/${question}`;

/** The overview's error summary: every problem, linking to the field that fixes it. */
export function problemSummary(draft: Draft, problems: PlacedProblem[]) {
  return problems.map((p) => {
    const place = p.place;
    const field = place.scope === 'page' ? `page-${place.page}-${place.field}` : place.field;
    const href =
      place.scope === 'question' ? `${questionUrl(draft, place.page, place.question)}#${place.field}` : `#${field}`;
    const q = place.scope === 'question' ? draft.definition.pages[place.page]?.questions[place.question] : undefined;
    return {
      href,
      field,
      key: editorMessageKey(p.key),
      params: p.params,
      question: q?.key ?? null,
      scope: place.scope,
    };
  });
}

/** The link to a question's form by its key (the overview's comparison names questions by key). */
export function questionUrlByKey(draft: Draft, key: string): string {
  const at = questionIndexOf(draft.definition, key);
  return at ? questionUrl(draft, at.pi, at.qi) : draftUrl(draft);
}

/** Where the page with this key is now; null when it is gone. */
export function pageIndexOf(def: DraftDefinition, key: string): number | null {
  const pi = def.pages.findIndex((p) => p.key === key);
  return pi >= 0 ? pi : null;
}

/** Where the question with this key is now; null when it is gone. */
export function questionIndexOf(def: DraftDefinition, key: string): { pi: number; qi: number } | null {
  for (const [pi, p] of def.pages.entries()) {
    const qi = p.questions.findIndex((q) => q.key === key);
    if (qi >= 0) return { pi, qi };
  }
  return null;
}

/** The problems of one question, as errors at its form's fields. */
export function questionProblems(problems: PlacedProblem[], at: { pi: number; qi: number }): FormError[] {
  return problems
    .filter((p) => p.place.scope === 'question' && p.place.page === at.pi && p.place.question === at.qi)
    .map((p) => ({ field: p.place.field, key: editorMessageKey(p.key), params: p.params }));
}

/** Per field of a question's form, the sentence warning that a change there breaks comparability with a wave. */
export function breakWarnings(breaks: WaveBreak[], questionKey: string, locale: Locale): Record<string, string> {
  const warnings: Record<string, string> = {};
  for (const b of breaks.filter((x) => x.key === questionKey)) {
    const byField = new Map<string, string[]>();
    for (const c of b.changes) {
      const field = breakField(c);
      if (field) byField.set(field, [...(byField.get(field) ?? []), changeText(locale, c)]);
    }
    for (const [field, texts] of byField)
      warnings[field] = t(locale, 'editor.breaks.field', { key: b.key, version: b.version, changes: texts.join('; ') });
  }
  return warnings;
}

/** A text field of the editor that has Dutch text but no English translation. */
export interface MissingEnglish {
  href: string;
  /** The question's key, or null for the questionnaire or a page. */
  question: string | null;
  /** The page's number (1-based) for a page's own texts, else null. */
  page: number | null;
  /** The fields without English, as `editor.english.field.*` keys. */
  fields: string[];
}

/**
 * The texts that have Dutch but no English (English is optional: the English
 * interface shows the Dutch text). A calm list on the overview, never problems.
 */
export function textsWithoutEnglish(draft: Draft): MissingEnglish[] {
  const def = draft.definition;
  const lacks = (x: { nl: string; en?: string } | undefined) => !!x && !!x.nl.trim() && !x.en?.trim();
  const out: MissingEnglish[] = [];
  const push = (item: Omit<MissingEnglish, 'fields'>, fields: [string, boolean][]) => {
    const missing = fields.filter(([, m]) => m).map(([f]) => `editor.english.field.${f}`);
    if (missing.length) out.push({ ...item, fields: missing });
  };
  push({ href: '#instellingen', question: null, page: null }, [
    ['title', lacks(def.title)],
    ['intro', lacks(def.intro)],
  ]);
  def.pages.forEach((p, pi) => {
    push({ href: `#pagina-${pi}`, question: null, page: pi + 1 }, [
      ['page_title', lacks(p.title)],
      ['intro', lacks(p.intro)],
    ]);
    p.questions.forEach((q, qi) => {
      push({ href: questionUrl(draft, pi, qi), question: q.key, page: null }, [
        ['label', lacks(q.label)],
        ['help', lacks(q.help)],
        ['unit', lacks(q.unit)],
        ['options', (q.options ?? []).some((o) => lacks(o.label))],
        ['report_label', lacks(q.report_label)],
        ['key_figure', lacks(q.report?.key_figure)],
        ['required_message', lacks(q.required_message)],
        ['constraint_message', lacks(q.constraint_message)],
      ]);
    });
  });
  return out;
}
