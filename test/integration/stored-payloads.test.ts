// Stored hostile text (an organisation name, a text answer, a wave name, the
// browser string of a login session) goes
// out through every channel as inert text: escaped in HTML, neutralised in CSV,
// plain strings in XLSX, literal text in the PDF. Organisation names and text
// answers never reach the aggregate exports at all.

import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Express } from 'express';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillDemoResponses } from '../../server/demo/demo-responses';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { importResponses } from '../../surveys/responses/responses-import';
import { type TestDatabase, testDialects } from '../support/databases';
import { pdfText } from '../support/pdf-text';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, binary, makeUser, PASSWORD, testApp } from '../support/web-client';

const ORG_NAME = `=HYPERLINK("http://evil.example")<script>alert('org')</script>`;
const REMARK = `+SUM(1;2)<img src=x onerror=alert('tekst')>`;
const STORY = `@cmd<script>alert('verhaal')</script>`;
/** A formula hidden behind the other flavour's delimiter: Dutch Excel splits a standard CSV on `;`. */
const DELIMITER_NAME = 'Muziekschool x;=2+3, =4+5\t@SUM(1)';
const WAVE_NAME = `Meting <b onmouseover=alert('meting')>juni</b> (a) \\ "b"`;
/** A User-Agent that names no known browser, so Mijn account shows it as it came. */
const USER_AGENT = '=1+1<script>alert(1)</script>';
const HEADER =
  'kans_id;revenue_loss_eur;liquidity_months;lessons_cancelled_pct;online_lessons;online_share_pct;students_quit;refund_policy;schemes;freelance_teachers_affected;closure_risk;remarks;share_best_practice;best_practice;best_practice_consent';

