// Walk every route of the app as members of two organisations: neither reaches the
// other's data, staff routes are refused, every POST needs the CSRF token, nothing
// answers 500, and hostile names stay escaped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import request from 'supertest';
import { testDialects, type TestDatabase } from '../support/databases';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';
import { PAGE_ANSWERS, seedSurvey } from '../support/survey-fixtures';
import { fillRoute as fill, routesOf } from '../support/routes';

const SECRET = 'GEHEIM-B-7319';

describe.each(testDialects())('security walk on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let slug: string;
  let orgA: string;
  let orgB: string;
  let a: Browser;

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle, { orgs: 30 });
    slug = seeded.slug;
    [orgA, orgB] = seeded.rows.map((r) => r.org_id);
    await handle.db.updateTable('organisations').set({ name: `<script>alert('${SECRET}')</script>` }).where('org_id', '=', orgB).execute();
    await handle.db.updateTable('frame_units').set({ name: `<script>alert('${SECRET}')</script>` }).where('org_id', '=', orgB).execute();
    ({ app } = await testApp(handle));
    await makeUser(handle, 'a@example.nl', 'member', orgA);
    await makeUser(handle, 'b@example.nl', 'member', orgB);
    await makeUser(handle, 'staff@example.nl', 'staff');
    const b = new Browser(app);
    await b.login('b@example.nl', PASSWORD);
    const answers = PAGE_ANSWERS.map((p) => ({ ...p }));
    answers[0].revenue_loss_eur = '987654';
    answers[4].remarks = SECRET;
    for (const [i, fields] of answers.entries()) {
      const url = `/vragenlijst/${slug}/stap/${i + 1}`;
      const form = await b.get(url);
      await b.agent.post(url).type('form').send({ _csrf: csrfFrom(form.text), version: form.text.match(/name="version" value="(\d+)"/)![1], action: 'next', ...fields });
    }
    a = new Browser(app);
    await a.login('a@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('gives member A nothing of organisation B on any GET route, and refuses staff routes', async () => {
    const routes = routesOf(app).filter((r) => r.method === 'GET');
    expect(routes.length).toBeGreaterThan(25);
    for (const r of routes) {
      const url = fill(r.path).replace('SLUG', slug) + `?org_id=${orgB}&org=${orgB}`;
      const res = await a.get(url);
      expect(res.status, `${r.method} ${url}`).toBeLessThan(500);
      const body = res.text ?? '';
      expect(body, url).not.toContain(SECRET);
      expect(body, url).not.toContain('987654');
      expect(body, url).not.toContain('987.654');
      if (r.path.startsWith('/beheer')) expect(res.status, url).toBe(403);
    }
  });

  it('sends anonymous visitors of staff and member routes to the login page', async () => {
    for (const r of routesOf(app).filter((x) => x.method === 'GET' && (x.path.startsWith('/beheer') || x.path.startsWith('/vragenlijst')))) {
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
