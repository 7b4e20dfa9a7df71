// Two organisations that share one e-mail address (one director, two schools): the
// bulk invitation reaches both with one account and one message, the member chooses
// which organisation it answers for, a message that fails is reported while the rest
// go out, and the reminder preview counts what the send sends.
// (Before issue 21 point 1 the shared address reached only the first organisation.)

import type { Express } from 'express';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../foundation/db/database';
import { importContacts } from '../../register/contacts-import';
import { testDialects } from '../support/databases';
import { PAGE_ANSWERS, seedSurvey } from '../support/survey-fixtures';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

function tokenIn(body: string): string {
  const match = body.match(/token=([\w-]+)/);
  if (!match) throw new Error('no link in the mail');
  return match[1];
}

describe.each(testDialects())('a bulk invitation with a shared address on $kind', (dialect) => {
  let handle: DatabaseHandle;
  let app: Express;
  let slug: string;
  let rows: Awaited<ReturnType<typeof seedSurvey>>['rows'];
  let first: (typeof rows)[number];
  let second: (typeof rows)[number];
  let third: (typeof rows)[number];
  let shared: string;
  let staff: Browser;

  beforeAll(async () => {
    handle = await dialect.create();
    ({ slug, rows } = await seedSurvey(handle, { orgs: 8, contacts: true }));
    ({ app } = await testApp(handle));
    await makeUser(handle, 'staff@example.nl', 'staff');
    [first, second, third] = rows.filter((r) => r.email);
    shared = first.email!.toLowerCase();
    // The second organisation's only contact is the first's address.
    await handle.db.deleteFrom('organisation_contacts').where('org_id', '=', second.org_id).execute();
    const imported = await importContacts(handle.db, Buffer.from(`org_id,email\n${second.org_id},${shared}\n`), null, {
      year: 2019,
    });
    expect(imported.ok).toBe(true);
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('previews one account for both organisations and counts neither as without an address', async () => {
    const preview = await staff.get(`/beheer/metingen/${slug}/berichten?kind=invitation&audience=all`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Gedeeld e-mailadres (1)');
    expect(preview.text).toContain(`${shared}: één account voor 2 organisaties`);
    expect(preview.text).not.toContain(`niet voor`);
    // Every organisation with an address (the shared one included) is counted as reached.
    const reachedCount = Number(preview.text.match(/naar (\d+) organisaties?;/)?.[1]);
    const contactsOrgs = await handle.db.selectFrom('organisation_contacts').select('org_id').distinct().execute();
    expect(reachedCount).toBe(contactsOrgs.length);
  });

  it('reports a message that fails with its organisation and reason, and sends the rest', async () => {
    // An induced failure: the queue refuses the third organisation's address.
    const broken = third.email!.toLowerCase();
    await sql`alter table mail_queue add constraint test_refuse check (to_address <> ${sql.lit(broken)})`.execute(
      handle.db,
    );
    try {
      const preview = await staff.get(`/beheer/metingen/${slug}/berichten?kind=invitation&audience=all`);
      const planned = Number(preview.text.match(/Ja, verstuur (\d+) bericht/)?.[1]);
      const sent = await staff.agent
        .post(`/beheer/metingen/${slug}/berichten`)
        .type('form')
        .send({ _csrf: csrfFrom(preview.text), kind: 'invitation', audience: 'all' });
      expect(sent.status).toBe(303);
      const page = await staff.get(sent.headers.location);
      expect(page.text).toContain('1 bericht niet verstuurd');
      expect(page.text).toContain(
        `${broken} voor ${third.name.replace(/&/g, '&amp;').replace(/'/g, '&#39;')} (${third.org_id})`,
      );
      expect(page.text).toContain('test_refuse');
      const queued = await handle.db.selectFrom('mail_queue').select(['to_address', 'body_text']).execute();
      expect(queued).toHaveLength(planned - 1);
      expect(queued.some((m) => m.to_address === broken)).toBe(false);
      // The failed message's account was rolled back with it; the others were created.
      expect(await handle.db.selectFrom('users').select('id').where('email', '=', broken).execute()).toHaveLength(0);
      // One account and one message for the shared address, naming both organisations.
      const accounts = await handle.db
        .selectFrom('users')
        .select(['id', 'org_id'])
        .where('email', '=', shared)
        .execute();
      expect(accounts).toEqual([{ id: accounts[0].id, org_id: first.org_id }]);
      const links = await handle.db
        .selectFrom('user_organisations')
        .select('org_id')
        .where('user_id', '=', accounts[0].id)
        .execute();
      expect(links).toEqual([{ org_id: second.org_id }]);
      const toShared = queued.filter((m) => m.to_address === shared);
      expect(toShared).toHaveLength(1);
      expect(toShared[0].body_text).toContain('Dit bericht geldt voor 2 organisaties');
      const audit = await handle.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'user.link_organisation')
        .execute();
      expect(audit).toHaveLength(1);
    } finally {
      await sql`alter table mail_queue drop constraint test_refuse`.execute(handle.db);
    }
  });

  it('lets the member choose the organisation it answers for, and refuses one it is not linked to', async () => {
    const mail = await handle.db
      .selectFrom('mail_queue')
      .select('body_text')
      .where('to_address', '=', shared)
      .executeTakeFirstOrThrow();
    const token = tokenIn(mail.body_text);
    const visitor = new Browser(app);
    const form = await visitor.get(`/wachtwoord-instellen?soort=invite&token=${token}`);
    await visitor.agent
      .post('/wachtwoord-instellen')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), kind: 'invite', token, password: PASSWORD, password_confirm: PASSWORD });

    const member = new Browser(app);
    const login = await member.login(shared, PASSWORD);
    expect(login.headers.location).toBe('/organisatie-kiezen?next=%2F');
    // Until it chooses, the questionnaire sends it to the chooser.
    const gated = await member.get(`/vragenlijst/${slug}/stap/1`);
    expect(gated.status).toBe(303);
    expect(gated.headers.location).toMatch(/^\/organisatie-kiezen\?next=/);
    const chooser = await member.get('/organisatie-kiezen');
    expect(chooser.text).toContain(first.org_id);
    expect(chooser.text).toContain(second.org_id);
    const csrf = csrfFrom(chooser.text);
    // Without the CSRF token: refused.
    const forged = await member.agent.post('/organisatie-kiezen').type('form').send({ org_id: first.org_id });
    expect(forged.status).toBe(403);
    // An organisation the account is not linked to: refused, nothing chosen.
    const foreign = await member.agent
      .post('/organisatie-kiezen')
      .type('form')
      .send({ _csrf: csrf, org_id: third.org_id, next: '/' });
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain('hoort niet bij uw account');
    expect((await member.get('/')).status).toBe(303);

    // Answer for the second organisation: the response is that organisation's.
    const chose = await member.agent
      .post('/organisatie-kiezen')
      .type('form')
      .send({ _csrf: csrf, org_id: second.org_id, next: `/vragenlijst/${slug}/stap/1` });
    expect(chose.status).toBe(303);
    expect(chose.headers.location).toBe(`/vragenlijst/${slug}/stap/1`);
    const page = await member.get(`/vragenlijst/${slug}/stap/1`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Organisatie wisselen');
    const saved = await member.agent
      .post(`/vragenlijst/${slug}/stap/1`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        version: page.text.match(/name="version" value="(\d+)"/)?.[1] ?? '',
        action: 'next',
        ...PAGE_ANSWERS[0],
      });
    expect(saved.status).toBe(303);
    const responses = await handle.db.selectFrom('responses').select('org_id').execute();
    expect(responses).toEqual([{ org_id: second.org_id }]);

    // Switch to the first: its form is empty, the second's answers stay the second's.
    await member.submit('/organisatie-kiezen', '/organisatie-kiezen', { org_id: first.org_id, next: '/' });
    const home = await member.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain(first.name.replace(/&/g, '&amp;').replace(/'/g, '&#39;'));
    const choices = await handle.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'session.choose_organisation')
      .execute();
    expect(choices).toHaveLength(2);
  });

  it('counts in the reminder preview what the reminder sends, shared address included', async () => {
    await handle.db.deleteFrom('mail_queue').execute();
    const preview = await staff.get(`/beheer/metingen/${slug}/berichten?kind=reminder&audience=not_responded`);
    expect(preview.status).toBe(200);
    const planned = Number(preview.text.match(/Ja, verstuur (\d+) bericht/)?.[1]);
    expect(preview.text).toContain(`${shared}: één account voor 2 organisaties`);
    const sent = await staff.agent
      .post(`/beheer/metingen/${slug}/berichten`)
      .type('form')
      .send({ _csrf: csrfFrom(preview.text), kind: 'reminder', audience: 'not_responded' });
    expect(sent.status).toBe(303);
    const queued = await handle.db.selectFrom('mail_queue').select('to_address').execute();
    expect(queued).toHaveLength(planned);
    expect(queued.filter((m) => m.to_address === shared)).toHaveLength(1);
  });
});
