import ExcelJS from 'exceljs';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, type SurveyDefinition } from '../../surveys/definition-schema';
import { definitionFromXlsx, definitionToXlsx } from '../../surveys/definition-xlsform';
import { loadDefinition } from '../../surveys/definitions';
import { type TestDatabase, testDialects } from '../support/databases';
import { CORONA, seedSurvey } from '../support/survey-fixtures';
import { Browser, binary, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

/** The corona workbook as a policy officer edits it in Excel. */
async function editedWorkbook(edit: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await definitionToXlsx(CORONA)) as unknown as ArrayBuffer);
  edit(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
function row(wb: ExcelJS.Workbook, sheet: string, name: string, nameColumn = 2): ExcelJS.Row {
  const ws = wb.getWorksheet(sheet)!;
  for (let r = 2; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(nameColumn).value === name) return ws.getRow(r);
  throw new Error(name);
}

describe.each(testDialects())(
  'staff: questionnaires as Excel and JSON files, new versions by upload on $kind',
  (dialect) => {
    let handle: TestDatabase;
    let app: Express;
    let staff: Browser;

    const versions = async () =>
      (
        await handle.db
          .selectFrom('survey_definitions')
          .select('version')
          .where('key', '=', 'corona-impact')
          .orderBy('version')
          .execute()
      ).map((r) => r.version);

    async function upload(browser: Browser, data: Buffer, fileName: string, fields: Record<string, string> = {}) {
      const page = await browser.get('/beheer/vragenlijsten');
      let req = browser.agent.post('/beheer/vragenlijsten/upload').field('_csrf', csrfFrom(page.text));
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return req.attach('file', data, fileName);
    }

    beforeAll(async () => {
      handle = await dialect.create();
      await seedSurvey(handle, { orgs: 12 });
      ({ app } = await testApp(handle));
      await makeUser(handle, 'staff@example.nl', 'staff');
      staff = new Browser(app);
      await staff.login('staff@example.nl', PASSWORD);
    });
    afterAll(async () => {
      await handle?.close();
    });

    it('downloads any version as an XLSForm workbook and as JSON that read back as the same definition', async () => {
      const page = await staff.get('/beheer/vragenlijsten/corona-impact/1');
      expect(page.text).toContain('href="/beheer/vragenlijsten/corona-impact/1/download/xlsx"');
      expect(page.text).toContain('Dit is de eerste versie van deze vragenlijst.');
      const xlsx = await staff.get('/beheer/vragenlijsten/corona-impact/1/download/xlsx').buffer(true).parse(binary);
      expect(xlsx.status).toBe(200);
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      expect(xlsx.headers['content-disposition']).toContain('corona-impact-versie-1.xlsx');
      const read = await definitionFromXlsx(xlsx.body as Buffer);
      expect(read.ok && canonicalJson(read.definition)).toBe(canonicalJson(CORONA));
      const json = await staff.get('/beheer/vragenlijsten/corona-impact/1/download/json');
      expect(json.headers['content-type']).toContain('application/json');
      expect(canonicalJson(JSON.parse(json.text))).toBe(canonicalJson(CORONA));
      expect((await staff.get('/beheer/vragenlijsten/corona-impact/1/download/csv')).status).toBe(404);
      expect((await staff.get('/beheer/vragenlijsten/corona-impact/9/download/xlsx')).status).toBe(404);
    });

    it('refuses an upload without a valid CSRF token before the file, and members altogether', async () => {
      const data = await definitionToXlsx(CORONA);
      const noToken = await staff.agent.post('/beheer/vragenlijsten/upload').attach('file', data, 'v.xlsx');
      expect(noToken.status).toBe(403);
      const page = await staff.get('/beheer/vragenlijsten');
      const fileFirst = await staff.agent
        .post('/beheer/vragenlijsten/upload')
        .attach('file', data, 'v.xlsx')
        .field('_csrf', csrfFrom(page.text));
      expect(fileFirst.status).toBe(403);
      const orgId = (await handle.db.selectFrom('organisations').select('org_id').executeTakeFirstOrThrow()).org_id;
      await makeUser(handle, 'lid@example.nl', 'member', orgId);
      const member = new Browser(app);
      await member.login('lid@example.nl', PASSWORD);
      expect((await member.get('/beheer/vragenlijsten/corona-impact/1/download/json')).status).toBe(403);
      expect((await upload(member, data, 'v.xlsx')).status).toBe(403);
      expect(await versions()).toEqual([1]);
    });

    it('shows every problem of a malformed workbook with sheet, row and column, and stores nothing', async () => {
      const data = await editedWorkbook((wb) => {
        row(wb, 'survey', 'extra_costs_eur').getCell(1).value = 'geopoint';
        row(wb, 'survey', 'online_share_pct').getCell(8).value =
          "${online_lessons} = 'ja' and string-length(${students_quit}) > 3";
      });
      const res = await upload(staff, data, 'vragenlijst.xlsx');
      expect(res.status).toBe(422);
      expect(res.text).toContain('Er is een probleem');
      expect(res.text).toMatch(/Blad survey, rij \d+, kolom type \(A\): Onbekend type &#34;geopoint&#34;/);
      // and is read now; a function Impactmonitor cannot evaluate is refused at its position.
      expect(res.text).toMatch(
        /Blad survey, rij \d+, kolom relevant \(H\): .*de functie &#34;string-length&#34; kan Impactmonitor niet uitvoeren.*\(bij teken 30\)/,
      );
      expect(res.text).toContain('aria-invalid="true"');
      expect((await staff.get('/beheer/vragenlijsten/upload/controle')).status).toBe(404);
      const badJson = await upload(staff, Buffer.from('{"key": "corona-impact", "version": 2'), 'v.json');
      expect(badJson.status).toBe(422);
      expect(badJson.text).toContain('Het bestand is geen geldige JSON');
      expect(await versions()).toEqual([1]);
    });

    it('previews the differences of an uploaded workbook, highlights comparability breaks, and stores it only on confirmation', async () => {
      const data = await editedWorkbook((wb) => {
        // reworded (keeps its key), a removed option (breaks comparability), a new question
        row(wb, 'survey', 'students_quit').getCell(3).value = 'Hoeveel leerlingen zegden sinds maart hun lessen op?';
        const togs = row(wb, 'choices', 'TOGS');
        wb.getWorksheet('choices')!.spliceRows(togs.number, 1);
        const survey = wb.getWorksheet('survey')!;
        survey.insertRow(row(wb, 'survey', 'liquidity_months').number + 1, [
          'integer',
          'rent_months',
          'Hoeveel maanden huur kon u niet betalen?',
          'How many months of rent could you not pay?',
        ]);
      });
      const res = await upload(staff, data, 'corona-september.xlsx');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/beheer/vragenlijsten/upload/controle');
      expect(await versions()).toEqual([1]);

      const preview = await staff.get('/beheer/vragenlijsten/upload/controle');
      expect(preview.status).toBe(200);
      expect(preview.text).toContain('Wordt opgeslagen als versie 2 van &#34;corona-impact&#34;.');
      expect(preview.text).toContain('Het bestand noemt versie 1; omdat die al bestaat, wordt het versie 2.');
      expect(preview.text).toContain('1 toegevoegd, 0 verwijderd, 2 gewijzigd');
      expect(preview.text).toContain('Let op: 1 vraag is zo gewijzigd');
      expect(preview.text).toMatch(/Toegevoegd:<\/strong> Hoeveel maanden huur kon u niet betalen\?/);
      expect(preview.text).toMatch(/Optie verwijderd: TOGS [^<]*\(TOGS\) <strong class="diff-breaks-tag">/);
      expect(preview.text).toContain('Anders geformuleerd; was:');
      expect(preview.text).toContain('Opslaan als versie 2');

      // A confirmation for other content (another tab uploaded meanwhile) stores nothing.
      const stale = await staff.submit(
        '/beheer/vragenlijsten/upload/controle',
        '/beheer/vragenlijsten/upload/controle',
        {
          checksum: 'iets-anders',
        },
      );
      expect(stale.status).toBe(409);
      expect(await versions()).toEqual([1]);

      const page = await staff.get('/beheer/vragenlijsten/upload/controle');
      const checksum = page.text.match(/name="checksum" value="([0-9a-f]+)"/)![1];
      const stored = await staff.submit(
        '/beheer/vragenlijsten/upload/controle',
        '/beheer/vragenlijsten/upload/controle',
        {
          checksum,
        },
      );
      expect(stored.status).toBe(303);
      expect(stored.headers.location).toBe('/beheer/vragenlijsten/corona-impact/2');
      expect(await versions()).toEqual([1, 2]);
      const v2 = await handle.db
        .selectFrom('survey_definitions')
        .select('definition')
        .where('key', '=', 'corona-impact')
        .where('version', '=', 2)
        .executeTakeFirstOrThrow();
      const def = (typeof v2.definition === 'string' ? JSON.parse(v2.definition) : v2.definition) as SurveyDefinition;
      const keys = def.pages.flatMap((p) => p.questions.map((q) => q.key));
      expect(keys).toContain('rent_months');
      expect(
        def.pages
          .flatMap((p) => p.questions)
          .find((q) => q.key === 'schemes')!
          .options!.map((o) => o.value),
      ).not.toContain('TOGS');
      const audit = await handle.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'survey.load')
        .where('entity_id', '=', 'corona-impact@2')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0].details).toMatchObject({ source: 'web', file: 'corona-september.xlsx' });
      expect(audit[0].actor_user_id).not.toBeNull();

      // The version's page shows its differences from the previous version; the upload is gone.
      const page2 = await staff.get('/beheer/vragenlijsten/corona-impact/2');
      expect(page2.text).toContain('Versie 2 van &#34;corona-impact&#34; is opgeslagen.');
      expect(page2.text).toContain('Verschillen met versie 1');
      expect(page2.text).toContain('Niet vergelijkbaar met eerdere metingen');
      expect((await staff.get('/beheer/vragenlijsten/upload/controle')).status).toBe(404);
    });

    it("previews a workbook with other tools' columns, listing them once as ignored; refuses a repeat by its row", async () => {
      const before = await versions();
      const data = await editedWorkbook((wb) => {
        const survey = wb.getWorksheet('survey')!;
        const free = survey.columnCount + 1;
        survey.getRow(1).getCell(free).value = '$kuid';
        survey.getRow(1).getCell(free + 1).value = 'appearance';
        survey.getRow(2).getCell(free).value = 'k1';
        survey.getRow(2).getCell(free + 1).value = 'field-list';
      });
      const res = await upload(staff, data, 'kobo.xlsx');
      expect(res.status).toBe(303);
      const preview = await staff.get(res.headers.location);
      expect(preview.text).toContain('Gelezen, met deze kanttekeningen:');
      expect(preview.text).toContain(
        'Blad survey, rij 1: Deze kolommen gebruikt Impactmonitor niet; genegeerd: $kuid, appearance.',
      );
      expect(preview.text).toContain('Dit bestand is gelijk aan versie 1; er is niets opgeslagen.');
      await staff.submit('/beheer/vragenlijsten/upload/controle', '/beheer/vragenlijsten/upload/annuleren', {});

      const repeat = await editedWorkbook((wb) => {
        row(wb, 'survey', 'extra_costs_eur').getCell(1).value = 'begin_repeat';
      });
      const refused = await upload(staff, repeat, 'kobo.xlsx');
      expect(refused.status).toBe(422);
      expect(refused.text).toMatch(/Rij \d+: herhalende groepen \(begin_repeat\) kan Impactmonitor niet uitvragen\./);
      expect(await versions()).toEqual(before);
    });

    it('takes a JSON file too; a file equal to a stored version, or for another questionnaire, stores nothing', async () => {
      const same = await upload(staff, Buffer.from(JSON.stringify(CORONA)), 'corona.json');
      expect(same.status).toBe(303);
      const preview = await staff.get(same.headers.location);
      expect(preview.text).toContain('Dit bestand is gelijk aan versie 1; er is niets opgeslagen.');
      expect(preview.text).not.toContain('name="checksum"');
      await staff.submit('/beheer/vragenlijsten/upload/controle', '/beheer/vragenlijsten/upload/annuleren', {});
      expect((await staff.get('/beheer/vragenlijsten/upload/controle')).status).toBe(404);

      const other = { ...CORONA, key: 'andere-vragenlijst' };
      const mismatch = await upload(staff, Buffer.from(JSON.stringify(other)), 'andere.json', { key: 'corona-impact' });
      expect(mismatch.status).toBe(422);
      expect(mismatch.text).toContain(
        'Dit bestand is vragenlijst &#34;andere-vragenlijst&#34;, niet &#34;corona-impact&#34;.',
      );

      // A new questionnaire from JSON keeps its own version number.
      const created = await upload(staff, Buffer.from(JSON.stringify(other)), 'andere.json');
      const newPage = await staff.get(created.headers.location);
      expect(newPage.text).toContain(
        'Dit is een nieuwe vragenlijst (sleutel &#34;andere-vragenlijst&#34;) met 19 vragen.',
      );
      // Meanwhile someone stores that questionnaire: the confirmation is refused.
      await loadDefinition(handle.db, other, null);
      const checksum = newPage.text.match(/name="checksum" value="([0-9a-f]+)"/)![1];
      const refused = await staff.submit(
        '/beheer/vragenlijsten/upload/controle',
        '/beheer/vragenlijsten/upload/controle',
        {
          checksum,
        },
      );
      expect(refused.status).toBe(409);
      expect(await versions()).toEqual([1, 2]);
    });
  },
);
