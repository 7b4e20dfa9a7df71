// The questionnaire editor for staff (issue 15): drafts edited with plain forms

// (POST-redirect-GET, no JavaScript needed), a preview with the member's own
// markup, the question library, and "vastleggen" as the next immutable version.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { formText } from '../../foundation/form-fields';
import { changeText } from '../../surveys/definition-diff-text';
import {
  CHOICE_TYPES,
  NUMERIC_TYPES,
  QUESTION_TYPES,
  type QuestionType,
  reportStatisticsFor,
} from '../../surveys/definition-schema';
import { breakField, compareDraft } from '../../surveys/editor/draft-comparability';
import {
  AUX_CHOICES,
  addOption,
  addPage,
  addQuestion,
  conditionChoices,
  type Direction,
  type DraftDefinition,
  type FormError,
  insertCopiedQuestion,
  KeyClash,
  moveOption,
  movePage,
  moveQuestion,
  optionalText,
  type PlacedProblem,
  placeProblems,
  questionFromForm,
  removeOption,
  removePage,
  removeQuestion,
  replaceQuestion,
  requiredText,
  updatePage,
  updateSettings,
} from '../../surveys/editor/draft-operations';
import {
  checkDraft,
  createDraft,
  type Draft,
  DraftConflict,
  DraftError,
  DraftInvalid,
  deleteDraft,
  draftFromVersion,
  editDraft,
  fixDraft,
  getDraft,
  libraryQuestion,
  searchLibrary,
} from '../../surveys/editor/drafts';
import { hasMessage, type Locale } from '../../views/i18n/index';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { type FieldError, readForm } from '../web/form';
import { HttpError, notFound } from '../web/http-error';

/** Where the editor words a schema problem its own way (no JSON terms), its message. */
function editorKey(key: string): string {
  const own = key.replace(/^survey\.def\./, 'editor.def.');
  return hasMessage(own) ? own : key;
}

const index = z.coerce.number().int().min(0).max(10_000);

function revisionOf(req: Request): number {
  const v = (req.body as Record<string, unknown> | undefined)?.revision;
  return typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : -1;
}
function body(req: Request): Record<string, unknown> {
  return req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
}
function actionOf(req: Request): string {
  const a = body(req).action;
  return typeof a === 'string' ? a : '';
}
function direction(action: string): Direction | null {
  return action === 'up' ? 'up' : action === 'down' ? 'down' : null;
}

/** A new questionnaire: its key and titles (checked by the domain, which shows problems at their fields). */
const newQuestionnaireForm = z.object({ key: formText, title_nl: formText, title_en: formText });
/** A question copied from the library: "key@version/question" and the page to put it on. */
const libraryCopyForm = z.object({ source: formText, page: formText });

