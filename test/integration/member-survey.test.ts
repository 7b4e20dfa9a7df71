import type { Express } from 'express';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testDialects } from '../support/databases';
import { PAGE_ANSWERS, seedSurvey } from '../support/survey-fixtures';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

function versionFrom(html: string): string {
  return html.match(/name="version" value="(\d+)"/)![1];
}

async function fillPage(
  browser: Browser,
  slug: string,
  n: number,
  fields: Record<string, string | string[]>,
  action = 'next',
) {
  const url = `/vragenlijst/${slug}/stap/${n}`;
  const page = await browser.get(url);
  return browser.agent
    .post(url)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), version: versionFrom(page.text), action, ...fields });
}

describe.each(testDialects())('the member form on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let slug: string;
  let orgA: string;
  let orgB: string;

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle);
    slug = seeded.slug;
    [orgA, orgB] = seeded.rows.map((r) => r.org_id);
    ({ app } = await testApp(handle));
    await makeUser(handle, 'a1@example.nl', 'member', orgA);
    await makeUser(handle, 'a2@example.nl', 'member', orgA);
    await makeUser(handle, 'b@example.nl', 'member', orgB);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('lists the open wave on the member home page', async () => {
    const member = new Browser(app);
    await member.login('a1@example.nl', PASSWORD);
    const home = await member.get('/');
    expect(home.text).toContain('Coronamonitor mei 2020');
    expect(home.text).toContain('Nog niet begonnen');
    const start = await member.get(`/vragenlijst/${slug}`);
    expect(start.headers.location).toBe(`/vragenlijst/${slug}/stap/1`);
    const first = await member.get(`/vragenlijst/${slug}/stap/1`);
    expect(first.text).toContain('Stap 1 van 5');
    expect(first.text).toContain('Hoeveel omzet bent u in deze periode misgelopen?');
    expect(first.text).toContain('Opslaan en later verder');
  });

  it('validates on the server with an error summary, keeps what was typed, and saves the valid answers', async () => {
    const member = new Browser(app);
    await member.login('a1@example.nl', PASSWORD);
    const res = await fillPage(member, slug, 1, {
      revenue_loss_eur: 'heel veel',
      extra_costs_eur: '1500',
      liquidity_months: '',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Er is een probleem');
    expect(res.text).toContain('href="#revenue_loss_eur"');
    expect(res.text).toContain('&#34;heel veel&#34; is geen getal.');
    expect(res.text).toContain('value="heel veel"');
    // extra_costs was valid and is saved; liquidity is required when moving on.
    expect(res.text).toContain('href="#liquidity_months"');
    const stored = await handle.db
      .selectFrom('answers')
      .innerJoin('responses', 'responses.id', 'answers.response_id')
      .select(['question_key', 'value_num'])
      .where('responses.org_id', '=', orgA)
      .where('hidden', '=', false)
      .execute();
    expect(stored).toEqual([{ question_key: 'extra_costs_eur', value_num: '1500' }]);
  });

  it('reads the common Dutch amounts without a question', async () => {
    const member = new Browser(app);
    await member.login('a1@example.nl', PASSWORD);
    for (const amount of ['€ 45.000', '45.000', '45000', '45.000,-', '€ 45.000,00']) {
      const res = await fillPage(member, slug, 1, {
        revenue_loss_eur: amount,
        extra_costs_eur: '1500',
        liquidity_months: '4',
      });
      expect(res.status, amount).toBe(303);
      const stored = await handle.db
        .selectFrom('answers')
        .innerJoin('responses', 'responses.id', 'answers.response_id')
        .select('value_num')
        .where('responses.org_id', '=', orgA)
        .where('question_key', '=', 'revenue_loss_eur')
        .executeTakeFirstOrThrow();
      expect(Number(stored.value_num), amount).toBe(45000);
    }
  });

  it('asks calmly about a number read two ways and accepts it the second time', async () => {
    const member = new Browser(app);
    await member.login('a1@example.nl', PASSWORD);
    const first = await fillPage(member, slug, 1, {
      revenue_loss_eur: '12,500',
      extra_costs_eur: '1500',
      liquidity_months: '4',
    });
    // A question, not an error: no error summary, no 422, the typed text stays.
    expect(first.status).toBe(200);
    expect(first.text).not.toContain('Er is een probleem');
    expect(first.text).toContain('class="ask-message"');
    expect(first.text).toContain('we lezen &#34;12,500&#34; als 12500 (en niet als 12,5). Klopt dat');
    expect(first.text).toContain('value="12,500"');
    const token = csrfFrom(first.text);
    const again = await member.agent
      .post(`/vragenlijst/${slug}/stap/1`)
      .type('form')
      .send({
        _csrf: token,
        version: versionFrom(first.text),
        action: 'next',
        revenue_loss_eur: '12,500',
        confirm__revenue_loss_eur: '12,500',
        extra_costs_eur: '1500',
        liquidity_months: '4',
      });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/vragenlijst/${slug}/stap/2`);
    const reopened = await member.get(`/vragenlijst/${slug}/stap/1`);
    expect(reopened.text).not.toContain('class="ask-message"');
    expect(reopened.text).toContain('value="12.500"');
  });

  it('keeps what the autosave could not store as an answer as typed, and shows it again after a reload', async () => {
    const member = new Browser(app);
    await member.login('a1@example.nl', PASSWORD);
    const autosave = async (fields: Record<string, string>) => {
      const page = await member.get(`/vragenlijst/${slug}/stap/1`);
      return member.agent
        .post(`/vragenlijst/${slug}/stap/1/autosave`)
        .type('form')
        .set('Accept', 'application/json')
        .send({ _csrf: csrfFrom(page.text), version: versionFrom(page.text), ...fields });
    };
    // The confirm field the page carries does not confirm by autosave: only a click does.
    const asked = await autosave({
      revenue_loss_eur: '7,250',
      confirm__revenue_loss_eur: '7,250',
      extra_costs_eur: 'veel',
    });
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({ ok: true, invalid: ['extra_costs_eur'] });
    expect(asked.body.kept.sort()).toEqual(['extra_costs_eur', 'revenue_loss_eur']);
    const reload = await member.get(`/vragenlijst/${slug}/stap/1`);
    expect(reload.text).toContain('value="7,250"');
    expect(reload.text).toContain('we lezen &#34;7,250&#34; als 7250');
    expect(reload.text).toContain('value="veel"');
    expect(reload.text).toContain('&#34;veel&#34; is geen getal.');
    // A valid value replaces what was kept.
    const fixed = await autosave({ revenue_loss_eur: '7.250', extra_costs_eur: '300' });
    expect(fixed.body).toMatchObject({ ok: true, invalid: [], kept: [] });
    const clean = await member.get(`/vragenlijst/${slug}/stap/1`);
    expect(clean.text).toContain('value="7.250"');
    expect(clean.text).not.toContain('class="ask-message"');
    expect(clean.text).not.toContain('value="veel"');
  });

  it('never silently overwrites: a stale save gets a conflict showing both values', async () => {
    const tab1 = new Browser(app);
    const colleague = new Browser(app);
    await tab1.login('a1@example.nl', PASSWORD);
    await colleague.login('a2@example.nl', PASSWORD);
    const stale = await tab1.get(`/vragenlijst/${slug}/stap/1`);
    const saved = await fillPage(colleague, slug, 1, {
      revenue_loss_eur: '20000',
      extra_costs_eur: '1500',
      liquidity_months: '4',
    });
    expect(saved.status).toBe(303);
    const conflict = await tab1.agent
      .post(`/vragenlijst/${slug}/stap/1`)
      .type('form')
      .send({
        _csrf: csrfFrom(stale.text),
        version: versionFrom(stale.text),
        action: 'next',
        revenue_loss_eur: '15000',
        extra_costs_eur: '1500',
        liquidity_months: '4',
      });
    expect(conflict.status).toBe(409);
    expect(conflict.text).toContain('Een collega heeft intussen antwoorden opgeslagen');
    expect(conflict.text).toContain('<td>15000</td><td>€ 20.000</td>');
    expect(conflict.text).toContain('value="15000"');
    const value = await handle.db
      .selectFrom('answers')
      .select('value_num')
      .where('question_key', '=', 'revenue_loss_eur')
      .executeTakeFirstOrThrow();
    expect(value.value_num).toBe('20000');
    // Saving again from the conflict page keeps the user's value deliberately.
    const resolved = await tab1.agent
      .post(`/vragenlijst/${slug}/stap/1`)
      .type('form')
      .send({
        _csrf: csrfFrom(conflict.text),
        version: versionFrom(conflict.text),
        action: 'next',
        revenue_loss_eur: '15000',
        extra_costs_eur: '1500',
        liquidity_months: '4',
      });
    expect(resolved.status).toBe(303);
  });

  it('validates the typed values in a conflict, and is no conflict when the page already holds what is posted', async () => {
    const tab1 = new Browser(app);
    const colleague = new Browser(app);
    await tab1.login('a1@example.nl', PASSWORD);
    await colleague.login('a2@example.nl', PASSWORD);
    const stale = await tab1.get(`/vragenlijst/${slug}/stap/2`);
    const mine = { ...PAGE_ANSWERS[1], refund_policy: 'none', refund_amount_eur: '' };
    expect((await fillPage(colleague, slug, 2, { ...mine, students_quit: '30' })).status).toBe(303);
    const post = (fields: Record<string, string | string[]>) =>
      tab1.agent
        .post(`/vragenlijst/${slug}/stap/2`)
        .type('form')
        .send({ _csrf: csrfFrom(stale.text), version: versionFrom(stale.text), action: 'next', ...fields });
    // A real conflict (another value for students_quit), and 120 % typed: both are said.
    const conflict = await post({ ...mine, students_quit: '23', lessons_cancelled_pct: '120' });
    expect(conflict.status).toBe(409);
    expect(conflict.text).toContain('Een collega heeft intussen antwoorden opgeslagen');
    expect(conflict.text).toContain('Vul een waarde van hoogstens 100 in.');
    expect(conflict.text).toContain('href="#lessons_cancelled_pct"');
    // The same stale version, but the page holds exactly these values: saved, on to step 3.
    const same = await post({ ...mine, students_quit: '30' });
    expect(same.status).toBe(303);
    expect(same.headers.location).toBe(`/vragenlijst/${slug}/stap/3`);
  });

  it('takes a stored amount back as the form showed it ("3.250"), without asking to confirm it', async () => {
    const member = new Browser(app);
    await member.login('b@example.nl', PASSWORD);
    const fields = { ...PAGE_ANSWERS[1], refund_amount_eur: '3250' };
    expect((await fillPage(member, slug, 2, fields, 'save')).status).toBe(303);
    const again = await member.get(`/vragenlijst/${slug}/stap/2`);
    expect(again.text).toContain('value="3.250"');
    const next = await fillPage(member, slug, 2, { ...fields, refund_amount_eur: '3.250' });
    expect(next.status).toBe(303);
  });

  it('autosaves with a version and answers 409 when stale', async () => {
    const member = new Browser(app);
    await member.login('a1@example.nl', PASSWORD);
    const page = await member.get(`/vragenlijst/${slug}/stap/1`);
    const token = csrfFrom(page.text);
    const ok = await member.agent
      .post(`/vragenlijst/${slug}/stap/1/autosave`)
      .type('form')
      .set('Accept', 'application/json')
      .send({ _csrf: token, version: versionFrom(page.text), revenue_loss_eur: '16000' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, version: Number(versionFrom(page.text)) + 1, invalid: [], kept: [] });
    const stale = await member.agent
      .post(`/vragenlijst/${slug}/stap/1/autosave`)
      .type('form')
      .send({ _csrf: token, version: versionFrom(page.text), revenue_loss_eur: '17000' });
    expect(stale.status).toBe(409);
    const noToken = await member.agent
      .post(`/vragenlijst/${slug}/stap/1/autosave`)
      .type('form')
      .send({ version: '99', revenue_loss_eur: '1' });
    expect(noToken.status).toBe(403);
  });

  it('fills in every page, hides conditional questions, reviews and submits; then it is read-only', async () => {
    const member = new Browser(app);
    await member.login('b@example.nl', PASSWORD);
    for (const [i, fields] of PAGE_ANSWERS.entries()) {
      const res = await fillPage(member, slug, i + 1, fields);
      expect(
        res.status,
        `page ${i + 1}: ${res.text.match(/error-message[^<]*<span[^>]*>[^<]*<\/span>([^<]*)/)?.[1]}`,
      ).toBe(303);
    }
    // Changing the controlling answer hides and discards the dependent answer.
    await fillPage(member, slug, 2, { ...PAGE_ANSWERS[1], online_lessons: 'false' });
    const review = await member.get(`/vragenlijst/${slug}/controle`);
    expect(review.status).toBe(200);
    expect(review.text).toContain('€ 12.500,50');
    expect(review.text).toContain('45%');
    expect(review.text).toContain('NOW (tegemoetkoming loonkosten), TVL (tegemoetkoming vaste lasten)');
    expect(review.text).toContain('niet van toepassing');
    expect(review.text).toContain(`href="/vragenlijst/${slug}/stap/1#revenue_loss_eur"`);
    expect(review.text).toContain('Zie &lt;script&gt;alert(1)&lt;/script&gt;');
    const hidden = await handle.db
      .selectFrom('answers')
      .innerJoin('responses', 'responses.id', 'answers.response_id')
      .select(['hidden', 'value_num'])
      .where('responses.org_id', '=', orgB)
      .where('question_key', '=', 'online_share_pct')
      .executeTakeFirstOrThrow();
    expect(hidden).toEqual({ hidden: true, value_num: null });

    const unconfirmed = await member.agent
      .post(`/vragenlijst/${slug}/indienen`)
      .type('form')
      .send({ _csrf: csrfFrom(review.text), version: versionFrom(review.text) });
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.text).toContain('Vink aan dat u de antwoorden wilt indienen.');
    const submitted = await member.agent
      .post(`/vragenlijst/${slug}/indienen`)
      .type('form')
      .send({ _csrf: csrfFrom(review.text), version: versionFrom(review.text), confirm: 'ja' });
    expect(submitted.status).toBe(303);
    expect(submitted.headers.location).toBe(`/vragenlijst/${slug}/ingediend`);
    const thanks = await member.get(submitted.headers.location);
    expect(thanks.text).toContain('Bedankt, uw antwoorden zijn ingediend');
    // One respondent: the comparison is withheld with a plain sentence, no empty chart (issue 21.9).
    expect(thanks.text).toContain('Zodra minstens 10 organisaties hebben geantwoord');
    expect(thanks.text).not.toContain('data-chart-for="chart-comparison"');
    const png = await member
      .get(`/vragenlijst/${slug}/vergelijking.png`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');

    expect((await member.get(`/vragenlijst/${slug}/stap/1`)).headers.location).toBe(`/vragenlijst/${slug}/ingediend`);
    const late = await fillPage(member, slug, 1, PAGE_ANSWERS[0]).catch(() => null);
    expect(late).toBeNull(); // the form is no longer served, so there is no token to post with
    const page = await member.get('/');
    const direct = await member.agent
      .post(`/vragenlijst/${slug}/stap/1`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version: '99', action: 'next', revenue_loss_eur: '1' });
    expect(direct.status).toBe(409);
    expect(direct.text).toContain('Uw antwoorden zijn ingediend en kunnen niet meer worden gewijzigd');

    const audit = await handle.db.selectFrom('audit_log').select('action').where('entity', '=', 'response').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['response.save', 'response.submit']));
  });

  it('lets the organisation download its own answers as a readable CSV for Excel (NL)', async () => {
    const member = new Browser(app);
    await member.login('b@example.nl', PASSWORD);
    const csv = await member.get(`/vragenlijst/${slug}/antwoorden.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<Record<string, string>>(csv.text.slice(1), {
      header: true,
      delimiter: ';',
      skipEmptyLines: true,
    });
    const answer = (q: string) => parsed.data.find((r) => r.Vraag === q)?.Antwoord;
    expect(answer('Hoeveel omzet bent u in deze periode misgelopen?')).toBe('12500,5');
    expect(answer('Van welke steunmaatregelen maakt u gebruik?')).toBe(
      'NOW (tegemoetkoming loonkosten), TVL (tegemoetkoming vaste lasten)',
    );
    expect(answer('Heeft u lessen online voortgezet?')).toBe('nee');
    // Hidden by "nee": left out.
    expect(answer('Welk deel van de lessen heeft u online gegeven?')).toBeUndefined();
  });

  it('scopes everything to the member organisation: another organisation cannot see or change it', async () => {
    const a = new Browser(app);
    await a.login('a1@example.nl', PASSWORD);
    // Org A sees its own draft, not org B's submitted answers.
    const csv = await a.get(`/vragenlijst/${slug}/antwoorden.csv?org_id=${orgB}&org=${orgB}`);
    expect(csv.headers['content-disposition']).toContain(orgA);
    expect(csv.text).not.toContain('12500,5');
    expect((await a.get(`/vragenlijst/${slug}/stap/1?org=${orgB}`)).text).not.toContain('12.500,50');
    expect((await a.get('/vragenlijst/bestaat-niet/stap/1')).status).toBe(404);
    expect((await a.get(`/vragenlijst/${slug}/vergelijking.png`)).status).toBe(404);
    expect((await a.get(`/vragenlijst/${slug}/stap/9`)).status).toBe(404);
    // Staff pages stay closed to members.
    expect((await a.get('/beheer/metingen')).status).toBe(403);
  });
});
