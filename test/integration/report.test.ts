import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellSums } from '../../analysis/estimators/design';
import { domainMean, separateRatioTotal } from '../../analysis/estimators/estimators';
import { buildReport } from '../../analysis/report/report';
import { ReportError } from '../../analysis/report/report-model';
import { rIndicator } from '../../analysis/representativeness';
import { renderReportXlsx } from '../../exports/xlsx-report';
import { fillDemoResponses } from '../../server/demo/demo-responses';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { changeWaveStatus, createWave } from '../../surveys/waves/waves';
import { cliEnv, runCli } from '../support/cli';
import { type TestDatabase, testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';

describe.each(testDialects())('the report model on $kind', (dialect) => {
  let handle: TestDatabase;
  let slug: string;
  let frameRows: Awaited<ReturnType<typeof seedSurvey>>['rows'];

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle, { orgs: 160, slug: 'juni' });
    slug = seeded.slug;
    frameRows = seeded.rows;
    await fillDemoResponses(handle.db, { slug, frame: seeded.rows, seed: 5, phase: 'reopening', rate: 0.5 });
    await createWave(handle.db, { surveyKey: 'corona-impact', slug: 'juli', name: 'Juli', frameYear: 2019 }, null);
    await changeWaveStatus(handle.db, 'juli', 'open', null);
    await fillDemoResponses(handle.db, { slug: 'juli', frame: seeded.rows, seed: 6, phase: 'reopening', rate: 0.5 });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('aggregates in SQL exactly what the estimators compute from the raw answers', async () => {
    const report = await buildReport(handle.db, {
      wave: slug,
      questions: ['revenue_loss_eur', 'lessons_cancelled_pct'],
      protect: false,
    });
    const raw = await sql<{ org_type: string; y: string; x: string | null; hidden: boolean }>`
      select f.org_type, a.value_num::text as y, f.turnover_eur::text as x, a.hidden
      from answers a join responses r on r.id = a.response_id join frame_units f on f.org_id = r.org_id and f.year = 2019
      where r.status = 'submitted' and r.wave_id = (select id from waves where slug = ${slug}) and a.question_key = 'revenue_loss_eur' and not a.hidden`.execute(
      handle.db,
    );
    const strata = await sql<{
      org_type: string;
      n: number;
      x: string;
    }>`select org_type, count(*)::int as n, sum(turnover_eur)::text as x from frame_units where year = 2019 group by 1`.execute(
      handle.db,
    );
    const frame = strata.rows.map((s) => ({ stratum: s.org_type, N: Number(s.n), X: Number(s.x) }));
    const cells = cellSums(raw.rows.map((r) => ({ stratum: r.org_type, y: Number(r.y), x: Number(r.x) })));
    const expected = separateRatioTotal(frame, cells);
    const total = report.estimates.find(
      (e) => e.question === 'revenue_loss_eur' && e.statistic === 'total' && e.domain === '*',
    )!;
    expect(total.method).toBe('ratio');
    expect(total.auxiliary).toBe('turnover_eur');
    expect(Math.abs(total.estimate! - expected.estimate) / expected.estimate).toBeLessThan(1e-12);
    expect(Math.abs(total.se! - expected.se) / expected.se).toBeLessThan(1e-9);
    const mean = report.estimates.find(
      (e) => e.question === 'revenue_loss_eur' && e.statistic === 'mean' && e.domain === '*',
    )!;
    expect(Math.abs(mean.estimate! - domainMean(frame, cells).estimate) / mean.estimate!).toBeLessThan(1e-12);
    expect(report.estimates.filter((e) => e.question === 'lessons_cancelled_pct').map((e) => e.statistic)).toEqual(
      expect.arrayContaining(['mean']),
    );
    expect(report.estimates.some((e) => e.question === 'lessons_cancelled_pct' && e.statistic === 'total')).toBe(false);
  });

  it('holds the report JSON: design, response, representativeness, estimates per stratum and domain, change since the last wave', async () => {
    const report = await buildReport(handle.db, {
      wave: 'juli',
      stratify: ['size_class'],
      by: 'province',
      questions: ['revenue_loss_eur', 'schemes', 'online_lessons', 'online_share_pct'],
    });
    expect(report.wave).toEqual({ slug: 'juli', name: 'Juli', period: null, provisional: true });
    expect(report.survey).toEqual({ key: 'corona-impact', version: 1 });
    expect(report.frame).toEqual({ year: 2019, N: 160 });
    expect(report.design).toEqual({
      stratify: ['size_class'],
      by: 'province',
      weighting: ['org_type'],
      confidence: 0.95,
      min_cell: 5,
      dominance: { n: 2, k: 0.85, p: 0.1 },
    });
    expect(report.previous_wave).toEqual({ slug, name: 'Coronamonitor mei 2020', period: null });
    expect(report.response.reduce((a, r) => a + r.N, 0)).toBe(160);
    expect(report.response.map((r) => r.stratum)).toEqual(['<250', '250-999', '1000-2499', '>=2500']);
    // Representativeness is tested over the weighting design's strata (the four types).
    expect(report.representativeness!.df).toBe(3);
    const dims = new Set(report.estimates.map((e) => e.dimension));
    expect(dims).toEqual(new Set([null, 'size_class', 'province']));
    const proportions = report.estimates.filter((e) => e.question === 'schemes' && e.domain === '*');
    expect(proportions.map((e) => e.category)).toEqual(['NOW', 'TOGS', 'TVL', 'Tozo', 'municipal', 'none']);
    expect(report.estimates.find((e) => e.question === 'online_lessons' && e.domain === '*')!.category).toBe('true');
    const whole = report.estimates.find(
      (e) => e.question === 'revenue_loss_eur' && e.statistic === 'total' && e.domain === '*',
    )!;
    expect(whole.previous).not.toBeNull();
    expect(whole.change).toBeCloseTo(whole.estimate! - whole.previous!, 6);
    // The interval is centred on the published estimate, at its precision.
    expect(Math.abs(whole.ci_low! - (whole.estimate! - 1.959963985 * whole.se!))).toBeLessThanOrEqual(
      whole.rounding!.estimate / 2,
    );
    expect(whole.perturbed).toBe(true);
  });

  it('gives the R-indicator of the whole frame, exact without protection and rounded without categories with it', async () => {
    const units = await sql<{
      org_type: string;
      province: string;
      size_class: string | null;
      member: boolean;
      responded: boolean;
    }>`
      select f.org_type, f.province, f.size_class, f.member,
        exists (select 1 from responses r where r.org_id = f.org_id and r.status = 'submitted'
          and r.wave_id = (select id from waves where slug = ${slug})) as responded
      from frame_units f where f.year = 2019`.execute(handle.db);
    const expected = rIndicator(
      units.rows.map((u) => ({
        labels: {
          org_type: u.org_type,
          province: u.province,
          size_class: u.size_class ?? '–',
          member: u.member ? 'lid' : 'niet-lid',
        },
        N: 1,
        n: u.responded ? 1 : 0,
      })),
    )!;
    const exact = (await buildReport(handle.db, { wave: slug, questions: ['online_lessons'], protect: false }))
      .representativeness!.r_indicator!;
    expect(Math.abs(exact.R - expected.R)).toBeLessThan(1e-9);
    expect(exact.rounded).toBe(false);
    expect(exact.partials.map((p) => p.variable)).toEqual(['org_type', 'province', 'size_class', 'member']);
    for (const p of exact.partials)
      expect(Math.abs(p.partial - expected.partials.find((e) => e.variable === p.variable)!.partial)).toBeLessThan(
        1e-9,
      );
    expect(exact.partials[0].categories!.length).toBeGreaterThan(1);
    const published = (await buildReport(handle.db, { wave: slug, questions: ['online_lessons'] })).representativeness!;
    expect(published.df).toBe(3);
    expect(published.r_indicator!.R).toBe(Math.round(expected.R * 100) / 100);
    expect(published.r_indicator!.partials.every((p) => p.categories === undefined)).toBe(true);
  });

  it('suppresses small and dominated cells with null values and a band for n, the whole branch only for a reason', async () => {
    const report = await buildReport(handle.db, {
      wave: slug,
      by: 'province',
      questions: ['revenue_loss_eur', 'refund_policy'],
    });
    const suppressed = report.estimates.filter((e) => e.suppressed);
    expect(suppressed.length).toBeGreaterThan(0);
    for (const e of suppressed) {
      expect(e.estimate).toBeNull();
      expect(e.se).toBeNull();
      expect(e.n).toBeNull();
      expect(e.n_band).toMatch(/^(< 5|5–9|10–19|20–49|≥ 50)$/);
      expect(['min_n', 'dominance', 'uniform']).toContain(e.reason);
    }
    // No secondary suppression: cells without respondents hide nothing and hide nothing else.
    expect(report.estimates.filter((e) => e.domain === '*').every((e) => !e.suppressed)).toBe(true);
    const unprotected = await buildReport(handle.db, {
      wave: slug,
      by: 'province',
      questions: ['revenue_loss_eur'],
      protect: false,
    });
    expect(
      unprotected.estimates
        .filter((e) => e.suppressed && e.reason !== 'no_respondents')
        .every((e) => e.estimate !== null),
    ).toBe(true);
  });

  it('finds a dominant answer in its stratum and in the whole branch, and not elsewhere', async () => {
    const huge = await sql<{ response_id: number; org_type: string }>`
      select a.response_id, f.org_type from answers a join responses r on r.id = a.response_id join frame_units f on f.org_id = r.org_id and f.year = 2019
      where r.wave_id = (select id from waves where slug = 'juli') and a.question_key = 'extra_costs_eur' and a.value_num is not null
      order by a.response_id limit 1`.execute(handle.db);
    const { response_id, org_type } = huge.rows[0];
    await handle.db
      .updateTable('answers')
      .set({ value_num: '900000000000' })
      .where('response_id', '=', response_id)
      .where('question_key', '=', 'extra_costs_eur')
      .execute();
    const report = await buildReport(handle.db, {
      wave: 'juli',
      questions: ['extra_costs_eur'],
      protect: false,
      withPrevious: false,
    });
    const total = (domain: string) => report.estimates.find((e) => e.statistic === 'total' && e.domain === domain)!;
    expect(total('*').reason).toBe('dominance');
    expect(total(org_type).reason).toBe('dominance');
    const others = report.estimates.filter(
      (e) => e.statistic === 'total' && e.dimension !== null && e.domain !== org_type && e.n! >= 5,
    );
    expect(others.length).toBeGreaterThan(0);
    for (const e of others) expect(e.reason, e.domain).toBeNull();
  });

  it('takes a closed earlier wave from the cache until its responses change', async () => {
    await changeWaveStatus(handle.db, slug, 'closed', null);
    const questions = ['revenue_loss_eur'];
    const key = (e: { question: string; statistic: string; domain: string }) =>
      e.question === 'revenue_loss_eur' && e.statistic === 'total' && e.domain === '*';
    const first = await buildReport(handle.db, { wave: 'juli', questions });
    expect(await handle.db.selectFrom('report_cache').select('key').execute()).toHaveLength(1);
    // Mark the cached model: the next report shows the mark, so it came from the cache.
    const row = await handle.db.selectFrom('report_cache').select(['key', 'model']).executeTakeFirstOrThrow();
    const model = typeof row.model === 'string' ? JSON.parse(row.model) : row.model;
    for (const e of model.estimates) if (key(e)) e.estimate = 12_345;
    await handle.db
      .updateTable('report_cache')
      .set({ model: JSON.stringify(model) })
      .where('key', '=', row.key)
      .execute();
    expect((await buildReport(handle.db, { wave: 'juli', questions })).estimates.find(key)!.previous).toBe(12_345);
    // A change to the earlier wave's responses makes a new key: built afresh.
    await sql`update responses set updated_at = now() where id = (select min(id) from responses where wave_id = (select id from waves where slug = ${slug}))`.execute(
      handle.db,
    );
    const fresh = await buildReport(handle.db, { wave: 'juli', questions });
    expect(fresh.estimates.find(key)!.previous).toBe(first.estimates.find(key)!.previous);
    expect(await handle.db.selectFrom('report_cache').select('key').execute()).toHaveLength(2);
    await changeWaveStatus(handle.db, slug, 'open', null);
  });

  it('refuses unknown waves, questions and variables, and loosened public parameters', async () => {
    await expect(buildReport(handle.db, { wave: 'nope' })).rejects.toMatchObject({ code: 'wave.not_found' });
    await expect(buildReport(handle.db, { wave: slug, questions: ['nope'] })).rejects.toMatchObject({
      code: 'report.unknown_question',
    });
    await expect(buildReport(handle.db, { wave: slug, stratify: ['org_type'], by: 'org_type' })).rejects.toBeInstanceOf(
      ReportError,
    );
    // Cross tables would publish linked tables: the breakdown has one variable.
    await expect(buildReport(handle.db, { wave: slug, stratify: ['org_type', 'province'] })).rejects.toMatchObject({
      code: 'report.too_many_variables',
    });
    // Protected reports take only the public parameters: looser or stricter would give a second draw.
    await expect(buildReport(handle.db, { wave: slug, disclosure: { minCell: 2 } })).rejects.toThrow(
      /differs from the public one/,
    );
    await expect(buildReport(handle.db, { wave: slug, disclosure: { minCell: 8 } })).rejects.toThrow(
      /differs from the public one/,
    );
  });

  it('follows every whole-branch estimate through all waves of the questionnaire, a suppressed wave left empty', async () => {
    await createWave(
      handle.db,
      { surveyKey: 'corona-impact', slug: 'augustus', name: 'Augustus', frameYear: 2019 },
      null,
    );
    await changeWaveStatus(handle.db, 'augustus', 'open', null);
    await fillDemoResponses(handle.db, { slug: 'augustus', frame: frameRows, seed: 7, phase: 'reopening', rate: 0.5 });
    // One answer that dominates July's extra costs, so that wave's whole-branch total is suppressed.
    await sql`update answers set value_num = 900000000000 where question_key = 'extra_costs_eur' and response_id = (
      select a.response_id from answers a join responses r on r.id = a.response_id
      where r.wave_id = (select id from waves where slug = 'juli') and a.question_key = 'extra_costs_eur' and a.value_num is not null
      order by a.response_id limit 1)`.execute(handle.db);
    const questions = ['revenue_loss_eur', 'extra_costs_eur', 'schemes'];
    const report = await buildReport(handle.db, { wave: 'augustus', by: 'province', questions });
    expect(report.previous_wave).toEqual({ slug: 'juli', name: 'Juli', period: null });
    expect(report.trend!.waves).toEqual([
      { slug, name: 'Coronamonitor mei 2020', period: null },
      { slug: 'juli', name: 'Juli', period: null },
      { slug: 'augustus', name: 'Augustus', period: null },
    ]);
    // Each point is the wave's own protected whole-branch estimate (the previous wave with the same breakdown, as in its table).
    const alone = [
      await buildReport(handle.db, { wave: slug, questions, withPrevious: false }),
      await buildReport(handle.db, { wave: 'juli', by: 'province', questions, withPrevious: false }),
      await buildReport(handle.db, { wave: 'augustus', by: 'province', questions, withPrevious: false }),
    ];
    const wholeIn = (
      r: (typeof alone)[number],
      s: { question: string; statistic: string; category: string | null },
    ) => {
      const e = r.estimates.find(
        (x) =>
          x.dimension === null && x.question === s.question && x.statistic === s.statistic && x.category === s.category,
      );
      return { estimate: e?.estimate ?? null, ci_low: e?.ci_low ?? null, ci_high: e?.ci_high ?? null };
    };
    expect(report.trend!.series).toHaveLength(report.estimates.filter((e) => e.dimension === null).length);
    for (const series of report.trend!.series)
      expect(series.points, `${series.question} ${series.statistic} ${series.category}`).toEqual(
        alone.map((r) => wholeIn(r, series)),
      );
    // July's extra costs are dominated by one answer: a gap in the line, not a value.
    const extra = report.trend!.series.find((s) => s.question === 'extra_costs_eur' && s.statistic === 'total')!;
    expect(extra.points.map((p) => p.estimate === null)).toEqual([false, true, false]);
    // The workbook carries the trend as rows per estimate and wave, the gap left empty (sheet "Ontwikkeling" in Dutch).
    const definition = (await waveWithDefinition(handle.db, 'augustus'))!.definition;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await renderReportXlsx(report, definition, 'nl')) as never);
    const sheet = book.getWorksheet('Ontwikkeling')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('vraagcode');
    expect(sheet.rowCount).toBe(1 + report.trend!.series.length * 3);
    const rows = sheet.getSheetValues().slice(2) as unknown[][];
    const extraRows = rows.filter((r) => r[1] === 'extra_costs_eur' && r[3] === 'total');
    expect(extraRows.map((r) => [r[6], r[8] ?? null])).toEqual([
      [slug, extra.points[0].estimate],
      ['juli', null],
      ['augustus', extra.points[2].estimate],
    ]);
    // The first wave has nothing to follow, and its workbook no trend sheet.
    const first = await buildReport(handle.db, { wave: slug, questions });
    expect(first.trend).toBeNull();
    const firstBook = new ExcelJS.Workbook();
    await firstBook.xlsx.load((await renderReportXlsx(first, definition, 'nl')) as never);
    expect(firstBook.getWorksheet('Ontwikkeling')).toBeUndefined();
  });
});

