// Issue 23.3: every download that carries organisations' own data is in the release
// log (who, what, when), shown on the release-log page and in its CSV.

import type { Express } from 'express';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillDemoResponses } from '../../server/demo/demo-responses';
import { type TestDatabase, testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, makeUser, PASSWORD, testApp } from '../support/web-client';

describe.each(testDialects())('the release log of data downloads on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let staff: Browser;
  let slug: string;

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle, { orgs: 60, slug: 'uitgifte', contacts: true });
    slug = seeded.slug;
    await fillDemoResponses(handle.db, { slug, frame: seeded.rows, seed: 8, phase: 'lockdown', rate: 0.5 });
    ({ app } = await testApp(handle));
    await makeUser(handle, 'staff@example.nl', 'staff');
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const logged = async () =>
    (
      await handle.db
        .selectFrom('release_log')
        .innerJoin('users', 'users.id', 'release_log.user_id')
        .select(['users.email', 'release_log.kind', 'release_log.wave_slug', 'release_log.format', 'release_log.view'])
        .orderBy('release_log.id')
        .execute()
    ).map((r) => ({ ...r, view: typeof r.view === 'string' ? JSON.parse(r.view) : r.view }));

  it('logs raw answers (both flavours), non-responders, one response page, a chart download and branch figures', async () => {
    const org = (
      await handle.db
        .selectFrom('responses')
        .innerJoin('waves', 'waves.id', 'responses.wave_id')
        .select('responses.org_id')
        .where('waves.slug', '=', slug)
        .orderBy('responses.org_id')
        .executeTakeFirstOrThrow()
    ).org_id;
    const qs = `wave=${slug}&stratify=org_type&q=revenue_loss_eur`;
    for (const url of [
      `/beheer/metingen/${slug}/antwoorden.csv`,
      `/beheer/metingen/${slug}/antwoorden.csv?formaat=csv-nl`,
      `/beheer/metingen/${slug}/niet-ingediend.csv`,
      `/beheer/metingen/${slug}/niet-ingediend.csv?formaat=csv-nl`,
      `/beheer/metingen/${slug}/controle/${org}`,
      // The page's own fallback image is not a download; the link with download=1 is.
      `/beheer/rapportage/grafiek/0.png?${qs}`,
      `/beheer/rapportage/grafiek/0.png?${qs}&download=1`,
      '/beheer/branche.csv?jaar=2019',
    ])
      expect((await staff.get(url)).status, url).toBe(200);
    const entries = await logged();
    expect(entries.map((e) => [e.email, e.kind, e.wave_slug, e.format])).toEqual([
      ['staff@example.nl', 'export', slug, 'antwoorden-csv'],
      ['staff@example.nl', 'export', slug, 'antwoorden-csv-nl'],
      ['staff@example.nl', 'export', slug, 'niet-ingediend-csv'],
      ['staff@example.nl', 'export', slug, 'niet-ingediend-csv-nl'],
      ['staff@example.nl', 'export', slug, 'antwoord-pagina'],
      ['staff@example.nl', 'export', slug, 'grafiek-png'],
      ['staff@example.nl', 'export', 'KAnS 2019', 'csv-nl'],
    ]);
    expect(entries[0]!.view.questions).toContain('revenue_loss_eur');
    expect(entries[4]!.view.organisations).toEqual([org]);
    // The report page links the chart download with download=1.
    expect((await staff.get(`/beheer/rapportage?${qs}`)).text).toContain('.png?wave=');
    expect((await staff.get(`/beheer/rapportage?${qs}`)).text).toMatch(/grafiek\/0\.png\?[^"]*download=1/);

    const page = await staff.get('/beheer/uitgiftes');
    expect(page.text).toContain('antwoorden-csv-nl');
    expect(page.text).toContain('niet-ingediend-csv');
    expect(page.text).toContain(`antwoord-pagina`);
    expect(page.text).toContain(org);
    const csv = Papa.parse<Record<string, string>>((await staff.get('/beheer/uitgiftes.csv')).text, {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(csv.map((r) => r.format).sort()).toEqual(entries.map((e) => e.format).sort());
    expect(csv.find((r) => r.format === 'antwoord-pagina')).toMatchObject({
      who: 'staff@example.nl',
      organisations: org,
    });
  });
});
