// Two organisations that share one e-mail address (one director, two schools): the
// bulk invitation sends to the first, names the second, and never fails as a whole.

import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importContacts } from '../../analysis/frame/contacts-import';
import type { DatabaseHandle } from '../../foundation/db/database';
import { testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

describe.each(testDialects())('a bulk invitation with a shared address on $kind', (dialect) => {
  let handle: DatabaseHandle;
  let app: Express;
  let slug: string;
  let rows: Awaited<ReturnType<typeof seedSurvey>>['rows'];

  beforeAll(async () => {
    handle = await dialect.create();
    ({ slug, rows } = await seedSurvey(handle, { orgs: 6, contacts: true }));
    ({ app } = await testApp(handle));
    await makeUser(handle, 'staff@example.nl', 'staff');
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('invites the first organisation at the shared address, names the other, and queues the rest', async () => {
    const [first, second] = rows.filter((r) => r.email);
    const shared = first.email!.toLowerCase();
    const imported = await importContacts(handle.db, Buffer.from(`org_id,email\n${second.org_id},${shared}\n`), null, {
      year: 2019,
    });
    expect(imported.ok).toBe(true);
    const staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    const preview = await staff.get(`/beheer/metingen/${slug}/berichten?kind=invitation&audience=all`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Gedeeld e-mailadres (1)');
    expect(preview.text).toContain(`${shared}: niet voor`);
    const sent = await staff.agent
      .post(`/beheer/metingen/${slug}/berichten`)
      .type('form')
      .send({ _csrf: csrfFrom(preview.text), kind: 'invitation', audience: 'all' });
    expect(sent.status).toBe(303);
    const accounts = await handle.db
      .selectFrom('users')
      .select(['email', 'org_id'])
      .where('email', '=', shared)
      .execute();
    expect(accounts).toEqual([{ email: shared, org_id: first.org_id }]);
    const queued = await handle.db.selectFrom('mail_queue').select('id').execute();
    const members = await handle.db.selectFrom('users').select('id').where('role', '=', 'member').execute();
    // Every account created got its message; the batch was not rolled back.
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.length).toBe(members.length);
  });
});
