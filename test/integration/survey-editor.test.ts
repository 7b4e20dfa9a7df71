import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinition } from '../../surveys/definitions';
import { createDraft, deleteDraft, editDraft, getDraft } from '../../surveys/editor/drafts';
import { type TestDatabase, testDialects } from '../support/databases';
import { CORONA, seedSurvey } from '../support/survey-fixtures';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

describe.each(testDialects())('the questionnaire editor on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let staff: Browser;
  let colleague: Browser;
  let member: Browser;
  let draftUrl = '';

  beforeAll(async () => {
    handle = await dialect.create();
    ({ app } = await testApp(handle));
    await loadDefinition(handle.db, CORONA, null);
    await makeUser(handle, 'staff@example.nl', 'staff');
    await makeUser(handle, 'collega@example.nl', 'admin');
    await makeUser(handle, 'lid@example.nl', 'member', 'KANS-0001');
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    colleague = new Browser(app);
    await colleague.login('collega@example.nl', PASSWORD);
    member = new Browser(app);
    await member.login('lid@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const revisionOf = (html: string) => html.match(/name="revision" value="(\d+)"/)![1];
  const details = (a: { details: unknown }) =>
    (typeof a.details === 'string' ? JSON.parse(a.details) : a.details) as Record<string, unknown>;
  const audit = (action: string) =>
    handle.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

  /** POST a form of the page at `page` with its CSRF token and the draft's revision. */
  async function post(who: Browser, page: string, action: string, fields: Record<string, string | string[]>) {
    const html = (await who.get(page)).text;
    return who.agent
      .post(action)
      .type('form')
      .send({ _csrf: csrfFrom(html), revision: revisionOf(html), ...fields });
  }

  it('creates a draft that is saved with its problems, shown at their fields', async () => {
    const bad = await staff.submit('/beheer/vragenlijsten/nieuw', '/beheer/vragenlijsten/nieuw', {
      key: 'Crisis Kort',
      title_nl: 'Crisis',
      title_en: 'Crisis',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="key-error"');
    const taken = await staff.submit('/beheer/vragenlijsten/nieuw', '/beheer/vragenlijsten/nieuw', {
      key: 'corona-impact',
      title_nl: 'X',
      title_en: 'X',
    });
    expect(taken.text).toContain('Er bestaat al een vragenlijst met de sleutel &#34;corona-impact&#34;');

    const created = await staff.submit('/beheer/vragenlijsten/nieuw', '/beheer/vragenlijsten/nieuw', {
      key: 'crisis-kort',
      title_nl: 'Korte crisismonitor',
      title_en: 'Short crisis monitor',
    });
    expect(created.status).toBe(303);
    draftUrl = created.headers.location;
    expect(draftUrl).toMatch(/^\/beheer\/concepten\/\d+$/);
    const overview = await staff.get(draftUrl);
    expect(overview.text).toContain('Dit concept heeft 1 probleem');
    expect(overview.text).toContain('Een pagina heeft minstens één vraag.');
    expect(overview.text).toContain('href="#page-0-questions"');
    expect((await audit('survey.draft.create')).map((a) => details(a).key)).toEqual(['crisis-kort']);
  });

  it('adds a question, keeps an edit with an error and shows it at its field in Dutch', async () => {
    const added = await post(staff, draftUrl, `${draftUrl}/paginas/0`, { action: 'add_question', type: 'boolean' });
    expect(added.status).toBe(303);
    // A new question opens without the problems of its empty fields; they show once saved.
    expect(added.headers.location).toBe(`${draftUrl}/paginas/0/vragen/0?nieuw=1`);
    const fresh = await staff.get(added.headers.location);
    expect(fresh.text).not.toContain('class="error-message"');
    const questionUrl = `${draftUrl}/paginas/0/vragen/0`;
    expect((await staff.get(questionUrl)).text).toContain('class="error-message"');
    const saved = await post(staff, questionUrl, questionUrl, {
      action: 'save',
      key: 'online',
      type: 'boolean',
      label_nl: '',
      label_en: 'Do you teach online?',
      required: 'on',
    });
    expect(saved.status).toBe(303);
    const form = await staff.get(questionUrl);
    // The problem at its field: the Dutch text (English is optional), with the message linked from the summary.
    expect(form.text).toMatch(
      /id="label_nl-error"><span class="visually-hidden">[^<]*<\/span> Vul een Nederlandse tekst in \(Engels mag erbij\)\./,
    );
    expect(form.text).toContain('href="#label_nl"');
    expect(form.text).toMatch(/id="label_nl"[^>]*aria-invalid="true"/);
    const overview = await staff.get(draftUrl);
    expect(overview.text).toContain(`href="${questionUrl}#label_nl"`);
    // A number that cannot be read is refused and nothing is saved.
    const before = await handle.db.selectFrom('survey_drafts').select('revision').executeTakeFirstOrThrow();
    const q2 = await post(staff, draftUrl, `${draftUrl}/paginas/0`, { action: 'add_question', type: 'integer' });
    const unreadable = await post(staff, q2.headers.location, q2.headers.location, {
      action: 'save',
      key: 'lessons',
      type: 'integer',
      label_nl: 'Hoeveel lessen?',
      label_en: 'How many lessons?',
      min: 'veel',
    });
    expect(unreadable.status).toBe(422);
    expect(unreadable.text).toContain('&#34;veel&#34; is geen getal.');
    expect(unreadable.text).toContain('>Hoeveel lessen?</textarea>');
    const after = await handle.db.selectFrom('survey_drafts').select('revision').executeTakeFirstOrThrow();
    expect(after.revision).toBe(before.revision + 1); // only the added question
  });

  it('refuses to fix a draft with errors, then fixes it as the next version', async () => {
    // The overview's button opens a confirmation page; a draft with problems gets none.
    expect((await staff.get(`${draftUrl}/vastleggen`)).status).toBe(422);
    const refused = await post(staff, draftUrl, `${draftUrl}/vastleggen`, { confirm: 'ja' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Het concept heeft nog problemen en is niet vastgelegd.');
    expect(
      await handle.db.selectFrom('survey_definitions').where('key', '=', 'crisis-kort').select('id').execute(),
    ).toEqual([]);

    const q0 = `${draftUrl}/paginas/0/vragen/0`;
    await post(staff, q0, q0, {
      action: 'save',
      key: 'online',
      type: 'boolean',
      label_nl: 'Geeft u online les?',
      label_en: 'Do you teach online?',
      required: 'on',
    });
    const q1 = `${draftUrl}/paginas/0/vragen/1`;
    // The condition is chosen from earlier questions: "online" is offered, a later or unknown key is not accepted.
    const form = await staff.get(q1);
    expect(form.text).toContain('<option value="online">');
    expect(form.text).toContain('name="vi_values__online" value="true"');
    const saved = await post(staff, q1, q1, {
      action: 'save',
      key: 'lessons',
      type: 'integer',
      label_nl: 'Hoeveel lessen gaf u online?',
      label_en: 'How many lessons did you give online?',
      min: '0',
      max: '1.000',
      aux: 'students',
      visible_if_question: 'online',
      vi_values__online: 'true',
      report_statistics: ['total'],
      key_figure_nl: 'Geschat aantal online lessen',
      key_figure_en: 'Estimated number of online lessons',
    });
    expect(saved.status).toBe(303);
    // Fixing asks first: the overview links to a confirmation page; a post without its
    // confirmation only leads there and fixes nothing.
    const unconfirmed = await post(staff, draftUrl, `${draftUrl}/vastleggen`, {});
    expect(unconfirmed.status).toBe(303);
    expect(unconfirmed.headers.location).toBe(`${draftUrl}/vastleggen`);
    expect((await staff.get(draftUrl)).text).toContain(`href="${draftUrl}/vastleggen"`);
    const confirmation = await staff.get(`${draftUrl}/vastleggen`);
    expect(confirmation.status).toBe(200);
    expect(confirmation.text).toContain('Versie 1 vastleggen?');
    expect(confirmation.text).toMatch(/name="_csrf"/);
    expect(confirmation.text).toContain('name="confirm" value="ja"');
    const fixed = await post(staff, `${draftUrl}/vastleggen`, `${draftUrl}/vastleggen`, { confirm: 'ja' });
    expect(fixed.status).toBe(303);
    expect(fixed.headers.location).toBe('/beheer/vragenlijsten/crisis-kort/1');
    const row = await handle.db
      .selectFrom('survey_definitions')
      .selectAll()
      .where('key', '=', 'crisis-kort')
      .executeTakeFirstOrThrow();
    const def = typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition;
    expect(def.pages[0].questions[1]).toEqual({
      key: 'lessons',
      type: 'integer',
      label: { nl: 'Hoeveel lessen gaf u online?', en: 'How many lessons did you give online?' },
      min: 0,
      max: 1000,
      aux: 'students',
      visible_if: { question: 'online', equals: true },
      report: {
        statistics: ['total'],
        key_figure: { nl: 'Geschat aantal online lessen', en: 'Estimated number of online lessons' },
      },
    });
    expect(await handle.db.selectFrom('survey_drafts').select('id').execute()).toEqual([]);
    expect((await audit('survey.draft.fix')).map((a) => a.entity_id)).toEqual(['crisis-kort@1']);
    expect((await audit('survey.draft.edit')).length).toBeGreaterThanOrEqual(4);
    expect((await staff.get(draftUrl)).status).toBe(404);
  });

  it('starts a new version from a stored one and never silently overwrites a colleague', async () => {
    const started = await staff.submit(
      '/beheer/vragenlijsten/crisis-kort/1',
      '/beheer/vragenlijsten/crisis-kort/1/concept',
      {},
    );
    expect(started.status).toBe(303);
    draftUrl = started.headers.location;
    const overview = (await staff.get(draftUrl)).text;
    expect(overview).toContain('Wordt versie 2 (gebaseerd op versie 1)');
    // Both open the overview at the same revision.
    const mine = (await staff.get(draftUrl)).text;
    const theirs = (await colleague.get(draftUrl)).text;
    const send = (who: Browser, html: string, title: string) =>
      who.agent
        .post(`${draftUrl}/instellingen`)
        .type('form')
        .send({ _csrf: csrfFrom(html), revision: revisionOf(html), title_nl: title, title_en: 'Short crisis monitor' });
    expect((await send(colleague, theirs, 'Crisismonitor (collega)')).status).toBe(303);
    // The late save is refused with 409 and shows the colleague's newest draft with my typed title in it, unsaved.
    const late = await send(staff, mine, 'Crisismonitor (ik)');
    expect(late.status).toBe(409);
    expect(late.text).toContain(
      'Een collega heeft dit concept intussen gewijzigd. Uw wijziging is nog niet opgeslagen',
    );
    expect(late.text).toContain('value="Crisismonitor (ik)"');
    // Everything else (the heading, the differences) is the colleague's stored draft.
    expect(late.text).toContain('Concept: Crisismonitor (collega)');
    expect(late.text).not.toContain('Concept: Crisismonitor (ik)');
    expect(revisionOf(late.text)).toBe(revisionOf((await colleague.get(draftUrl)).text));
    const after = await staff.get(draftUrl);
    expect(after.text).toContain('value="Crisismonitor (collega)"');
    // A page's form the same: my page title kept over the newer draft, its settings opened, nothing stored.
    const pageForm = (await staff.get(draftUrl)).text;
    const pageTitle = (html: string, nl: string) =>
      staff.agent
        .post(`${draftUrl}/paginas/0`)
        .type('form')
        .send({
          _csrf: csrfFrom(html),
          revision: revisionOf(html),
          was: html.match(/name="was" value="([^"]*)"/)![1],
          action: 'save',
          page_key: 'situatie',
          page_title_nl: nl,
          page_title_en: 'Situation',
        });
    expect((await send(colleague, (await colleague.get(draftUrl)).text, 'Crisismonitor (collega 2)')).status).toBe(303);
    const latePage = await pageTitle(pageForm, 'Uw situatie (ik)');
    expect(latePage.status).toBe(409);
    expect(latePage.text).toContain('value="Uw situatie (ik)"');
    expect(latePage.text).toMatch(/<details open>\s*<summary>Titel, inleiding en volgorde van de pagina/);
    expect(latePage.text).toContain('value="Crisismonitor (collega 2)"');
    // The question form keeps what was typed, and says so.
    const q = `${draftUrl}/paginas/0/vragen/0`;
    const stale = (await staff.get(q)).text;
    await post(colleague, q, q, {
      action: 'save',
      key: 'online',
      type: 'boolean',
      label_nl: 'Online?',
      label_en: 'Online?',
    });
    const conflict = await staff.agent
      .post(q)
      .type('form')
      .send({
        _csrf: csrfFrom(stale),
        revision: revisionOf(stale),
        was: 'online',
        action: 'save',
        key: 'online',
        type: 'boolean',
        label_nl: 'Les online?',
        label_en: 'Online?',
      });
    expect(conflict.status).toBe(409);
    expect(conflict.text).toContain('>Les online?</textarea>');
    expect(conflict.text).toContain('Een collega heeft dit concept intussen gewijzigd.');
    const stored = await handle.db.selectFrom('survey_drafts').select('definition').executeTakeFirstOrThrow();
    const def = typeof stored.definition === 'string' ? JSON.parse(stored.definition) : stored.definition;
    expect(def.pages[0].questions[0].label.nl).toBe('Online?');
    expect(def.pages[0].title.nl).not.toBe('Uw situatie (ik)');
    expect(def.title.nl).toBe('Crisismonitor (collega 2)');
  });

  it('copies questions of earlier versions with their keys, and refuses a key clash', async () => {
    const library = await staff.get(`${draftUrl}/bibliotheek?zoek=omzet`);
    expect(library.text).toContain('revenue_loss_eur');
    expect(library.text).not.toContain('students_quit');
    const copied = await post(staff, `${draftUrl}/bibliotheek?zoek=omzet`, `${draftUrl}/bibliotheek`, {
      source: 'corona-impact@1/revenue_loss_eur',
      page: '0',
    });
    expect(copied.status).toBe(303);
    const stored = await handle.db.selectFrom('survey_drafts').select('definition').executeTakeFirstOrThrow();
    const def = typeof stored.definition === 'string' ? JSON.parse(stored.definition) : stored.definition;
    expect(def.pages[0].questions.map((q: { key: string }) => q.key)).toEqual([
      'online',
      'lessons',
      'revenue_loss_eur',
    ]);
    const clash = await post(staff, `${draftUrl}/bibliotheek`, `${draftUrl}/bibliotheek`, {
      source: 'crisis-kort@1/online',
      page: '0',
    });
    expect(clash.status).toBe(303);
    expect((await staff.get(clash.headers.location)).text).toContain('Vraag &#34;online&#34; staat al in dit concept.');
    expect((await audit('survey.draft.edit')).some((a) => details(a).edit === 'question.copy')).toBe(true);
  });

  it('moves and removes questions and options', async () => {
    const moved = await post(staff, draftUrl, `${draftUrl}/paginas/0/vragen/2`, { action: 'up' });
    expect(moved.status).toBe(303);
    let def = await currentDraft();
    expect(def.pages[0].questions.map((q: { key: string }) => q.key)).toEqual([
      'online',
      'revenue_loss_eur',
      'lessons',
    ]);
    await post(staff, draftUrl, `${draftUrl}/paginas/0/vragen/1`, { action: 'remove' });
    def = await currentDraft();
    expect(def.pages[0].questions.map((q: { key: string }) => q.key)).toEqual(['online', 'lessons']);
    const added = await post(staff, draftUrl, `${draftUrl}/paginas/0`, {
      action: 'add_question',
      type: 'single_choice',
    });
    const url = added.headers.location;
    const fields = {
      key: 'need',
      type: 'single_choice',
      label_nl: 'Grootste behoefte?',
      label_en: 'Biggest need?',
      option_count: '1',
      option_0_value: 'money',
      option_0_label_nl: 'Geld',
      option_0_label_en: 'Money',
    };
    await post(staff, url, url, { ...fields, action: 'option_add' });
    def = await currentDraft();
    expect(def.pages[0].questions[2].options.map((o: { value: string }) => o.value)).toEqual(['money', 'optie_1']);
    await post(staff, url, url, {
      ...fields,
      option_count: '2',
      option_1_value: 'staff',
      option_1_label_nl: 'Personeel',
      option_1_label_en: 'Staff',
      action: 'option_up:1',
    });
    def = await currentDraft();
    expect(def.pages[0].questions[2].options.map((o: { value: string }) => o.value)).toEqual(['staff', 'money']);
  });

  async function currentDraft() {
    const stored = await handle.db.selectFrom('survey_drafts').select('definition').executeTakeFirstOrThrow();
    return typeof stored.definition === 'string' ? JSON.parse(stored.definition) : stored.definition;
  }

  it('shows a preview with the member markup, and refuses members everywhere', async () => {
    const preview = await staff.get(`${draftUrl}/voorbeeld`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('data-question="lessons"');
    expect(preview.text).toMatch(/data-question="lessons" data-visible-if="[^"]*&#34;question&#34;:&#34;online&#34;/);
    expect((await staff.get(`${draftUrl}/voorbeeld?breedte=telefoon`)).text).toContain('class="preview-phone"');
    for (const url of [
      draftUrl,
      `${draftUrl}/voorbeeld`,
      `${draftUrl}/bibliotheek`,
      `${draftUrl}/paginas/0/vragen/0`,
      '/beheer/vragenlijsten/nieuw',
    ])
      expect((await member.get(url)).status, url).toBe(403);
    const token = csrfFrom((await member.get('/mijn-account')).text);
    for (const url of [
      `${draftUrl}/instellingen`,
      `${draftUrl}/vastleggen`,
      `${draftUrl}/verwijderen`,
      '/beheer/vragenlijsten/nieuw',
    ])
      expect((await member.agent.post(url).type('form').send({ _csrf: token, revision: '1' })).status, url).toBe(403);
    // Without the CSRF token nothing happens.
    expect((await staff.agent.post(`${draftUrl}/verwijderen`).type('form').send({ revision: '1' })).status).toBe(403);
  });

  it('deletes a draft, with an audit entry', async () => {
    const deleted = await post(staff, draftUrl, `${draftUrl}/verwijderen`, {});
    expect(deleted.status).toBe(303);
    expect(await handle.db.selectFrom('survey_drafts').select('id').execute()).toEqual([]);
    expect((await audit('survey.draft.delete')).length).toBe(1);
  });

  it('puts typed text back on the page or question it was typed for after a colleague moved it, never on another', async () => {
    const actor = await handle.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'staff@example.nl')
      .executeTakeFirstOrThrow();
    const created = await createDraft(
      handle.db,
      { key: 'verplaatst', title: { nl: 'Verplaatst', en: 'Moved' } },
      actor,
    );
    const text = (nl: string) => ({ nl, en: nl });
    await editDraft(handle.db, { id: created.id, revision: created.revision, actor, what: 'setup' }, (def) => ({
      definition: {
        ...def,
        pages: [
          { key: 'a', title: text('A'), questions: [{ key: 'q1', type: 'boolean', label: text('Vraag 1') }] },
          { key: 'b', title: text('B'), questions: [{ key: 'q2', type: 'boolean', label: text('Vraag 2') }] },
        ],
      },
    }));
    const url = `/beheer/concepten/${created.id}`;
    const section = (html: string, pi: number) => html.split('class="panel editor-page"')[pi + 1] ?? '';
    // A page: my stale form for page A (index 0); the colleague moves A down meanwhile.
    const mine = (await staff.get(url)).text;
    expect((await post(colleague, url, `${url}/paginas/0`, { action: 'down', was: 'a' })).status).toBe(303);
    const pageConflict = await staff.agent
      .post(`${url}/paginas/0`)
      .type('form')
      .send({
        _csrf: csrfFrom(mine),
        revision: revisionOf(mine),
        was: 'a',
        action: 'save',
        page_key: 'a',
        page_title_nl: 'A (ik)',
        page_title_en: 'A',
        page_intro_nl: '',
        page_intro_en: '',
      });
    expect(pageConflict.status).toBe(409);
    expect(section(pageConflict.text, 1)).toContain('value="A (ik)"');
    expect(section(pageConflict.text, 0)).not.toContain('A (ik)');
    expect(section(pageConflict.text, 0)).toContain('value="B"');
    // A question: my stale form for q1 (now page 1); the colleague moves page A back up.
    const q1 = (await staff.get(`${url}/paginas/1/vragen/0`)).text;
    expect((await post(colleague, url, `${url}/paginas/1`, { action: 'up', was: 'a' })).status).toBe(303);
    const stale = {
      _csrf: csrfFrom(q1),
      revision: revisionOf(q1),
      was: 'q1',
      action: 'save',
      key: 'q1',
      type: 'boolean',
      label_nl: 'Vraag 1 (ik)',
      label_en: 'Question 1',
    };
    const questionConflict = await staff.agent.post(`${url}/paginas/1/vragen/0`).type('form').send(stale);
    expect(questionConflict.status).toBe(409);
    expect(questionConflict.text).toContain(`action="${url}/paginas/0/vragen/0"`);
    expect(questionConflict.text).toContain('>Vraag 1 (ik)</textarea>');
    // The colleague removes q1: my stale save goes nowhere and says so; q2 is untouched.
    expect((await post(colleague, url, `${url}/paginas/0/vragen/0`, { action: 'remove' })).status).toBe(303);
    const gone = await staff.agent.post(`${url}/paginas/0/vragen/0`).type('form').send(stale);
    expect(gone.status).toBe(303);
    expect(gone.headers.location).toBe(url);
    expect((await staff.get(url)).text).toContain('Een collega heeft dit concept intussen gewijzigd.');
    const stored = (await getDraft(handle.db, created.id))!.definition;
    expect(stored.pages.map((p) => p.questions.map((q) => [q.key, q.label.nl]))).toEqual([[], [['q2', 'Vraag 2']]]);
    await deleteDraft(handle.db, created.id, (await getDraft(handle.db, created.id))!.revision, actor);
  });
});

describe.each(testDialects())('the editor compares a draft with earlier waves on $kind', (dialect) => {
  let handle: TestDatabase;
  let staff: Browser;
  let draftUrl = '';

  beforeAll(async () => {
    handle = await dialect.create();
    await seedSurvey(handle); // corona-impact version 1, used by a wave
    const { app } = await testApp(handle);
    await makeUser(handle, 'staff@example.nl', 'staff');
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    const started = await staff.submit(
      '/beheer/vragenlijsten/corona-impact/1',
      '/beheer/vragenlijsten/corona-impact/1/concept',
      {},
    );
    expect(started.status).toBe(303);
    draftUrl = started.headers.location;
  });
  afterAll(async () => {
    await handle?.close();
  });

  const decode = (s: string) =>
    s.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

  /** The fields of the question form as a browser would send them, with some changed. */
  async function saveQuestion(url: string, changes: Record<string, string>) {
    const html = (await staff.get(url)).text;
    const form = html.slice(
      html.indexOf('data-question-editor'),
      html.indexOf('</form>', html.indexOf('data-question-editor')),
    );
    const fields: Record<string, string | string[]> = {};
    const add = (name: string, value: string) => {
      const had = fields[name];
      fields[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
    };
    for (const m of form.matchAll(/<input ([^>]*)>/g)) {
      const attr = (a: string) => m[1].match(new RegExp(`${a}="([^"]*)"`))?.[1];
      const name = attr('name');
      if (!name) continue;
      if ((attr('type') === 'checkbox' || attr('type') === 'radio') && !/\bchecked\b/.test(m[1])) continue;
      add(name, decode(attr('value') ?? ''));
    }
    for (const m of form.matchAll(/<textarea [^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) add(m[1], decode(m[2]));
    for (const m of form.matchAll(/<select [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
      const selected = m[2].match(/<option value="([^"]*)" selected>/);
      add(m[1], decode(selected ? selected[1] : (m[2].match(/<option value="([^"]*)"/)?.[1] ?? '')));
    }
    return staff.agent
      .post(url)
      .type('form')
      .send({ ...fields, ...changes, action: 'save' });
  }

  it('shows a changed type as a break with the wave, and a rewording as a rewording without one', async () => {
    let overview = (await staff.get(draftUrl)).text;
    expect(overview).toContain('Verschillen met versie 1');
    expect(overview).toContain('Vergeleken met versie 1, waarop dit concept is gebaseerd.');
    expect(overview).toContain('Geen verschillen behalve het versienummer.');
    expect(overview).not.toContain('Deze wijzigingen maken vergelijking met eerdere metingen onmogelijk');

    // liquidity_months is question 3 of page 1 (omzet); students_quit question 4 of page 2 (lessen).
    const liquidity = `${draftUrl}/paginas/0/vragen/2`;
    const students = `${draftUrl}/paginas/1/vragen/3`;
    expect((await saveQuestion(liquidity, { type: 'integer' })).status).toBe(303);
    expect((await saveQuestion(students, { label_nl: 'Hoeveel leerlingen hebben hun lessen stopgezet?' })).status).toBe(
      303,
    );

    overview = (await staff.get(draftUrl)).text;
    const warning = overview.slice(overview.indexOf('id="comparability-breaks"'));
    expect(overview.indexOf('id="comparability-breaks"')).toBeGreaterThan(0);
    // The warning stands above the fix button and names the broken question, not the reworded one.
    expect(overview.indexOf('id="comparability-breaks"')).toBeLessThan(overview.indexOf('Vastleggen als versie 2'));
    const list = warning.slice(0, warning.indexOf('</div>'));
    expect(list).toContain('Deze wijzigingen maken vergelijking met eerdere metingen onmogelijk:');
    expect(list).toContain('vraag liquidity_months (vergeleken met versie 1, gebruikt in een meting)');
    expect(list).toContain('Type gewijzigd: getal → geheel getal');
    expect(list).toContain('nieuwe sleutel');
    expect(list).not.toContain('students_quit');

    // The differences: one changed question that breaks, one reworded question that does not.
    const diff = overview.slice(overview.indexOf('id="verschillen"'));
    expect(diff).toContain('0 toegevoegd, 0 verwijderd, 2 gewijzigd, 17 ongewijzigd.');
    const item = (key: string) => {
      const at = diff.indexOf(`<code>${key}</code>`);
      const start = diff.lastIndexOf('<li class="diff-item', at);
      return diff.slice(start, diff.indexOf('</ul>', at));
    };
    expect(item('liquidity_months')).toContain('diff-breaks');
    expect(item('liquidity_months')).toContain('Type gewijzigd');
    expect(item('students_quit')).not.toContain('diff-breaks');
    expect(item('students_quit')).toContain(
      'Anders geformuleerd; was: &#34;Hoeveel leerlingen hebben hun lessen opgezegd?&#34;',
    );
    expect(item('students_quit')).not.toContain('Niet vergelijkbaar');

    // The question form says so at the type field; the reworded question has no warning.
    const form = (await staff.get(liquidity)).text;
    expect(form).toContain('id="type-break"');
    expect(form).toMatch(/aria-describedby="type-hint type-break"/);
    expect(form).toContain('Let op: deze wijziging maakt vergelijking met eerdere metingen onmogelijk');
    expect((await staff.get(students)).text).not.toContain('editor-break');
  });

  it('warns at the options when an option is removed, and stops warning once the question gets a new key', async () => {
    // refund_policy is question 5 of page 2 (lessen), options full, partial, voucher, none.
    const refund = `${draftUrl}/paginas/1/vragen/4`;
    expect((await staff.get(refund)).text).not.toContain('id="options-break"');
    // The last option (none) left out of the form: removed.
    expect((await saveQuestion(refund, { option_count: '3' })).status).toBe(303);
    const form = (await staff.get(refund)).text;
    expect(form).toContain('id="options-break"');
    expect(form).toContain('Optie verwijderd: Geen restitutie (none)');
    expect((await staff.get(draftUrl)).text).toContain('vraag refund_policy (vergeleken met versie 1');

    // A new key: a new question with its own series, nothing mixed any more.
    expect((await saveQuestion(refund, { key: 'refund_policy_2021' })).status).toBe(303);
    const after = (await staff.get(draftUrl)).text;
    expect(after).not.toContain('vraag refund_policy (vergeleken');
    expect(after).toContain('vraag liquidity_months (vergeleken met versie 1');
  });
});
