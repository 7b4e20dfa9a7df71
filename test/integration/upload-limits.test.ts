// Issue 23.1: a hostile workbook is refused with the server up. Each hostile variant of
// a real exported workbook is uploaded as a questionnaire while /health is asked every
// 50 ms; each gets a Dutch message saying what was too large, /health answers within a
// second throughout, nothing is stored, and the server's memory returns to its level.

import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importContacts } from '../../register/contacts-import';
import { frameErrorMessage } from '../../register/frame-messages';
import { readFrame } from '../../register/frame-reader';
import { readDefinitionFile } from '../../surveys/definition-files';
import { definitionToXlsx } from '../../surveys/definition-xlsform';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { importResponses } from '../../surveys/responses/responses-import';
import { t } from '../../views/i18n/index';
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
  let slug: string;

  beforeAll(async () => {
    handle = await dialect.create();
    ({ slug } = await seedSurvey(handle, { orgs: 3 }));
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

  it('refuses CSVs with too many columns or too long a field, and JSON nested too deep, at the line', async () => {
    const wide = `org_id;${Array.from({ length: 600 }, (_, i) => `c${i}`).join(';')}\nK1\n`;
    const long = `org_id;naam\nK1;${'x'.repeat(40_000)}\n`;
    const frame = await readFrame(() => Readable.from([Buffer.from(wide)]));
    expect(frame.errors.map((e) => frameErrorMessage('nl', e))).toEqual([
      'Regel 1: De regel heeft 601 kolommen; ten hoogste 500 zijn toegestaan.',
    ]);
    const longFrame = await readFrame(() => Readable.from([Buffer.from(long)]));
    expect(longFrame.errors.map((e) => frameErrorMessage('nl', e))).toEqual([
      'Regel 2: Een veld is langer dan 32767 tekens.',
    ]);
    const target = (await waveWithDefinition(handle.db, slug))!;
    const responses = await importResponses(handle.db, {
      open: () => Readable.from([Buffer.from(wide)]),
      target,
      dryRun: false,
      actor: null,
    });
    expect(responses.written).toBe(false);
    expect(responses.errors).toEqual([
      { line: 1, column: null, key: 'limits.csv.columns', params: { line: 1, n: 601, max: 500 } },
    ]);
    const contacts = await importContacts(
      handle.db,
      Buffer.from(`org_id;email\nK1;${'a'.repeat(40_000)}@x.nl\n`),
      null,
    );
    expect(contacts).toMatchObject({ ok: false, errors: [{ line: 2, code: 'limits.csv.field' }] });
    const deep = await readDefinitionFile(Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), 'v.json');
    expect(deep.ok).toBe(false);
    if (!deep.ok)
      expect(t('nl', deep.problems[0]!.key, deep.problems[0]!.params)).toBe(
        'Het JSON-bestand is dieper dan 64 niveaus genest.',
      );
  });
});
