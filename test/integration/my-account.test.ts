// "Mijn account": every role changes its own password (the current one required,
// attempts limited, other sessions ended) and sees and ends its other sessions.
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../foundation/db/database';
import { testDialects } from '../support/databases';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

describe.each(testDialects())('my account on $kind', (dialect) => {
  let handle: DatabaseHandle;
  let app: Express;

  beforeAll(async () => {
    handle = await dialect.create();
    ({ app } = await testApp(handle, { trustProxy: true }));
    await makeUser(handle, 'admin@example.nl', 'admin');
  });
  afterAll(async () => {
    await handle?.close();
  });

  async function loginFrom(email: string, password: string, ip: string, userAgent = FIREFOX) {
    const browser = new Browser(app);
    browser.agent.set('X-Forwarded-For', ip).set('User-Agent', userAgent);
    const res = await browser.login(email, password);
    return { browser, res };
  }

  it('is linked in the header for every role and lists the other sessions', async () => {
    await makeUser(handle, 'staff@example.nl', 'staff');
    await makeUser(handle, 'member@example.nl', 'member', 'ORG-1');
    for (const email of ['admin@example.nl', 'staff@example.nl', 'member@example.nl']) {
      const { browser } = await loginFrom(email, PASSWORD, '198.51.100.4');
      await loginFrom(email, PASSWORD, '203.0.113.9', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1');
      const home = await browser.get('/');
      expect(home.text).toContain('href="/mijn-account"');
      const page = await browser.get('/mijn-account');
      expect(page.status, email).toBe(200);
      expect(page.text).toContain('Mijn account');
      expect(page.text).toContain('Firefox · Windows');
      expect(page.text).toContain('Safari · iOS');
      expect(page.text).toContain('203.0.113.9');
      expect(page.text).toContain('deze sessie');
      expect(page.text).toContain('Laatst actief');
      // The session id (the cookie value) is never on the page.
      const sids = await handle.db.selectFrom('sessions').select('sid').execute();
      for (const { sid } of sids) expect(page.text).not.toContain(sid);
    }
  });

  it('ends one other session, then all others, and never the current one', async () => {
    await makeUser(handle, 'ends@example.nl', 'member', 'ORG-1');
    const { browser } = await loginFrom('ends@example.nl', PASSWORD, '198.51.100.5');
    const { browser: phone } = await loginFrom('ends@example.nl', PASSWORD, '203.0.113.10', 'Phone/1.0');
    const { browser: laptop } = await loginFrom('ends@example.nl', PASSWORD, '203.0.113.11', 'Laptop/1.0');
    const page = await browser.get('/mijn-account');
    const keys = [...page.text.matchAll(/action="\/mijn-account\/sessies\/([0-9a-f]+)\/beeindigen"/g)].map((m) => m[1]);
    expect(keys).toHaveLength(2);
    const phoneKey = page.text.split('Phone/1.0')[1].match(/sessies\/([0-9a-f]+)\/beeindigen/)![1];
    const ended = await browser.agent
      .post(`/mijn-account/sessies/${phoneKey}/beeindigen`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(ended.status).toBe(303);
    expect((await phone.get('/mijn-account')).status).toBe(303);
    expect((await laptop.get('/mijn-account')).status).toBe(200);
    // Someone else's session key, or an unknown one, is not found.
    const other = await loginFrom('staff@example.nl', PASSWORD, '198.51.100.6');
    const otherPage = await other.browser.get('/mijn-account');
    const otherKey = otherPage.text.match(/sessies\/([0-9a-f]+)\/beeindigen/)![1];
    const refused = await browser.agent
      .post(`/mijn-account/sessies/${otherKey}/beeindigen`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(refused.status).toBe(404);
    const all = await browser.submit('/mijn-account', '/mijn-account/sessies/beeindigen', {});
    expect(all.status).toBe(303);
    expect((await laptop.get('/mijn-account')).status).toBe(303);
    const after = await browser.get('/mijn-account');
    expect(after.status).toBe(200);
    expect(after.text).toContain('U bent nergens anders ingelogd.');
  });

  it('changes the password with the current one, ends the other sessions and keeps this one', async () => {
    await makeUser(handle, 'change@example.nl', 'member', 'ORG-1');
    const { browser } = await loginFrom('change@example.nl', PASSWORD, '198.51.100.7');
    const { browser: elsewhere } = await loginFrom('change@example.nl', PASSWORD, '203.0.113.12');
    const wrong = await browser.submit('/mijn-account', '/mijn-account/wachtwoord', {
      current_password: 'niet het goede wachtwoord',
      password: 'een nieuw lang wachtwoord',
      password_confirm: 'een nieuw lang wachtwoord',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Het huidige wachtwoord klopt niet.');
    const mismatch = await browser.submit('/mijn-account', '/mijn-account/wachtwoord', {
      current_password: PASSWORD,
      password: 'een nieuw lang wachtwoord',
      password_confirm: 'een ander lang wachtwoord',
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toContain('De twee wachtwoorden zijn niet gelijk.');
    const changed = await browser.submit('/mijn-account', '/mijn-account/wachtwoord', {
      current_password: PASSWORD,
      password: 'een nieuw lang wachtwoord',
      password_confirm: 'een nieuw lang wachtwoord',
    });
    expect(changed.status).toBe(303);
    expect((await browser.get('/mijn-account')).text).toContain('Uw wachtwoord is gewijzigd.');
    expect((await elsewhere.get('/mijn-account')).status).toBe(303);
    expect((await loginFrom('change@example.nl', PASSWORD, '198.51.100.8')).res.status).toBe(401);
    expect((await loginFrom('change@example.nl', 'een nieuw lang wachtwoord', '198.51.100.8')).res.status).toBe(303);
    const audit = await handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'user.change_password')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('limits password changes: after 10 attempts from one address the 11th is refused with 429', async () => {
    await makeUser(handle, 'guess@example.nl', 'staff');
    const { browser } = await loginFrom('guess@example.nl', PASSWORD, '198.51.100.9');
    const csrf = csrfFrom((await browser.get('/mijn-account')).text);
    const attempt = (current: string) =>
      browser.agent.post('/mijn-account/wachtwoord').type('form').send({
        _csrf: csrf,
        current_password: current,
        password: 'een nieuw lang wachtwoord',
        password_confirm: 'een nieuw lang wachtwoord',
      });
    for (let i = 0; i < 10; i++) expect((await attempt(`gok-${i}-fout`)).status).toBe(422);
    const limited = await attempt(PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Te veel pogingen');
    expect(limited.headers['retry-after']).toBe('900');
  });
});
