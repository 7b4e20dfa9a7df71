// A report deep in a series (issue 25.2) and the dominance rules' second largest
// answer, fetched only where a rule hinges on it (issue 25.1).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../analysis/report/report';
import { fillDemoResponses } from '../../server/demo/demo-responses';
import { changeWaveStatus, createWave } from '../../surveys/waves/waves';
import { type TestDatabase, testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';

describe.each(testDialects())('a series of waves on $kind', (dialect) => {
  let handle: TestDatabase;
  const questions = ['revenue_loss_eur', 'extra_costs_eur'];
  const whole = (e: { question: string; statistic: string; domain: string }) =>
    e.question === 'revenue_loss_eur' && e.statistic === 'total' && e.domain === '*';
  const waveId = async (slug: string) =>
    (await handle.db.selectFrom('waves').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  const cacheRows = async () =>
    handle.db.selectFrom('report_cache').select(['key', 'wave_id', 'model']).orderBy('wave_id').execute();

  beforeAll(async () => {
    handle = await dialect.create();
    const { rows } = await seedSurvey(handle, { orgs: 160, slug: 'juni' });
    await fillDemoResponses(handle.db, { slug: 'juni', frame: rows, seed: 5, phase: 'reopening', rate: 0.5 });
    for (const [i, slug] of ['juli', 'augustus'].entries()) {
      await createWave(handle.db, { surveyKey: 'corona-impact', slug, name: slug, frameYear: 2019 }, null);
      await changeWaveStatus(handle.db, slug, 'open', null);
      await fillDemoResponses(handle.db, { slug, frame: rows, seed: 6 + i, phase: 'reopening', rate: 0.5 });
    }
    await changeWaveStatus(handle.db, 'juni', 'closed', null);
    await changeWaveStatus(handle.db, 'juli', 'closed', null);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('builds each closed earlier wave once for every later view, and rebuilds exactly the wave that changed', async () => {
    const first = await buildReport(handle.db, { wave: 'augustus', questions });
    // One model per earlier wave, whatever the view that asked for it.
    expect((await cacheRows()).map((r) => r.wave_id)).toEqual([await waveId('juni'), await waveId('juli')]);
    await buildReport(handle.db, { wave: 'augustus', questions, stratify: ['province'], by: 'member' });
    await buildReport(handle.db, { wave: 'augustus', questions, stratify: ['size_class'] });
    expect(await cacheRows()).toHaveLength(2);
    // Mark each cached model: a report that shows the marks took them from the cache.
    const marks = [12_345, 23_456];
    for (const [i, row] of (await cacheRows()).entries()) {
      const model = typeof row.model === 'string' ? JSON.parse(row.model) : row.model;
      for (const e of model.estimates) if (whole(e)) e.estimate = marks[i];
      await handle.db
        .updateTable('report_cache')
        .set({ model: JSON.stringify(model) })
        .where('key', '=', row.key)
        .execute();
    }
    const points = async (options: { stratify?: ['province'] } = {}) => {
      const report = await buildReport(handle.db, { wave: 'augustus', questions, ...options });
      const series = report.trend!.series.find((s) => s.question === 'revenue_loss_eur' && s.statistic === 'total')!;
      return { points: series.points.map((p) => p.estimate), previous: report.estimates.find(whole)!.previous };
    };
    const truth = first.trend!.series.find((s) => s.question === 'revenue_loss_eur' && s.statistic === 'total')!;
    expect(await points()).toEqual({ points: [...marks, truth.points[2].estimate], previous: marks[1] });
    expect((await points({ stratify: ['province'] })).points.slice(0, 2)).toEqual(marks);
    // A correction in June: June is built again, July still comes from the cache.
    await sql`update responses set updated_at = now() + interval '1 second' where id = (select min(id) from responses where wave_id = ${await waveId('juni')})`.execute(
      handle.db,
    );
    expect((await points()).points.slice(0, 2)).toEqual([truth.points[0].estimate, marks[1]]);
    expect((await cacheRows()).map((r) => r.wave_id)).toEqual([
      await waveId('juni'),
      await waveId('juni'),
      await waveId('juli'),
    ]);
    // Reopening July: built from its responses while open, the June model stays.
    await changeWaveStatus(handle.db, 'juli', 'open', null);
    expect(await points()).toEqual({
      points: truth.points.map((p) => p.estimate),
      previous: truth.points[1].estimate,
    });
  });

  it('suppresses a cell whose two largest answers dominate it, the second largest fetched for it', async () => {
    // Two organisations in the same group of respondents (type, province, size class, membership).
    const pair = await sql<{ a: number; b: number }>`
      select min(r.id) as a, max(r.id) as b from responses r
      join answers x on x.response_id = r.id and x.question_key = 'extra_costs_eur' and x.value_num is not null and not x.hidden
      join frame_units f on f.org_id = r.org_id and f.year = 2019
      where r.wave_id = ${await waveId('augustus')} and r.status = 'submitted'
      group by f.org_type, f.province, f.size_class, f.member having count(*) >= 2
      order by count(*) desc limit 1`.execute(handle.db);
    const { a, b } = pair.rows[0];
    const answer = async (id: number) =>
      Number(
        (
          await handle.db
            .selectFrom('answers')
            .select('value_num')
            .where('response_id', '=', id)
            .where('question_key', '=', 'extra_costs_eur')
            .executeTakeFirstOrThrow()
        ).value_num,
      );
    const set = (id: number, value: number) =>
      handle.db
        .updateTable('answers')
        .set({ value_num: value.toFixed(2) })
        .where('response_id', '=', id)
        .where('question_key', '=', 'extra_costs_eur')
        .execute();
    const total = async () =>
      (
        await buildReport(handle.db, { wave: 'augustus', questions: ['extra_costs_eur'], protect: false })
      ).estimates.find((e) => e.statistic === 'total' && e.domain === '*')!;
    // The total is linear in each answer: its weight w, and R, the total without these two.
    const [a0, b0] = [await answer(a), await answer(b)];
    const t0 = (await total()).estimate!;
    await set(a, a0 + 1e9);
    const w = ((await total()).estimate! - t0) / 1e9;
    const rest = t0 - w * (a0 + b0);
    // a alone is 4 R: 80% of the total; not dominated by the (n,k) rule (85%) nor the p% rule.
    const v = (4 * rest) / w;
    await set(a, v);
    expect((await total()).reason).toBeNull();
    // With b at 0.9 v the two largest are 88% of the total: dominated, which only b's answer decides.
    await set(b, 0.9 * v);
    expect((await total()).reason).toBe('dominance');
    await set(a, a0);
    await set(b, b0);
  });
});
