// The branch in figures: frame totals per type, province and size
// class, protected like every report.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { branchFigures } from '../../analysis/branch/branch-figures';
import { buildReport } from '../../analysis/report/report';
import { shownBranchValue } from '../../exports/branch-view';
import { formatCurrency, formatNumber } from '../../foundation/numbers/format-dutch';
import { demoFrameCsv, generateDemoFrame } from '../../register/demo-frame';
import { importFrame } from '../../register/frame-import';
import { cliEnv, runCli } from '../support/cli';
import { type TestDatabase, testDialects } from '../support/databases';
import { pdfText } from '../support/pdf-text';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, binary, makeUser, PASSWORD, testApp } from '../support/web-client';

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
    // The totals are protected (rounded, with noise): the sentence says so.
    expect(survey.text).toMatch(
      /De branche \(KAnS 2019\): 160 organisaties, [\d.]+ leerlingen, € [\d,.]+ (mln )?omzet \(leerlingen en omzet afgerond en beschermd, zie Methode\)\./,
    );
  });

  it('downloads the figures as a PDF with the same protected cells as the page, in the release log', async () => {
    const { app } = await testApp(handle);
    await makeUser(handle, 'pdf@example.nl', 'staff');
    const staff = new Browser(app);
    await staff.login('pdf@example.nl', PASSWORD);
    expect((await staff.get('/beheer/branche?jaar=2020')).text).toContain('/beheer/branche.pdf?jaar=2020');
    const res = await staff.get('/beheer/branche.pdf?jaar=2020').buffer(true).parse(binary);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('branche-in-cijfers-2020.pdf');
    const text = (await pdfText(res.body as Buffer)).replace(/\s+/g, ' ');
    expect(text).toContain('De branche in cijfers');
    expect(text).toContain('Peiljaar: KAnS 2020');
    expect(text).toContain('Verandering ten opzichte van 2019');
    const figures = (await branchFigures(handle.db, { year: 2020 }))!;
    const whole = figures.cells.find((c) => c.dimension === null)!;
    expect(text).toContain(
      `Hele branche 160 ${formatNumber(whole.members)} ${shownBranchValue('students', whole.values.students.estimate, 'nl')} ${shownBranchValue('turnover_eur', whole.values.turnover_eur.estimate, 'nl')}`,
    );
    // Withheld groups are "–", never the exact total.
    const exact = (await branchFigures(handle.db, { year: 2020, protect: false }))!;
    const withheld = figures.cells.filter((c) => c.values.turnover_eur.suppressed);
    expect(withheld.length).toBeGreaterThan(0);
    for (const c of withheld) {
      const truth = exact.cells.find((x) => x.dimension === c.dimension && x.domain === c.domain)!;
      // (The exact total to the euro: a rounded "€ 1,8 mln" may well be another group's published figure.)
      expect(text).not.toContain(formatCurrency(truth.values.turnover_eur.estimate!));
      expect(text).not.toContain(formatNumber(truth.values.turnover_eur.estimate!));
    }
    expect((await new Browser(app).get('/beheer/branche.pdf?jaar=2020')).status).not.toBe(200);
    expect((await staff.get('/beheer/branche.pdf?jaar=1999')).status).toBe(404);
    const log = await staff.get('/beheer/uitgiftes');
    expect(log.text).toContain('KAnS 2020');
    expect(log.text).toMatch(/KAnS 2020[\s\S]*pdf|pdf[\s\S]*KAnS 2020/);
  });
});

describe('impactmonitor branch on the command line', () => {
  it('writes the protected figures as JSON, CSV and PDF, and refuses an unknown year or bad options', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'impact-branch-'));
    try {
      const env = cliEnv({ IMPACT_DATA_DIR: path.join(dir, 'data') });
      const frame = path.join(dir, 'frame.csv');
      await fs.writeFile(frame, [...demoFrameCsv(generateDemoFrame({ orgs: 120, seed: 7 }))].join(''));
      // Usage errors: exit 2 before the database is opened.
      const noYear = await runCli(['branch'], { env });
      expect(noYear.code).toBe(2);
      expect(noYear.stderr).toContain('--year YYYY ontbreekt');
      const badYear = await runCli(['branch', '--year', 'twintig'], { env });
      expect(badYear.code).toBe(2);
      expect(badYear.stderr).toContain('"twintig" is geen geldig peiljaar');
      expect((await runCli(['branch', '--year', '2019', '--format', 'xls'], { env })).stderr).toContain(
        'kies json, csv, csv-nl of pdf',
      );
      expect((await runCli(['branch', '--year', '2019', '--format', 'pdf'], { env })).code).toBe(2);
      const imported = await runCli(['frame', 'import', frame, '--year', '2019'], { env, timeoutMs: 180_000 });
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      // An unknown year: exit 1, saying which years there are, nothing written.
      const unknown = await runCli(['branch', '--year', '2018', '--out', path.join(dir, 'x.json')], { env });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('Er is geen populatie voor peiljaar 2018. Geïmporteerde jaren: 2019.');
      await expect(fs.access(path.join(dir, 'x.json'))).rejects.toThrow();

      const json = await runCli(['branch', '--year', '2019'], { env, timeoutMs: 180_000 });
      expect(json.code).toBe(0);
      const figures = JSON.parse(json.stdout);
      expect(figures.year).toBe(2019);
      const whole = figures.cells.find((c: { dimension: string | null }) => c.dimension === null);
      expect(whole.organisations).toBe(120);
      expect(whole.values.turnover_eur.estimate).toBeGreaterThan(0);
      const withheld = figures.cells.filter(
        (c: { values: { turnover_eur: { suppressed: boolean } } }) => c.values.turnover_eur.suppressed,
      );
      expect(withheld.length).toBeGreaterThan(0);
      for (const c of withheld) expect(c.values.turnover_eur.estimate).toBeNull();

      const csvFile = path.join(dir, 'branche.csv');
      expect((await runCli(['branch', '--year', '2019', '--format', 'csv', '--out', csvFile], { env })).code).toBe(0);
      const rows = Papa.parse<Record<string, string>>(await fs.readFile(csvFile, 'utf8'), {
        header: true,
        skipEmptyLines: true,
      }).data;
      expect(rows[0]).toMatchObject({
        Peiljaar: '2019',
        Organisaties: '120',
        Omzet: String(whole.values.turnover_eur.estimate),
      });

      const pdfFile = path.join(dir, 'branche.pdf');
      const pdf = await runCli(['branch', '--year', '2019', '--format', 'pdf', '--out', pdfFile], {
        env,
        timeoutMs: 180_000,
      });
      expect(pdf.code).toBe(0);
      const text = (await pdfText(await fs.readFile(pdfFile))).replace(/\s+/g, ' ');
      expect(text).toContain('De branche in cijfers');
      expect(text).toContain(`Hele branche 120 ${formatNumber(whole.members)}`);
      expect(text).toContain(shownBranchValue('turnover_eur', whole.values.turnover_eur.estimate, 'nl'));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
