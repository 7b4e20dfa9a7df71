// The staff's data-editing page: responses ranked by their share in
// the branch totals, one response read-only with its history, and "vraag om te
// controleren" (reopen with a message, mailed through the queue, shown on the
// member's form). Staff only.
import { Readable } from 'node:stream';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { importResponses } from '../../surveys/responses/responses-import';
import { type TestDatabase, testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

const HEADER =
  'kans_id;revenue_loss_eur;liquidity_months;lessons_cancelled_pct;online_lessons;students_quit;refund_policy;schemes;freelance_teachers_affected;closure_risk;biggest_need';

describe.each(testDialects())('the data-editing page on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let slug: string;
  let staff: Browser;
  /** Four organisations of one type (one design stratum): A answers far more students who quit. */
  let A: string;
  let B: string;
  let C: string;
  let D: string;

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle);
    slug = seeded.slug;
    const schools = seeded.rows.filter((r) => r.org_type === 'muziekschool' && (r.students ?? 0) < 1200);
    [A, B, C, D] = schools.slice(0, 4).map((r) => r.org_id);
    const line = (org: string, quit: number) => `${org};1000;3;40;nee;${quit};none;none;0;small;liquidity`;
    const target = (await waveWithDefinition(handle.db, slug))!;
    const result = await importResponses(handle.db, {
      open: () =>
        Readable.from([Buffer.from([HEADER, line(A, 1200), line(B, 10), line(C, 10), line(D, 20)].join('\n'))]),
      target,
      dryRun: false,
      actor: null,
    });
    expect(result.errors).toEqual([]);
    ({ app } = await testApp(handle));
    await makeUser(handle, 'staf@example.nl', 'staff');
    await makeUser(handle, 'lid-a@example.nl', 'member', A);
    staff = new Browser(app);
    await staff.login('staf@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  /** The organisations in the order the ranking table lists them. */
  function rankedOrgs(html: string): string[] {
    const table = html.slice(html.indexOf('id="ranking-title"'), html.indexOf('id="awaiting-title"'));
    return [...table.matchAll(/\/controle\/(KANS-\d+)"/g)].map((m) => m[1]);
  }

  it('ranks responses by their share in the estimated total', async () => {
    const byStudents = await staff.get(`/beheer/metingen/${slug}/controle?vraag=students_quit`);
    expect(byStudents.status).toBe(200);
    expect(rankedOrgs(byStudents.text)).toEqual([A, D, B, C]);
    // One stratum, one ratio: A's share is its answer over all answers, 1200 / 1240.
    expect(byStudents.text).toContain('96,8%');
    const overall = await staff.get(`/beheer/metingen/${slug}/controle`);
    expect(overall.status).toBe(200);
    expect(rankedOrgs(overall.text)[0]).toBe(A);
    expect(overall.text).toContain('Geschatte totalen voor de branche (exact)');
    // The wave's monitor links here.
    expect((await staff.get(`/beheer/metingen/${slug}`)).text).toContain(`href="/beheer/metingen/${slug}/controle"`);
  });

  it('opens one response read-only with its checks, its influence and its history', async () => {
    const page = await staff.get(`/beheer/metingen/${slug}/controle/${A}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Dit is meer dan het aantal leerlingen van uw organisatie volgens KAnS');
    expect(page.text).toContain('Nog niet toegelicht.');
    expect(page.text).toContain('96,8%');
    expect(page.text).toContain('Geïmporteerd');
    // Read-only: no form posts an answer.
    expect(page.text).not.toMatch(/<input[^>]+name="students_quit"/);
    expect(page.text).toContain(`href="/beheer/metingen/${slug}/controle/${A}/terugzetten"`);
    expect((await staff.get(`/beheer/metingen/${slug}/controle/KANS-9999`)).status).toBe(404);
  });

  it('asks before reopening, needs a message, then reopens with it, mails the member and audits', async () => {
    const confirm = await staff.get(`/beheer/metingen/${slug}/controle/${A}/terugzetten`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('gaan terug naar concept');
    // Nothing happens on the GET.
    const status = () =>
      handle.db
        .selectFrom('responses')
        .select(['status', 'review_message'])
        .where('org_id', '=', A)
        .executeTakeFirstOrThrow();
    expect((await status()).status).toBe('submitted');
    const token = csrfFrom(confirm.text);
    const url = `/beheer/metingen/${slug}/controle/${A}/terugzetten`;
    // Without the CSRF token: refused.
    expect((await staff.agent.post(url).type('form').send({ message: 'x' })).status).toBe(403);
    const empty = await staff.agent.post(url).type('form').send({ _csrf: token, message: '  ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Schrijf een bericht aan de organisatie.');
    expect((await status()).status).toBe('submitted');

    const message = 'U meldt 1.200 opgezegde leerlingen. Klopt dat?';
    const done = await staff.agent.post(url).type('form').send({ _csrf: token, message });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/beheer/metingen/${slug}/controle/${A}`);
    expect(await status()).toEqual({ status: 'draft', review_message: message });
    const mail = await handle.db
      .selectFrom('mail_queue')
      .select(['to_address', 'subject', 'body_text', 'kind', 'related_org_id'])
      .where('kind', '=', 'review')
      .execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to_address: 'lid-a@example.nl', related_org_id: A });
    expect(mail[0].subject).toContain('Wilt u uw antwoorden controleren?');
    expect(mail[0].body_text).toContain(message);
    const audit = await handle.db
      .selectFrom('audit_log')
      .select(['details', 'actor_user_id'])
      .where('action', '=', 'response.reopen')
      .executeTakeFirstOrThrow();
    const details = typeof audit.details === 'string' ? JSON.parse(audit.details) : audit.details;
    expect(details).toMatchObject({ org_id: A, message, mailed: 1 });
    expect(audit.actor_user_id).not.toBeNull();
    // The page lists it as waiting for the organisation; the response's history shows it.
    const list = await staff.get(`/beheer/metingen/${slug}/controle`);
    expect(list.text.slice(list.text.indexOf('id="awaiting-title"'))).toContain(A);
    expect(rankedOrgs(list.text)).not.toContain(A);
    const history = await staff.get(`/beheer/metingen/${slug}/controle/${A}`);
    expect(history.text).toContain('Teruggezet naar concept');
    expect(history.text).toContain(message);
    // A draft cannot be reopened again.
    expect((await staff.get(url)).status).toBe(404);
  });

  it('shows the message on the member’s form; submitting again (after the soft check) clears it', async () => {
    const member = new Browser(app);
    await member.login('lid-a@example.nl', PASSWORD);
    const first = await member.get(`/vragenlijst/${slug}/stap/1`);
    expect(first.text).toContain('Verzoek om uw antwoorden te controleren');
    expect(first.text).toContain('U meldt 1.200 opgezegde leerlingen. Klopt dat?');
    const page2 = await member.get(`/vragenlijst/${slug}/stap/2`);
    expect(page2.text).toContain('Klopt dit antwoord?');
    const kept = await member.agent
      .post(`/vragenlijst/${slug}/stap/2`)
      .type('form')
      .send({
        _csrf: csrfFrom(page2.text),
        version: page2.text.match(/name="version" value="(\d+)"/)![1],
        action: 'review',
        lessons_cancelled_pct: '40',
        online_lessons: 'false',
        students_quit: '1200',
        refund_policy: 'none',
        checked__students_quit: '1200',
        reason__students_quit: 'Inclusief de cursisten van de zomerschool',
      });
    expect(kept.status).toBe(303);
    const review = await member.get(`/vragenlijst/${slug}/controle`);
    const submitted = await member.agent
      .post(`/vragenlijst/${slug}/indienen`)
      .type('form')
      .send({
        _csrf: csrfFrom(review.text),
        version: review.text.match(/name="version" value="(\d+)"/)![1],
        confirm: 'ja',
      });
    expect(submitted.status).toBe(303);
    const row = await handle.db
      .selectFrom('responses')
      .select(['status', 'review_message'])
      .where('org_id', '=', A)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'submitted', review_message: null });
    // Staff see the member's reason next to the response.
    const list = await staff.get(`/beheer/metingen/${slug}/controle?vraag=students_quit`);
    expect(rankedOrgs(list.text)[0]).toBe(A);
    expect(list.text).toContain('Inclusief de cursisten van de zomerschool');
    // A reason given for another value than the answer now has is not shown.
    const b = await handle.db.selectFrom('responses').select('id').where('org_id', '=', B).executeTakeFirstOrThrow();
    await handle.db
      .insertInto('answer_confirmations')
      .values({ response_id: b.id, question_key: 'students_quit', value: '999', reason: 'Oude toelichting' })
      .execute();
    expect((await staff.get(`/beheer/metingen/${slug}/controle`)).text).not.toContain('Oude toelichting');
  });

  it('is closed to members and visitors', async () => {
    const member = new Browser(app);
    await member.login('lid-a@example.nl', PASSWORD);
    for (const url of [
      `/beheer/metingen/${slug}/controle`,
      `/beheer/metingen/${slug}/controle/${A}`,
      `/beheer/metingen/${slug}/controle/${B}/terugzetten`,
    ])
      expect((await member.get(url)).status, url).toBe(403);
    const home = await member.get('/');
    const post = await member.agent
      .post(`/beheer/metingen/${slug}/controle/${B}/terugzetten`)
      .type('form')
      .send({ _csrf: csrfFrom(home.text), message: 'x' });
    expect(post.status).toBe(403);
    expect(
      (await handle.db.selectFrom('responses').select('status').where('org_id', '=', B).executeTakeFirstOrThrow())
        .status,
    ).toBe('submitted');
    const visitor = new Browser(app);
    const anon = await visitor.get(`/beheer/metingen/${slug}/controle`);
    expect(anon.status).toBe(303);
    expect(anon.headers.location).toContain('/login');
  });
});
