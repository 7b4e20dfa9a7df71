// Walk every route of the app as members of two organisations: neither reaches the
// other's data, staff routes are refused, every POST needs the CSRF token, nothing
// answers 500, and hostile names stay escaped.

import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testDialects } from '../support/databases';
import { fillRoute as fill, routesOf } from '../support/routes';
import { PAGE_ANSWERS, seedSurvey } from '../support/survey-fixtures';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

/** What each organisation typed or is called: the other member must never see it. */
const SECRETS = {
  a: { text: 'GEHEIM-A-4127', amount: '876543', grouped: '876.543' },
  b: { text: 'GEHEIM-B-7319', amount: '987654', grouped: '987.654' },
};
const SECRET = SECRETS.b.text;

describe.each(testDialects())('security walk on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let slug: string;
  let orgA: string;
  let orgB: string;
  let a: Browser;
  let b: Browser;

  async function fillIn(browser: Browser, secret: (typeof SECRETS)['a']) {
    const answers = PAGE_ANSWERS.map((p) => ({ ...p }));
    answers[0].revenue_loss_eur = secret.amount;
    answers[4].remarks = secret.text;
    for (const [i, fields] of answers.entries()) {
      const url = `/vragenlijst/${slug}/stap/${i + 1}`;
      const form = await browser.get(url);
      await browser.agent
        .post(url)
        .type('form')
        .send({
          _csrf: csrfFrom(form.text),
          version: form.text.match(/name="version" value="(\d+)"/)![1],
          action: 'next',
          ...fields,
        });
    }
  }

  async function answersOf(orgId: string) {
    return handle.db
      .selectFrom('answers')
      .innerJoin('responses', 'responses.id', 'answers.response_id')
      .select(['question_key', 'value_num', 'value_text', 'hidden', 'responses.status', 'responses.version'])
      .where('responses.org_id', '=', orgId)
      .orderBy('question_key')
      .execute();
  }

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle, { orgs: 30 });
    slug = seeded.slug;
    [orgA, orgB] = seeded.rows.map((r) => r.org_id);
    for (const [org, secret] of [
      [orgA, SECRETS.a.text],
      [orgB, SECRETS.b.text],
    ]) {
      await handle.db
        .updateTable('organisations')
        .set({ name: `<script>alert('${secret}')</script>` })
        .where('org_id', '=', org)
        .execute();
      await handle.db
        .updateTable('frame_units')
        .set({ name: `<script>alert('${secret}')</script>` })
        .where('org_id', '=', org)
        .execute();
    }
    ({ app } = await testApp(handle));
    await makeUser(handle, 'a@example.nl', 'member', orgA);
    await makeUser(handle, 'b@example.nl', 'member', orgB);
    await makeUser(handle, 'staff@example.nl', 'staff');
    a = new Browser(app);
    await a.login('a@example.nl', PASSWORD);
    b = new Browser(app);
    await b.login('b@example.nl', PASSWORD);
    await fillIn(a, SECRETS.a);
    await fillIn(b, SECRETS.b);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('gives neither member anything of the other organisation on any GET route, and refuses staff routes', async () => {
    const routes = routesOf(app).filter((r) => r.method === 'GET');
    expect(routes.length).toBeGreaterThan(25);
    for (const [member, other, otherOrg, own] of [
      [a, SECRETS.b, orgB, SECRETS.a],
      [b, SECRETS.a, orgA, SECRETS.b],
    ] as const) {
      // The member's own figures do show (so the walk looks where data is).
      expect((await member.get(`/vragenlijst/${slug}/controle`)).text).toContain(own.text);
      for (const r of routes) {
        const url = `${fill(r.path).replace('SLUG', slug)}?org_id=${otherOrg}&org=${otherOrg}`;
        const res = await member.get(url);
        expect(res.status, `${r.method} ${url}`).toBeLessThan(500);
        const body = res.text ?? '';
        for (const secret of [other.text, other.amount, other.grouped]) expect(body, url).not.toContain(secret);
        if (r.path.startsWith('/beheer')) expect(res.status, url).toBe(403);
      }
    }
  });

  it("lets neither member change the other organisation's answers through any POST route", async () => {
    const posts = routesOf(app).filter((r) => r.method === 'POST' && r.path !== '/logout');
    for (const [member, otherOrg] of [
      [a, orgB],
      [b, orgA],
    ] as const) {
      const before = await answersOf(otherOrg);
      expect(before.length).toBeGreaterThan(5);
      // The other's current version, so a request that reached their response would not be refused as stale.
      const version = String(before[0].version);
      const token = csrfFrom((await member.get('/')).text);
      for (const r of posts) {
        const url = fill(r.path).replace('SLUG', slug);
        const res = await member.agent.post(url).type('form').send({
          _csrf: token,
          org_id: otherOrg,
          org: otherOrg,
          revenue_loss_eur: '1',
          remarks: 'overschreven',
          version,
          action: 'next',
          confirm: 'ja',
          status: 'draft',
        });
        expect(res.status, url).toBeLessThan(500);
      }
      expect(await answersOf(otherOrg), `answers of ${otherOrg}`).toEqual(before);
    }
  });

  it('sends anonymous visitors of staff and member routes to the login page', async () => {
    for (const r of routesOf(app).filter(
      (x) => x.method === 'GET' && (x.path.startsWith('/beheer') || x.path.startsWith('/vragenlijst')),
    )) {
      const res = await request(app).get(fill(r.path).replace('SLUG', slug));
      expect(res.status, r.path).toBe(303);
      expect(res.headers.location, r.path).toMatch(/^\/login\?next=/);
    }
  });

  it('refuses every POST route without a valid CSRF token', async () => {
    const posts = routesOf(app).filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(15);
    for (const r of posts) {
      const url = fill(r.path).replace('SLUG', slug);
      expect((await a.agent.post(url).type('form').send({ x: '1' })).status, url).toBe(403);
      expect((await a.agent.post(url).type('form').send({ _csrf: 'forged' })).status, url).toBe(403);
    }
  });

  it('refuses every POST route sent as multipart without a valid CSRF token, and acts on none of them', async () => {
    const posts = routesOf(app).filter((r) => r.method === 'POST');
    const sessionsBefore = await handle.db.selectFrom('sessions').select('sid').execute();
    for (const r of posts) {
      const url = fill(r.path).replace('SLUG', slug);
      expect((await a.agent.post(url).field('x', '1')).status, url).toBe(403);
      expect((await a.agent.post(url).field('_csrf', 'forged').field('confirm', 'ja')).status, url).toBe(403);
    }
    // Logout was among them: the member is still logged in.
    expect((await a.get(`/vragenlijst/${slug}/controle`)).status).toBe(200);
    expect((await handle.db.selectFrom('sessions').select('sid').execute()).length).toBe(sessionsBefore.length);
  });

  it('refuses a multipart POST with a valid token on a route that does not take uploads', async () => {
    const token = csrfFrom((await a.get('/')).text);
    for (const url of ['/logout', `/vragenlijst/${slug}/stap/1`]) {
      expect((await a.agent.post(url).field('_csrf', token).field('action', 'next')).status, url).toBe(403);
    }
    expect((await a.get(`/vragenlijst/${slug}/controle`)).status).toBe(200);
  });

  it('escapes hostile organisation names for staff', async () => {
    const staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    for (const url of [`/beheer/metingen/${slug}`, '/beheer/populatie']) {
      const res = await staff.get(url);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(`<script>alert('${SECRET}')`);
    }
    const monitor = await staff.get(`/beheer/metingen/${slug}`);
    expect(monitor.text).toContain('&lt;script&gt;');
  });

  it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
    const res = await request(app).get('/login');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });
});