export function surveyEditorRoutes(ctx: AppContext) {
  const router = Router();
  const { db } = ctx;

  async function loadDraft(req: Request): Promise<Draft> {
    const id = index.safeParse(req.params.id);
    const draft = id.success ? await getDraft(db, id.data) : undefined;
    if (!draft) throw notFound();
    return draft;
  }
  const base = (draft: { id: number }) => `/beheer/concepten/${draft.id}`;
  const questionUrl = (draft: { id: number }, page: number, question: number) =>
    `${base(draft)}/paginas/${page}/vragen/${question}`;

  /** A conflict or a refused edit: back to where the user was, with the message on top. */
  function refused(req: Request, res: Response, error: unknown, back: string) {
    if (!(error instanceof DraftError)) throw error;
    if (error.status === 404) throw notFound();
    req.session.flash = { kind: 'error', key: error.code, params: error.params };
    res.redirect(303, back);
  }

  async function showOverview(res: Response, draft: Draft, extra: { errors?: FieldError[]; status?: number } = {}) {
    const { version, problems } = await checkDraft(db, draft);
    const placed = placeProblems(problems);
    const comparison = await compareDraft(db, draft, version);
    const locale = res.locals.locale as Locale;
    await res.page(
      'pages/survey-editor',
      {
        title: res.locals.t('editor.title', { key: draft.key }),
        draft,
        def: draft.definition,
        nextVersion: version,
        problems: placed,
        summary: summaryOf(draft, placed),
        types: QUESTION_TYPES,
        formErrors: extra.errors ?? [],
        comparison,
        diff: comparison.diff,
        changeText: (c: Parameters<typeof changeText>[1]) => changeText(locale, c),
        questionUrlOf: (key: string) => {
          for (const [pi, p] of draft.definition.pages.entries()) {
            const qi = p.questions.findIndex((q) => q.key === key);
            if (qi >= 0) return questionUrl(draft, pi, qi);
          }
          return base(draft);
        },
      },
      extra.status ?? 200,
    );
  }

  // ---- new questionnaire, new version ------------------------------------------

  router.get('/beheer/vragenlijsten/nieuw', requireStaff, async (_req, res) => {
    await res.page('pages/survey-editor-new', { title: res.locals.t('editor.new.title'), values: {}, errors: [] });
  });

  router.post('/beheer/vragenlijsten/nieuw', requireStaff, async (req, res) => {
    const { values } = readForm(newQuestionnaireForm, req.body);
    try {
      const draft = await createDraft(
        db,
        { key: values.key, title: { nl: values.title_nl, en: values.title_en } },
        req.user!,
      );
      req.session.flash = { kind: 'success', key: 'editor.created', params: { key: draft.key } };
      return res.redirect(303, base(draft));
    } catch (error) {
      if (!(error instanceof DraftError)) throw error;
      await res.page(
        'pages/survey-editor-new',
        {
          title: res.locals.t('editor.new.title'),
          values,
          errors: [{ field: error.field ?? 'key', key: error.code, params: error.params }],
        },
        422,
      );
    }
  });

  router.post('/beheer/vragenlijsten/:key/:version/concept', requireStaff, async (req, res) => {
    const key = String(req.params.key);
    const version = index.safeParse(req.params.version);
    if (!version.success) throw notFound();
    try {
      const draft = await draftFromVersion(db, key, version.data, req.user!);
      req.session.flash = { kind: 'success', key: 'editor.created_from', params: { key, version: version.data } };
      res.redirect(303, base(draft));
    } catch (error) {
      if (error instanceof DraftError && error.code === 'editor.error.draft_exists') {
        req.session.flash = { kind: 'info', key: error.code, params: error.params };
        return res.redirect(303, `/beheer/concepten/${error.params.id}`);
      }
      refused(req, res, error, '/beheer/vragenlijsten');
    }
  });

  // ---- the draft ----------------------------------------------------------------

  router.get('/beheer/concepten/:id', requireStaff, async (req, res) => {
    await showOverview(res, await loadDraft(req));
  });

  router.post('/beheer/concepten/:id/instellingen', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    const fields = { title: requiredText(body(req), 'title'), intro: optionalText(body(req), 'intro') };
    try {
      await editDraft(
        db,
        draft.id,
        revisionOf(req),
        (def) => ({ definition: updateSettings(def, fields) }),
        req.user!,
        'settings',
      );
      req.session.flash = { kind: 'success', key: 'editor.saved' };
      res.redirect(303, base(draft));
    } catch (error) {
      refused(req, res, error, base(draft));
    }
  });

  router.post('/beheer/concepten/:id/paginas', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    try {
      const { result } = await editDraft(
        db,
        draft.id,
        revisionOf(req),
        (def) => {
          const added = addPage(def);
          return { definition: added.definition, result: added.index };
        },
        req.user!,
        'page.add',
      );
      req.session.flash = { kind: 'success', key: 'editor.page_added' };
      res.redirect(303, `${base(draft)}#pagina-${result}`);
    } catch (error) {
      refused(req, res, error, base(draft));
    }
  });

  /** A page: save its fields, move it, remove it, or add a question of a type to it. */
  router.post('/beheer/concepten/:id/paginas/:page', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    const page = index.safeParse(req.params.page);
    if (!page.success || !draft.definition.pages[page.data]) throw notFound();
    const pi = page.data;
    const action = actionOf(req);
    const b = body(req);
    try {
      if (action === 'add_question') {
        const type = (QUESTION_TYPES as readonly string[]).includes(String(b.type)) ? (b.type as QuestionType) : 'text';
        const { result } = await editDraft(
          db,
          draft.id,
          revisionOf(req),
          (def) => {
            const added = addQuestion(def, pi, type);
            return { definition: added.definition, result: added.index };
          },
          req.user!,
          'question.add',
          { page: pi, type },
        );
        return res.redirect(303, questionUrl(draft, pi, result ?? 0));
      }
      const dir = direction(action);
      const edit: (def: DraftDefinition) => DraftDefinition = dir
        ? (def) => movePage(def, pi, dir)
        : action === 'remove'
          ? (def) => removePage(def, pi)
          : (def) =>
              updatePage(def, pi, {
                key: String(b.page_key ?? '').trim(),
                title: requiredText(b, 'page_title'),
                intro: optionalText(b, 'page_intro'),
              });
      await editDraft(
        db,
        draft.id,
        revisionOf(req),
        (def) => ({ definition: edit(def) }),
        req.user!,
        `page.${action || 'save'}`,
        {
          page: pi,
        },
      );
      req.session.flash = { kind: 'success', key: action === 'remove' ? 'editor.page_removed' : 'editor.saved' };
      res.redirect(303, `${base(draft)}#pagina-${dir ? Math.max(0, pi + (dir === 'up' ? -1 : 1)) : pi}`);
    } catch (error) {
      refused(req, res, error, base(draft));
    }
  });

  // ---- a question ---------------------------------------------------------------

  function questionAt(draft: Draft, req: Request) {
    const page = index.safeParse(req.params.page);
    const question = index.safeParse(req.params.question);
    const q =
      page.success && question.success ? draft.definition.pages[page.data]?.questions[question.data] : undefined;
    if (!q) throw notFound();
    return { pi: page.data as number, qi: question.data as number, q };
  }

  async function showQuestion(
    res: Response,
    draft: Draft,
    at: { pi: number; qi: number },
    question: DraftDefinition['pages'][number]['questions'][number],
    formErrors: FormError[],
    status = 200,
  ) {
    const { problems, version } = await checkDraft(db, draft);
    const mine = placeProblems(problems).filter(
      (p) => p.place.scope === 'question' && p.place.page === at.pi && p.place.question === at.qi,
    );
    const errors: FieldError[] = [
      ...formErrors,
      ...mine.map((p) => ({ field: p.place.field, key: editorKey(p.key), params: p.params })),
    ];
    const locale = res.locals.locale as Locale;
    // Would this question, as shown, break comparability with a wave that asked its key?
    const shown = { ...draft, definition: replaceQuestion(draft.definition, at.pi, at.qi, question) };
    const breaks = (await compareDraft(db, shown, version)).waveBreaks.filter((b) => b.key === question.key);
    const breakWarnings: Record<string, string> = {};
    for (const b of breaks) {
      const byField = new Map<string, string[]>();
      for (const c of b.changes) {
        const field = breakField(c);
        if (field) byField.set(field, [...(byField.get(field) ?? []), changeText(locale, c)]);
      }
      for (const [field, texts] of byField)
        breakWarnings[field] = res.locals.t('editor.breaks.field', {
          key: b.key,
          version: b.version,
          changes: texts.join('; '),
        });
    }
    await res.page(
      'pages/survey-editor-question',
      {
        title: res.locals.t('editor.question.title', { key: question.key }),
        draft,
        pi: at.pi,
        qi: at.qi,
        q: question,
        errors,
        types: QUESTION_TYPES,
        numeric: NUMERIC_TYPES.includes(question.type),
        choice: CHOICE_TYPES.includes(question.type),
        statistics: reportStatisticsFor(question.type),
        auxChoices: AUX_CHOICES,
        conditions: conditionChoices(draft.definition, at.pi, at.qi),
        consentChoices: draft.definition.pages.flatMap((p) => p.questions).filter((c) => c.type === 'boolean'),
        previewLocale: locale,
        breakWarnings,
      },
      status,
    );
  }

  router.get('/beheer/concepten/:id/paginas/:page/vragen/:question', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    const at = questionAt(draft, req);
    await showQuestion(res, draft, at, at.q, []);
  });

  router.post('/beheer/concepten/:id/paginas/:page/vragen/:question', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    const at = questionAt(draft, req);
    const action = actionOf(req);
    const revision = revisionOf(req);
    // From the overview: move or remove, without the question's fields.
    const dir = direction(action);
    if (dir || action === 'remove') {
      try {
        const { result } = await editDraft(
          db,
          draft.id,
          revision,
          (def) => {
            if (!dir) return { definition: removeQuestion(def, at.pi, at.qi), result: at.pi };
            const moved = moveQuestion(def, at.pi, at.qi, dir);
            return { definition: moved.definition, result: moved.page };
          },
          req.user!,
          `question.${action}`,
          { key: at.q.key },
        );
        req.session.flash = {
          kind: 'success',
          key: action === 'remove' ? 'editor.question_removed' : 'editor.question_moved',
          params: { key: at.q.key },
        };
        return res.redirect(303, `${base(draft)}#pagina-${result}`);
      } catch (error) {
        return refused(req, res, error, base(draft));
      }
    }
    // The question's form: save, or save and change its options.
    const parsed = questionFromForm(draft.definition, at.pi, at.qi, at.q, body(req));
    let question = parsed.question;
    const option = action.match(/^option_(up|down|remove):(\d+)$/);
    if (action === 'option_add') question = addOption(question);
    else if (option) {
      const oi = Number(option[2]);
      question = option[1] === 'remove' ? removeOption(question, oi) : moveOption(question, oi, option[1] as Direction);
    }
    if (parsed.errors.length) return showQuestion(res, draft, at, question, parsed.errors, 422);
    try {
      await editDraft(
        db,
        draft.id,
        revision,
        (def) => ({ definition: replaceQuestion(def, at.pi, at.qi, question) }),
        req.user!,
        action ? `question.${action.replace(/:.*/, '')}` : 'question.save',
        { key: question.key },
      );
    } catch (error) {
      if (error instanceof DraftConflict) {
        // Show what the user typed over the newest draft, with the message: nothing was overwritten.
        const latest = (await getDraft(db, draft.id)) ?? draft;
        return showQuestion(res, latest, at, question, [{ field: 'key', key: 'editor.error.conflict' }], 409);
      }
      throw error;
    }
    req.session.flash = { kind: 'success', key: 'editor.saved' };
    const anchor = action.startsWith('option') ? '#options' : '';
    res.redirect(
      303,
      action === 'save_back' ? `${base(draft)}#pagina-${at.pi}` : `${questionUrl(draft, at.pi, at.qi)}${anchor}`,
    );
  });

  // ---- preview --------------------------------------------------------------------

  router.get('/beheer/concepten/:id/voorbeeld', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    const def = draft.definition;
    const total = def.pages.length;
    const n = Math.min(Math.max(Number(req.query.pagina) || 1, 1), Math.max(total, 1));
    const page = def.pages[n - 1];
    const keysOnPage = new Set((page?.questions ?? []).map((q) => q.key));
    const all = def.pages.flatMap((p) => p.questions);
    const questions = (page?.questions ?? []).map((q) => ({
      q: { ...q, options: q.options ?? [], label: q.label },
      shown: true,
      controller:
        q.visible_if && keysOnPage.has(q.visible_if.question)
          ? all.find((c) => c.key === q.visible_if!.question)
          : null,
    }));
    await res.page('pages/survey-editor-preview', {
      title: res.locals.t('editor.preview.title', { key: draft.key }),
      draft,
      definition: def,
      page,
      n,
      total,
      questions,
      phone: req.query.breedte === 'telefoon',
      values: {},
      errors: [],
    });
  });

  // ---- library --------------------------------------------------------------------

  router.get('/beheer/concepten/:id/bibliotheek', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    const search = typeof req.query.zoek === 'string' ? req.query.zoek.slice(0, 200) : '';
    const results = await searchLibrary(db, search);
    const taken = new Set(draft.definition.pages.flatMap((p) => p.questions.map((q) => q.key)));
    await res.page('pages/survey-editor-library', {
      title: res.locals.t('editor.library.title'),
      draft,
      search,
      results: results.map((r) => ({ ...r, taken: taken.has(r.question.key) })),
    });
  });

  router.post('/beheer/concepten/:id/bibliotheek', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    const { source, page } = readForm(libraryCopyForm, req.body).values;
    const match = source.match(/^([a-z0-9-]+)@(\d+)\/([a-z][a-z0-9_]*)$/);
    const pi = Number(page);
    const question = match ? await libraryQuestion(db, match[1], Number(match[2]), match[3]) : undefined;
    if (!question || !Number.isInteger(pi) || !draft.definition.pages[pi])
      throw new HttpError(422, 'editor.error.library_choice');
    const back = `${base(draft)}/bibliotheek`;
    try {
      await editDraft(
        db,
        draft.id,
        revisionOf(req),
        (def) => {
          try {
            return { definition: insertCopiedQuestion(def, pi, question) };
          } catch (error) {
            if (error instanceof KeyClash) throw new DraftError('editor.error.key_clash', { key: error.key });
            throw error;
          }
        },
        req.user!,
        'question.copy',
        { key: question.key, from: `${match![1]}@${match![2]}` },
      );
      req.session.flash = { kind: 'success', key: 'editor.library.copied', params: { key: question.key } };
      res.redirect(303, `${base(draft)}#pagina-${pi}`);
    } catch (error) {
      refused(req, res, error, back);
    }
  });

  // ---- fix as version, delete ------------------------------------------------------

  router.post('/beheer/concepten/:id/vastleggen', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    try {
      const fixed = await fixDraft(db, draft.id, revisionOf(req), req.user!);
      req.session.flash = { kind: 'success', key: 'editor.fixed', params: fixed };
      res.redirect(303, `/beheer/vragenlijsten/${fixed.key}/${fixed.version}`);
    } catch (error) {
      if (error instanceof DraftInvalid) {
        return showOverview(res, draft, { errors: [{ field: 'fix', key: 'editor.error.not_valid' }], status: 422 });
      }
      refused(req, res, error, base(draft));
    }
  });

  router.post('/beheer/concepten/:id/verwijderen', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    try {
      await deleteDraft(db, draft.id, revisionOf(req), req.user!);
      req.session.flash = { kind: 'success', key: 'editor.deleted', params: { key: draft.key } };
      res.redirect(303, '/beheer/vragenlijsten');
    } catch (error) {
      refused(req, res, error, base(draft));
    }
  });

  return router;
}

/** The error summary of the overview: every problem, linking to the field that fixes it. */
function summaryOf(draft: Draft, problems: PlacedProblem[]) {
  return problems.map((p) => {
    const place = p.place;
    const field =
      place.scope === 'question'
        ? place.field
        : place.scope === 'page'
          ? `page-${place.page}-${place.field}`
          : place.field;
    const href =
      place.scope === 'question'
        ? `/beheer/concepten/${draft.id}/paginas/${place.page}/vragen/${place.question}#${place.field}`
        : `#${field}`;
    const q = place.scope === 'question' ? draft.definition.pages[place.page]?.questions[place.question] : undefined;
    return { href, field, key: editorKey(p.key), params: p.params, question: q?.key ?? null, scope: place.scope };
  });
}
