// A member's own history: the home page with open and
// earlier waves, the answers read back read-only with the comparison, the
// readable PDF and Excel (NL) copy, resuming where the member left, and all of
// it only for the member's own organisation.
import type { Express } from 'express';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeWaveStatus, createWave } from '../../surveys/waves/waves';
import { type TestDatabase, testDialects } from '../support/databases';
import { pdfText } from '../support/pdf-text';
import { PAGE_ANSWERS, seedSurvey } from '../support/survey-fixtures';
import { Browser, binary, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

const APRIL = 'historie-april';
const JUNE = 'historie-juni';
/** The demo answers, with online lessons "no": the online share is then hidden and left out of every copy. */
const ANSWERS = PAGE_ANSWERS.map((fields, i) => (i === 1 ? { ...fields, online_lessons: 'false' } : fields));

function versionFrom(html: string): string {
  return html.match(/name="version" value="(\d+)"/)![1];
}

async function post(
  browser: Browser,
  slug: string,
  n: number,
  fields: Record<string, string | string[]>,
  action: string,
) {
  const url = `/vragenlijst/${slug}/stap/${n}`;
  const page = await browser.get(url);
  expect(page.status, url).toBe(200);
  return browser.agent
    .post(url)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), version: versionFrom(page.text), action, ...fields });
}

const text = (s: string) => s.replace(/\s+/g, ' ');

