import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testDialects } from '../support/databases';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

const HEADER =
  'kans_id;naam;type;provincie;gemeente;lid;leerlingen;omzet;subsidie;fte;docenten_loondienst;docenten_zzp';
const GOOD = `${HEADER}\nK1;Muziekschool <b>Zwolle</b>;muziekschool;Overijssel;Zwolle;ja;700;427.000;149,450;5,9;6;8\nK2;CvdK Leeuwarden;centrum voor de kunsten;Friesland;Leeuwarden;nee;1.800;936.000,50;421.200;13;12;20\n`;
const BAD = `${HEADER}\nK1;Een;muziekschool;Atlantis;;ja;700;427.000;0;1;0;1\n`;

describe.each(testDialects())('frame import on the web on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let staff: Browser;

  beforeAll(async () => {
    handle = await dialect.create();
    ({ app } = await testApp(handle, { uploadLimitBytes: 64 * 1024 }));
    await makeUser(handle, 'staff@example.nl', 'staff');
    await makeUser(handle, 'member@example.nl', 'member', 'K1');
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  async function upload(browser: Browser, content: string, fields: Record<string, string> = { year: '2019' }) {
    const page = await browser.get('/beheer/populatie');
    let req = browser.agent.post('/beheer/populatie/upload').field('_csrf', csrfFrom(page.text));
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('file', Buffer.from(content), 'kans-2019.csv');
  }

  it('previews an upload with its errors in Dutch and imports nothing', async () => {
    const res = await upload(staff, BAD);
    expect(res.status).toBe(303);
    const preview = await staff.get(res.headers.location);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('1 fout: er wordt niets geïmporteerd');
    expect(preview.text).toContain('Regel 2, kolom provincie: &#34;Atlantis&#34; is geen Nederlandse provincie.');
    expect(preview.text).not.toContain('>Importeren<');
    const confirm = await staff.submit(res.headers.location, res.headers.location, {});
    expect(confirm.status).toBe(422);
    expect(await handle.db.selectFrom('frame_units').select('org_id').execute()).toEqual([]);
  });

  it('previews a good file with counts, totals and first rows (escaped), then imports on confirmation', async () => {
    const res = await upload(staff, GOOD);
    const previewUrl = res.headers.location;
    const preview = await staff.get(previewUrl);
    expect(preview.text).toContain('2 organisaties, waarvan 1 lid; 2.500 leerlingen; omzet € 1.363.001.');
    expect(preview.text).toContain('Fryslân');
    expect(preview.text).toContain('Muziekschool &lt;b&gt;Zwolle&lt;/b&gt;');
    expect(preview.text).not.toContain('<b>Zwolle</b>');
    // An amount with a dot before three digits is thousands without a question (cents come in twos);
    // one with a comma (149,450) is read as thousands and shown back with both readings.
    expect(preview.text).toContain('1 getal is op twee manieren te lezen');
    expect(preview.text).not.toContain('&#34;427.000&#34; gelezen');
    expect(preview.text).toContain('Regel 2, kolom subsidie: &#34;149,450&#34; gelezen als 149450, niet als 149,45.');
    const confirm = await staff.submit(previewUrl, previewUrl, {});
    expect(confirm.status).toBe(303);
    const overview = await staff.get('/beheer/populatie');
    expect(overview.text).toContain('De populatie 2019 is geïmporteerd: 2 organisaties.');
    expect(overview.text).toContain('kans-2019.csv');
    expect(await handle.db.selectFrom('frame_units').select('org_id').orderBy('org_id').execute()).toEqual([
      { org_id: 'K1' },
      { org_id: 'K2' },
    ]);
    // The upload is gone once used.
    expect((await staff.get(previewUrl)).status).toBe(404);
  });

  it('asks for confirmation before replacing a year, and shows a year-over-year comparison', async () => {
    const second = await upload(staff, GOOD.replace('K2;', 'K3;'), { year: '2020' });
    await staff.submit(second.headers.location, second.headers.location, {});
    const again = await upload(staff, GOOD, { year: '2020' });
    const preview = await staff.get(again.headers.location);
    expect(preview.text).toContain('Let op: er is al een populatie van 2020 (2 organisaties).');
    // The confirm form has its own "vervangen" checkbox, not ticked because the upload form's was not.
    expect(preview.text).toMatch(
      /<input type="checkbox" id="replace" name="replace" value="ja">\s*<label for="replace">/,
    );
    expect(preview.text).toContain('De bestaande populatie van 2020 vervangen (2 organisaties)');
    const refused = await staff.submit(again.headers.location, again.headers.location, {});
    expect(refused.status).toBe(422);
    // The refusal says what to do, in the error summary and at the checkbox, on the confirm page itself.
    const advice =
      'Er is al een populatie van 2020. Vink &#34;De bestaande populatie van 2020 vervangen&#34; aan en klik opnieuw op Importeren, of kies Annuleren.';
    expect(refused.text).toContain('class="error-summary"');
    expect(refused.text).toContain(`<a href="#replace">${advice}</a>`);
    expect(refused.text).toMatch(
      /<p class="error-message" id="replace-error">[^<]*<span[^>]*>[^<]*<\/span> Er is al een populatie/,
    );
    expect(refused.text).toContain('aria-invalid="true"');
    expect(await handle.db.selectFrom('frame_imports').where('year', '=', 2020).select('id').execute()).toHaveLength(1);
    // Ticking it there and importing again replaces the year.
    const accepted = await staff.submit(again.headers.location, again.headers.location, { replace: 'ja' });
    expect(accepted.status).toBe(303);
    const history = await handle.db
      .selectFrom('frame_imports')
      .where('year', '=', 2020)
      .select(['replaced'])
      .orderBy('id')
      .execute();
    expect(history).toEqual([{ replaced: false }, { replaced: true }]);
    expect(
      (
        await handle.db.selectFrom('frame_units').where('year', '=', 2020).select('org_id').orderBy('org_id').execute()
      ).map((r) => r.org_id),
    ).toEqual(['K1', 'K2']);

    // Ticked on the upload form, the confirm page's checkbox starts ticked; the confirm form's value decides.
    const withReplace = await upload(staff, GOOD.replace('K2;', 'K3;').replace(';700;', ';650;'), {
      year: '2020',
      replace: 'ja',
    });
    const ticked = await staff.get(withReplace.headers.location);
    expect(ticked.text).toContain('name="replace" value="ja" checked');
    expect(
      (await staff.submit(withReplace.headers.location, withReplace.headers.location, { replace: 'ja' })).status,
    ).toBe(303);
    const comparison = await staff.get('/beheer/populatie/2020/vergelijking?met=2019');
    expect(comparison.status).toBe(200);
    expect(comparison.text).toContain('Nieuw in 2020 (1)');
    expect(comparison.text).toContain('Verdwenen sinds 2019 (1)');
    expect(comparison.text).toMatch(/students<\/td><td>700<\/td><td>650/);
  });

  it('refuses an upload without CSRF token, with the file before the token, too large, or by a member', async () => {
    const page = await staff.get('/beheer/populatie');
    const token = csrfFrom(page.text);
    expect(
      (
        await staff.agent
          .post('/beheer/populatie/upload')
          .field('year', '2019')
          .attach('file', Buffer.from(GOOD), 'a.csv')
      ).status,
    ).toBe(403);
    expect(
      (
        await staff.agent
          .post('/beheer/populatie/upload')
          .attach('file', Buffer.from(GOOD), 'a.csv')
          .field('_csrf', token)
      ).status,
    ).toBe(403);
    const big = await upload(staff, GOOD + 'x'.repeat(70 * 1024));
    expect(big.status).toBe(413);
    expect(big.text).toContain('Het bestand is groter dan 0 MB');
    const missing = await staff.agent.post('/beheer/populatie/upload').field('_csrf', token).field('year', 'twintig');
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Kies een CSV-bestand.');
    expect(missing.text).toContain('Het jaar moet een jaartal zijn');
    const member = new Browser(app);
    await member.login('member@example.nl', PASSWORD);
    expect((await member.get('/beheer/populatie')).status).toBe(403);
    const memberPage = await member.get('/');
    expect(
      (
        await member.agent
          .post('/beheer/populatie/upload')
          .field('_csrf', csrfFrom(memberPage.text))
          .field('year', '2019')
          .attach('file', Buffer.from(GOOD), 'a.csv')
      ).status,
    ).toBe(403);
  });

  it("keeps one staff member's upload invisible to another", async () => {
    await makeUser(handle, 'other@example.nl', 'staff');
    const res = await upload(staff, GOOD, { year: '2021' });
    const other = new Browser(app);
    await other.login('other@example.nl', PASSWORD);
    expect((await other.get(res.headers.location)).status).toBe(404);
  });
});
