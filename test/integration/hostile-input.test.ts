// Hostile input everywhere: random and malicious values to every form, upload and
// import. The server answers with a clear 4xx (or a normal page), never 500, and
// stores nothing half.

import { Readable } from 'node:stream';
import type { Express } from 'express';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrame } from '../../register/frame-reader';
import { seededRandom } from '../../register/random';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { importResponses } from '../../surveys/responses/responses-import';
import { type TestDatabase, testDialects } from '../support/databases';
import { fillRoute, fillRouteWith, routesOf } from '../support/routes';
import { PAGE_ANSWERS, seedSurvey } from '../support/survey-fixtures';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

const HOSTILE = [
  '',
  ' ',
  'x'.repeat(100_000),
  "'; drop table users; --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '=HYPERLINK("http://evil")',
  '\u0000\u0001\u0002',
  '💥🎻 Ünïcödé Fryslân',
  '-1e308',
  'NaN',
  '١٢٣',
  '%00%ff',
  '../../etc/passwd',
];

function hostileValue(random: () => number): unknown {
  const r = random();
  if (r < 0.6) return HOSTILE[Math.floor(random() * HOSTILE.length)];
  if (r < 0.75) return [HOSTILE[Math.floor(random() * HOSTILE.length)], 'x'];
  if (r < 0.85) return String(Math.floor(random() * 1e12) - 5e11);
  return Array.from({ length: 40 }, () => String.fromCharCode(Math.floor(random() * 0xffff))).join('');
}

async function counts(db: TestDatabase['db']) {
  const out: Record<string, number> = {};
  for (const t of ['users', 'frame_units', 'responses', 'answers', 'waves', 'survey_definitions', 'publications']) {
    out[t] = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(db)).rows[0].n;
  }
  return out;
}

