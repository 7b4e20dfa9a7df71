import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { exportResponses } from '../../surveys/responses/responses-export';
import { importResponses } from '../../surveys/responses/responses-import';
import { cliEnv, runCli } from '../support/cli';
import { type TestDatabase, testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';

const HEADER =
  'kans_id;revenue_loss_eur;liquidity_months;lessons_cancelled_pct;online_lessons;online_share_pct;students_quit;refund_policy;schemes;freelance_teachers_affected;closure_risk;remarks';
const text = (s: string) => () => Readable.from([Buffer.from(s)]);

async function counts(db: TestDatabase['db']) {
  return {
    responses: (await sql<{ n: number }>`select count(*)::int as n from responses`.execute(db)).rows[0].n,
    answers: (await sql<{ n: number }>`select count(*)::int as n from answers`.execute(db)).rows[0].n,
  };
}

describe.each(testDialects())('responses import and export on $kind', (dialect) => {
  let handle: TestDatabase;
  let orgs: string[];
  let slug: string;
  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle);
    orgs = seeded.rows.map((r) => r.org_id);
    slug = seeded.slug;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('refuses a file with any error, naming line and column, and writes nothing', async () => {
    const target = (await waveWithDefinition(handle.db, slug))!;
    const before = await counts(handle.db);
    const file = [
      HEADER,
      `${orgs[0]};€ 10.000;3;40;ja;50;10;partial;NOW|TVL;2;small;`,
      `${orgs[1]};veel;3;40;nee;;10;partial;NOW|none;2;small;`,
      `ONBEKEND;1000;3;40;nee;;10;partial;NOW;2;small;`,
      `${orgs[0]};1000;3;140;nee;;10;partial;NOW;2;small;`,
      `${orgs[2]};1000;;40;nee;;10;alles;NOW;2;small;`,
    ].join('\n');
    const result = await importResponses(handle.db, { open: text(file), target, dryRun: false, actor: null });
    expect(result.written).toBe(false);
    expect(result.errors.map((e) => `${e.line}:${e.column}:${e.key}`)).toEqual([
      '3:revenue_loss_eur:survey.answer.not_a_number.currency',
      '3:schemes:survey.answer.exclusive_option',
      '4:kans_id:responses.error.unknown_org',
      '5:kans_id:responses.error.duplicate_org',
      '5:lessons_cancelled_pct:survey.answer.above_max',
      '6:refund_policy:survey.answer.unknown_option',
      '6:liquidity_months:responses.error.required',
    ]);
    expect(await counts(handle.db)).toEqual(before);
    const badHeader = await importResponses(handle.db, {
      open: text('org_id;omzet\nX;1\n'),
      target,
      dryRun: false,
      actor: null,
    });
    expect(badHeader.errors.map((e) => `${e.line}:${e.key}`)).toEqual(['1:responses.error.unknown_question']);
  });

  it("imports valid rows as submitted responses, with the form's rules for hidden questions", async () => {
    const target = (await waveWithDefinition(handle.db, slug))!;
    const file = [
      HEADER,
      `${orgs[0]};€ 10.000;3;40;ja;50;10;partial;NOW|TVL;2;small;=HYPERLINK("x")`,
      `${orgs[1]};2500,5;1,5;10;nee;80;0;none;none;0;none;ok`,
    ].join('\r\n');
    const dry = await importResponses(handle.db, { open: text(file), target, dryRun: true, actor: null });
    expect(dry).toMatchObject({ rows: 2, created: 2, written: false, errors: [] });
    expect((await counts(handle.db)).responses).toBe(0);
    const result = await importResponses(handle.db, { open: text(file), target, dryRun: false, actor: null });
    expect(result).toMatchObject({ rows: 2, created: 2, written: true });
    const rows = await handle.db
      .selectFrom('responses')
      .select(['org_id', 'status', 'source'])
      .orderBy('org_id')
      .execute();
    expect(rows).toEqual([
      { org_id: orgs[0], status: 'submitted', source: 'import' },
      { org_id: orgs[1], status: 'submitted', source: 'import' },
    ]);
    // online_share_pct was given for an organisation without online lessons: discarded as hidden.
    const hidden = await handle.db
      .selectFrom('answers')
      .innerJoin('responses', 'responses.id', 'answers.response_id')
      .select(['hidden', 'value_num'])
      .where('org_id', '=', orgs[1])
      .where('question_key', '=', 'online_share_pct')
      .executeTakeFirstOrThrow();
    expect(hidden).toEqual({ hidden: true, value_num: null });
    const again = await importResponses(handle.db, { open: text(file), target, dryRun: false, actor: null });
    expect(again.errors.map((e) => e.key)).toEqual([
      'responses.error.already_submitted',
      'responses.error.already_submitted',
    ]);
  });

  it('exports one row per response with every answer, neutralising formulas', async () => {
    const target = (await waveWithDefinition(handle.db, slug))!;
    const csv = await exportResponses(handle.db, target, 'csv');
    const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
    expect(parsed.data).toHaveLength(2);
    expect(parsed.data[0]).toMatchObject({
      org_id: orgs[0],
      status: 'submitted',
      revenue_loss_eur: '10000',
      schemes: 'NOW|TVL',
      online_lessons: 'ja',
      remarks: `'=HYPERLINK("x")`,
    });
    expect(parsed.data[1]).toMatchObject({ revenue_loss_eur: '2500.5', online_share_pct: '' });
    expect(parsed.data[0].submitted_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('writes the Excel (NL) export for reading: Dutch headers, Amsterdam time, option labels, decimal commas', async () => {
    const target = (await waveWithDefinition(handle.db, slug))!;
    // 22:30 UTC on 12 June is 00:30 on 13 June in Amsterdam (summer time); 23:15 UTC on 1 Feb is 00:15 on 2 Feb (winter time).
    await sql`update responses set submitted_at = ${new Date('2020-06-12T22:30:00Z')} where org_id = ${orgs[0]}`.execute(
      handle.db,
    );
    await sql`update responses set submitted_at = ${new Date('2021-02-01T23:15:00Z')} where org_id = ${orgs[1]}`.execute(
      handle.db,
    );
    const nl = await exportResponses(handle.db, target, 'csv-nl');
    expect(nl.startsWith('\uFEFF"KAnS-id";Organisatie;Status;Bron;"Ingediend op";')).toBe(true);
    const parsed = Papa.parse<Record<string, string>>(nl.slice(1), {
      header: true,
      delimiter: ';',
      skipEmptyLines: true,
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).not.toContain('submitted_at');
    expect(parsed.meta.fields).not.toContain('revenue_loss_eur');
    const [first, second] = parsed.data;
    expect(first).toMatchObject({
      'KAnS-id': orgs[0],
      Status: 'ingediend',
      Bron: 'import',
      'Ingediend op': '13-06-2020 00:30',
      'Hoeveel omzet bent u in deze periode misgelopen?': '10000',
      'Heeft u lessen online voortgezet?': 'ja',
      'Hoe gaat u om met lesgeld voor lessen die niet doorgingen?': 'Gedeeltelijk terugbetaald',
      'Van welke steunmaatregelen maakt u gebruik?':
        'NOW (tegemoetkoming loonkosten); TVL (tegemoetkoming vaste lasten)',
      'Hoe groot schat u het risico dat uw organisatie binnen een jaar moet sluiten?': 'Klein',
      'Heeft u nog opmerkingen?': `'=HYPERLINK("x")`,
    });
    expect(second).toMatchObject({
      'Ingediend op': '02-02-2021 00:15',
      'Hoeveel omzet bent u in deze periode misgelopen?': '2500,5',
      'Hoeveel maanden kunt u uw vaste lasten nog betalen?': '1,5',
      'Heeft u lessen online voortgezet?': 'nee',
      // Hidden by "no online lessons": empty, as in the analysts' file.
      'Welk deel van de lessen heeft u online gegeven?': '',
      'Van welke steunmaatregelen maakt u gebruik?': 'Geen',
    });
    // The analysts' file keeps its contract: keys, codes, ISO UTC time.
    const analyst = Papa.parse<Record<string, string>>(await exportResponses(handle.db, target, 'csv'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(analyst[0]).toMatchObject({
      submitted_at: '2020-06-12T22:30:00.000Z',
      schemes: 'NOW|TVL',
      refund_policy: 'partial',
    });
  });
  it('reads files as Excel saves them, and names broken quotes, extra fields and mixed encodings by line', async () => {
    const target = (await waveWithDefinition(handle.db, slug))!;
    const before = await counts(handle.db);
    const broken = [
      HEADER,
      `${orgs[3]};1000;3;40;nee;;1;none;none;0;none;ok`,
      `${orgs[4]};1000;3;40;nee;;1;none;none;0;none;ok;extra`,
      `${orgs[5]};1000;3;40;nee;;1;none;none;0;none;"niet "goed" gequote"`,
      `${orgs[6]};1000;3;40;nee;;1;none;none;0;none;"nooit gesloten`,
      `${orgs[7]};1000;3;40;nee;;1;none;none;0;none;ok`,
    ].join('\n');
    const result = await importResponses(handle.db, { open: text(broken), target, dryRun: false, actor: null });
    expect(result.written).toBe(false);
    expect(result.errors.map((e) => `${e.line}:${e.key}`)).toEqual([
      '3:frame.error.too_many_fields',
      '4:frame.error.invalid_quotes',
      '5:frame.error.unclosed_quote',
    ]);
    const mixed = Buffer.concat([
      Buffer.from(`${HEADER}\n${orgs[3]};1000;3;40;nee;;1;none;none;0;none;Zoë\n`),
      Buffer.from(`${orgs[4]};1000;3;40;nee;;1;none;none;0;none;caf`),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    const mixedResult = await importResponses(handle.db, {
      open: () => Readable.from([mixed]),
      target,
      dryRun: false,
      actor: null,
    });
    expect(mixedResult.errors.map((e) => `${e.line}:${e.key}`)).toEqual(['3:frame.error.mixed_encoding']);
    expect(await counts(handle.db)).toEqual(before);
    // Windows-1252 (Excel's "CSV (gescheiden door lijstscheidingsteken)") with old-Mac \r line ends.
    const excel = Buffer.concat([
      Buffer.from(`${HEADER}\r${orgs[3]};1000;3;40;nee;;1;none;none;0;none;Zo`),
      Buffer.from([0xeb]),
      Buffer.from(' en caf'),
      Buffer.from([0xe9]),
      Buffer.from('\r'),
    ]);
    const imported = await importResponses(handle.db, {
      open: () => Readable.from([excel]),
      target,
      dryRun: false,
      actor: null,
    });
    expect(imported).toMatchObject({ rows: 1, written: true, errors: [] });
    const remark = await handle.db
      .selectFrom('answers')
      .innerJoin('responses', 'responses.id', 'answers.response_id')
      .select('value_text')
      .where('org_id', '=', orgs[3])
      .where('question_key', '=', 'remarks')
      .executeTakeFirstOrThrow();
    expect(remark.value_text).toBe('Zoë en café');
  });
});

describe('impactmonitor responses on the command line', () => {
  it('imports with exit 1 and line/column errors, and exports to a file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'impact-resp-'));
    try {
      const env = cliEnv({ IMPACT_DATA_DIR: path.join(dir, 'data') });
      expect((await runCli(['demo', '--orgs', '30', '--seed', '3'], { env })).code).toBe(0);
      expect((await runCli(['survey', 'load', 'surveys/definitions/corona-impact.json'], { env })).code).toBe(0);
      expect(
        (
          await runCli(
            ['wave', 'create', '--survey', 'corona-impact', '--slug', 'w1', '--name', 'W1', '--frame-year', '2019'],
            { env },
          )
        ).code,
      ).toBe(0);
      await fs.writeFile(path.join(dir, 'bad.csv'), `${HEADER}\nKANS-0001;x;3;40;ja;50;10;partial;NOW;2;small;\n`);
      const bad = await runCli(['responses', 'import', path.join(dir, 'bad.csv'), '--wave', 'w1'], { env });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('Regel 2, kolom revenue_loss_eur: "x" is geen getal.');
      await fs.writeFile(path.join(dir, 'good.csv'), `${HEADER}\nKANS-0001;1000;3;40;ja;50;10;partial;NOW;2;small;\n`);
      const good = await runCli(['responses', 'import', path.join(dir, 'good.csv'), '--wave', 'w1'], { env });
      expect(good.stderr).toBe('');
      expect(good.code).toBe(0);
      const out = path.join(dir, 'export.csv');
      expect(
        (await runCli(['responses', 'export', '--wave', 'w1', '--format', 'csv-nl', '--out', out], { env })).code,
      ).toBe(0);
      expect(await fs.readFile(out, 'utf8')).toContain('"KANS-0001";');
      expect((await runCli(['responses', 'export', '--wave', 'nope'], { env })).code).toBe(1);
      expect((await runCli(['responses', 'export', '--wave', 'w1', '--format', 'xls'], { env })).code).toBe(2);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
