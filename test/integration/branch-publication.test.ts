// "De branche in cijfers" on the public results page (README "The branch in
// figures"): staff publish a frame year's protected figures from a preview, the
// public page and its downloads show exactly those (never exact values), a year
// not published is 404, a withdrawal takes it off, and a republication after a
// frame re-import is a new version in the release log, once the difference with the
// version before is about enough organisations and not dominated by one.
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { branchFigures } from '../../analysis/branch/branch-figures';
import { shownBranchValue } from '../../exports/branch-view';
import { formatNumber } from '../../foundation/numbers/format-dutch';
import { demoFrameCsv, type generateDemoFrame } from '../../register/demo-frame';
import { importFrame } from '../../register/frame-import';
import { type TestDatabase, testDialects } from '../support/databases';
import { pdfText } from '../support/pdf-text';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, binary, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

const csvRows = (text: string) =>
  Papa.parse<Record<string, string>>(text.replace(/^\ufeff/, ''), {
    header: true,
    delimiter: ';',
    skipEmptyLines: true,
  }).data;

describe.each(testDialects())('the branch in figures published on $kind', (dialect) => {
  let handle: TestDatabase;
  let rows: ReturnType<typeof generateDemoFrame>;

  beforeAll(async () => {
    handle = await dialect.create();
    ({ rows } = await seedSurvey(handle, { orgs: 160, slug: 'juni' }));
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
  });

  it('publishes the protected figures from a preview, shows them to anyone, withdraws them, and publishes a new version after a re-import', async () => {
    const { app } = await testApp(handle);
    await makeUser(handle, 'publish-branch@example.nl', 'staff');
    const staff = new Browser(app);
    await staff.login('publish-branch@example.nl', PASSWORD);
    const visitor = new Browser(app);

    // Not published yet: the public page does not know it.
    expect((await visitor.get('/resultaten/branche-in-cijfers/2019')).status).toBe(404);
    expect((await visitor.get('/resultaten/branche-in-cijfers/2019/download.csv')).status).toBe(404);
    expect((await staff.get('/beheer/branche?jaar=2019')).text).toContain('Nog niet openbaar.');

    // The preview shows the tables that will be public, with a confirmation form.
    const preview = await staff.get('/beheer/branche/publiceren?jaar=2019');
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Ja, publiceer De branche in cijfers 2019');
    const figures = (await branchFigures(handle.db, { year: 2019 }))!;
    const whole = figures.cells.find((c) => c.dimension === null)!;
    const shownTurnover = shownBranchValue('turnover_eur', whole.values.turnover_eur.estimate, 'nl');
    expect(preview.text).toContain(shownTurnover);

    // Without the form's CSRF token, and for a member or a visitor, nothing is published.
    expect((await staff.agent.post('/beheer/branche/publiceren').type('form').send({ jaar: '2019' })).status).toBe(403);
    await makeUser(handle, 'member-branch@example.nl', 'member', 'KANS-0001');
    const member = new Browser(app);
    await member.login('member-branch@example.nl', PASSWORD);
    const memberPage = await member.get('/account');
    const refused = await member.agent
      .post('/beheer/branche/publiceren')
      .type('form')
      .send({ _csrf: csrfFrom(memberPage.text), jaar: '2019' });
    expect([403, 404]).toContain(refused.status);
    expect((await visitor.get('/resultaten/branche-in-cijfers/2019')).status).toBe(404);

    const published = await staff.submit('/beheer/branche/publiceren?jaar=2019', '/beheer/branche/publiceren', {
      jaar: '2019',
    });
    expect(published.status).toBe(303);
    expect((await staff.get('/beheer/branche?jaar=2019')).text).toContain('(versie 1)');
    const again1 = (await staff.get('/beheer/branche/publiceren?jaar=2019')).text;
    expect(again1).toContain('Publiceren maakt versie 2');
    expect(again1).toContain('Sinds versie 1 zijn de KAnS-gegevens niet gewijzigd');

    // Anyone reads it: the list, the page, the CSV and the PDF carry the protected values.
    const list = await visitor.get('/resultaten');
    expect(list.text).toContain('/resultaten/branche-in-cijfers/2019');
    const page = await visitor.get('/resultaten/branche-in-cijfers/2019');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Bron: KAnS-benchmark 2019');
    expect(page.text).toContain(shownTurnover);
    const exact = (await branchFigures(handle.db, { year: 2019, protect: false }))!;
    const exactWhole = exact.cells.find((c) => c.dimension === null)!;
    expect(page.text).not.toContain(formatNumber(exactWhole.values.turnover_eur.estimate!));
    const csv = await visitor.get('/resultaten/branche-in-cijfers/2019/download.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toContain('branche-in-cijfers-2019.csv');
    const staffCsv = await staff.get('/beheer/branche.csv?jaar=2019');
    expect(csvRows(csv.text)).toEqual(csvRows(staffCsv.text));
    const pdf = await visitor.get('/resultaten/branche-in-cijfers/2019/download.pdf').buffer(true).parse(binary);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((await pdfText(pdf.body as Buffer)).replace(/\s+/g, ' ')).toContain('Peiljaar: KAnS 2019');
    expect((await visitor.get('/resultaten/branche-in-cijfers/1999')).status).toBe(404);
    expect((await visitor.get('/resultaten/branche-in-cijfers/2019/download.xlsx')).status).toBe(404);

    // Withdrawn: off the public page, not in the list.
    const withdrawn = await staff.submit('/beheer/branche?jaar=2019', '/beheer/branche/intrekken', { jaar: '2019' });
    expect(withdrawn.status).toBe(303);
    expect((await visitor.get('/resultaten/branche-in-cijfers/2019')).status).toBe(404);
    expect((await visitor.get('/resultaten')).text).not.toContain('/resultaten/branche-in-cijfers/2019');

    // A re-import of the year with one turnover corrected: two versions side by side would
    // give that organisation's correction, so the preview says why and publishing is refused.
    const reimport = async (changed: typeof rows, fileName: string) =>
      importFrame(handle, {
        open: () => Readable.from([Buffer.from([...demoFrameCsv(changed)].join(''))]),
        fileName,
        year: 2019,
        replace: true,
        actor: null,
        source: 'cli',
      });
    const withTurnover = (indices: number[], add: (i: number) => number) =>
      rows.map((r, i) =>
        indices.includes(i) ? { ...r, turnover_eur: String(Number(r.turnover_eur ?? 0) + add(i)) } : r,
      );
    await reimport(
      withTurnover([0], () => 1000),
      'frame-2019-one.csv',
    );
    const refusedPreview = await staff.get('/beheer/branche/publiceren?jaar=2019');
    expect(refusedPreview.text).toContain('kan nu niet worden gepubliceerd (vergeleken met versie 1)');
    expect(refusedPreview.text).toContain('de KAnS-gegevens van 1 organisatie(s) gewijzigd');
    expect(refusedPreview.text).not.toContain('Ja, publiceer De branche in cijfers 2019');
    const refusedPost = await staff.agent
      .post('/beheer/branche/publiceren')
      .type('form')
      .send({ _csrf: csrfFrom(refusedPreview.text), jaar: '2019' });
    expect(refusedPost.status).toBe(409);
    expect(refusedPost.text).toContain('de KAnS-gegevens van 1 organisatie(s) gewijzigd');
    expect(await handle.db.selectFrom('branch_publications').select('version').execute()).toHaveLength(1);

    // Six organisations corrected, one of them by far the most: the turnover's change is about that one.
    await reimport(
      withTurnover([0, 1, 2, 3, 4, 5], (i) => (i === 0 ? 5_000_000 : 1000)),
      'frame-2019-big.csv',
    );
    expect((await staff.get('/beheer/branche/publiceren?jaar=2019')).text).toContain(
      'bij “Omzet” komt voor meer dan 85% van één organisatie',
    );

    // A batch of balanced corrections: published as version 2, in the release log.
    await reimport(
      withTurnover([0, 1, 2, 3, 4, 5, 6, 7], (i) => 1000 + 150 * i),
      'frame-2019-batch.csv',
    );
    expect((await staff.get('/beheer/branche/publiceren?jaar=2019')).text).toContain(
      'Vergeleken met versie 1: de gegevens van 8 organisatie(s) zijn gewijzigd',
    );
    await staff.submit('/beheer/branche/publiceren?jaar=2019', '/beheer/branche/publiceren', { jaar: '2019' });
    const again = await visitor.get('/resultaten/branche-in-cijfers/2019');
    expect(again.status).toBe(200);
    expect(again.text).toContain('Versie 2');
    const log = await staff.get('/beheer/uitgiftes');
    expect(log.text).toContain('branche-in-cijfers/2019');

    // Five turnovers corrected and one organisation moved to another province: enough
    // organisations changed, but the province counts move by that one organisation only.
    const batch = withTurnover([0, 1, 2, 3, 4, 5, 6, 7], (i) => 1000 + 150 * i);
    const from = batch[13].province;
    const to: typeof from = from === 'Utrecht' ? 'Zeeland' : 'Utrecht';
    const moved = batch.map((r, i) =>
      i >= 8 && i <= 12
        ? { ...r, turnover_eur: String(Number(r.turnover_eur ?? 0) + 500) }
        : i === 13
          ? { ...r, province: to }
          : r,
    );
    await reimport(moved, 'frame-2019-moved.csv');
    const movedPreview = (await staff.get('/beheer/branche/publiceren?jaar=2019')).text;
    expect(movedPreview).toContain('kan nu niet worden gepubliceerd (vergeleken met versie 2)');
    expect(movedPreview).toContain(`bij “provincie: ${from}” komt voor meer dan 85% van één organisatie`);
    expect(movedPreview).not.toContain('bij “Omzet”');
  });
});