describe('impactmonitor report on the command line', () => {
  // The demo alone may take its CLI budget (240 s) on a busy machine, then the reports: more than the default 180 s.
  it('writes the JSON report and refuses bad input with exit 2 or 1', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'impact-report-'));
    try {
      const env = cliEnv({ IMPACT_DATA_DIR: dir });
      expect((await runCli(['demo', '--orgs', '120', '--seed', '4'], { env, timeoutMs: 240_000 })).code).toBe(0);
      const res = await runCli(
        ['report', '--wave', 'corona-2020-04', '--questions', 'revenue_loss_eur', '--format', 'json'],
        { env },
      );
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const report = JSON.parse(res.stdout);
      expect(report.estimates[0]).toMatchObject({
        question: 'revenue_loss_eur',
        statistic: 'total',
        method: 'ratio',
        auxiliary: 'turnover_eur',
        category: null,
        dimension: null,
        domain: '*',
      });
      const csv = await runCli(
        [
          'report',
          '--wave',
          'corona-2020-04',
          '--questions',
          'revenue_loss_eur',
          '--format',
          'csv-nl',
          '--out',
          path.join(dir, 'r.csv'),
        ],
        { env },
      );
      expect(csv.code).toBe(0);
      expect(await fs.readFile(path.join(dir, 'r.csv'), 'utf8')).toContain('meting;vraagcode;statistiek');
      expect((await runCli(['report', '--wave', 'corona-2020-04', '--stratify', 'colour'], { env })).code).toBe(2);
      const two = await runCli(['report', '--wave', 'corona-2020-04', '--stratify', 'org_type,province'], { env });
      expect(two.code).toBe(2);
      expect(two.stderr).toContain('Kies ten hoogste 1 variabele voor de uitsplitsing');
      expect((await runCli(['report', '--wave', 'nope'], { env })).code).toBe(1);
      expect((await runCli(['report', '--wave', 'corona-2020-04', '--questions', 'nope'], { env })).code).toBe(1);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
