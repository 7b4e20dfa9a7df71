// Soft checks on the member's form: a value above the organisation's
// own frame figure, or ten times last wave's, is saved but held with a warning
// until the member corrects it or keeps it with a reason; autosave is never held.
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeWaveStatus, createWave } from '../../surveys/waves/waves';
import { type TestDatabase, testDialects } from '../support/databases';
import { PAGE_ANSWERS, seedSurvey } from '../support/survey-fixtures';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

const versionOf = (html: string) => html.match(/name="version" value="(\d+)"/)![1];
const nl = (n: number) => n.toLocaleString('nl-NL');

describe.each(testDialects())('soft checks on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let slug: string;
  let org: { org_id: string; students: number };
  let member: Browser;

  /** GET a page, then POST it with these fields (the page's own version and token). */
  async function post(n: number, fields: Record<string, string | string[]>, action = 'next', waveSlug = slug) {
    const url = `/vragenlijst/${waveSlug}/stap/${n}`;
    const page = await member.get(url);
    return member.agent
      .post(url)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version: versionOf(page.text), action, ...fields });
  }
  const stored = (key: string) =>
    handle.db
      .selectFrom('answers')
      .innerJoin('responses', 'responses.id', 'answers.response_id')
      .select('value_num')
      .where('responses.org_id', '=', org.org_id)
      .where('question_key', '=', key)
      .orderBy('responses.id', 'desc')
      .executeTakeFirst();
  const confirmations = () =>
    handle.db
      .selectFrom('answer_confirmations')
      .innerJoin('responses', 'responses.id', 'answer_confirmations.response_id')
      .select(['question_key', 'value', 'reason'])
      .where('responses.org_id', '=', org.org_id)
      .execute();

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle);
    slug = seeded.slug;
    // An organisation whose figures the fixture answers stay within.
    const row = seeded.rows.find(
      (r) =>
        (r.students ?? 0) >= 100 &&
        Number(r.turnover_eur ?? 0) >= 100000 &&
        (r.teachers_employed ?? 0) >= 8 &&
        (r.teachers_freelance ?? 0) >= 5,
    )!;
    org = { org_id: row.org_id, students: row.students! };
    ({ app } = await testApp(handle));
    await makeUser(handle, 'lid@example.nl', 'member', org.org_id);
    member = new Browser(app);
    await member.login('lid@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('holds a count of students who quit above the school’s students, with the figure named', async () => {
    expect((await post(1, PAGE_ANSWERS[0])).status).toBe(303);
    const tooMany = String(org.students + 100);
    const res = await post(2, { ...PAGE_ANSWERS[1], students_quit: tooMany });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Controleer deze antwoorden');
    expect(res.text).toContain(
      `Dit is meer dan het aantal leerlingen van uw organisatie volgens KAnS (${nl(org.students)}).`,
    );
    expect(res.text).toContain(`name="checked__students_quit" value="${tooMany}"`);
    expect(res.text).toContain('id="reason__students_quit"');
    // Soft: the value is saved all the same, and nothing is confirmed yet.
    expect((await stored('students_quit'))?.value_num).toBe(tooMany);
    expect(await confirmations()).toEqual([]);
    // Posting it again without a reason holds it again.
    expect((await post(2, { ...PAGE_ANSWERS[1], students_quit: tooMany })).status).toBe(200);
  });

  it('keeps the value with the member’s reason, audited, and does not ask again', async () => {
    const tooMany = String(org.students + 100);
    const res = await post(2, {
      ...PAGE_ANSWERS[1],
      students_quit: tooMany,
      checked__students_quit: tooMany,
      reason__students_quit: '  Telling inclusief   de fusieschool ',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/vragenlijst/${slug}/stap/3`);
    expect(await confirmations()).toEqual([
      { question_key: 'students_quit', value: tooMany, reason: 'Telling inclusief de fusieschool' },
    ]);
    const audit = await handle.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'response.save')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const details = (typeof audit.details === 'string' ? JSON.parse(audit.details) : audit.details) as {
      confirmed?: unknown;
    };
    expect(details.confirmed).toEqual([
      { question: 'students_quit', value: tooMany, reason: 'Telling inclusief de fusieschool' },
    ]);
    const again = await member.get(`/vragenlijst/${slug}/stap/2`);
    expect(again.text).not.toContain('Klopt dit antwoord?');
    expect((await post(2, { ...PAGE_ANSWERS[1], students_quit: tooMany })).status).toBe(303);
    // The review page shows the reason with the answer.
    const review = await member.get(`/vragenlijst/${slug}/controle`);
    expect(review.text).toContain('Uw toelichting: Telling inclusief de fusieschool');
  });

  it('a reason for another value than the one questioned confirms nothing; a changed value is asked again', async () => {
    const other = String(org.students + 200);
    const res = await post(2, {
      ...PAGE_ANSWERS[1],
      students_quit: other,
      checked__students_quit: String(org.students + 100),
      reason__students_quit: 'Klopt',
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain(`name="checked__students_quit" value="${other}"`);
    expect(await confirmations()).toEqual([]);
  });

  it('correcting the value removes the warning', async () => {
    const res = await post(2, { ...PAGE_ANSWERS[1], students_quit: '23' });
    expect(res.status).toBe(303);
    expect((await stored('students_quit'))?.value_num).toBe('23');
    const page = await member.get(`/vragenlijst/${slug}/stap/2`);
    expect(page.text).not.toContain('Klopt dit antwoord?');
  });

  it('autosave is never held; the page shows the warning when it is opened; submit waits for an answer', async () => {
    const page = await member.get(`/vragenlijst/${slug}/stap/2`);
    const auto = await member.agent
      .post(`/vragenlijst/${slug}/stap/2/autosave`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        version: versionOf(page.text),
        ...PAGE_ANSWERS[1],
        students_quit: String(org.students * 10),
      });
    expect(auto.status).toBe(200);
    expect(auto.body.ok).toBe(true);
    expect((await member.get(`/vragenlijst/${slug}/stap/2`)).text).toContain('Klopt dit antwoord?');
    for (const [i, answers] of PAGE_ANSWERS.entries())
      if (i >= 2) expect((await post(i + 1, answers)).status).toBe(303);
    const review = await member.get(`/vragenlijst/${slug}/controle`);
    const submit = await member.agent
      .post(`/vragenlijst/${slug}/indienen`)
      .type('form')
      .send({ _csrf: csrfFrom(review.text), version: versionOf(review.text), confirm: 'ja' });
    expect(submit.status).toBe(422);
    expect(submit.text).toContain('Controleer eerst deze antwoorden');
    expect(submit.text).toContain(`href="/vragenlijst/${slug}/stap/2#students_quit"`);
    const big = String(org.students * 10);
    expect(
      (
        await post(2, {
          ...PAGE_ANSWERS[1],
          students_quit: big,
          checked__students_quit: big,
          reason__students_quit: 'Alle cursisten van de zomerschool meegeteld',
        })
      ).status,
    ).toBe(303);
    const review2 = await member.get(`/vragenlijst/${slug}/controle`);
    const ok = await member.agent
      .post(`/vragenlijst/${slug}/indienen`)
      .type('form')
      .send({ _csrf: csrfFrom(review2.text), version: versionOf(review2.text), confirm: 'ja' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`/vragenlijst/${slug}/ingediend`);
  });

  it('questions ten times last wave’s answer in the next wave of the series', async () => {
    await createWave(
      handle.db,
      { surveyKey: 'corona-impact', slug: 'corona-2020-06', name: 'Coronamonitor juni 2020', frameYear: 2019 },
      null,
    );
    await changeWaveStatus(handle.db, 'corona-2020-06', 'open', null);
    const res = await post(1, { ...PAGE_ANSWERS[0], liquidity_months: '46' }, 'next', 'corona-2020-06');
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      'Dit is meer dan tien keer zo veel als uw antwoord in de vorige meting (Coronamonitor mei 2020: 4,5).',
    );
    expect((await post(1, { ...PAGE_ANSWERS[0], liquidity_months: '45' }, 'next', 'corona-2020-06')).status).toBe(303);
  });
});
