// Issue 23.4: staff cannot send an administrator a set-password link (nor a user who
// has a password one at all), and a password must not be common or one letter repeated.

import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../accounts/accounts';
import { type TestDatabase, testDialects } from '../support/databases';
import { Browser, makeUser, PASSWORD, testApp } from '../support/web-client';

describe.each(testDialects())('account rules on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let staff: Browser;
  let admin: Browser;

  beforeAll(async () => {
    handle = await dialect.create();
    ({ app } = await testApp(handle));
    await makeUser(handle, 'admin@example.nl', 'admin');
    await makeUser(handle, 'staff@example.nl', 'staff');
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    admin = new Browser(app);
    await admin.login('admin@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const tokensOf = async (userId: number) =>
    (await handle.db.selectFrom('user_tokens').select('id').where('user_id', '=', userId).execute()).length;

  it('lets staff resend an open invitation to staff, never to an administrator or an account with a password', async () => {
    const pendingAdmin = await createAccount(
      handle.db,
      { email: 'newadmin@example.nl', name: 'Nieuw', role: 'admin', orgId: null },
      null,
    );
    const pendingStaff = await createAccount(
      handle.db,
      { email: 'newstaff@example.nl', name: 'Nieuw', role: 'staff', orgId: null },
      null,
    );
    const active = await handle.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'admin@example.nl')
      .executeTakeFirstOrThrow();
    const list = await staff.get('/beheer/gebruikers');
    expect(list.text).not.toContain(`/beheer/gebruikers/${pendingAdmin.id}/uitnodiging`);
    expect(list.text).toContain(`/beheer/gebruikers/${pendingStaff.id}/uitnodiging`);
    for (const target of [pendingAdmin, active]) {
      const res = await staff.submit('/beheer/gebruikers', `/beheer/gebruikers/${target.id}/uitnodiging`, {});
      expect(res.status).toBe(403);
      expect(await tokensOf(target.id)).toBe(0);
    }
    const refused = await staff.submit('/beheer/gebruikers', `/beheer/gebruikers/${pendingAdmin.id}/uitnodiging`, {});
    expect(refused.text).toContain('Alleen een beheerder kan een beheerder een uitnodiging of wachtwoordlink sturen.');
    expect(
      (await staff.submit('/beheer/gebruikers', `/beheer/gebruikers/${pendingStaff.id}/uitnodiging`, {})).status,
    ).toBe(303);
    expect(await tokensOf(pendingStaff.id)).toBe(1);
    // An administrator may invite an administrator, but not give an active account a link either.
    expect(
      (await admin.submit('/beheer/gebruikers', `/beheer/gebruikers/${pendingAdmin.id}/uitnodiging`, {})).status,
    ).toBe(303);
    expect((await admin.submit('/beheer/gebruikers', `/beheer/gebruikers/${active.id}/uitnodiging`, {})).status).toBe(
      403,
    );
    expect(await handle.db.selectFrom('mail_queue').select('to_address').orderBy('id').execute()).toEqual([
      { to_address: 'newstaff@example.nl' },
      { to_address: 'newadmin@example.nl' },
    ]);
  });

  it('refuses a password of one letter and a common one when it is changed', async () => {
    for (const [password, message] of [
      ['aaaaaaaaaa', 'te weinig verschillende tekens'],
      ['wachtwoord123', 'veelgebruikte wachtwoorden'],
    ]) {
      const res = await staff.submit('/mijn-account', '/mijn-account/wachtwoord', {
        current_password: PASSWORD,
        password,
        password_confirm: password,
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
    }
  });
});
