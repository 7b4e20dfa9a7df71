// The questionnaire editor for staff: drafts edited with plain forms
// (POST-redirect-GET, no JavaScript needed), a preview with the member's own
// markup, the question library, and "vastleggen" as the next immutable version.
// Forms are read in surveys/editor/editor-forms.ts, edits are the pure functions of
// editor-actions.ts applied by `editDraft`, which refuses a stale revision.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { formBody, formText } from '../../foundation/form-fields';
import type { Question } from '../../surveys/definition-schema';
import {
  type DraftDefinition,
  type FormError,
  questionFromForm,
  replaceQuestion,
  updatePage,
  updateSettings,
} from '../../surveys/editor/draft-operations';
import {
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
import {
  applyAddPage,
  applyLibraryCopy,
  applyOptionAction,
  applyPageAction,
  applyQuestionRowAction,
  pageAuditName,
  questionAuditName,
} from '../../surveys/editor/editor-actions';
import {
  newQuestionnaireForm,
  questionAction,
  readEditorAction,
  readLibraryCopyForm,
  readPageForm,
  readSettingsForm,
} from '../../surveys/editor/editor-forms';
import { type OverviewExtra, overviewPage, previewPage, questionPage } from '../../surveys/editor/editor-pages';
import { draftUrl, pageIndexOf, questionIndexOf, questionUrl } from '../../surveys/editor/editor-view';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { readForm } from '../web/form';
import { HttpError, notFound } from '../web/http-error';
import { pageOfList, readQuery, searchText } from '../web/query';

const index = z.coerce.number().int().min(0).max(10_000);

/** Said where the typed text is shown again over a colleague's newer draft: nothing was overwritten. */
const conflictKept = (field: string): FormError => ({ field, key: 'editor.error.conflict_kept' });

/** The preview: a page of the draft, at desktop width or in a phone's frame ("telefoon"). */
const previewQuery = z.object({ pagina: pageOfList, breedte: formText });
/** The question library's search. */
const librarySearch = z.object({ zoek: searchText });

export function surveyEditorRoutes(ctx: AppContext) {
  const router = Router();
  const editor = editorContext(ctx.db);
  newQuestionnaireRoutes(router, editor);
  draftRoutes(router, editor);
  questionRoutes(router, editor);
  previewRoutes(router, editor);
  libraryRoutes(router, editor);
  fixRoutes(router, editor);
  return router;
}

/** What every part of the editor's routes shares: the database and the draft's lookups and answers. */
function editorContext(db: AppContext['db']) {
  async function loadDraft(req: Request): Promise<Draft> {
    const id = index.safeParse(req.params.id);
    const draft = id.success ? await getDraft(db, id.data) : undefined;
    if (!draft) throw notFound();
    return draft;
  }
  async function latest(draft: Draft): Promise<Draft> {
    return (await getDraft(db, draft.id)) ?? draft;
  }

  /** A conflict or a refused edit: back to where the user was, with the message on top. */
  function refused(req: Request, res: Response, error: unknown, back: string) {
    if (!(error instanceof DraftError)) throw error;
    if (error.status === 404) throw notFound();
    req.session.flash = { kind: 'error', key: error.code, params: error.params };
    res.redirect(303, back);
  }

  async function showOverview(res: Response, draft: Draft, extra: OverviewExtra & { status?: number } = {}) {
    await res.page('pages/survey-editor', await overviewPage(db, draft, res.locals.locale, extra), extra.status ?? 200);
  }

  /** A save that met a colleague's newer draft: that draft, with the user's unsaved text in the form they used. */
  async function showOverviewConflict(res: Response, newest: Draft, typed: DraftDefinition, openPage = -1) {
    const errors = [conflictKept('conflict')];
    await showOverview(res, newest, { errors, status: 409, openPage, typed });
  }
  return { db, loadDraft, latest, refused, showOverview, showOverviewConflict };
}

type EditorContext = ReturnType<typeof editorContext>;

/** A new questionnaire, and a draft of a new version of a fixed one. */
function newQuestionnaireRoutes(router: Router, { db, refused }: EditorContext) {
  router.get('/beheer/vragenlijsten/nieuw', requireStaff, async (_req, res) => {
    await res.page('pages/survey-editor-new', { title: res.locals.t('editor.new.title'), values: {}, errors: [] });
  });

  router.post('/beheer/vragenlijsten/nieuw', requireStaff, async (req, res) => {
    const { values } = readForm(newQuestionnaireForm, req.body);
    try {
      const title = { nl: values.title_nl, en: values.title_en };
      const draft = await createDraft(db, { key: values.key, title }, req.user!);
      req.session.flash = { kind: 'success', key: 'editor.created', params: { key: draft.key } };
      return res.redirect(303, draftUrl(draft));
    } catch (error) {
      if (!(error instanceof DraftError)) throw error;
      const errors = [{ field: error.field ?? 'key', key: error.code, params: error.params }];
      await res.page('pages/survey-editor-new', { title: res.locals.t('editor.new.title'), values, errors }, 422);
    }
  });

  router.post('/beheer/vragenlijsten/:key/:version/concept', requireStaff, async (req, res) => {
    const key = String(req.params.key);
    const version = index.safeParse(req.params.version);
    if (!version.success) throw notFound();
    try {
      const draft = await draftFromVersion(db, key, version.data, req.user!);
      req.session.flash = { kind: 'success', key: 'editor.created_from', params: { key, version: version.data } };
      res.redirect(303, draftUrl(draft));
    } catch (error) {
      if (error instanceof DraftError && error.code === 'editor.error.draft_exists') {
        req.session.flash = { kind: 'info', key: error.code, params: error.params };
        return res.redirect(303, `/beheer/concepten/${error.params.id}`);
      }
      refused(req, res, error, '/beheer/vragenlijsten');
    }
  });
}

/** The draft: its overview, settings and pages. */
function draftRoutes(
  router: Router,
  { db, loadDraft, latest, refused, showOverview, showOverviewConflict }: EditorContext,
) {
  router.get('/beheer/concepten/:id', requireStaff, async (req, res) => {
    await showOverview(res, await loadDraft(req));
  });

  router.post('/beheer/concepten/:id/instellingen', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    const { revision } = readEditorAction(req.body);
    const fields = readSettingsForm(req.body);
    const edit = (def: DraftDefinition) => updateSettings(def, fields);
    try {
      await editDraft(db, { id: draft.id, revision, actor: req.user!, what: 'settings' }, (def) => ({
        definition: edit(def),
      }));
    } catch (error) {
      if (error instanceof DraftConflict) {
        const newest = await latest(draft);
        return showOverviewConflict(res, newest, edit(newest.definition));
      }
      return refused(req, res, error, draftUrl(draft));
    }
    req.session.flash = { kind: 'success', key: 'editor.saved' };
    res.redirect(303, draftUrl(draft));
  });

  router.post('/beheer/concepten/:id/paginas', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    const { revision } = readEditorAction(req.body);
    try {
      const { result } = await editDraft(
        db,
        { id: draft.id, revision, actor: req.user!, what: 'page.add' },
        applyAddPage,
      );
      req.session.flash = { kind: 'success', key: 'editor.page_added' };
      res.redirect(303, `${draftUrl(draft)}#pagina-${result?.page}`);
    } catch (error) {
      refused(req, res, error, draftUrl(draft));
    }
  });

  /** A page: save its fields, move it, remove it, or add a question of a type to it. */
  router.post('/beheer/concepten/:id/paginas/:page', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    const page = index.safeParse(req.params.page);
    if (!page.success || !draft.definition.pages[page.data]) throw notFound();
    const pi = page.data;
    const { revision, was, action } = readPageForm(req.body);
    let where: { page: number; question?: number } | undefined;
    try {
      const details = action.kind === 'add_question' ? { page: pi, type: action.type } : { page: pi };
      ({ result: where } = await editDraft(
        db,
        { id: draft.id, revision, actor: req.user!, what: pageAuditName(action), details },
        (def) => applyPageAction(def, pi, action),
      ));
    } catch (error) {
      // The typed text over the newer draft, on the page it was typed for (found by its
      // key, wherever a colleague moved it); a page that is gone just shows the newest draft.
      if (error instanceof DraftConflict && action.kind === 'save') {
        const newest = await latest(draft);
        const now = pageIndexOf(newest.definition, was);
        if (now !== null)
          return showOverviewConflict(res, newest, updatePage(newest.definition, now, action.fields), now);
      }
      return refused(req, res, error, draftUrl(draft));
    }
    // A new question opens without the problems of its empty fields (they show after saving).
    if (action.kind === 'add_question')
      return res.redirect(303, `${questionUrl(draft, pi, where?.question ?? 0)}?nieuw=1`);
    req.session.flash = { kind: 'success', key: action.kind === 'remove' ? 'editor.page_removed' : 'editor.saved' };
    res.redirect(303, `${draftUrl(draft)}#pagina-${where?.page ?? pi}`);
  });
}

