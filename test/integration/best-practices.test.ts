import { Readable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { importResponses } from '../../surveys/responses/responses-import';
import { type TestDatabase, testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, makeUser, PASSWORD, testApp } from '../support/web-client';

const HEADER =
  'org_id;revenue_loss_eur;liquidity_months;lessons_cancelled_pct;online_lessons;online_share_pct;students_quit;refund_policy;schemes;freelance_teachers_affected;closure_risk;share_best_practice;best_practice;best_practice_consent';

describe.each(testDialects())('best practices: consent, moderation, public page on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let orgs: string[];

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle, { orgs: 20 });
    orgs = seeded.rows.map((r) => r.org_id);
    const target = (await waveWithDefinition(handle.db, seeded.slug))!;
    const csv = [
      HEADER,
      `${orgs[0]};1000;3;40;ja;50;1;none;none;0;small;ja;"Lessen via video <img src=x onerror=alert(1)>";ja`,
      `${orgs[1]};1000;3;40;ja;50;1;none;none;0;small;ja;Geen toestemming voor deze tekst;nee`,
      `${orgs[2]};1000;3;40;ja;50;1;none;none;0;small;nee;;`,
    ].join('\n');
    const result = await importResponses(handle.db, {
      open: () => Readable.from([Buffer.from(csv)]),
      target,
      dryRun: false,
      actor: null,
    });
    expect(result.errors).toEqual([]);
    ({ app } = await testApp(handle));
    await makeUser(handle, 'staff@example.nl', 'staff');
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('queues only consented texts, publishes only approved ones, escaped and without the organisation', async () => {
    const staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    const queue = await staff.get('/beheer/goede-voorbeelden');
    expect(queue.text).toContain('Lessen via video &lt;img src=x onerror=alert(1)&gt;');
    expect(queue.text).not.toContain('Geen toestemming voor deze tekst');
    expect((await request(app).get('/resultaten/goede-voorbeelden')).text).not.toContain('Lessen via video');
    const responseId = queue.text.match(/name="response_id" value="(\d+)"/)![1];
    const approved = await staff.submit('/beheer/goede-voorbeelden', '/beheer/goede-voorbeelden', {
      response_id: responseId,
      question_key: 'best_practice',
      decision: 'approve',
    });
    expect(approved.status).toBe(303);
    const publicPage = await request(app).get('/resultaten/goede-voorbeelden');
    expect(publicPage.text).toContain('Lessen via video &lt;img src=x onerror=alert(1)&gt;');
    expect(publicPage.text).not.toContain('<img src=x');
    const names = await handle.db
      .selectFrom('organisations')
      .select('name')
      .where('org_id', '=', orgs[0])
      .executeTakeFirstOrThrow();
    expect(publicPage.text).not.toContain(names.name);
    // A text changed after approval goes back to the queue and off the public page.
    await handle.db
      .updateTable('answers')
      .set({ value_text: 'Nieuwe tekst' })
      .where('question_key', '=', 'best_practice')
      .where('response_id', '=', Number(responseId))
      .execute();
    expect((await request(app).get('/resultaten/goede-voorbeelden')).text).not.toContain('Nieuwe tekst');
    expect((await staff.get('/beheer/goede-voorbeelden')).text).toContain('gewijzigd sinds de beoordeling');
  });
});
