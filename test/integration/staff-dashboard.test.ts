// Issue 14.8: the staff home is a dashboard of the open waves (response against
// the frame, days to closing, mail sent), the last publications and shortcuts.
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProportion } from '../../foundation/numbers/format-dutch';
import { fillDemo } from '../../server/demo/demo';
import { type TestDatabase, testDialects } from '../support/databases';
import { Browser, makeUser, PASSWORD, testApp } from '../support/web-client';

describe.each(testDialects())('the staff home as a dashboard on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;

  beforeAll(async () => {
    handle = await dialect.create();
    await fillDemo(handle, { orgs: 120, seed: 14 });
    ({ app } = await testApp(handle));
    await makeUser(handle, 'staff@example.nl', 'staff');
    await makeUser(handle, 'admin@example.nl', 'admin');
    await makeUser(handle, 'lid@example.nl', 'member', 'KANS-0002');
  }, 300_000);
  afterAll(async () => {
    await handle?.close();
  });

  it("dates the demo's responses inside each wave's fieldwork in 2020, not on the day the demo was made", async () => {
    const rows = await handle.db
      .selectFrom('responses')
      .innerJoin('waves', 'waves.id', 'responses.wave_id')
      .select(['waves.slug', 'responses.submitted_at', 'responses.updated_at'])
      .where('responses.status', '=', 'submitted')
      .execute();
    const months = (slug: string) =>
      new Set(rows.filter((r) => r.slug === slug).map((r) => new Date(r.submitted_at!).toISOString().slice(0, 7)));
    expect(months('corona-2020-04')).toEqual(new Set(['2020-04']));
    expect(months('corona-2020-06')).toEqual(new Set(['2020-06']));
    expect(rows.every((r) => new Date(r.updated_at).getTime() === new Date(r.submitted_at!).getTime())).toBe(true);
  });

  it('shows the open wave with its response rate against the frame, days to closing and reminders sent', async () => {
    const open = await handle.db
      .selectFrom('waves')
      .select(['id', 'slug', 'name', 'frame_year'])
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    const N = (
      await handle.db
        .selectFrom('frame_units')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('year', '=', open.frame_year)
        .executeTakeFirstOrThrow()
    ).n;
    const submitted = (
      await handle.db
        .selectFrom('responses')
        .innerJoin('frame_units', (j) =>
          j.onRef('frame_units.org_id', '=', 'responses.org_id').on('frame_units.year', '=', open.frame_year),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('wave_id', '=', open.id)
        .where('status', '=', 'submitted')
        .executeTakeFirstOrThrow()
    ).n;
    expect(Number(submitted)).toBeGreaterThan(0);
    // Closing in 3 days; two reminders and an invitation were sent.
    // Three Dutch calendar days from today's date in Amsterdam (between 23:00 and 24:00 UTC
    // Amsterdam is already on the next day), at 10:00 UTC: midday there, winter or summer.
    const [y, m, d] = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/Amsterdam' }).split('-').map(Number);
    const closes = new Date(Date.UTC(y, m - 1, d + 3, 10, 0, 0));
    await handle.db.updateTable('waves').set({ closes_at: closes }).where('id', '=', open.id).execute();
    for (const kind of ['reminder', 'reminder', 'invitation']) {
      await handle.db
        .insertInto('mail_messages')
        .values({
          to_address: 'info@school.nl',
          subject: 'Herinnering',
          body_text: '…',
          kind,
          transport: 'outbox',
          outbox_file: null,
          error: null,
          related_org_id: 'KANS-0002',
          related_wave_id: open.id,
        })
        .execute();
    }

    for (const email of ['staff@example.nl', 'admin@example.nl']) {
      const browser = new Browser(app);
      await browser.login(email, PASSWORD);
      const home = await browser.get('/');
      expect(home.status).toBe(200);
      expect(home.text).toContain('Lopende metingen');
      expect(home.text).toContain(`>${open.name}</a>`);
      const rate = formatProportion(Number(submitted) / Number(N), 'nl');
      expect(home.text).toContain(`Respons ${rate}`);
      expect(home.text).toContain(
        `Respons: ${submitted} van ${N} organisaties in de populatie ${open.frame_year} (${rate});`,
      );
      expect(home.text).toMatch(/Sluit over 3 dagen, \d+ \w+ \d{4} \d\d:\d\d\./);
      expect(home.text).toContain('Uitnodigingen verstuurd: 1; herinneringen: 2.');
      expect(home.text).toContain(
        `href="/beheer/metingen/${open.slug}/berichten?kind=reminder&amp;audience=not_responded"`,
      );
      expect(home.text).toContain(`href="/beheer/rapportage?wave=${open.slug}"`);
      expect(home.text).toContain('href="/beheer/populatie"');
      expect(home.text).toContain('1 afgesloten meting.');
      // The demo's publications, newest first, each linked to its page.
      const published = await handle.db
        .selectFrom('publications')
        .select(['slug'])
        .where('replaced_at', 'is', null)
        .where('withdrawn_at', 'is', null)
        .orderBy('published_at', 'desc')
        .execute();
      expect(published.length).toBeGreaterThan(0);
      expect(home.text).toContain(`href="/beheer/publicaties/${published[0].slug}"`);
    }

    // A member keeps the own home.
    const member = new Browser(app);
    await member.login('lid@example.nl', PASSWORD);
    const own = await member.get('/');
    expect(own.text).not.toContain('Lopende metingen');
    expect(own.text).toContain('Openstaande vragenlijsten');
  });

  it('says so when the closing date has passed while the wave is still open', async () => {
    await handle.db
      .updateTable('waves')
      .set({ closes_at: new Date('2020-06-30T21:59:00Z') })
      .where('status', '=', 'open')
      .execute();
    const staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    expect((await staff.get('/')).text).toContain(
      'De sluitingsdatum (30 juni 2020 23:59) is verstreken; de meting staat nog open.',
    );
  });
});