/** The question at the URL's position; null when there is none (any more). */
function questionAt(draft: Draft, req: Request) {
  const page = index.safeParse(req.params.page);
  const question = index.safeParse(req.params.question);
  if (!page.success || !question.success) return null;
  const q = draft.definition.pages[page.data]?.questions[question.data];
  return q ? { pi: page.data, qi: question.data, q } : null;
}

/** A question's form, showing `question` (as stored, or as typed) with its problems and comparability warnings. */
async function showQuestion(
  db: AppContext['db'],
  res: Response,
  draft: Draft,
  at: { pi: number; qi: number },
  question: Question,
  formErrors: FormError[],
  status = 200,
  fresh = false,
) {
  const page = await questionPage(db, { draft, at, question, formErrors, fresh }, res.locals.locale);
  await res.page('pages/survey-editor-question', page, status);
}

/** One question: its form, moving and removing it. */
function questionRoutes(router: Router, { db, loadDraft, latest, refused }: EditorContext) {
  router.get('/beheer/concepten/:id/paginas/:page/vragen/:question', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    const at = questionAt(draft, req);
    if (!at) throw notFound();
    await showQuestion(db, res, draft, at, at.q, [], 200, req.query.nieuw === '1');
  });

  router.post('/beheer/concepten/:id/paginas/:page/vragen/:question', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    const at = questionAt(draft, req);
    // A form posted for a question a colleague has since removed (or moved away from this place).
    if (!at) return refused(req, res, new DraftConflict(), draftUrl(draft));
    const { revision, action: button, was } = readEditorAction(req.body);
    const action = questionAction(button);
    // From the overview: move or remove, without the question's fields.
    if (action.kind === 'move' || action.kind === 'remove') {
      try {
        const { result } = await editDraft(
          db,
          {
            id: draft.id,
            revision: revision,
            actor: req.user!,
            what: questionAuditName(action),
            details: { key: at.q.key },
          },
          (def) => applyQuestionRowAction(def, at.pi, at.qi, action),
        );
        const key = action.kind === 'remove' ? 'editor.question_removed' : 'editor.question_moved';
        req.session.flash = { kind: 'success', key, params: { key: at.q.key } };
        return res.redirect(303, `${draftUrl(draft)}#pagina-${result?.page ?? at.pi}`);
      } catch (error) {
        return refused(req, res, error, draftUrl(draft));
      }
    }
    // The question's form: save, or save and change its options.
    const parsed = questionFromForm(draft.definition, at.pi, at.qi, at.q, formBody(req.body));
    const question = applyOptionAction(parsed.question, action);
    if (parsed.errors.length) return showQuestion(db, res, draft, at, question, parsed.errors, 422);
    try {
      await editDraft(
        db,
        {
          id: draft.id,
          revision: revision,
          actor: req.user!,
          what: questionAuditName(action),
          details: { key: question.key },
        },
        (def) => ({ definition: replaceQuestion(def, at.pi, at.qi, question) }),
      );
    } catch (error) {
      // What the user typed over the newest draft, at the question it was typed for (found by
      // its key, wherever it is now), with the message: nothing was overwritten.
      if (!(error instanceof DraftConflict)) throw error;
      const newest = await latest(draft);
      const now = questionIndexOf(newest.definition, was);
      if (now === null) return refused(req, res, error, draftUrl(draft));
      return showQuestion(db, res, newest, now, question, [conflictKept('key')], 409);
    }
    req.session.flash = { kind: 'success', key: 'editor.saved' };
    if (action.kind === 'save' && action.back) return res.redirect(303, `${draftUrl(draft)}#pagina-${at.pi}`);
    res.redirect(303, `${questionUrl(draft, at.pi, at.qi)}${action.kind === 'save' ? '' : '#options'}`);
  });
}