const csvField = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** Split each line on every delimiter a spreadsheet might guess, ignoring quotes: no piece may start a formula. */
function expectNoFormulaUnderAnyDelimiter(text: string) {
  for (const line of text.replace(/^\ufeff/, '').split(/\r?\n/))
    for (const piece of line.split(/[,;\t]/))
      expect(piece.replace(/^[ "]+/, ''), line).not.toMatch(/^[=+@]|^-(?![\d.])/);
}

/** No markup of the payloads survives as markup. */
function expectInert(html: string) {
  expect(html).not.toContain('<script>alert(');
  expect(html).not.toContain('<img src=x');
  expect(html).not.toContain('<b onmouseover');
}

describe.each(testDialects())('stored hostile text in every output on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let staff: Browser;
  let member: Browser;
  let slug: string;
  let orgId: string;
  const qs = () => `wave=${slug}&stratify=org_type&by=province&q=revenue_loss_eur&q=schemes`;

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle, { orgs: 120, slug: 'juni' });
    slug = seeded.slug;
    orgId = seeded.rows[0].org_id;
    await fillDemoResponses(handle.db, { slug, frame: seeded.rows.slice(1), seed: 8, phase: 'lockdown', rate: 0.6 });
    const target = (await waveWithDefinition(handle.db, slug))!;
    const csv = `${HEADER}\n${orgId};€ 10.000;3;40;ja;50;10;partial;NOW|TVL;2;small;${csvField(REMARK)};ja;${csvField(STORY)};ja\n`;
    const imported = await importResponses(handle.db, {
      open: () => Readable.from([Buffer.from(csv)]),
      target,
      dryRun: false,
      actor: null,
    });
    expect(imported.errors).toEqual([]);
    await handle.db.updateTable('organisations').set({ name: ORG_NAME }).where('org_id', '=', orgId).execute();
    await handle.db.updateTable('frame_units').set({ name: ORG_NAME }).where('org_id', '=', orgId).execute();
    const other = seeded.rows[1].org_id;
    await handle.db.updateTable('organisations').set({ name: DELIMITER_NAME }).where('org_id', '=', other).execute();
    await handle.db.updateTable('frame_units').set({ name: DELIMITER_NAME }).where('org_id', '=', other).execute();
    await handle.db.updateTable('waves').set({ name: WAVE_NAME }).where('slug', '=', slug).execute();
    ({ app } = await testApp(handle));
    await makeUser(handle, 'staff@example.nl', 'staff');
    await makeUser(handle, 'lid@example.nl', 'member', orgId);
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    member = new Browser(app);
    await member.login('lid@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('escapes them in every HTML page that shows them', async () => {
    const monitor = await staff.get(`/beheer/metingen/${slug}`);
    expect(monitor.status).toBe(200);
    expect(monitor.text).toContain('&lt;script&gt;alert(');
    expect(monitor.text).toContain('Meting &lt;b onmouseover=alert(');
    const queue = await staff.get('/beheer/goede-voorbeelden');
    expect(queue.text).toContain('@cmd&lt;script&gt;alert(');
    // The member's review page shows the answers of a response still in progress.
    await handle.db.updateTable('responses').set({ status: 'draft' }).where('org_id', '=', orgId).execute();
    const review = await member.get(`/vragenlijst/${slug}/controle`);
    expect(review.status).toBe(200);
    expect(review.text).toContain('+SUM(1;2)&lt;img src=x');
    await handle.db.updateTable('responses').set({ status: 'submitted' }).where('org_id', '=', orgId).execute();
    const pages = [
      monitor,
      queue,
      review,
      await staff.get('/beheer/metingen'),
      await staff.get(`/beheer/rapportage?${qs()}`),
      await staff.get('/beheer/populatie'),
      await member.get('/'),
    ];
    for (const page of pages) expectInert(page.text);
  });

  it('neutralises them in the CSV downloads of answers, for staff and for the member', async () => {
    const all = await staff.get(`/beheer/metingen/${slug}/antwoorden.csv`);
    expect(all.status).toBe(200);
    const rows = Papa.parse<Record<string, string>>(all.text.replace(/^\ufeff/, ''), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const mine = rows.find((r) => Object.values(r).includes(orgId))!;
    const cells = Object.values(mine);
    expect(cells).toContain(`'${REMARK}`);
    expect(cells).toContain(`'${STORY}`);
    expect(mine.name).toBe(`'${ORG_NAME}`);
    // No cell of any row starts a formula.
    for (const row of rows)
      for (const cell of Object.values(row)) expect(cell, cell).not.toMatch(/^[=+@\t\r]|^-(?![\d.])/);
    expect(all.text).toContain(DELIMITER_NAME.replace(/([;,\t] *)([=@])/g, "$1'$2"));
    expectNoFormulaUnderAnyDelimiter(all.text);
    const nl = await staff.get(`/beheer/metingen/${slug}/antwoorden.csv?formaat=csv-nl`);
    expect(nl.status).toBe(200);
    expectNoFormulaUnderAnyDelimiter(nl.text);
    const own = await member.get(`/vragenlijst/${slug}/antwoorden.csv`);
    expect(own.status).toBe(200);
    expect(own.text).toContain(`'${REMARK}`);
    expect(own.text).not.toMatch(/(^|[,;\n])[=+@]/);
    expectNoFormulaUnderAnyDelimiter(own.text);
  });

  it('keeps organisation names and text answers out of the report CSV, XLSX and PDF, and the wave name inert', async () => {
    const csv = await staff.get(`/beheer/rapportage/export.csv?${qs()}`);
    expect(csv.status).toBe(200);
    for (const secret of ['HYPERLINK', 'SUM(1;2)', "alert('verhaal')"]) expect(csv.text).not.toContain(secret);

    const xlsx = await staff.get(`/beheer/rapportage/export.xlsx?${qs()}`).buffer(true).parse(binary);
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    const texts: string[] = [];
    book.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type, `${sheet.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
          texts.push(String(cell.text));
        }),
      ),
    );
    const all = texts.join('\n');
    for (const secret of ['HYPERLINK', 'SUM(1;2)', "alert('verhaal')"]) expect(all).not.toContain(secret);
    expect(all).toContain(WAVE_NAME);

    const pdf = await staff.get(`/beheer/rapportage/export.pdf?${qs()}`).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    const text = await pdfText(pdf.body as Buffer);
    for (const secret of ['HYPERLINK', 'SUM(1;2)', "alert('verhaal')"]) expect(text).not.toContain(secret);
    // The wave name is printed as the characters it is, brackets and backslash included.
    expect(text.replace(/\s+/g, ' ')).toContain(WAVE_NAME);
  });

  it('shows the browser string of another login session escaped on Mijn account', async () => {
    const second = new Browser(app);
    second.agent.set('User-Agent', USER_AGENT);
    expect((await second.login('staff@example.nl', PASSWORD)).status).toBe(303);
    const page = await staff.get('/mijn-account');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<strong>=1+1&lt;script&gt;alert(1)&lt;/script&gt;</strong>');
    expect(page.text).not.toContain('<script>alert(1)');
    expectInert(page.text);
  });
});
