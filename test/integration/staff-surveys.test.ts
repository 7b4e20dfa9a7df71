import fs from 'node:fs/promises';
import type { Express } from 'express';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppConfig, outboxDir } from '../../server/config';
import { DefinitionError, loadDefinition } from '../../surveys/definitions';
import { type TestDatabase, testDialects } from '../support/databases';
import { CORONA, PAGE_ANSWERS, seedSurvey } from '../support/survey-fixtures';
import { Browser, csrfFrom, deliverQueuedMail, makeUser, PASSWORD, testApp } from '../support/web-client';

describe.each(testDialects())(
  'staff: questionnaires, waves, invitations and response monitoring on $kind',
  (dialect) => {
    let handle: TestDatabase;
    let app: Express;
    let config: AppConfig;
    let slug: string;
    let orgs: string[];
    let staff: Browser;

    beforeAll(async () => {
      handle = await dialect.create();
      const seeded = await seedSurvey(handle, { orgs: 30 });
      slug = seeded.slug;
      orgs = seeded.rows.map((r) => r.org_id);
      ({ app, config } = await testApp(handle));
      await makeUser(handle, 'staff@example.nl', 'staff');
      await makeUser(handle, 'lid@example.nl', 'member', orgs[0]);
      await makeUser(handle, 'tweede@example.nl', 'member', orgs[1]);
      await handle.db
        .updateTable('users')
        .set({ password_hash: null })
        .where('email', '=', 'tweede@example.nl')
        .execute();
      staff = new Browser(app);
      await staff.login('staff@example.nl', PASSWORD);
    });
    afterAll(async () => {
      await handle?.close();
    });

    it('keeps a questionnaire version immutable once a wave uses it, and accepts a new version', async () => {
      const changed = { ...CORONA, title: { nl: 'Anders', en: 'Other' } };
      const error = await loadDefinition(handle.db, changed, null).catch((e) => e);
      expect(error).toBeInstanceOf(DefinitionError);
      expect(error.problems[0].key).toBe('survey.def.in_use_changed');
      expect((await loadDefinition(handle.db, CORONA, null)).outcome).toBe('unchanged');
      expect((await loadDefinition(handle.db, { ...changed, version: 2 }, null)).outcome).toBe('created');
    });

    it('lists questionnaires and previews them in Dutch and English', async () => {
      const list = await staff.get('/beheer/vragenlijsten');
      expect(list.text).toContain('Impactmonitor corona: gevolgen voor kunsteducatie');
      const nl = await staff.get('/beheer/vragenlijsten/corona-impact/1');
      expect(nl.text).toContain('Hoeveel omzet bent u in deze periode misgelopen?');
      expect(nl.text).toContain('Alleen getoond als &#34;Heeft u lessen online voortgezet?&#34;');
      const en = await staff.get('/beheer/vragenlijsten/corona-impact/1?taal=en');
      expect(en.text).toContain('How much turnover did you lose in this period?');
      expect((await staff.get('/beheer/vragenlijsten/corona-impact/9')).status).toBe(404);
    });

    it('creates, opens and closes waves on the web with validation', async () => {
      const bad = await staff.submit('/beheer/metingen', '/beheer/metingen', {
        survey: 'corona-impact@1',
        name: 'Juni',
        slug: 'Juni 2020!',
        frame_year: '2019',
        opens_at: '2020-06-30',
        closes_at: '2020-06-01',
      });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('De korte naam (slug) &#34;Juni 2020!&#34; mag alleen');
      // Every error at once, in the summary and at its field, with what was typed kept.
      const many = await staff.submit('/beheer/metingen', '/beheer/metingen', {
        survey: 'corona-impact@1',
        name: '',
        slug: 'Juni 2020!',
        frame_year: '2031',
        opens_at: '2020-06-30',
        closes_at: '2020-06-01',
        calibrate: ['org_type', 'province'],
      });
      expect(many.status).toBe(422);
      const summary = many.text.slice(
        many.text.indexOf('error-summary'),
        many.text.indexOf('</ul>', many.text.indexOf('error-summary')),
      );
      for (const href of ['#name', '#slug', '#frame_year', '#closes_at', '#calibrate']) expect(summary).toContain(href);
      expect(many.text).toContain('value="Juni 2020!"');
      expect(many.text).toMatch(/id="calibrate-province" name="calibrate" value="province" checked/);
      expect(many.text).toContain('id="calibrate-error"');
      const calibrated = await staff.submit('/beheer/metingen', '/beheer/metingen', {
        survey: 'corona-impact@1',
        name: 'Juli 2020',
        slug: 'juli-2020',
        frame_year: '2019',
        calibrate: ['province', 'turnover_eur'],
        calibration: 'linear',
      });
      expect(calibrated.status).toBe(303);
      expect(
        await handle.db
          .selectFrom('waves')
          .select(['calibration', 'calibration_method'])
          .where('slug', '=', 'juli-2020')
          .executeTakeFirstOrThrow(),
      ).toEqual({ calibration: 'province,turnover_eur', calibration_method: 'linear' });
      const ok = await staff.submit('/beheer/metingen', '/beheer/metingen', {
        survey: 'corona-impact@1',
        name: 'Juni 2020',
        slug: 'juni-2020',
        frame_year: '2019',
        opens_at: '2020-06-01',
        closes_at: '2020-06-30',
        period_start: '2020-05-01',
        period_end: '2020-05-31',
      });
      expect(ok.status).toBe(303);
      const list = await staff.get('/beheer/metingen');
      expect(list.text).toContain('Juni 2020');
      // The window members can answer in, and apart from it the reference period.
      expect(list.text).toContain('<th scope="col" class="nowrap">Open van–tot</th>\n    <th scope="col">Periode</th>');
      const row = list.text.slice(list.text.indexOf('juni-2020</code>'));
      expect(row).toMatch(/<td>1 juni 2020 – 30 juni 2020<\/td>\s*<td>1 mei 2020 t\/m 31 mei 2020<\/td>/);
      expect(
        (await staff.submit('/beheer/metingen', '/beheer/metingen/juni-2020/status', { status: 'open' })).status,
      ).toBe(303);
      const wave = await handle.db
        .selectFrom('waves')
        .select(['status', 'opens_at', 'closes_at'])
        .where('slug', '=', 'juni-2020')
        .executeTakeFirstOrThrow();
      expect(wave.status).toBe('open');
      // "Sluit op 30 juni" closes at the end of 30 June in Dutch (summer) time; it opens at the start of 1 June.
      expect(new Date(wave.closes_at!).toISOString()).toBe('2020-06-30T21:59:59.999Z');
      expect(new Date(wave.opens_at!).toISOString()).toBe('2020-05-31T22:00:00.000Z');
      // The dates have passed: members cannot answer this wave.
      const member = new Browser(app);
      await member.login('lid@example.nl', PASSWORD);
      // Not offered as an open questionnaire (it may be listed among the earlier waves).
      const home = (await member.get('/')).text;
      expect(home).not.toContain('href="/vragenlijst/juni-2020"');
      expect(home).toContain('Juni 2020');
      expect((await member.get('/vragenlijst/juni-2020/stap/1')).status).toBe(403);
    });

    it('sends invitations with a login or set-password link, logged per organisation, and reminders only to non-responders', async () => {
      const sent = await staff.submit(`/beheer/metingen/${slug}`, `/beheer/metingen/${slug}/berichten`, {
        kind: 'invitation',
        audience: 'all',
      });
      expect(sent.status).toBe(303);
      const page = await staff.get(`/beheer/metingen/${slug}`);
      expect(page.text).toContain('2 berichten verstuurd naar 2 organisaties; 28 organisaties zonder e-mailadres.');
      expect(await deliverQueuedMail(handle, config)).toBe(2);
      const mails = await handle.db
        .selectFrom('mail_messages')
        .selectAll()
        .where('kind', '=', 'invitation')
        .orderBy('to_address')
        .execute();
      expect(mails.map((m) => [m.to_address, m.related_org_id])).toEqual([
        ['lid@example.nl', orgs[0]],
        ['tweede@example.nl', orgs[1]],
      ]);
      expect(mails[0].body_text).toContain(`/vragenlijst/${slug}`);
      // The invitation link carries a token: the mail log keeps a placeholder instead.
      expect(mails[1].body_text).toContain('[link weggelaten]');
      expect(mails[1].body_text).not.toContain('token=');
      expect(await fs.readdir(outboxDir(config))).toHaveLength(2);

      // Org 0 submits; the reminder then goes to org 1 only.
      const member = new Browser(app);
      await member.login('lid@example.nl', PASSWORD);
      for (const [i, fields] of PAGE_ANSWERS.entries()) {
        const url = `/vragenlijst/${slug}/stap/${i + 1}`;
        const form = await member.get(url);
        await member.agent
          .post(url)
          .type('form')
          .send({
            _csrf: csrfFrom(form.text),
            version: form.text.match(/name="version" value="(\d+)"/)![1],
            action: 'next',
            ...fields,
          });
      }
      const review = await member.get(`/vragenlijst/${slug}/controle`);
      await member.agent
        .post(`/vragenlijst/${slug}/indienen`)
        .type('form')
        .send({
          _csrf: csrfFrom(review.text),
          version: review.text.match(/name="version" value="(\d+)"/)![1],
          confirm: 'ja',
        });
      await staff.submit(`/beheer/metingen/${slug}`, `/beheer/metingen/${slug}/berichten`, {
        kind: 'reminder',
        audience: 'not_responded',
      });
      await deliverQueuedMail(handle, config);
      const reminders = await handle.db
        .selectFrom('mail_messages')
        .select(['to_address', 'subject'])
        .where('kind', '=', 'reminder')
        .execute();
      expect(reminders).toEqual([{ to_address: 'tweede@example.nl', subject: 'Herinnering: Coronamonitor mei 2020' }]);
    });

    it('shows the response per type, size class and province, and the non-responders with contact and last message', async () => {
      const page = await staff.get(`/beheer/metingen/${slug}`);
      expect(page.text).toContain('Ingediend: 1 van 30 organisaties (3,3%); 0 concepten.');
      expect(page.text).toContain('Per grootteklasse');
      expect(page.text).toContain('Nog niet ingediend (29)');
      expect(page.text).toContain('tweede@example.nl');
      const csv = await staff.get(`/beheer/metingen/${slug}/niet-ingediend.csv`);
      const rows = Papa.parse<Record<string, string>>(csv.text, { header: true, skipEmptyLines: true }).data;
      expect(rows).toHaveLength(29);
      expect(rows.find((r) => r.org_id === orgs[1])).toMatchObject({ contacts: 'tweede@example.nl', status: 'none' });
      expect(rows.find((r) => r.org_id === orgs[1])!.last_mail).toMatch(/^\d{4}-/);
      const answers = await staff.get(`/beheer/metingen/${slug}/antwoorden.csv`);
      expect(answers.text).toContain(orgs[0]);
    });

    it('lets staff reopen a submitted response, which the member can then change', async () => {
      // Without the confirmation nothing happens: the request goes to the confirmation page.
      const unconfirmed = await staff.submit(`/beheer/metingen/${slug}`, `/beheer/metingen/${slug}/heropenen`, {
        org_id: orgs[0],
      });
      expect(unconfirmed.headers.location).toBe(`/beheer/metingen/${slug}/heropenen?org_id=${orgs[0]}`);
      const confirm = await staff.get(unconfirmed.headers.location);
      expect(confirm.text).toContain('Ja, heropenen');
      const reopened = await staff.submit(
        confirm.headers.location ?? unconfirmed.headers.location,
        `/beheer/metingen/${slug}/heropenen`,
        {
          org_id: orgs[0],
          bevestigd: 'ja',
        },
      );
      expect(reopened.status).toBe(303);
      const member = new Browser(app);
      await member.login('lid@example.nl', PASSWORD);
      expect((await member.get(`/vragenlijst/${slug}/stap/1`)).status).toBe(200);
      expect(
        (
          await staff.submit(`/beheer/metingen/${slug}`, `/beheer/metingen/${slug}/heropenen`, {
            org_id: orgs[5],
            bevestigd: 'ja',
          })
        ).status,
      ).toBe(404);
      const audit = await handle.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'response.reopen')
        .execute();
      expect(audit).toHaveLength(1);
      // Members never reach staff pages.
      expect((await member.get(`/beheer/metingen/${slug}`)).status).toBe(403);
      expect((await member.get(`/beheer/metingen/${slug}/antwoorden.csv`)).status).toBe(403);
    });
  },
);