/** The preview of a page of the draft. */
function previewRoutes(router: Router, { loadDraft }: EditorContext) {
  router.get('/beheer/concepten/:id/voorbeeld', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    const { pagina, breedte } = readQuery(previewQuery, req.query);
    const page = previewPage(draft, pagina, breedte === 'telefoon', res.locals.locale);
    await res.page('pages/survey-editor-preview', page);
  });
}

/** The question library: search, and copy a question into the draft. */
function libraryRoutes(router: Router, { db, loadDraft, refused }: EditorContext) {
  router.get('/beheer/concepten/:id/bibliotheek', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    const search = readQuery(librarySearch, req.query).zoek;
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
    const { revision } = readEditorAction(req.body);
    const { source, page: pi } = readLibraryCopyForm(req.body);
    const question = source ? await libraryQuestion(db, source.key, source.version, source.question) : undefined;
    if (!source || !question || pi === null || !draft.definition.pages[pi])
      throw new HttpError(422, 'editor.error.library_choice');
    try {
      await editDraft(
        db,
        {
          id: draft.id,
          revision: revision,
          actor: req.user!,
          what: 'question.copy',
          details: { key: question.key, from: `${source.key}@${source.version}` },
        },
        (def) => applyLibraryCopy(def, pi, question),
      );
      req.session.flash = { kind: 'success', key: 'editor.library.copied', params: { key: question.key } };
      res.redirect(303, `${draftUrl(draft)}#pagina-${pi}`);
    } catch (error) {
      refused(req, res, error, `${draftUrl(draft)}/bibliotheek`);
    }
  });
}

