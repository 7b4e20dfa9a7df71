// Issue 23.1: a hostile workbook is refused with the server up. Each hostile variant of
// a real exported workbook is uploaded as a questionnaire while /health is asked every
// 50 ms; each gets a Dutch message saying what was too large, /health answers within a
// second throughout, nothing is stored, and the server's memory returns to its level.

import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitionToXlsx } from '../../surveys/definition-xlsform';
import { type TestDatabase, testDialects } from '../support/databases';
import { HOSTILE_KEYS, type HostileKind, hostileWorkbook } from '../support/hostile-workbooks';
import { CORONA, seedSurvey } from '../support/survey-fixtures';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

const MESSAGES: Record<string, RegExp> = {
  'limits.xlsx.layout': /Blad survey beschrijft kolommen of samengevoegde cellen buiten het blad/,
  'limits.xlsx.ratio': /pakt \d+ keer zo groot uit als het is/,
  'limits.xlsx.unpacked': /Het Excel-bestand is uitgepakt groter dan 100 MB/,
};

describe.each(testDialects())('hostile workbooks uploaded on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let staff: Browser;
  let files: Record<HostileKind, Buffer>;

  beforeAll(async () => {
    handle = await dialect.create();
    await seedSurvey(handle, { orgs: 3 });
    ({ app } = await testApp(handle));
    await makeUser(handle, 'staff@example.nl', 'staff');
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    const base = await definitionToXlsx(CORONA);
    files = {} as Record<HostileKind, Buffer>;
    for (const kind of Object.keys(HOSTILE_KEYS) as HostileKind[]) files[kind] = await hostileWorkbook(base, kind);
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
  });

  it('refuses each with what was too large while /health keeps answering, and memory returns', async () => {
    const server = app.listen(0);
    const { port } = server.address() as AddressInfo;
    const health: number[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const started = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        expect(res.status).toBe(200);
        health.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const rssBefore = process.memoryUsage().rss;
    try {
      for (const kind of Object.keys(files) as HostileKind[]) {
        const page = await staff.get('/beheer/vragenlijsten/upload');
        const res = await staff.agent
          .post('/beheer/vragenlijsten/upload')
          .field('_csrf', csrfFrom(page.text))
          .attach('file', files[kind], `${kind}.xlsx`);
        expect(res.status, kind).toBe(422);
        expect(res.text, kind).toContain('Er is een probleem');
        expect(res.text, kind).not.toContain('geen leesbaar Excel-bestand');
        const key = Object.keys(MESSAGES).find((k) => MESSAGES[k]!.test(res.text));
        expect(key, kind).toBeDefined();
      }
    } finally {
      polling = false;
      await poll;
      server.close();
    }
    expect(health.length).toBeGreaterThan(5);
    expect(Math.max(...health)).toBeLessThan(1000);
    const stored = await handle.db.selectFrom('survey_definitions').select('version').execute();
    expect(stored).toHaveLength(1);
    // The workers are gone: what they used is given back (allowing for the test's own garbage).
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  }, 120_000);
});
