// Issue 21 point 1: contacts imported and corrected on the Populatie page. The
// upload is the CLI's contacts CSV (all or nothing, errors by line and column), with
// a preview naming addresses several organisations share; one organisation's
// contacts are corrected with CSRF and an audit entry.

import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../foundation/db/database';
import { testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

describe.each(testDialects())('contacts on the Populatie page on $kind', (dialect) => {
  let handle: DatabaseHandle;
  let app: Express;
  let rows: Awaited<ReturnType<typeof seedSurvey>>['rows'];
  let staff: Browser;

  beforeAll(async () => {
    handle = await dialect.create();
    ({ rows } = await seedSurvey(handle, { orgs: 6 }));
    ({ app } = await testApp(handle));
    await makeUser(handle, 'staff@example.nl', 'staff');
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  async function upload(csv: string) {
    const page = await staff.get('/beheer/populatie');
    return staff.agent
      .post('/beheer/populatie/contacten')
      .field('_csrf', csrfFrom(page.text))
      .field('year', '2019')
      .attach('file', Buffer.from(csv), 'contacten.csv');
  }

  it('says which columns it reads', async () => {
    const page = await staff.get('/beheer/populatie');
    expect(page.text).toContain('Contacten importeren');
    expect(page.text).toContain('e-mail (of email');
    expect(page.text).toContain('contactpersoon (of naam)');
  });

  it('refuses a file with errors as a whole, naming line and column', async () => {
    const [a] = rows;
    const res = await upload(
      `kans_id;e-mail;contactpersoon\n${a.org_id};info@a.nl;Anna\nKANS-9999;x@b.nl;\n${a.org_id};geen-adres;\n`,
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('Regel 3, kolom kans_id');
    expect(res.text).toContain('Regel 4, kolom e-mail');
    expect(await handle.db.selectFrom('organisation_contacts').select('email').execute()).toEqual([]);
  });

  it('previews a shared address, stores nothing until confirmed, then imports all', async () => {
    const [a, b] = rows;
    const res = await upload(
      `kans_id;e-mail;contactpersoon\n${a.org_id};dir@school.nl;Dirk\n${b.org_id};dir@school.nl;Dirk\n`,
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('1 e-mailadres(sen) horen bij meer dan één organisatie');
    expect(res.text).toContain(`dir@school.nl: ${[a.org_id, b.org_id].sort().join(', ')}`);
    expect(await handle.db.selectFrom('organisation_contacts').select('email').execute()).toEqual([]);
    const confirmed = await staff.agent
      .post('/beheer/populatie/contacten/bevestigen')
      .type('form')
      .send({ _csrf: csrfFrom(res.text) });
    expect(confirmed.status).toBe(303);
    const stored = await handle.db
      .selectFrom('organisation_contacts')
      .select(['org_id', 'email', 'name'])
      .orderBy('org_id')
      .execute();
    expect(stored).toEqual(
      [
        { org_id: a.org_id, email: 'dir@school.nl', name: 'Dirk' },
        { org_id: b.org_id, email: 'dir@school.nl', name: 'Dirk' },
      ].sort((x, y) => x.org_id.localeCompare(y.org_id)),
    );
    // The pending file is used once.
    const again = await staff.agent
      .post('/beheer/populatie/contacten/bevestigen')
      .type('form')
      .send({ _csrf: csrfFrom(res.text) });
    expect(again.status).toBe(404);
  });

  it("corrects one organisation's contacts with CSRF, errors at the field, and an audit entry", async () => {
    const [, b] = rows;
    const form = await staff.get(`/beheer/populatie/contact?org_id=${b.org_id}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="dir@school.nl"');
    const forged = await staff.agent
      .post('/beheer/populatie/contact')
      .type('form')
      .send({ org_id: b.org_id, email_0: 'x@y.nl' });
    expect(forged.status).toBe(403);
    const bad = await staff.agent
      .post('/beheer/populatie/contact')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), org_id: b.org_id, email_0: 'geen adres', name_0: 'Dirk' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="email_0-error"');
    expect(bad.text).toContain('&#34;geen adres&#34; is geen bruikbaar e-mailadres');
    const ok = await staff.agent
      .post('/beheer/populatie/contact')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        org_id: b.org_id,
        email_0: '',
        name_0: '',
        email_1: 'Secretariaat@School-B.nl',
        name_1: 'Sanne',
      });
    expect(ok.status).toBe(303);
    const stored = await handle.db
      .selectFrom('organisation_contacts')
      .select(['email', 'name'])
      .where('org_id', '=', b.org_id)
      .execute();
    expect(stored).toEqual([{ email: 'secretariaat@school-b.nl', name: 'Sanne' }]);
    const audit = await handle.db
      .selectFrom('audit_log')
      .select(['entity_id', 'details'])
      .where('action', '=', 'contacts.correct')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].entity_id).toBe(b.org_id);
    const unknown = await staff.get('/beheer/populatie/contact?org_id=KANS-9999');
    expect(unknown.status).toBe(404);
  });
});
