// Issue 21 point 7: an embed says what it shows and comes with code that lets it grow to fit.
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../analysis/report/report';
import { EMBED_HEIGHT, embedCode } from '../../exports/embed-code';
import { publishReport } from '../../exports/publications';
import type { User } from '../../foundation/db/schema';
import { fillDemoResponses } from '../../server/demo/demo-responses';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { type TestDatabase, testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, makeUser, PASSWORD, testApp } from '../support/web-client';

describe('the embed code', () => {
  it('is an iframe as wide as its column with a fixed fallback height, and a listener that only takes its own height', () => {
    const code = embedCode({
      publicUrl: 'https://monitor.example.nl',
      slug: 'mei-2020',
      index: 2,
      title: 'Omzet "netto" <b>',
      size: 'tall',
    });
    expect(code).toContain('<iframe src="https://monitor.example.nl/resultaten/mei-2020/insluiten/2"');
    expect(code).toContain('title="Omzet &quot;netto&quot; &lt;b>"');
    expect(code).toContain(`width="100%" height="${EMBED_HEIGHT.tall}"`);
    expect(code).toContain('data-impactmonitor-embed');
    // The listener checks the sender's origin and window before it sets a height.
    expect(code).toContain('e.origin!=="https://monitor.example.nl"');
    expect(code).toContain('f.contentWindow===e.source');
  });
});

describe.each(testDialects())('embedded charts on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let staff: Browser;

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle, { orgs: 120, slug: 'juni' });
    await fillDemoResponses(handle.db, {
      slug: seeded.slug,
      frame: seeded.rows,
      seed: 3,
      phase: 'lockdown',
      rate: 0.5,
    });
    await handle.db
      .updateTable('waves')
      .set({ period_start: '2020-05-01', period_end: '2020-05-31' })
      .where('slug', '=', seeded.slug)
      .execute();
    const user = (await makeUser(handle, 'staff@example.nl', 'staff')) as User;
    const { definition } = (await waveWithDefinition(handle.db, seeded.slug))!;
    const report = await buildReport(handle.db, { wave: seeded.slug, questions: ['revenue_loss_eur', 'closure_risk'] });
    await publishReport(handle.db, {
      slug: 'juni-2020',
      title: 'Coronamonitor juni 2020',
      report,
      definition,
      locale: 'nl',
      actor: user,
      provisional: true,
    });
    ({ app } = await testApp(handle));
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('shows title, wave, period, source and "voorlopige cijfers", a chart drawn to its box, a table, and posts its height', async () => {
    const anyone = new Browser(app);
    const res = await anyone.get('/resultaten/juni-2020/insluiten/0');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain('frame-ancestors *');
    const text = res.text.replace(/\s+/g, ' ');
    expect(text).toContain('<h1 id="embed-title" class="embed-title">Omzetderving</h1>');
    expect(text).toMatch(
      /Coronamonitor mei 2020 · periode 1 mei 2020 t\/m 31 mei 2020 · <strong class="embed-provisional">voorlopige cijfers<\/strong>/,
    );
    expect(text).toContain('Bron: Impactmonitor, populatie KAnS 2019; beschermde schattingen.');
    expect(text).toContain('<a href="/resultaten/juni-2020" target="_top">Coronamonitor juni 2020</a>');
    expect(text).toContain('<canvas id="chart-embed"');
    expect(text).toContain('data-chart-fallback="chart-embed"');
    expect(text).toContain('<summary>Cijfers als tabel</summary>');
    expect(text).toContain('<script src="/static/js/embed-height.js" defer></script>');
    expect((await anyone.get('/static/js/embed-height.js')).text).toContain("'impactmonitor-height'");
  });

  it('gives staff the responsive code per chart, and says an embed needs a web page', async () => {
    const page = await staff.get('/beheer/publicaties/juni-2020');
    expect(page.status).toBe(200);
    expect(page.text).toContain('niet in een bestand dat u van uw eigen schijf opent');
    expect(page.text).toContain(
      '/resultaten/juni-2020/insluiten/0&#34; title=&#34;Omzetderving&#34; width=&#34;100%&#34;',
    );
    expect(page.text).toContain('impactmonitor-height');
  });
});
