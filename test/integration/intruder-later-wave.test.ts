// The intruder through a later wave (issue 22.3, disclosure review 2 case 1):
// April is published; then one April answer is corrected (a ×10 typo). June's
// report shows April again in its previous, change and trend columns. Whoever
// holds the April publication and June's report subtracts them: the cells that
// moved name the corrected organisation's atom, and their change gives its
// correction. The later wave's report must audit April's changed answers against
// the answers April was released from, and show April as released while the
// change singles out fewer than min_cell organisations or is one organisation's.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctResponse } from '../../analysis/editing/corrections';
import { buildReport } from '../../analysis/report/report';
import type { ReportModel, ReportOptions } from '../../analysis/report/report-model';
import { renderReportFile } from '../../exports/report-file';
import type { User } from '../../foundation/db/schema';
import { fillDemo } from '../../server/demo/demo';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { type TestDatabase, testDialects } from '../support/databases';
import { Browser, makeUser, PASSWORD, testApp } from '../support/web-client';

const APRIL = 'corona-2020-04';
const JUNE = 'corona-2020-06';
const QUESTION = 'revenue_loss_eur';
const VIEW: ReportOptions = { wave: JUNE, stratify: ['org_type'], by: 'province', questions: [QUESTION] };

const name = (e: ReportModel['estimates'][number]) => `${e.statistic}|${e.dimension ?? ''}|${e.domain}`;

describe.each(testDialects())('the intruder through a later wave on $kind', (dialect) => {
  let handle: TestDatabase;
  let staff: User;
  let browser: Browser;

  beforeAll(async () => {
    handle = await dialect.create();
    // The demo publishes April (coronamonitor-april-2020); June is open.
    await fillDemo(handle, { orgs: 400, seed: 2020 });
    staff = await makeUser(handle, 'staf-later@example.nl', 'staff');
    const { app } = await testApp(handle);
    browser = new Browser(app);
    await browser.login('staf-later@example.nl', PASSWORD);
  }, 600_000);
  afterAll(async () => {
    await handle?.close();
  });

  async function answerOf(orgId: string): Promise<number> {
    const row = await sql<{ v: string }>`
      select a.value_num::text as v from answers a join responses r on r.id = a.response_id
      join waves w on w.id = r.wave_id where w.slug = ${APRIL} and r.org_id = ${orgId} and a.question_key = ${QUESTION}`.execute(
      handle.db,
    );
    return Number(row.rows[0].v);
  }
  const correct = async (orgId: string, value: number) => {
    const result = await correctResponse(handle.db, {
      slug: APRIL,
      orgId,
      set: [[QUESTION, String(value)]],
      reason: 'nagebeld',
      staff,
    });
    expect(result.ok).toBe(true);
  };
  /** Per cell of June's view: April's value as June shows it, and the change. */
  const previousOf = (r: ReportModel) => new Map(r.estimates.map((e) => [name(e), [e.previous, e.change]]));
  const trendOf = (r: ReportModel) => JSON.stringify(r.trend);

  it('case 1 through June: one corrected April answer does not show in June’s previous, change or trend; a batch does', async () => {
    const before = await buildReport(handle.db, VIEW);
    expect(before.previous_wave?.slug).toBe(APRIL);
    expect(before.revisions_held ?? []).toEqual([]);
    // The review's ×10 typo, in the atom that holds one organisation in the frame.
    const org = 'KANS-0121';
    const truth = await answerOf(org);
    await correct(org, truth * 10);
    const after = await buildReport(handle.db, VIEW);
    // What the intruder sees: the cells whose April value moved between the two reports.
    const [b, a] = [previousOf(before), previousOf(after)];
    const moved = [...a].filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(b.get(k)));
    console.info(`${dialect.kind}: April cells that moved in June's report after one correction`, moved);
    expect(moved).toEqual([]);
    expect(trendOf(after)).toBe(trendOf(before));
    // The report says why April is shown as released.
    expect(after.revisions_held).toEqual([
      expect.objectContaining({
        wave: APRIL,
        problems: [expect.objectContaining({ key: 'publish.revision.too_few' })],
      }),
    ]);
    // Every format renders the model: the CSV carries April as released.
    const { definition } = (await waveWithDefinition(handle.db, JUNE))!;
    const csv = (await renderReportFile('csv', after, definition, 'nl')).content.toString();
    expect(csv).toBe((await renderReportFile('csv', before, definition, 'nl')).content.toString());
    // The publish preview says so in plain Dutch.
    const page = await browser.get(
      `/beheer/rapportage/publiceren?wave=${JUNE}&stratify=org_type&by=province&q=${QUESTION}`,
    );
    expect(page.status).toBe(200);
    expect(page.text).toContain('De cijfers van Coronamonitor april 2020 staan hierin zoals ze zijn uitgebracht');
    expect(page.text).toContain('zijn de antwoorden van 1 organisatie(s) gewijzigd');

    // A batch: the typo put back and five organisations corrected by +20 % each.
    await correct(org, truth);
    const others = (
      await sql<{ org_id: string }>`
        select r.org_id from responses r join waves w on w.id = r.wave_id join answers a on a.response_id = r.id
        where w.slug = ${APRIL} and r.status = 'submitted' and a.question_key = ${QUESTION} and a.value_num > 10000
          and r.org_id <> ${org}
        order by r.org_id limit 5`.execute(handle.db)
    ).rows.map((r) => r.org_id);
    for (const o of others) await correct(o, Math.round((await answerOf(o)) * 1.2));
    const batch = await buildReport(handle.db, VIEW);
    expect(batch.revisions_held ?? []).toEqual([]);
    expect([...previousOf(batch)].some(([k, v]) => JSON.stringify(v) !== JSON.stringify(b.get(k)))).toBe(true);
  }, 600_000);
});