describe.each(testDialects())('a member reads back its own history on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let orgA: { org_id: string; name: string };
  let orgB: { org_id: string; name: string };
  let a: Browser;
  let b: Browser;

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle, { slug: JUNE });
    [orgA, orgB] = seeded.rows;
    await createWave(
      handle.db,
      {
        surveyKey: 'corona-impact',
        slug: APRIL,
        name: 'Coronamonitor april 2020',
        frameYear: 2019,
        closesAt: new Date('2099-05-01T10:00:00Z'),
        periodStart: '2020-03-16',
        periodEnd: '2020-04-30',
      },
      null,
    );
    await changeWaveStatus(handle.db, APRIL, 'open', null);
    // A wave still in preparation: invisible to members.
    await createWave(
      handle.db,
      { surveyKey: 'corona-impact', slug: 'in-voorbereiding', name: 'Nog niet open', frameYear: 2019 },
      null,
    );
    ({ app } = await testApp(handle));
    await makeUser(handle, 'a@example.nl', 'member', orgA.org_id);
    await makeUser(handle, 'b@example.nl', 'member', orgB.org_id);
    await makeUser(handle, 'staf@example.nl', 'staff');
    a = new Browser(app);
    await a.login('a@example.nl', PASSWORD);
    b = new Browser(app);
    await b.login('b@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('lists the open waves with deadline and state, and no earlier ones yet', async () => {
    const home = text((await a.get('/')).text);
    expect(home).toContain(orgA.name);
    expect(home).toContain('Coronamonitor april 2020');
    expect(home).toContain('sluit op 1 mei 2099');
    expect(home).toContain('geen sluitingsdatum');
    expect(home).toContain('Periode: 16 maart 2020 tot en met 30 april 2020');
    expect(home).toContain('Nog niet begonnen');
    expect(home).toContain('Er zijn nog geen eerdere metingen.');
    expect(home).not.toContain('Nog niet open');
  });

  it('continues a draft on the page where the member left it', async () => {
    // Nothing saved yet: the first page.
    expect((await a.get(`/vragenlijst/${JUNE}`)).headers.location).toBe(`/vragenlijst/${JUNE}/stap/1`);
    expect((await post(a, JUNE, 1, ANSWERS[0], 'next')).headers.location).toBe(`/vragenlijst/${JUNE}/stap/2`);
    expect((await post(a, JUNE, 2, ANSWERS[1], 'next')).headers.location).toBe(`/vragenlijst/${JUNE}/stap/3`);
    // Left after "Volgende": back on page 3, where they were sent.
    expect((await a.get(`/vragenlijst/${JUNE}`)).headers.location).toBe(`/vragenlijst/${JUNE}/stap/3`);
    const home = text((await a.get('/')).text);
    expect(home).toContain('Concept opgeslagen');
    expect(home).toMatch(new RegExp(`href="/vragenlijst/${JUNE}">Verder waar u gebleven was`));
    // "Vorige", then "Opslaan en later verder" on page 2: back on page 2.
    expect((await post(a, JUNE, 3, ANSWERS[2], 'previous')).headers.location).toBe(`/vragenlijst/${JUNE}/stap/2`);
    expect((await post(a, JUNE, 2, ANSWERS[1], 'save')).headers.location).toBe('/');
    expect((await a.get(`/vragenlijst/${JUNE}`)).headers.location).toBe(`/vragenlijst/${JUNE}/stap/2`);
    // An autosave on page 4 remembers page 4.
    const page4 = await a.get(`/vragenlijst/${JUNE}/stap/4`);
    const auto = await a.agent
      .post(`/vragenlijst/${JUNE}/stap/4/autosave`)
      .type('form')
      .send({ _csrf: csrfFrom(page4.text), version: versionFrom(page4.text), ...ANSWERS[3] });
    expect(auto.status).toBe(200);
    expect((await a.get(`/vragenlijst/${JUNE}`)).headers.location).toBe(`/vragenlijst/${JUNE}/stap/4`);
    // A page with an error keeps the member there.
    const wrong = await post(a, JUNE, 4, { closure_risk: '' }, 'next');
    expect(wrong.status).toBe(422);
    expect((await a.get(`/vragenlijst/${JUNE}`)).headers.location).toBe(`/vragenlijst/${JUNE}/stap/4`);
    // After the last page: the review page.
    await post(a, JUNE, 4, ANSWERS[3], 'next');
    expect((await post(a, JUNE, 5, ANSWERS[4], 'next')).headers.location).toBe(`/vragenlijst/${JUNE}/controle`);
    expect((await a.get(`/vragenlijst/${JUNE}`)).headers.location).toBe(`/vragenlijst/${JUNE}/controle`);
    // Another organisation's draft is its own: B starts at page 1.
    expect((await b.get(`/vragenlijst/${JUNE}`)).headers.location).toBe(`/vragenlijst/${JUNE}/stap/1`);
  });

  it('shows a submitted wave under earlier waves, and keeps it there after the wave closes', async () => {
    for (const [i, fields] of ANSWERS.entries()) expect((await post(a, APRIL, i + 1, fields, 'next')).status).toBe(303);
    const review = await a.get(`/vragenlijst/${APRIL}/controle`);
    const submitted = await a.agent
      .post(`/vragenlijst/${APRIL}/indienen`)
      .type('form')
      .send({ _csrf: csrfFrom(review.text), version: versionFrom(review.text), confirm: 'ja' });
    expect(submitted.headers.location).toBe(`/vragenlijst/${APRIL}/ingediend`);
    const thanks = await a.get(`/vragenlijst/${APRIL}/ingediend`);
    expect(thanks.text).toContain(`href="/vragenlijst/${APRIL}/antwoorden"`);
    expect(thanks.text).toContain(`href="/vragenlijst/${APRIL}/antwoorden.pdf"`);

    const [open, earlier] = text((await a.get('/')).text).split('Eerdere metingen');
    expect(open).not.toContain('Coronamonitor april 2020');
    expect(earlier).toContain('Coronamonitor april 2020');
    expect(earlier).toMatch(/Ingediend op \d{1,2} \w+ 20\d\d \d\d:\d\d/);
    expect(earlier).toContain('De meting is nog open tot 1 mei 2099');
    expect(earlier).toContain(`href="/vragenlijst/${APRIL}/antwoorden"`);
    expect(earlier).toContain(`href="/vragenlijst/${APRIL}/antwoorden.csv"`);

    await changeWaveStatus(handle.db, APRIL, 'closed', null);
    const after = text((await a.get('/')).text).split('Eerdere metingen')[1];
    expect(after).toContain('Coronamonitor april 2020');
    expect(after).not.toContain('De meting is nog open');
    // B never took part in April: listed, without answers to open.
    const forB = text((await b.get('/')).text).split('Eerdere metingen')[1];
    expect(forB).toContain('Coronamonitor april 2020');
    expect(forB).toContain('Niet aan deelgenomen');
    expect(forB).not.toContain(`/vragenlijst/${APRIL}/antwoorden`);
  });

  it('reads the answers back read-only, with the comparison, after the wave closed', async () => {
    const res = await a.get(`/vragenlijst/${APRIL}/antwoorden`);
    expect(res.status).toBe(200);
    const page = text(res.text);
    expect(page).toContain('Uw antwoorden');
    expect(page).toContain(`Organisatie: ${orgA.name.replace(/'/g, '&#39;')}`);
    expect(page).toContain('Periode: 16 maart 2020 tot en met 30 april 2020');
    expect(page).toMatch(/Ingediend op \d{1,2} \w+ 20\d\d \d\d:\d\d/);
    expect(page).toContain('Hoeveel omzet bent u in deze periode misgelopen?');
    expect(page).toContain('€ 12.500,50');
    expect(page).toContain('4,5 maanden');
    expect(page).toContain('NOW (tegemoetkoming loonkosten), TVL (tegemoetkoming vaste lasten)');
    expect(page).toContain('Gedeeltelijk terugbetaald');
    // The hidden question is left out of the answers; nothing can be changed here.
    const answers = page.split('Hoe staat uw organisatie ervoor?')[0];
    expect(answers).toMatch(/Heeft u lessen online voortgezet\?<\/dt> ?<dd>Nee<\/dd>/);
    expect(answers).not.toContain('Welk deel van de lessen heeft u online gegeven?');
    expect(page).not.toContain('Wijzigen');
    expect(page).not.toContain('/stap/');
    expect(page).not.toContain('name="version"');
    // The comparison of the thank-you page.
    expect(page).toContain('Hoe staat uw organisatie ervoor?');
    // Under 10 answers: a plain sentence, no empty chart (issue 21.9).
    expect(page).not.toContain('data-chart-for="chart-comparison"');
    expect(page).toContain('Zodra minstens 10 organisaties hebben geantwoord');
  });

  it('gives a readable PDF: organisation, wave, period, submission, question texts and Dutch numbers', async () => {
    const res = await a.get(`/vragenlijst/${APRIL}/antwoorden.pdf`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`antwoorden-${APRIL}`);
    const pdf = text(await pdfText(res.body as Buffer));
    expect(pdf).toContain('Uw antwoorden');
    expect(pdf).toContain(orgA.name);
    expect(pdf).toContain('Meting: Coronamonitor april 2020');
    expect(pdf).toContain('Periode: 16 maart 2020 tot en met 30 april 2020');
    expect(pdf).toMatch(/Ingediend op \d{1,2} \w+ 20\d\d \d\d:\d\d/);
    expect(pdf).toContain('Hoeveel omzet bent u in deze periode misgelopen?');
    expect(pdf).toContain('€ 12.500,50');
    expect(pdf).toContain('€ 1.500');
    expect(pdf).toContain('4,5 maanden');
    expect(pdf).toContain('45%');
    expect(pdf).toContain('Gedeeltelijk terugbetaald');
    expect(pdf).toContain('Klein');
    expect(pdf).not.toContain('partial');
    expect(pdf).not.toContain('online gegeven');
  });

  it('gives a CSV for Excel (NL): semicolons, BOM, question texts, labels, decimal comma, dd-mm-jjjj', async () => {
    const res = await a.get(`/vragenlijst/${APRIL}/antwoorden.csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<Record<string, string>>(res.text.slice(1), {
      header: true,
      delimiter: ';',
      skipEmptyLines: true,
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([
      'Organisatie',
      'Meting',
      'Periode van',
      'Periode tot en met',
      'Ingediend op',
      'Onderdeel',
      'Vraag',
      'Antwoord',
      'Eenheid',
    ]);
    const rows = parsed.data;
    const answer = (question: string) => rows.find((r) => r.Vraag === question);
    expect(rows[0]).toMatchObject({
      Organisatie: orgA.name,
      Meting: 'Coronamonitor april 2020',
      'Periode van': '16-03-2020',
      'Periode tot en met': '30-04-2020',
    });
    expect(rows[0]['Ingediend op']).toMatch(/^\d\d-\d\d-20\d\d \d\d:\d\d$/);
    expect(answer('Hoeveel omzet bent u in deze periode misgelopen?')).toMatchObject({
      Onderdeel: 'Omzet en kosten',
      Antwoord: '12500,5',
      Eenheid: '€',
    });
    expect(answer('Hoeveel maanden kunt u uw vaste lasten nog betalen?')).toMatchObject({
      Antwoord: '4,5',
      Eenheid: 'maanden',
    });
    expect(answer('Welk deel van de geplande lessen is niet doorgegaan?')).toMatchObject({
      Antwoord: '45',
      Eenheid: '%',
    });
    expect(answer('Heeft u lessen online voortgezet?')?.Antwoord).toBe('nee');
    expect(answer('Van welke steunmaatregelen maakt u gebruik?')?.Antwoord).toBe(
      'NOW (tegemoetkoming loonkosten), TVL (tegemoetkoming vaste lasten)',
    );
    expect(answer('Hoe gaat u om met lesgeld voor lessen die niet doorgingen?')?.Antwoord).toBe(
      'Gedeeltelijk terugbetaald',
    );
    expect(answer('Welk deel van de lessen heeft u online gegeven?')).toBeUndefined();
    // No English keys or option codes.
    expect(res.text).not.toContain('revenue_loss_eur');
    expect(res.text).not.toContain('NOW|TVL');
  });

  it('uses the member’s own language', async () => {
    const en = new Browser(app);
    await en.login('a@example.nl', PASSWORD);
    await en.get('/taal/en');
    const csv = await en.get(`/vragenlijst/${APRIL}/antwoorden.csv`);
    const header = csv.text.slice(1).split('\r\n')[0];
    expect(header).toBe('Organisation;Survey;"Period from";"Period to";"Submitted on";Section;Question;Answer;Unit');
    expect(csv.text).toContain('How much turnover did you lose in this period?');
    const pdf = text(
      await pdfText((await en.get(`/vragenlijst/${APRIL}/antwoorden.pdf`).buffer(true).parse(binary)).body),
    );
    expect(pdf).toContain('Your answers');
    expect(pdf).toContain('Period: 16 March 2020 to 30 April 2020 inclusive');
    expect(pdf).toContain('€12,500.50');
  });

  it('is strictly the member’s own: another organisation’s wave or response gives 404', async () => {
    const responseA = await handle.db
      .selectFrom('responses')
      .innerJoin('waves', 'waves.id', 'responses.wave_id')
      .select(['responses.id', 'waves.id as wave_id'])
      .where('waves.slug', '=', APRIL)
      .where('responses.org_id', '=', orgA.org_id)
      .executeTakeFirstOrThrow();
    const tampered = `?org_id=${orgA.org_id}&org=${orgA.org_id}&response=${responseA.id}&id=${responseA.id}&wave=${responseA.wave_id}`;
    for (const suffix of ['antwoorden', 'antwoorden.pdf', 'antwoorden.csv']) {
      expect((await b.get(`/vragenlijst/${APRIL}/${suffix}`)).status, suffix).toBe(404);
      expect((await b.get(`/vragenlijst/${APRIL}/${suffix}${tampered}`)).status, suffix).toBe(404);
      expect((await b.get(`/vragenlijst/${responseA.id}/${suffix}`)).status, suffix).toBe(404);
      expect((await b.get(`/vragenlijst/in-voorbereiding/${suffix}`)).status, suffix).toBe(404);
      expect((await a.get(`/vragenlijst/in-voorbereiding/${suffix}`)).status, suffix).toBe(404);
      expect((await a.get(`/vragenlijst/bestaat-niet/${suffix}`)).status, suffix).toBe(404);
    }
    // A's own June draft is A's; B sees its own empty state, never A's answers.
    expect((await b.get(`/vragenlijst/${JUNE}/antwoorden`)).status).toBe(404);
    expect((await b.get('/')).text).not.toContain(orgA.name.replace(/'/g, '&#39;'));
    // Staff use the analysts' export, not the member's pages.
    const staff = new Browser(app);
    await staff.login('staf@example.nl', PASSWORD);
    expect((await staff.get(`/vragenlijst/${APRIL}/antwoorden`)).status).toBe(403);
    const analyst = await staff.get(`/beheer/metingen/${APRIL}/antwoorden.csv`);
    expect(analyst.status).toBe(200);
    expect(analyst.text).toContain('revenue_loss_eur');
    expect(analyst.text).toContain('NOW|TVL');
  });
});