/** Fixing the draft as the next version, and deleting it. */
function fixRoutes(router: Router, { db, loadDraft, refused, showOverview }: EditorContext) {
  // Fixing is final (the version is immutable), so the overview's button asks first: a
  // confirmation page with what will be fixed, whose form carries confirm=ja.
  router.get('/beheer/concepten/:id/vastleggen', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    const page = await overviewPage(db, draft, res.locals.locale);
    if (page.summary.length)
      return showOverview(res, draft, { errors: [{ field: 'fix', key: 'editor.error.not_valid' }], status: 422 });
    await res.page('pages/survey-editor-fix', {
      ...page,
      title: res.locals.t('editor.fix_confirm.title', { version: page.nextVersion }),
    });
  });

  router.post('/beheer/concepten/:id/vastleggen', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    if ((req.body as Record<string, unknown> | undefined)?.confirm !== 'ja')
      return res.redirect(303, `${draftUrl(draft)}/vastleggen`);
    try {
      const fixed = await fixDraft(db, draft.id, readEditorAction(req.body).revision, req.user!);
      req.session.flash = { kind: 'success', key: 'editor.fixed', params: fixed };
      res.redirect(303, `/beheer/vragenlijsten/${fixed.key}/${fixed.version}`);
    } catch (error) {
      if (error instanceof DraftInvalid)
        return showOverview(res, draft, { errors: [{ field: 'fix', key: 'editor.error.not_valid' }], status: 422 });
      refused(req, res, error, draftUrl(draft));
    }
  });

  router.post('/beheer/concepten/:id/verwijderen', requireStaff, async (req, res) => {
    const draft = await loadDraft(req);
    try {
      await deleteDraft(db, draft.id, readEditorAction(req.body).revision, req.user!);
      req.session.flash = { kind: 'success', key: 'editor.deleted', params: { key: draft.key } };
      res.redirect(303, '/beheer/vragenlijsten');
    } catch (error) {
      refused(req, res, error, draftUrl(draft));
    }
  });

  return router;
}
