// The response monitor during fieldwork (README "Representativeness of the response"):
// the R-indicator of the response so far, whom to remind first in one sentence, their
// non-responders with contacts, and a reminder to exactly those.
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillDemoResponses } from '../../server/demo/demo-responses';
import { type TestDatabase, testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, makeUser, PASSWORD, testApp } from '../support/web-client';

describe.each(testDialects())('whom to remind first on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let staff: Browser;
  let frame: Awaited<ReturnType<typeof seedSurvey>>['rows'];
  const PRIVATE = 'particuliere aanbieder';
  const lagging = (f: { org_type: string; province: string }) => f.org_type === PRIVATE;

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle, { orgs: 160, slug: 'juni', contacts: true });
    frame = seeded.rows;
    // Every type responds but the private providers, which stay far behind.
    await fillDemoResponses(handle.db, {
      slug: 'juni',
      frame,
      seed: 3,
      phase: 'reopening',
      rate: 0.7,
      skip: frame
        .filter(lagging)
        .map((f) => f.org_id)
        .slice(2),
    });
    ({ app } = await testApp(handle));
    await makeUser(handle, 'staff@example.nl', 'staff');
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('names the lagging groups in one sentence, lists their non-responders, and prepares a reminder to exactly those', async () => {
    const page = await staff.get('/beheer/metingen/juni');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/R-indicator: 0,\d\d\./);
    expect(page.text).toContain('Partiële R-indicator');
    const sentence =
      /Herinner eerst particuliere aanbieder in ([^:]+): hun respons is het laagst en weegt het zwaarst\./.exec(
        page.text,
      );
    expect(sentence).not.toBeNull();
    const provinces = sentence![1].split(/, | en /);
    expect(provinces.length).toBeGreaterThan(0);
    const form = page.text.slice(page.text.indexOf('name="audience" value="selection"'));
    const ids = [...form.slice(0, form.indexOf('</form>')).matchAll(/name="org_id" value="([^"]+)"/g)].map((m) => m[1]);
    const expected = frame.filter((f) => f.org_type === PRIVATE && provinces.includes(f.province)).map((f) => f.org_id);
    const submitted = await handle.db
      .selectFrom('responses')
      .select('org_id')
      .where('status', '=', 'submitted')
      .execute();
    const done = new Set(submitted.map((r) => r.org_id));
    expect(ids.sort()).toEqual(expected.filter((id) => !done.has(id)).sort());
    const preview = await staff.get(
      `/beheer/metingen/juni/berichten?kind=reminder&audience=selection&${ids.map((id) => `org_id=${id}`).join('&')}`,
    );
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('name="kind" value="reminder"');
    const confirm = [...preview.text.matchAll(/type="hidden" name="org_id" value="([^"]+)"/g)].map((m) => m[1]);
    expect(confirm.sort()).toEqual(ids);
  });
});
