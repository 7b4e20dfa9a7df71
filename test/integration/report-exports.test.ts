import ExcelJS from 'exceljs';
import type { Express } from 'express';
import Papa from 'papaparse';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../analysis/report/report';
import { formatAmount, formatCurrency } from '../../foundation/numbers/format-dutch';
import { fillDemoResponses } from '../../server/demo/demo-responses';
import { changeWaveStatus, createWave } from '../../surveys/waves/waves';
import { type TestDatabase, testDialects } from '../support/databases';
import { pdfText } from '../support/pdf-text';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, binary, makeUser, PASSWORD, testApp } from '../support/web-client';

describe.each(testDialects())('reports, exports and public results on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let staff: Browser;
  let slug: string;
  let frameRows: Awaited<ReturnType<typeof seedSurvey>>['rows'];
  const qs = () => `wave=${slug}&stratify=org_type&by=province&q=revenue_loss_eur&q=schemes`;

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle, { orgs: 120, slug: 'juni' });
    slug = seeded.slug;
    frameRows = seeded.rows;
    await fillDemoResponses(handle.db, { slug, frame: seeded.rows, seed: 8, phase: 'lockdown', rate: 0.5 });
    // An organisation with a hostile name and answer, to check escaping everywhere.
    await handle.db
      .updateTable('organisations')
      .set({ name: '<script>alert("x")</script>' })
      .where('org_id', '=', seeded.rows[0].org_id)
      .execute();
    ({ app } = await testApp(handle));
    await makeUser(handle, 'staff@example.nl', 'staff');
    await makeUser(handle, 'lid@example.nl', 'member', seeded.rows[1].org_id);
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('shows key figures, tables with suppressed cells as "–" with a footnote, charts and the method note', async () => {
    const page = await staff.get(`/beheer/rapportage?${qs()}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Kerncijfers');
    expect(page.text).toMatch(
      /Geschatte omzetderving: € [\d,]+ mln \(95%-betrouwbaarheidsinterval € [\d,]+ mln – € [\d,]+ mln\)/,
    );
    expect(page.text).toContain('data-chart-for="chart-0"');
    expect(page.text).toContain('Methode en geheimhouding');
    // The method note names the dominance rule in one pair of brackets (it said "((n,k)-regel)").
    expect(page.text).toContain('van het totaal zijn (dominantieregel, n = 2)');
    expect(page.text).not.toContain('((');
    expect(page.text).toContain('Respons en representativiteit');
    expect(page.text).toMatch(/– = niet gepubliceerd: /);
    expect(page.text).not.toContain('<script>alert');
    const member = new Browser(app);
    await member.login('lid@example.nl', PASSWORD);
    expect((await member.get(`/beheer/rapportage?${qs()}`)).status).toBe(403);
    expect((await member.get(`/beheer/rapportage/export.csv?${qs()}`)).status).toBe(403);
    expect((await staff.get(`/beheer/rapportage?wave=${slug}&stratify=kleur`)).status).toBe(400);
  });

  it('exports CSV with one row per estimate, never a suppressed value', async () => {
    const report = await buildReport(handle.db, {
      wave: slug,
      by: 'province',
      questions: ['revenue_loss_eur', 'schemes'],
    });
    const csv = await staff.get(`/beheer/rapportage/export.csv?${qs()}`);
    const rows = Papa.parse<Record<string, string>>(csv.text, { header: true, skipEmptyLines: true }).data;
    expect(rows).toHaveLength(report.estimates.length);
    expect(Object.keys(rows[0])).toEqual([
      'wave',
      'question',
      'statistic',
      'method',
      'auxiliary',
      'category',
      'dimension',
      'domain',
      'estimate',
      'se',
      'ci_low',
      'ci_high',
      'n',
      'n_band',
      'N',
      'suppressed',
      'reason',
      'previous',
      'change',
      'perturbed',
    ]);
    const suppressed = rows.filter((r) => r.suppressed === 'true');
    expect(suppressed.length).toBeGreaterThan(0);
    for (const r of suppressed) expect([r.estimate, r.se, r.ci_low, r.ci_high, r.n]).toEqual(['', '', '', '', '']);
    for (const r of suppressed) expect(r.n_band).not.toBe('');
    const nl = await staff.get(`/beheer/rapportage/export.csv-nl?${qs()}`);
    expect(nl.text.charCodeAt(0)).toBe(0xfeff);
    // Excel (NL): the same fields and values, named in Dutch, yes/no in Dutch.
    expect(nl.text.split('\r\n')[0]).toBe(
      '\ufeffmeting;vraagcode;statistiek;methode;hulpvariabele;categoriecode;uitsplitsing;groep;schatting;standaardfout;ondergrens;bovengrens;n;n_band;N;onderdrukt;reden;vorige_meting;verandering;verstoord',
    );
    const nlRows = Papa.parse<Record<string, string>>(nl.text.replace(/^\ufeff/, ''), {
      header: true,
      delimiter: ';',
      skipEmptyLines: true,
    }).data;
    expect(nlRows).toHaveLength(rows.length);
    nlRows.forEach((r, i) => {
      expect(r.schatting).toBe(rows[i].estimate.replace('.', ','));
      expect(r.onderdrukt).toBe(rows[i].suppressed === 'true' ? 'ja' : 'nee');
    });
  });

  it('exports the readable table as a workbook of real numbers with Dutch formats: the published cells, nothing withheld', async () => {
    const report = await buildReport(handle.db, {
      wave: slug,
      by: 'province',
      questions: ['revenue_loss_eur', 'schemes'],
    });
    const res = await staff.get(`/beheer/rapportage/export.table?${qs()}`).buffer(true).parse(binary);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toContain('-tabel.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as never);
    const sheet = book.getWorksheet('Tabel')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      'meting',
      'vraag',
      'statistiek',
      'antwoord',
      'uitsplitsing',
      'groep',
      'schatting',
      '95%-interval ondergrens',
      '95%-interval bovengrens',
      'vorige meting',
      'verandering',
      'organisaties met antwoord (n)',
      'organisaties in de populatie (N)',
      'toelichting',
    ]);
    expect(sheet.rowCount).toBe(report.estimates.length + 1);
    const col = (name: string) => header.indexOf(name) + 1;
    let withheld = 0;
    report.estimates.forEach((e, i) => {
      const row = sheet.getRow(i + 2);
      const estimate = row.getCell(col('schatting'));
      if (e.estimate === null) {
        // Withheld as on the page: "–" and the reason, the respondents as a band.
        withheld++;
        expect(estimate.value).toBe('–');
        expect(row.getCell(col('toelichting')).value).not.toBe('');
        expect(row.getCell(col('organisaties met antwoord (n)')).value).toBe(e.n_band ?? '–');
        return;
      }
      // The cell is the published number itself, so a spreadsheet computes with it.
      expect(estimate.value).toBe(e.estimate);
      // A bound the page withholds (an interval not published) is "–" here too.
      expect(row.getCell(col('95%-interval ondergrens')).value).toBe(e.ci_low ?? '–');
      expect(row.getCell(col('95%-interval bovengrens')).value).toBe(e.ci_high ?? '–');
      expect(row.getCell(col('organisaties met antwoord (n)')).value).toBe(e.n ?? e.n_band ?? '–');
      expect(row.getCell(col('organisaties in de populatie (N)')).value).toBe(e.N);
      expect(estimate.numFmt).toBe(e.statistic === 'proportion' ? '0.0%' : '[$€-413] #,##0;-[$€-413] #,##0');
      expect(row.getCell(col('organisaties in de populatie (N)')).numFmt).toBe('#,##0');
    });
    expect(withheld).toBeGreaterThan(0);
    expect(
      report.estimates.some(
        (e, i) => e.domain === '*' && sheet.getRow(i + 2).getCell(col('groep')).value === 'Hele branche',
      ),
    ).toBe(true);
    // No value that protection withholds is anywhere in the workbook.
    const open = await buildReport(handle.db, {
      wave: slug,
      by: 'province',
      questions: ['revenue_loss_eur', 'schemes'],
      protect: false,
    });
    const numbers = new Set<unknown>();
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        if (typeof cell.value === 'number') numbers.add(cell.value);
      });
    });
    for (const e of open.estimates.filter((x) => x.suppressed && x.estimate !== null && x.statistic === 'total'))
      expect(numbers.has(e.estimate)).toBe(false);
  });

  it('exports a PDF whose text holds the key figures and no suppressed value', async () => {
    const res = await staff.get(`/beheer/rapportage/export.pdf?${qs()}`).buffer(true).parse(binary);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(res.body as Buffer);
    const report = await buildReport(handle.db, {
      wave: slug,
      by: 'province',
      questions: ['revenue_loss_eur', 'schemes'],
    });
    const whole = report.estimates.find(
      (e) => e.question === 'revenue_loss_eur' && e.statistic === 'total' && e.domain === '*',
    )!;
    expect(text).toContain('Kerncijfers');
    expect(text).toContain('betrouwbaarheidsinterval');
    expect(text).toContain(formatAmount(whole.estimate!));
    expect(text).toMatch(/Pagina 2 van \d+/);
    expect(text).toContain('Methode en geheimhouding');
    expect(text.replace(/\s+/g, ' ')).toContain('(dominantieregel, n = 2)');
    expect(text).not.toContain('((');
    // An embedded Unicode font: the chi-square sentence reads as written, not as mojibake.
    expect(text).toMatch(/χ² = \d+(,\d+)?, df = \d+, p = /);
    // The values hidden by disclosure control appear nowhere in the PDF.
    const open = await buildReport(handle.db, {
      wave: slug,
      by: 'province',
      questions: ['revenue_loss_eur'],
      protect: false,
    });
    for (const e of open.estimates.filter((x) => x.suppressed && x.estimate !== null && x.statistic === 'total')) {
      expect(text).not.toContain(formatCurrency(e.estimate!));
      expect(text).not.toContain(formatAmount(e.estimate!));
    }
  });

  it('names the reference period on the form, the report, the PDF cover, and gives amounts per month', async () => {
    await handle.db
      .updateTable('waves')
      .set({ period_start: '2020-05-01', period_end: '2020-05-31' })
      .where('slug', '=', slug)
      .execute();
    const member = new Browser(app);
    await member.login('lid@example.nl', PASSWORD);
    try {
      const form = await member.get(`/vragenlijst/${slug}/stap/1`);
      expect(form.text).toContain('Het gaat om de periode 1 mei 2020 tot en met 31 mei 2020.');
      const page = await staff.get(`/beheer/rapportage?${qs()}`);
      expect(page.text).toContain('Het gaat om de periode 1 mei 2020 tot en met 31 mei 2020.');
      // A one-month period: the key figure does not repeat itself "per maand" (issue 21, point 5).
      expect(page.text).toMatch(/Geschatte omzetderving: € [\d,.]+ (mln)?/);
      expect(page.text).not.toMatch(/Geschatte omzetderving: [^<]*per maand/);
      const pdf = await staff.get(`/beheer/rapportage/export.pdf?${qs()}`).buffer(true).parse(binary);
      const text = (await pdfText(pdf.body as Buffer)).replace(/\s+/g, ' ');
      expect(text).toContain('Periode: 1 mei 2020 tot en met 31 mei 2020');
      // The wave is open: the cover says the figures are provisional.
      expect(text).toContain('Voorlopige cijfers: de meting is nog open.');
    } finally {
      await handle.db
        .updateTable('waves')
        .set({ period_start: null, period_end: null })
        .where('slug', '=', slug)
        .execute();
    }
  });

  it('serves each chart as a valid PNG and the XLSX with its rows', async () => {
    const png = await staff.get(`/beheer/rapportage/grafiek/0.png?${qs()}`).buffer(true).parse(binary);
    const body = png.body as Buffer;
    expect(body.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(body.readUInt32BE(16)).toBe(900);
    expect((await staff.get(`/beheer/rapportage/grafiek/99.png?${qs()}`)).status).toBe(404);
    const xlsx = await staff.get(`/beheer/rapportage/export.xlsx?${qs()}`).buffer(true).parse(binary);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    const sheet = book.getWorksheet('Schattingen')!;
    // Sheets and columns in Dutch; the English workbook keeps the JSON's field names.
    expect(sheet.getRow(1).getCell(1).value).toBe('vraagcode');
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['vraagcode', 'vraag', 'statistiek']);
    expect(sheet.rowCount).toBeGreaterThan(10);
    expect(book.getWorksheet('Methode')).toBeTruthy();
  });

  it('saves and reopens report settings', async () => {
    const page = await staff.get(`/beheer/rapportage?${qs()}`);
    const token = page.text.match(/name="_csrf" value="([^"]+)"/)![1];
    const saved = await staff.agent
      .post('/beheer/rapportage/opslaan')
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&name=${encodeURIComponent('Omzet per provincie')}&${qs()}`);
    expect(saved.status).toBe(303);
    const row = await handle.db.selectFrom('report_settings').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      name: 'Omzet per provincie',
      wave_slug: slug,
      stratify: 'org_type',
      by_variable: 'province',
      questions: 'revenue_loss_eur,schemes',
    });
    const reopen = await staff.get(`/beheer/rapportage?instelling=${row.id}`);
    expect(reopen.headers.location).toContain('by=province');
  });

  it('publishes after a preview and a confirmation: frozen, protected, stored files, versions, embeddable, until withdrawn', async () => {
    // The preview shows exactly what will be public, and warns that the wave is still open.
    const preview = await staff.get(`/beheer/rapportage/publiceren?${qs()}`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Zo ziet de openbare pagina eruit');
    expect(preview.text).toContain('Deze meting is nog open');
    const token = preview.text.match(/name="_csrf" value="([^"]+)"/)![1];
    const post = (extra: string, title = 'Coronamonitor juni 2020') =>
      staff.agent
        .post('/beheer/rapportage/publiceren')
        .type('form')
        .send(`_csrf=${encodeURIComponent(token)}&title=${encodeURIComponent(title)}&slug=juni-2020&${qs()}${extra}`);
    // Without the confirmation nothing is published, and the form says why.
    const unconfirmed = await post('');
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.text).toContain('Bevestig dat u de voorbeeldweergave hebt gecontroleerd');
    expect(await handle.db.selectFrom('publications').select('id').execute()).toEqual([]);
    const published = await post('&confirm=ja');
    expect(published.status).toBe(303);
    expect(published.headers.location).toBe('/beheer/publicaties/juni-2020');
    const confirmation = await staff.get('/beheer/publicaties/juni-2020');
    expect(confirmation.text).toContain('/resultaten/juni-2020');
    expect(confirmation.text).toContain('&lt;iframe src=');
    const anonymous = request(app);
    const pub = await anonymous.get('/resultaten/juni-2020');
    expect(pub.status).toBe(200);
    expect(pub.text).toContain('Coronamonitor juni 2020');
    expect(pub.text).toContain('Kerncijfers');
    expect(pub.text).toContain('Voorlopige cijfers');
    expect((await anonymous.get('/resultaten')).text).toContain('/resultaten/juni-2020');
    // Downloads and charts were rendered once, at publication, and are served as stored bytes.
    const files = await handle.db.selectFrom('publication_files').select('name').execute();
    expect(files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['download.pdf', 'download.xlsx', 'download.csv', 'grafiek/0.png']),
    );
    const png = await anonymous.get('/resultaten/juni-2020/grafiek/0.png');
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['cache-control']).toContain('public');
    expect(
      (await anonymous.get('/resultaten/juni-2020/grafiek/0.png').set('If-None-Match', png.headers.etag)).status,
    ).toBe(304);
    const pdf = await anonymous.get('/resultaten/juni-2020/download.pdf').buffer(true).parse(binary);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await anonymous.get('/resultaten/juni-2020/download.csv')).status).toBe(200);
    // The readable table is a workbook by type and by name (it is stored as download.table).
    const table = await anonymous.get('/resultaten/juni-2020/download.table');
    expect(table.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(table.headers['content-disposition']).toMatch(/^attachment; filename="?juni-2020-tabel\.xlsx"?$/);
    const embed = await anonymous.get('/resultaten/juni-2020/insluiten/0');
    expect(embed.headers['content-security-policy']).toContain('frame-ancestors *');
    expect(embed.headers['x-frame-options']).toBeUndefined();
    expect((await anonymous.get('/resultaten/juni-2020')).headers['x-frame-options']).toBe('SAMEORIGIN');
    // The snapshot is frozen and protected.
    const stored = await handle.db.selectFrom('publications').select('report').executeTakeFirstOrThrow();
    const snapshot = typeof stored.report === 'string' ? JSON.parse(stored.report) : stored.report;
    expect(
      snapshot.estimates.every(
        (e: { suppressed: boolean; estimate: number | null }) => !e.suppressed || e.estimate === null,
      ),
    ).toBe(true);
    // Publishing the same wave at the same address again makes version 2, which the address shows.
    const again = await post('&confirm=ja', 'Juni, tweede versie');
    expect(again.status).toBe(303);
    expect((await anonymous.get('/resultaten/juni-2020')).text).toContain('Juni, tweede versie');
    const versions = await handle.db
      .selectFrom('publications')
      .select(['version', 'replaced_at'])
      .orderBy('version')
      .execute();
    expect(versions.map((v) => [v.version, v.replaced_at !== null])).toEqual([
      [1, true],
      [2, false],
    ]);
    // The release log says what left the tool.
    await staff.get(`/beheer/rapportage/export.csv?${qs()}`);
    const log = await staff.get('/beheer/uitgiftes');
    expect(log.text).toContain('Publicatie');
    expect(log.text).toContain('Export');
    expect(log.text).toContain('staff@example.nl');
    const t2 = confirmation.text.match(/name="_csrf" value="([^"]+)"/)![1];
    expect(
      (await staff.agent.post('/beheer/publicaties/juni-2020/intrekken').type('form').send({ _csrf: t2 })).status,
    ).toBe(303);
    expect((await anonymous.get('/resultaten/juni-2020')).status).toBe(404);
    expect((await staff.get('/beheer/uitgiftes')).text).toContain('Intrekking');
  });

  it('shows the development across waves as a chart with a table per wave, on the page and in the PDF', async () => {
    await createWave(
      handle.db,
      { surveyKey: 'corona-impact', slug: 'juli', name: 'Juli <b>2020</b>', frameYear: 2019 },
      null,
    );
    await changeWaveStatus(handle.db, 'juli', 'open', null);
    await fillDemoResponses(handle.db, { slug: 'juli', frame: frameRows, seed: 9, phase: 'reopening', rate: 0.5 });
    const query = 'wave=juli&stratify=org_type&q=revenue_loss_eur';
    const report = await buildReport(handle.db, { wave: 'juli', questions: ['revenue_loss_eur'] });
    const total = report.trend!.series.find((x) => x.statistic === 'total')!;
    const page = await staff.get(`/beheer/rapportage?${query}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ontwikkeling over de metingen (hele branche)');
    expect(page.text).toContain('data-chart-for="trend-0"');
    // The table is the chart's text alternative: every wave with its value, the names escaped.
    expect(page.text).toContain(
      `<th scope="row">Coronamonitor mei 2020</th><td class="num">${formatAmount(total.points[0].estimate!)}</td>`,
    );
    expect(page.text).toContain(
      `<th scope="row">Juli &lt;b&gt;2020&lt;/b&gt;</th><td class="num">${formatAmount(total.points[1].estimate!)}</td>`,
    );
    // The ministry PDF has the line; with two waves its per-wave table would only repeat the main
    // table's "Vorige meting" column, so the PDF leaves it out (pdf-report.ts, trendTableForPdf).
    const pdf = await staff.get(`/beheer/rapportage/export.pdf?${query}`).buffer(true).parse(binary);
    const text = (await pdfText(pdf.body as Buffer)).replace(/\s+/g, ' ');
    expect(text).toContain('Ontwikkeling over de metingen (hele branche)');
    // The cover names the wave that column compares with.
    expect(text).toContain('Vergeleken met: Coronamonitor mei 2020');
    expect(text).toContain(
      `Hele branche ${formatAmount(total.points[1].estimate!)} ${formatAmount(report.estimates[0].ci_low!)} – ${formatAmount(report.estimates[0].ci_high!)} ${formatAmount(total.points[0].estimate!)}`,
    );
  });
});
