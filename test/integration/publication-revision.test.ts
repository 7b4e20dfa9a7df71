// A revision is a linked table (issue 22.3): a new version of a publication is
// audited against the answers the version it replaces was built from. Fewer than
// min_cell changed organisations, or one organisation dominating a question's
// change, refuses it with the reason in plain Dutch on the publish preview; a
// batch of changes, or none at all, is published.
import { Readable } from 'node:stream';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctResponse } from '../../analysis/editing/corrections';
import { buildReport } from '../../analysis/report/report';
import { PublicationError, publishReport } from '../../exports/publications';
import type { User } from '../../foundation/db/schema';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { importResponses } from '../../surveys/responses/responses-import';
import { changeWaveStatus } from '../../surveys/waves/waves';
import { type TestDatabase, testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, makeUser, PASSWORD, testApp } from '../support/web-client';

const HEADER =
  'kans_id;revenue_loss_eur;liquidity_months;lessons_cancelled_pct;online_lessons;students_quit;refund_policy;schemes;freelance_teachers_affected;closure_risk;biggest_need';

describe.each(testDialects())('republishing a publication on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let slug: string;
  let orgs: string[];
  let staff: User;
  let browser: Browser;

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle);
    slug = seeded.slug;
    orgs = seeded.rows.slice(0, 24).map((r) => r.org_id);
    const target = (await waveWithDefinition(handle.db, slug))!;
    const lines = orgs.map((o, i) => `${o};${20000 + 1300 * i};3;40;nee;${5 + i};none;none;0;small;liquidity`);
    const result = await importResponses(handle.db, {
      open: () => Readable.from([Buffer.from([HEADER, ...lines].join('\n'))]),
      target,
      dryRun: false,
      actor: null,
    });
    expect(result.errors).toEqual([]);
    await changeWaveStatus(handle.db, slug, 'closed', null);
    staff = (await makeUser(handle, 'staf@example.nl', 'staff')) as User;
    ({ app } = await testApp(handle));
    browser = new Browser(app);
    await browser.login('staf@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  async function publish() {
    const { definition } = (await waveWithDefinition(handle.db, slug))!;
    const report = await buildReport(handle.db, {
      wave: slug,
      stratify: ['org_type'],
      questions: ['revenue_loss_eur'],
    });
    return publishReport(handle.db, { slug: 'mei', title: 'Mei', report, definition, locale: 'nl', actor: staff });
  }

  async function refusal() {
    try {
      await publish();
    } catch (error) {
      if (error instanceof PublicationError) return error.code;
      throw error;
    }
    return null;
  }

  const correct = async (org: string, value: number | string, key = 'revenue_loss_eur') => {
    const result = await correctResponse(handle.db, {
      slug,
      orgId: org,
      set: [[key, String(value)]],
      reason: 'nagebeld',
      staff,
    });
    expect(result.ok).toBe(true);
  };

  const preview = () => browser.get(`/beheer/rapportage/publiceren?wave=${slug}&stratify=org_type&q=revenue_loss_eur`);

  it('refuses a version that differs from the last by one correction, and says why on the preview', async () => {
    expect((await publish()).version).toBe(1);
    // No change since: republishing is fine (the figures are the same), and the preview says so.
    expect((await preview()).text).toContain('Sinds versie 1 zijn geen antwoorden gewijzigd of bijgekomen');
    expect((await publish()).version).toBe(2);
    // A ×10 typo corrected: the difference would be about one organisation.
    await correct(orgs[0], 200000);
    expect(await refusal()).toBe('publish.revision.too_few');
    const page = await preview();
    expect(page.status).toBe(200);
    expect(page.text).toContain('kan nu niet worden gepubliceerd (vergeleken met versie 2)');
    expect(page.text).toContain('Sinds versie 2 zijn de antwoorden van 1 organisatie(s) gewijzigd of bijgekomen');
    expect(
      await handle.db.selectFrom('publications').select('version').where('slug', '=', 'mei').execute(),
    ).toHaveLength(2);
  });

  it('refuses while one organisation dominates the change, publishes a balanced batch', async () => {
    for (const org of orgs.slice(1, 5)) await correct(org, 30000);
    // Five organisations changed, but the ×10 correction is most of the change in the revenue loss.
    expect(await refusal()).toBe('publish.revision.dominated');
    expect((await preview()).text).toContain('komt voor meer dan 85% van één organisatie');
    for (const [i, org] of orgs.slice(5, 12).entries()) await correct(org, 60000 + 1000 * i);
    const page = await preview();
    expect(page.text).toContain('Vergeleken met versie 2: de antwoorden van 12 organisatie(s) zijn gewijzigd');
    expect((await publish()).version).toBe(3);
  });

  it('audits a corrected choice answer as it audits a number: one flipped option is refused, a batch is published', async () => {
    // The option counts move by exactly the corrected organisation's weight: a choice
    // answer is kept with the version (publication_answers.value_choices) and audited.
    await correct(orgs[12], 'partial', 'refund_policy');
    expect(await refusal()).toBe('publish.revision.too_few');
    expect((await preview()).text).toContain(
      'Sinds versie 3 zijn de antwoorden van 1 organisatie(s) gewijzigd of bijgekomen',
    );
    for (const org of orgs.slice(13, 17)) await correct(org, 'partial', 'refund_policy');
    expect((await publish()).version).toBe(4);
    const kept = await handle.db
      .selectFrom('publication_answers as pa')
      .innerJoin('publications as p', 'p.id', 'pa.publication_id')
      .select(['pa.value_choices'])
      .where('p.version', '=', 4)
      .where('pa.org_id', '=', orgs[12])
      .where('pa.question_key', '=', 'refund_policy')
      .executeTakeFirstOrThrow();
    expect(kept.value_choices).toEqual(['partial']);
  });
});
