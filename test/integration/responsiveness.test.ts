// Issue 12.10: one staff report must not freeze the site. On the embedded
// database the report runs in the server's own process, so its queries and its
// arithmetic share the event loop with every other request. While heavy reports
// and a PDF export run, /health and a member's home page must stay quick.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillDemo } from '../../server/demo/demo';
import { type TestDatabase, testDialects } from '../support/databases';
import { Browser, binary, makeUser, PASSWORD, testApp } from '../support/web-client';

describe.each(testDialects())('responsiveness during heavy reports on $kind', (dialect) => {
  let handle: TestDatabase;
  let staff: Browser;
  let member: Browser;
  let anonymous: Browser;

  beforeAll(async () => {
    handle = await dialect.create();
    await fillDemo(handle, { orgs: 400, seed: 2020 });
    const { app } = await testApp(handle);
    await makeUser(handle, 'staff@example.nl', 'staff');
    await makeUser(handle, 'lid@example.nl', 'member', 'KANS-0002');
    staff = new Browser(app);
    member = new Browser(app);
    anonymous = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    await member.login('lid@example.nl', PASSWORD);
  }, 300_000);
  afterAll(async () => {
    await handle?.close();
  });

  it('answers /health and a member page quickly while reports and an export are made', async () => {
    const heavy = [
      staff.get('/beheer/rapportage?wave=corona-2020-06&stratify=province&by=size_class'),
      staff.get('/beheer/rapportage?wave=corona-2020-06&stratify=size_class&by=province'),
      staff.get('/beheer/rapportage/export.pdf?wave=corona-2020-06&stratify=province').buffer(true).parse(binary),
    ];
    let done = false;
    const all = Promise.all(heavy).then((r) => {
      done = true;
      return r;
    });
    const health: number[] = [];
    const pages: number[] = [];
    while (!done) {
      let t = performance.now();
      expect((await anonymous.get('/health')).status).toBe(200);
      health.push(performance.now() - t);
      t = performance.now();
      expect((await member.get('/')).status).toBe(200);
      pages.push(performance.now() - t);
    }
    const responses = await all;
    for (const r of responses) expect(r.status).toBe(200);
    const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
    const p90 = (v: number[]) => sorted(v)[Math.floor(v.length * 0.9)];
    console.info(
      `${dialect.kind}: ${health.length} rounds; /health max ${Math.max(...health).toFixed(0)} ms, p90 ${p90(health).toFixed(0)} ms; member page max ${Math.max(...pages).toFixed(0)} ms, p90 ${p90(pages).toFixed(0)} ms`,
    );
    expect(health.length).toBeGreaterThan(3);
    // Not a speed target (npm run bench measures those): a frozen event loop answers
    // in seconds, a responsive one in tens of milliseconds even on a busy CI machine.
    expect(p90(health)).toBeLessThan(1000);
    expect(p90(pages)).toBeLessThan(1000);
  });
});
