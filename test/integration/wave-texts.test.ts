// Issue 21 point 1: a wave's own invitation and reminder texts, with a preview; an
// unknown placeholder is an error at its field; the association's name signs the mail.

import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../foundation/db/database';
import { testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

describe.each(testDialects())('message texts per wave on $kind', (dialect) => {
  let handle: DatabaseHandle;
  let app: Express;
  let slug: string;
  let rows: Awaited<ReturnType<typeof seedSurvey>>['rows'];
  let staff: Browser;

  beforeAll(async () => {
    handle = await dialect.create();
    ({ slug, rows } = await seedSurvey(handle, { orgs: 4, contacts: true }));
    ({ app } = await testApp(handle, { associationName: 'Cultuurconnectie' }));
    await makeUser(handle, 'staff@example.nl', 'staff');
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('signs the standard text with the association name', async () => {
    const preview = await staff.get(`/beheer/metingen/${slug}/berichten?kind=invitation&audience=all`);
    expect(preview.text).toContain('Met vriendelijke groet,\nCultuurconnectie');
    expect(preview.text).not.toContain('De Impactmonitor');
  });

  it('refuses an unknown placeholder at its field and stores nothing', async () => {
    const page = await staff.get(`/beheer/metingen/${slug}/teksten`);
    const res = await staff.agent
      .post(`/beheer/metingen/${slug}/teksten`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        invitation_text: 'Beste {naam} van {organization}, {link}',
        reminder_text: '',
        action: 'save',
      });
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="invitation_text-error-0"');
    expect(res.text).toContain('Onbekende plaatshouder {organization}');
    const noLink = await staff.agent
      .post(`/beheer/metingen/${slug}/teksten`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), invitation_text: '', reminder_text: 'Beste {naam}', action: 'preview' });
    expect(noLink.status).toBe(422);
    expect(noLink.text).toContain('De plaatshouder {link} ontbreekt');
    const wave = await handle.db
      .selectFrom('waves')
      .select(['invitation_text', 'reminder_text'])
      .executeTakeFirstOrThrow();
    expect(wave).toEqual({ invitation_text: null, reminder_text: null });
  });

  it('previews, saves (escaped, audited) and sends the wave own text', async () => {
    const page = await staff.get(`/beheer/metingen/${slug}/teksten`);
    const text =
      'Beste {naam},\n\nVul de monitor in voor {organisatie} <b>vóór</b> {sluitdatum}.\n\n{link}\n\nGroet,\n{afzender}';
    const shown = await staff.agent
      .post(`/beheer/metingen/${slug}/teksten`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), invitation_text: text, reminder_text: '', action: 'preview' });
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Vul de monitor in voor Muziekschool Voorbeeld &lt;b&gt;vóór&lt;/b&gt;');
    expect(shown.text).toContain('Groet,\nCultuurconnectie');
    const saved = await staff.agent
      .post(`/beheer/metingen/${slug}/teksten`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), invitation_text: text, reminder_text: '', action: 'save' });
    expect(saved.status).toBe(303);
    const audit = await handle.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'wave.texts')
      .execute();
    expect(audit).toHaveLength(1);
    const preview = await staff.get(`/beheer/metingen/${slug}/berichten?kind=invitation&audience=all`);
    const sent = await staff.agent
      .post(`/beheer/metingen/${slug}/berichten`)
      .type('form')
      .send({ _csrf: csrfFrom(preview.text), kind: 'invitation', audience: 'all' });
    expect(sent.status).toBe(303);
    const first = rows.find((r) => r.email)!;
    const mail = await handle.db
      .selectFrom('mail_queue')
      .select('body_text')
      .where('related_org_id', '=', first.org_id)
      .executeTakeFirstOrThrow();
    expect(mail.body_text).toContain(`Vul de monitor in voor ${first.name} <b>vóór</b>`);
    expect(mail.body_text).toContain('wachtwoord-instellen');
    expect(mail.body_text).toMatch(/Groet,\nCultuurconnectie$/);
  });
});
