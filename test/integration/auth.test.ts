import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../accounts/accounts';
import { hashPassword } from '../../accounts/password';
import type { DatabaseHandle } from '../../foundation/db/database';
import { testDialects } from '../support/databases';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

describe.each(testDialects())('accounts and sessions on $kind', (dialect) => {
  let handle: DatabaseHandle;
  let app: Express;

  beforeAll(async () => {
    handle = await dialect.create();
    ({ app } = await testApp(handle));
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('leads a fresh instance to the first-run page, which works only once', async () => {
    const visitor = new Browser(app);
    const home = await visitor.get('/');
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe('/eerste-gebruik');

    const created = await visitor.submit('/eerste-gebruik', '/eerste-gebruik', {
      name: 'Anna Admin',
      email: 'Admin@Example.nl',
      password: PASSWORD,
      password_confirm: PASSWORD,
    });
    expect(created.status).toBe(303);
    const overview = await visitor.get('/');
    expect(overview.status).toBe(200);
    expect(overview.text).toContain('Overzicht');

    const other = new Browser(app);
    const again = await other.get('/eerste-gebruik');
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/login');
    const page = await other.get('/login');
    const token = page.text.match(/name="_csrf" value="([^"]+)"/)![1];
    const second = await other.agent.post('/eerste-gebruik').type('form').send({
      _csrf: token,
      name: 'Mallory',
      email: 'mallory@example.nl',
      password: PASSWORD,
      password_confirm: PASSWORD,
    });
    expect(second.status).toBe(303);
    expect(second.headers.location).toBe('/login');
    const users = await handle.db.selectFrom('users').select('email').execute();
    expect(users.map((u) => u.email)).toEqual(['admin@example.nl']);
  });

  it('logs in with email and password, renews the session id, and logs out', async () => {
    await makeUser(handle, 'staff@example.nl', 'staff');
    const browser = new Browser(app);
    const before = await browser.get('/login');
    // The login form needs no session: its CSRF token is a signed cookie of its own.
    expect(String(before.headers['set-cookie'])).not.toMatch(/impactmonitor\.sid=/);
    const login = await browser.login('STAFF@example.nl', PASSWORD);
    expect(login.status).toBe(303);
    expect(String(login.headers['set-cookie'])).toMatch(/impactmonitor\.sid=([^;]+)/);
    expect(String(login.headers['set-cookie'])).toMatch(/HttpOnly/);
    expect(String(login.headers['set-cookie'])).toMatch(/SameSite=Lax/);
    expect(String(login.headers['set-cookie'])).not.toMatch(/Secure/);

    const home = await browser.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('staff@example.nl');

    const logout = await browser.submit('/', '/logout', {});
    expect(logout.status).toBe(303);
    const after = await browser.get('/');
    expect(after.status).toBe(303);
    expect(after.headers.location).toMatch(/^\/login/);
  });

  it('keeps the old session cookie useless after login (no fixation)', async () => {
    await makeUser(handle, 'fixation@example.nl', 'staff');
    const browser = new Browser(app);
    const before = await browser.get('/login');
    const oldCookie = String(before.headers['set-cookie']).split(';')[0];
    await browser.login('fixation@example.nl', PASSWORD);
    const withOld = await request(app).get('/').set('Cookie', oldCookie);
    expect(withOld.status).toBe(303);
  });

  it('rejects a wrong password with a Dutch message and keeps the e-mail typed', async () => {
    const browser = new Browser(app);
    const res = await browser.login('staff@example.nl', 'wrong password!');
    expect(res.status).toBe(401);
    expect(res.text).toContain('Het e-mailadres of het wachtwoord klopt niet.');
    expect(res.text).toContain('value="staff@example.nl"');
  });

  it('refuses a POST without a valid CSRF token with 403', async () => {
    const browser = new Browser(app);
    await browser.get('/login');
    const missing = await browser.agent
      .post('/login')
      .type('form')
      .send({ email: 'staff@example.nl', password: PASSWORD });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('Het formulier is verlopen');
    const wrong = await browser.agent
      .post('/login')
      .type('form')
      .send({ _csrf: 'forged', email: 'staff@example.nl', password: PASSWORD });
    expect(wrong.status).toBe(403);
    const json = await browser.agent.post('/logout').set('Content-Type', 'application/json').send('{}');
    expect(json.status).toBe(403);
  });

  it('names the session cookie __Host- and marks it Secure behind a TLS proxy, and gives plain HTTP none', async () => {
    const { app: proxied } = await testApp(handle, { trustProxy: true });
    const overTls = await request(proxied).get('/login').set('X-Forwarded-Proto', 'https');
    // The login form's CSRF cookie is prefixed and Secure like the session's.
    const cookie = String(overTls.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-impactmonitor\.csrf=[^;]+;/);
    expect(cookie).toMatch(/; Path=\/;/);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    const plain = await request(proxied).get('/login').set('X-Forwarded-Proto', 'http');
    expect(plain.headers['set-cookie']).toBeUndefined();
    // Without TRUST_PROXY the name stays, without Secure.
    expect(String((await request(app).get('/login')).headers['set-cookie'])).toMatch(/^impactmonitor\.csrf=/);
    // A whole login works over the proxy with the prefixed cookie.
    await makeUser(handle, 'proxied@example.nl', 'member', 'ORG-1');
    const browser = new Browser(proxied);
    const login = await browser.login('proxied@example.nl', PASSWORD);
    expect(login.status).toBe(303);
    const sid = String(login.headers['set-cookie']);
    expect(sid).toMatch(/^__Host-impactmonitor\.sid=[^;]+;/);
    expect(sid).toMatch(/; Path=\/;/);
    expect(sid).not.toMatch(/Domain=/i);
    expect(sid).toMatch(/; Secure/);
    expect((await browser.get('/mijn-account')).status).toBe(200);
    expect((await browser.submit('/', '/logout', {})).headers['set-cookie']?.toString()).toMatch(
      /__Host-impactmonitor\.sid=;/,
    );
    expect((await browser.get('/mijn-account')).status).toBe(303);
  });

  it('gives 429 in Dutch after more than 10 failed logins for one account from one address within 15 minutes', async () => {
    await makeUser(handle, 'target@example.nl', 'member', 'ORG-1');
    await handle.db.deleteFrom('auth_attempts').execute();
    const { app: proxied } = await testApp(handle, { trustProxy: true });
    const browser = new Browser(proxied);
    for (let i = 0; i < 10; i++) {
      const res = await browser.login('target@example.nl', `guess-${i}-wrong`);
      expect(res.status).toBe(401);
    }
    const limited = await browser.login('target@example.nl', PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Te veel mislukte inlogpogingen');
    // Outside the window the account can log in again.
    await handle.db
      .updateTable('auth_attempts')
      .set({ at: new Date(Date.now() - 16 * 60_000) })
      .execute();
    const later = await browser.login('target@example.nl', PASSWORD);
    expect(later.status).toBe(303);
  });

  it('evaluates at most 10 of 60 concurrent login attempts from one address', async () => {
    await handle.db.deleteFrom('auth_attempts').execute();
    await makeUser(handle, 'parallel@example.nl', 'staff');
    const browsers = await Promise.all(
      Array.from({ length: 60 }, async () => {
        const browser = new Browser(app);
        return { browser, token: csrfFrom((await browser.get('/login')).text) };
      }),
    );
    const results = await Promise.all(
      browsers.map(({ browser, token }, i) =>
        browser.agent
          .post('/login')
          .type('form')
          .send({ _csrf: token, email: 'parallel@example.nl', password: i === 59 ? PASSWORD : `wrong-guess-${i}` }),
      ),
    );
    const evaluated = results.filter((r) => r.status !== 429);
    expect(evaluated.length).toBeLessThanOrEqual(10);
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(50);
  });

  it('does not lock the owner out when strangers fail on the account from another address', async () => {
    await handle.db.deleteFrom('auth_attempts').execute();
    await makeUser(handle, 'owner@example.nl', 'admin');
    const { app: proxied } = await testApp(handle, { trustProxy: true });
    const fromIp = async (ip: string, password: string) => {
      const agent = new Browser(proxied);
      const page = await agent.get('/login').set('X-Forwarded-For', ip);
      return agent.agent
        .post('/login')
        .set('X-Forwarded-For', ip)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), email: 'owner@example.nl', password });
    };
    for (let i = 0; i < 10; i++) expect((await fromIp('203.0.113.66', `guess-${i}-wrong`)).status).toBe(401);
    expect((await fromIp('203.0.113.66', PASSWORD)).status).toBe(429);
    // The owner from their own address gets in, after a delay that slows the strangers down too.
    const started = Date.now();
    expect((await fromIp('198.51.100.23', PASSWORD)).status).toBe(303);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('gives 429 after more than 30 failed logins from one IP address, whatever the accounts', async () => {
    await handle.db.deleteFrom('auth_attempts').execute();
    const { app: proxied } = await testApp(handle, { trustProxy: true });
    const fromIp = async (ip: string, email: string, password: string) => {
      const agent = new Browser(proxied);
      const page = await agent.get('/login').set('X-Forwarded-For', ip);
      const token = page.text.match(/name="_csrf" value="([^"]+)"/)![1];
      return agent.agent.post('/login').set('X-Forwarded-For', ip).type('form').send({ _csrf: token, email, password });
    };
    for (let i = 0; i < 30; i++) {
      expect((await fromIp('203.0.113.7', `nobody${i}@example.nl`, 'wrong-password')).status).toBe(401);
    }
    expect((await fromIp('203.0.113.7', 'staff@example.nl', PASSWORD)).status).toBe(429);
    expect((await fromIp('198.51.100.1', 'staff@example.nl', PASSWORD)).status).toBe(303);
  });

  it('checks the link before hashing a new password, and limits setting passwords per address', async () => {
    await handle.db.deleteFrom('auth_attempts').execute();
    const { app: proxied } = await testApp(handle, { trustProxy: true });
    const browser = new Browser(proxied);
    const csrf = csrfFrom((await browser.get('/login')).text);
    const post = (ip: string) =>
      browser.agent
        .post('/wachtwoord-instellen')
        .set('X-Forwarded-For', ip)
        .type('form')
        .send({ _csrf: csrf, kind: 'reset', token: 'geraden', password: PASSWORD, password_confirm: PASSWORD });
    // What 20 scrypt hashes would cost here; forged links must cost far less.
    await hashPassword(PASSWORD);
    const hashStart = performance.now();
    for (let i = 0; i < 3; i++) await hashPassword(PASSWORD);
    const oneHash = (performance.now() - hashStart) / 3;
    const start = performance.now();
    for (let i = 0; i < 20; i++) expect((await post('203.0.113.80')).status).toBe(410);
    expect(performance.now() - start).toBeLessThan(20 * oneHash * 0.5);
    const limited = await post('203.0.113.80');
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Te veel pogingen');
    expect((await post('198.51.100.80')).status).toBe(410);
  });

  it('creates no session row and no cookie for anonymous pages without a form', async () => {
    const count = async () => (await handle.db.selectFrom('sessions').select('sid').execute()).length;
    const before = await count();
    for (let i = 0; i < 5; i++) {
      const res = await request(app).get('/resultaten');
      expect(res.status).toBe(200);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(await count()).toBe(before);
  });

  it('writes no session row for anonymous forms and the language switch; their CSRF is a signed cookie', async () => {
    await handle.db.deleteFrom('auth_attempts').execute();
    const count = async () => (await handle.db.selectFrom('sessions').select('sid').execute()).length;
    const before = await count();
    for (let i = 0; i < 5; i++) {
      const visitor = new Browser(app);
      const login = await visitor.get('/login');
      expect(String(login.headers['set-cookie'])).toMatch(/impactmonitor\.csrf=/);
      expect(String(login.headers['set-cookie'])).not.toMatch(/impactmonitor\.sid=/);
      const wrong = await visitor.submit('/login', '/login', {
        email: 'nobody@example.nl',
        password: 'niet goed genoeg',
      });
      expect(wrong.status).toBe(401);
      const forgot = await visitor.submit('/wachtwoord-vergeten', '/wachtwoord-vergeten', { email: 'x@example.nl' });
      expect(forgot.status).toBeLessThan(400);
      const english = await visitor.get('/taal/en?terug=/login');
      expect(english.status).toBe(303);
      expect((await visitor.get('/login')).text).toContain('lang="en"');
    }
    expect(await count()).toBe(before);
    // The anonymous token is bound to its cookie: another visitor's token, or none, is refused.
    const a = new Browser(app);
    const b = new Browser(app);
    const tokenOfA = csrfFrom((await a.get('/login')).text);
    await b.get('/login');
    const forged = await b.agent
      .post('/login')
      .type('form')
      .send({ _csrf: tokenOfA, email: 'x@example.nl', password: 'y' });
    expect(forged.status).toBe(403);
    const noCookie = await request(app)
      .post('/login')
      .type('form')
      .send({ _csrf: tokenOfA, email: 'x@example.nl', password: 'y' });
    expect(noCookie.status).toBe(403);
    // Logging in starts the session (in the language chosen before), and only then a row.
    await makeUser(handle, 'anon-login@example.nl', 'staff');
    await a.get('/taal/en?terug=/login');
    expect((await a.login('anon-login@example.nl', PASSWORD)).status).toBe(303);
    expect(await count()).toBe(before + 1);
    expect((await a.get('/beheer/populatie')).text).toContain('lang="en"');
  });

  it('ends every other session of the account when its password is set by a reset link', async () => {
    await handle.db.deleteFrom('auth_attempts').execute();
    const user = await makeUser(handle, 'sessions@example.nl', 'staff');
    const elsewhere = new Browser(app);
    expect((await elsewhere.login('sessions@example.nl', PASSWORD)).status).toBe(303);
    expect((await elsewhere.get('/')).status).toBe(200);
    const token = await issueToken(handle.db, user.id, 'reset');
    const owner = new Browser(app);
    const newPassword = 'een heel nieuw wachtwoord';
    const set = await owner.submit(`/wachtwoord-instellen?soort=reset&token=${token}`, '/wachtwoord-instellen', {
      kind: 'reset',
      token,
      password: newPassword,
      password_confirm: newPassword,
    });
    expect(set.status).toBe(303);
    expect((await owner.get('/')).status).toBe(200);
    const stale = await elsewhere.get('/beheer/populatie');
    expect(stale.status).toBe(303);
    expect(stale.headers.location).toMatch(/^\/login/);
  });

  it('ends a login after its absolute lifetime, however active the session', async () => {
    await handle.db.deleteFrom('auth_attempts').execute();
    await makeUser(handle, 'lifetime@example.nl', 'staff');
    const browser = new Browser(app);
    expect((await browser.login('lifetime@example.nl', PASSWORD)).status).toBe(303);
    expect((await browser.get('/beheer/populatie')).status).toBe(200);
    // Move the login 13 hours back, as if the session had been kept alive since.
    const rows = await handle.db.selectFrom('sessions').select(['sid', 'sess']).execute();
    for (const row of rows) {
      const sess = typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess;
      if (sess.loginAt) {
        await handle.db
          .updateTable('sessions')
          .set({ sess: JSON.stringify({ ...sess, loginAt: Date.now() - 13 * 3_600_000 }) })
          .where('sid', '=', row.sid)
          .execute();
      }
    }
    const after = await browser.get('/beheer/populatie');
    expect(after.status).toBe(303);
    expect(after.headers.location).toMatch(/^\/login/);
  });

  it('sends Cache-Control: no-store on pages and downloads for a logged-in user', async () => {
    await handle.db.deleteFrom('auth_attempts').execute();
    await makeUser(handle, 'nostore@example.nl', 'staff');
    const browser = new Browser(app);
    await browser.login('nostore@example.nl', PASSWORD);
    for (const url of ['/', '/beheer/populatie', '/beheer/metingen']) {
      const res = await browser.get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('answers /health with the database kind', async () => {
    const res = await request(app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: dialect.kind });
  });

  it('sends security headers and a strict CSP, without X-Powered-By', async () => {
    const res = await request(app).get('/login');
    expect(res.headers['x-powered-by']).toBeUndefined();
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('shows a Dutch not-found page without a stack trace, and English after the switch', async () => {
    const browser = new Browser(app);
    const nl = await browser.get('/bestaat-niet');
    expect(nl.status).toBe(404);
    expect(nl.text).toContain('<html lang="nl">');
    expect(nl.text).toContain('Pagina niet gevonden');
    expect(nl.text).not.toMatch(/at .*\.ts:\d+/);
    const sw = await browser.get('/taal/en?terug=/login');
    expect(sw.status).toBe(303);
    expect(sw.headers.location).toBe('/login');
    const en = await browser.get('/login');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Sign in');
    const evil = await browser.get('/taal/nl?terug=//evil.example');
    expect(evil.headers.location).toBe('/');
  });
});
