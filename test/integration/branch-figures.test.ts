// The branch in figures: frame totals per type, province and size
// class, protected like every report.
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { branchFigures } from '../../analysis/branch/branch-figures';
import { demoFrameCsv, type generateDemoFrame } from '../../analysis/frame/demo-frame';
import { importFrame } from '../../analysis/frame/frame-import';
import { buildReport } from '../../analysis/report/report';
import { type TestDatabase, testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, makeUser, PASSWORD, testApp } from '../support/web-client';

describe.each(testDialects())('the branch in figures on $kind', (dialect) => {
  let handle: TestDatabase;
  let rows: ReturnType<typeof generateDemoFrame>;

  beforeAll(async () => {
    handle = await dialect.create();
    ({ rows } = await seedSurvey(handle, { orgs: 160, slug: 'juni' }));
    // The same branch a year later, every turnover 10 % higher.
    const next = rows.map((r) => ({
      ...r,
      turnover_eur: r.turnover_eur === null ? null : (Number(r.turnover_eur) * 1.1).toFixed(2),
    }));
    await importFrame(handle, {
      open: () => Readable.from([Buffer.from([...demoFrameCsv(next)].join(''))]),
      fileName: 'frame-2020.csv',
      year: 2020,
      replace: false,
      actor: null,
      source: 'cli',
    });
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
  });

  it('publishes protected totals, withholds small groups, and gives the change from the year before', async () => {
    const figures = (await branchFigures(handle.db, {}))!;
    const exact = (await branchFigures(handle.db, { protect: false }))!;
    expect(figures.year).toBe(2020);
    expect(figures.previousYear).toBe(2019);
    const whole = figures.cells.find((c) => c.dimension === null)!;
    const exactWhole = exact.cells.find((c) => c.dimension === null)!;
    expect(whole.organisations).toBe(160);
    const turnover = whole.values.turnover_eur.estimate!;
    const truth = exactWhole.values.turnover_eur.estimate!;
    // Perturbed and rounded to three significant digits, but close to the census total.
    expect(String(turnover).replace(/0+$/, '').length).toBeLessThanOrEqual(3);
    expect(Math.abs(turnover - truth) / truth).toBeLessThan(0.05);
    expect(turnover).not.toBe(truth);
    expect(whole.values.turnover_eur.change).not.toBeNull();
    // A province with fewer than 5 organisations shows no total.
    const small = figures.cells.filter((c) => c.dimension === 'province' && c.organisations < 5);
    expect(small.length).toBeGreaterThan(0);
    for (const c of small) {
      expect(c.values.turnover_eur.estimate).toBeNull();
      expect(c.values.turnover_eur.reason).toBe('min_n');
    }
  });

  it('shows the figures to staff, downloads them as a readable table, and gives every survey report its context', async () => {
    const { app } = await testApp(handle);
    await makeUser(handle, 'staff@example.nl', 'staff');
    const staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    const page = await staff.get('/beheer/branche');
    expect(page.status).toBe(200);
    expect(page.text).toContain('De branche in cijfers');
    expect(page.text).toContain('Verandering ten opzichte van 2019');
    const csv = await staff.get('/beheer/branche.csv?jaar=2019');
    const table = Papa.parse<Record<string, string>>(csv.text.replace(/^\ufeff/, ''), {
      header: true,
      delimiter: ';',
      skipEmptyLines: true,
    }).data;
    expect(Object.keys(table[0])).toEqual(expect.arrayContaining(['Peiljaar', 'Organisaties', 'Omzet']));
    expect(table[0].Peiljaar).toBe('2019');
    const log = await staff.get('/beheer/uitgiftes');
    expect(log.text).toContain('KAnS 2019');
    const report = await buildReport(handle.db, { wave: 'juni', questions: ['revenue_loss_eur'] });
    expect(report.branch?.organisations).toBe(160);
    const survey = await staff.get('/beheer/rapportage?wave=juni&stratify=org_type&q=revenue_loss_eur');
    expect(survey.text).toMatch(
      /De branche \(KAnS 2019\): 160 organisaties, [\d.]+ leerlingen, € [\d,.]+ (mln )?omzet\./,
    );
  });
});