describe.each(testDialects())('hostile input on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let slug: string;
  let orgs: string[];
  let staff: Browser;
  let member: Browser;
  let admin: Browser;

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle, { orgs: 20 });
    slug = seeded.slug;
    orgs = seeded.rows.map((r) => r.org_id);
    ({ app } = await testApp(handle, { uploadLimitBytes: 2 * 1024 * 1024 }));
    await makeUser(handle, 'staff@example.nl', 'staff');
    await makeUser(handle, 'admin@example.nl', 'admin');
    await makeUser(handle, 'lid@example.nl', 'member', orgs[0]);
    // Logged in before the hostile logins below trip the rate limit for this address.
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    member = new Browser(app);
    await member.login('lid@example.nl', PASSWORD);
    admin = new Browser(app);
    await admin.login('admin@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('answers every form with hostile fields without a 500', async () => {
    const random = seededRandom(7);
    const anonymous = new Browser(app);
    const forms: [Browser, string, string, string[]][] = [
      [anonymous, '/login', '/login', ['email', 'password', 'next']],
      [anonymous, '/wachtwoord-vergeten', '/wachtwoord-vergeten', ['email']],
      [anonymous, '/login', '/wachtwoord-instellen', ['kind', 'token', 'password', 'password_confirm']],
      [staff, '/beheer/gebruikers', '/beheer/gebruikers', ['email', 'name', 'role', 'org_id']],
      [
        staff,
        '/beheer/metingen',
        '/beheer/metingen',
        ['survey', 'slug', 'name', 'frame_year', 'opens_at', 'closes_at'],
      ],
      [staff, '/beheer/metingen', `/beheer/metingen/${slug}/berichten`, ['kind', 'audience']],
      [staff, '/beheer/metingen', `/beheer/metingen/${slug}/heropenen`, ['org_id']],
      [staff, '/beheer/rapportage', '/beheer/rapportage/opslaan', ['wave', 'stratify', 'by', 'q', 'name']],
      [staff, '/beheer/rapportage', '/beheer/rapportage/publiceren', ['wave', 'stratify', 'by', 'q', 'slug', 'title']],
      [staff, '/beheer/goede-voorbeelden', '/beheer/goede-voorbeelden', ['response_id', 'question_key', 'decision']],
      [
        member,
        `/vragenlijst/${slug}/stap/1`,
        `/vragenlijst/${slug}/stap/1`,
        ['version', 'action', 'revenue_loss_eur', 'extra_costs_eur', 'liquidity_months', 'confirm__revenue_loss_eur'],
      ],
      [
        member,
        `/vragenlijst/${slug}/stap/3`,
        `/vragenlijst/${slug}/stap/3`,
        ['version', 'action', 'schemes', 'now_employees', 'staff_reduction_fte'],
      ],
      [member, `/vragenlijst/${slug}/stap/1`, `/vragenlijst/${slug}/stap/1/autosave`, ['version', 'revenue_loss_eur']],
      [member, `/vragenlijst/${slug}/controle`, `/vragenlijst/${slug}/indienen`, ['version', 'confirm']],
    ];
    for (const [browser, page, action, fields] of forms) {
      const form = await browser.get(page);
      const token = csrfFrom(form.text);
      for (let round = 0; round < 12; round++) {
        const body: Record<string, unknown> = { _csrf: token };
        for (const f of fields) body[f] = hostileValue(random);
        const res = await browser.agent.post(action).type('form').send(body);
        expect(res.status, `${action} ${JSON.stringify(body).slice(0, 200)}`).toBeLessThan(500);
        expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
      }
    }
    // A GET with hostile query values.
    for (const v of HOSTILE) {
      expect(
        (await staff.get(`/beheer/rapportage?wave=${encodeURIComponent(v)}&stratify=${encodeURIComponent(v)}`)).status,
      ).toBeLessThan(500);
      expect(
        (await staff.get(`/beheer/populatie/${encodeURIComponent(v)}/vergelijking?met=${encodeURIComponent(v)}`))
          .status,
      ).toBeLessThan(500);
    }
  });

  it('answers every route of the router, with hostile fields and hostile path values, without a 500', async () => {
    const random = seededRandom(11);
    // Every field name of every form, as rendered on every page for admin, member and a visitor.
    // Plus the fields of forms shown only in states this database is not in (publish needs results, set-password a token).
    const names = new Set<string>([
      ...PAGE_ANSWERS.flatMap((page) => Object.keys(page)),
      'title',
      'q',
      'decision',
      'response_id',
      'question_key',
      'token',
      'password_confirm',
      'confirm__revenue_loss_eur',
    ]);
    const anonymous = new Browser(app);
    for (const route of routesOf(app).filter((r) => r.method === 'GET')) {
      for (const browser of [admin, member, anonymous]) {
        const page = await browser.get(fillRoute(route.path).replace('SLUG', slug));
        for (const match of (page.text ?? '').matchAll(/<(?:input|select|textarea|button)[^>]*\sname="([^"]+)"/g))
          names.add(match[1]);
      }
    }
    names.delete('_csrf');
    expect([...names]).toEqual(
      expect.arrayContaining(['email', 'password', 'slug', 'year', 'role', 'org_id', 'version', 'stratify', 'confirm']),
    );
    // Every GET route with hostile path values.
    for (const route of routesOf(app).filter((r) => r.method === 'GET' && r.path.includes(':'))) {
      for (const browser of [admin, member, anonymous]) {
        for (const value of HOSTILE.slice(2)) {
          const url = fillRouteWith(route.path, value);
          const res = await browser.get(url);
          expect(res.status, `GET ${url.slice(0, 120)}`).toBeLessThan(500);
        }
      }
    }
    // Logging out ends the session the rest needs: last.
    const routes = routesOf(app)
      .filter((r) => r.method === 'POST')
      .sort((a, b) => Number(a.path === '/logout') - Number(b.path === '/logout'));
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      for (const browser of [admin, member]) {
        const token = csrfFrom((await browser.get('/')).text);
        const urls = [
          fillRoute(route.path).replace('SLUG', slug),
          ...(route.path.includes(':') ? HOSTILE.slice(2, 8).map((v) => fillRouteWith(route.path, v)) : []),
        ];
        for (const [i, url] of urls.entries()) {
          const body: Record<string, unknown> = { _csrf: token };
          for (const name of names) if (i === 0 || random() < 0.3) body[name] = hostileValue(random);
          const res = await browser.agent.post(url).type('form').send(body);
          expect(
            res.status,
            `${route.path} as ${browser === admin ? 'admin' : 'member'}: ${url.slice(0, 120)}`,
          ).toBeLessThan(500);
          expect(res.text ?? '').not.toMatch(/at .*\.(ts|js):\d+/);
        }
      }
    }
  });

  it('refuses malformed, mis-encoded, empty and enormous uploads with 4xx and stores nothing', async () => {
    const before = await counts(handle.db);
    const files: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['binary', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256))],
      ['unclosed quote', Buffer.from('kans_id;naam;type;provincie\n"K1;A;muziekschool;Utrecht\n')],
      [
        '10,000 columns',
        Buffer.from(
          Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(';') +
            '\n' +
            Array.from({ length: 10_000 }, () => 'x').join(';') +
            '\n',
        ),
      ],
      [
        'mis-encoded',
        Buffer.concat([
          Buffer.from('kans_id;naam;type;provincie\nK1;'),
          iconv.encode('Fryslân ', 'utf16le'),
          Buffer.from(';muziekschool;Fryslân\n'),
        ]),
      ],
      ['too large', Buffer.alloc(3 * 1024 * 1024, 'a')],
    ];
    for (const [name, content] of files) {
      const page = await staff.get('/beheer/populatie');
      const res = await staff.agent
        .post('/beheer/populatie/upload')
        .field('_csrf', csrfFrom(page.text))
        .field('year', '2020')
        .attach('file', content, `${name}.csv`);
      expect(res.status, name).toBeLessThan(500);
      if (res.status === 303) {
        const preview = await staff.get(res.headers.location);
        expect(preview.status, name).toBeLessThan(500);
        const confirm = await staff.submit(res.headers.location, res.headers.location, {});
        expect(confirm.status, name).toBe(422);
      }
    }
    const after = await counts(handle.db);
    expect(after).toEqual(before);
  });

  it('reads hostile frame and responses files as errors, never a crash', async () => {
    const target = (await waveWithDefinition(handle.db, slug))!;
    for (const content of [
      '',
      '\uFEFF',
      ';;;;\n;;;;',
      `org_id\n${'x'.repeat(200_000)}`,
      `${Array.from({ length: 10_000 }, (_, i) => `q${i}`).join(',')}\n1`,
    ]) {
      const open = () => Readable.from([Buffer.from(content)]);
      const frame = await readFrame(open);
      expect(frame.errorCount).toBeGreaterThan(0);
      const responses = await importResponses(handle.db, { open, target, dryRun: false, actor: null });
      expect(responses.written).toBe(false);
    }
  });
});
