// Staff correct a submitted answer with a reason (issue 22.1): on the
// data-editing page and with `responses correct`, in open and closed waves; the
// member reads the correction; every problem is named and nothing changes; a
// review request on a closed wave is refused instead of silently taking the
// response out of the figures. The history shows values the Dutch way (21.9).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../foundation/db/database';
import { openDatabase } from '../../foundation/db/database';
import { migrateToLatest } from '../../foundation/db/migrate';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { importResponses } from '../../surveys/responses/responses-import';
import { changeWaveStatus } from '../../surveys/waves/waves';
import { cliEnv, runCli } from '../support/cli';
import { type TestDatabase, testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

const HEADER =
  'kans_id;revenue_loss_eur;liquidity_months;lessons_cancelled_pct;online_lessons;students_quit;refund_policy;schemes;freelance_teachers_affected;closure_risk;biggest_need';

/** Four organisations' answers, submitted by import. */
async function seedAnswers(handle: DatabaseHandle) {
  const seeded = await seedSurvey(handle);
  const orgs = seeded.rows.slice(0, 4).map((r) => r.org_id);
  const line = (org: string, loss: number) => `${org};${loss};3;40;nee;10;none;none;0;small;liquidity`;
  const target = (await waveWithDefinition(handle.db, seeded.slug))!;
  const result = await importResponses(handle.db, {
    open: () => Readable.from([Buffer.from([HEADER, ...orgs.map((o, i) => line(o, 1000 * (i + 1)))].join('\n'))]),
    target,
    dryRun: false,
    actor: null,
  });
  expect(result.errors).toEqual([]);
  return { slug: seeded.slug, orgs };
}

async function answerOf(handle: DatabaseHandle, org: string, question: string) {
  const row = await handle.db
    .selectFrom('answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .select(['a.value_num', 'a.value_bool', 'a.hidden', 'r.status'])
    .where('r.org_id', '=', org)
    .where('a.question_key', '=', question)
    .executeTakeFirst();
  return row ? { ...row, value_num: row.value_num === null ? null : Number(row.value_num) } : undefined;
}

describe.each(testDialects())('correcting answers on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let slug: string;
  let staff: Browser;
  let A: string;
  let B: string;

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedAnswers(handle);
    slug = seeded.slug;
    [A, B] = seeded.orgs;
    ({ app } = await testApp(handle));
    await makeUser(handle, 'staf@example.nl', 'staff');
    await makeUser(handle, 'lid-a@example.nl', 'member', A);
    staff = new Browser(app);
    await staff.login('staf@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const url = (org: string, question: string) =>
    `/beheer/metingen/${slug}/controle/${org}/corrigeren?vraag=${question}`;

  it('corrects a value with a reason: audited, the member sees it, cached reports are dropped', async () => {
    const wave = await handle.db.selectFrom('waves').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
    await handle.db.insertInto('report_cache').values({ key: 'stale', wave_id: wave.id, model: '{}' }).execute();
    const page = await staff.get(`/beheer/metingen/${slug}/controle/${A}`);
    expect(page.text).toContain(`href="/beheer/metingen/${slug}/controle/${A}/corrigeren?vraag=revenue_loss_eur"`);
    // A question hidden for this response (online lessons: nee) cannot be corrected.
    expect(page.text).not.toContain('corrigeren?vraag=online_share_pct');
    expect((await staff.get(url(A, 'online_share_pct'))).status).toBe(404);
    const form = await staff.get(url(A, 'revenue_loss_eur'));
    expect(form.status).toBe(200);
    expect(form.text).toContain('Huidig antwoord: € 1.000');
    const token = csrfFrom(form.text);
    // Without a CSRF token: refused; without a reason: named, nothing changed.
    expect(
      (await staff.agent.post(url(A, 'revenue_loss_eur')).type('form').send({ revenue_loss_eur: '5' })).status,
    ).toBe(403);
    const noReason = await staff.agent
      .post(url(A, 'revenue_loss_eur'))
      .type('form')
      .send({ _csrf: token, revenue_loss_eur: '€ 45.000', reden: ' ' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('Geef een reden voor de correctie.');
    const tooHigh = await staff.agent
      .post(url(A, 'revenue_loss_eur'))
      .type('form')
      .send({ _csrf: token, revenue_loss_eur: '200.000.000', reden: 'nagebeld' });
    expect(tooHigh.status).toBe(422);
    expect((await answerOf(handle, A, 'revenue_loss_eur'))?.value_num).toBe(1000);

    const reason = 'Nagebeld op 3 december: het verlies was € 45.000.';
    const done = await staff.agent
      .post(url(A, 'revenue_loss_eur'))
      .type('form')
      .send({ _csrf: token, revenue_loss_eur: '€ 45.000', reden: reason });
    expect(done.status).toBe(303);
    expect(await answerOf(handle, A, 'revenue_loss_eur')).toMatchObject({ value_num: 45000, status: 'submitted' });
    const audit = await handle.db
      .selectFrom('audit_log')
      .select(['details', 'actor_user_id'])
      .where('action', '=', 'response.correct')
      .executeTakeFirstOrThrow();
    const details = typeof audit.details === 'string' ? JSON.parse(audit.details) : audit.details;
    expect(details).toMatchObject({
      org_id: A,
      reason,
      changes: [{ question: 'revenue_loss_eur', before: '1000', after: '45000' }],
    });
    expect(audit.actor_user_id).not.toBeNull();
    expect(await handle.db.selectFrom('report_cache').select('key').where('wave_id', '=', wave.id).execute()).toEqual(
      [],
    );
    // The history shows the values the Dutch way, with who and why.
    const history = await staff.get(`/beheer/metingen/${slug}/controle/${A}`);
    expect(history.text).toContain('Gecorrigeerd door de vereniging');
    expect(history.text).toContain('€ 1.000 → € 45.000');
    expect(history.text).toContain('staf@example.nl');
    expect(history.text).toContain(`reden: ${reason}`);
    // The member reads the corrected value and the note with its own answers.
    const member = new Browser(app);
    await member.login('lid-a@example.nl', PASSWORD);
    const own = await member.get(`/vragenlijst/${slug}/antwoorden`);
    expect(own.status).toBe(200);
    expect(own.text).toContain('€ 45.000');
    expect(own.text).toMatch(
      /Gecorrigeerd door de vereniging op .+?: € 1\.000 → € 45\.000\. Reden: Nagebeld op 3 december/,
    );
    // Members cannot correct.
    expect((await member.get(url(A, 'revenue_loss_eur'))).status).toBe(403);
  });

  it('refuses a review request on a closed wave with a message; a correction still works there', async () => {
    const submittedCount = async () =>
      Number(
        (
          await handle.db
            .selectFrom('responses')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('status', '=', 'submitted')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await submittedCount();
    await changeWaveStatus(handle.db, slug, 'closed', null);
    const ask = await staff.get(`/beheer/metingen/${slug}/controle/${B}/terugzetten`);
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('De meting is gesloten');
    expect(ask.text).not.toContain('name="message"');
    const post = await staff.agent
      .post(`/beheer/metingen/${slug}/controle/${B}/terugzetten`)
      .type('form')
      .send({ _csrf: csrfFrom(ask.text), message: 'Klopt uw omzetverlies?' });
    expect(post.status).toBe(422);
    expect(post.text).toContain('De meting is gesloten');
    expect(await submittedCount()).toBe(before);
    // The monitor's "heropenen" is refused on a closed wave for the same reason.
    const reopenPage = await staff.get(`/beheer/metingen/${slug}/heropenen?org_id=${B}`);
    expect(reopenPage.status).toBe(200);
    expect(reopenPage.text).toContain('heropenen zou haar antwoorden uit de cijfers halen');
    expect(reopenPage.text).not.toContain('name="bevestigd"');
    const reopen = await staff.agent
      .post(`/beheer/metingen/${slug}/heropenen`)
      .type('form')
      .send({ _csrf: csrfFrom(reopenPage.text), org_id: B, bevestigd: 'ja' });
    expect(reopen.status).toBe(409);
    expect(await submittedCount()).toBe(before);
    const form = await staff.get(url(B, 'online_lessons'));
    const done = await staff.agent
      .post(url(B, 'online_lessons'))
      .type('form')
      .send({ _csrf: csrfFrom(form.text), online_lessons: 'true', reden: 'Nagebeld' });
    // Ja makes the required "share online" apply: named, nothing changed (the CLI corrects both at once).
    expect(done.status).toBe(422);
    expect(done.text).toContain('verplichte vraag van toepassing');
    const loss = await staff.get(url(B, 'revenue_loss_eur'));
    const ok = await staff.agent
      .post(url(B, 'revenue_loss_eur'))
      .type('form')
      .send({ _csrf: csrfFrom(loss.text), revenue_loss_eur: '8.250', reden: 'Tikfout' });
    expect(ok.status).toBe(303);
    expect(await answerOf(handle, B, 'revenue_loss_eur')).toMatchObject({ value_num: 8250, status: 'submitted' });
    expect(await submittedCount()).toBe(before);
    await changeWaveStatus(handle.db, slug, 'open', null);
  });
});

describe.each(testDialects())('impactmonitor responses correct on $kind', (dialect) => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let handle: DatabaseHandle;
  let slug: string;
  let orgs: string[];

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'impact-correct-'));
    if (dialect.kind === 'postgres') {
      const test = await dialect.create();
      handle = test;
      env = cliEnv({ DATABASE_URL: test.url! });
    } else {
      // The CLI opens a PGlite data directory of its own: seed one and let go of it.
      handle = await openDatabase({
        databaseUrl: null,
        pgliteDir: path.join(dir, 'data', 'pglite'),
        lockDir: path.join(dir, 'data'),
        command: 'test',
      });
      await migrateToLatest(handle.db);
      env = cliEnv({ IMPACT_DATA_DIR: path.join(dir, 'data') });
    }
    ({ slug, orgs } = await seedAnswers(handle));
    await changeWaveStatus(handle.db, slug, 'closed', null);
    if (dialect.kind === 'pglite') await handle.close();
  });
  afterAll(async () => {
    if (dialect.kind === 'postgres') await handle?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('names every problem with exit 1 and changes nothing; then corrects a closed wave', async () => {
    const unknownWave = await runCli(
      ['responses', 'correct', '--wave', 'nope', '--org', orgs[0], '--set', 'revenue_loss_eur=1', '--reason', 'x'],
      { env },
    );
    expect(unknownWave.code).toBe(1);
    expect(unknownWave.stderr).toContain('Meting "nope" bestaat niet.');
    const unknownOrg = await runCli(
      ['responses', 'correct', '--wave', slug, '--org', 'KANS-9999', '--set', 'revenue_loss_eur=1', '--reason', 'x'],
      { env },
    );
    expect(unknownOrg.code).toBe(1);
    expect(unknownOrg.stderr).toContain(`Organisatie KANS-9999 heeft geen antwoorden in meting ${slug}.`);
    const many = await runCli(
      [
        'responses',
        'correct',
        '--wave',
        slug,
        '--org',
        orgs[0],
        '--set',
        'nonsense=1',
        '--set',
        'revenue_loss_eur=veel',
        '--set',
        'lessons_cancelled_pct=150',
        '--set',
        'online_share_pct=20',
        '--set',
        'students_quit=12',
        '--reason',
        '',
      ],
      { env },
    );
    expect(many.code).toBe(1);
    expect(many.stderr).toContain('Niets gecorrigeerd:');
    expect(many.stderr).toContain('nonsense: deze vraag bestaat niet');
    expect(many.stderr).toMatch(/revenue_loss_eur \([^)]+\): .*veel/);
    expect(many.stderr).toMatch(/lessons_cancelled_pct \([^)]+\): .*100/);
    expect(many.stderr).toMatch(/online_share_pct \([^)]+\): deze vraag is voor deze organisatie niet van toepassing/);
    expect(many.stderr).toContain('Geef een reden voor de correctie.');
    const bad = await runCli(
      ['responses', 'correct', '--wave', slug, '--org', orgs[0], '--set', 'revenue_loss_eur', '--reason', 'x'],
      { env },
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('schrijf VRAAG=WAARDE');
    expect((await runCli(['responses', 'correct', '--wave', slug], { env })).code).toBe(2);

    const ok = await runCli(
      [
        'responses',
        'correct',
        '--wave',
        slug,
        '--org',
        orgs[0],
        '--set',
        'revenue_loss_eur=€ 45.000',
        '--set',
        'online_lessons=ja',
        '--set',
        'online_share_pct=12,5',
        '--reason',
        'Nagebeld',
      ],
      { env },
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`Gecorrigeerd: 3 antwoord(en) van ${orgs[0]} in meting ${slug}.`);
    const check =
      dialect.kind === 'postgres'
        ? handle
        : await openDatabase({
            databaseUrl: null,
            pgliteDir: path.join(dir, 'data', 'pglite'),
            lockDir: path.join(dir, 'data'),
            command: 'test',
          });
    try {
      expect(await answerOf(check, orgs[0], 'revenue_loss_eur')).toMatchObject({
        value_num: 45000,
        status: 'submitted',
      });
      expect(await answerOf(check, orgs[0], 'online_share_pct')).toMatchObject({ value_num: 12.5, hidden: false });
      expect(await answerOf(check, orgs[0], 'online_lessons')).toMatchObject({ value_bool: true });
      const corrections = await check.db.selectFrom('answer_corrections').select(['question_key', 'reason']).execute();
      expect(corrections.map((c) => c.question_key).sort()).toEqual([
        'online_lessons',
        'online_share_pct',
        'revenue_loss_eur',
      ]);
    } finally {
      if (dialect.kind === 'pglite') await check.close();
    }
  });
});
