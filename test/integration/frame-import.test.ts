import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, postgresHandle } from '../../foundation/db/database';
import { compareYears } from '../../register/frame-comparison';
import { FrameImportError, importFrame, previewFrame } from '../../register/frame-import';
import { listImports, listYears, totalsBy } from '../../register/frame-repository';
import { cliEnv, runCli } from '../support/cli';
import { type TestDatabase, testDialects } from '../support/databases';

const HEADER =
  'kans_id;naam;type;provincie;gemeente;lid;leerlingen;omzet;subsidie;fte;docenten_loondienst;docenten_zzp';
const FILE_2019 = `${HEADER}
K1;Muziekschool Zwolle;muziekschool;Overijssel;Zwolle;ja;700;427.000;149.450;5,9;6;8
K2;CvdK Leeuwarden;centrum voor de kunsten;Friesland;Leeuwarden;ja;1.800;936.000,50;421.200;13;12;20
K3;Pianoles Jansen;particuliere aanbieder;Utrecht;Utrecht;nee;120;84.000;0;1;0;2
`;
const FILE_2020 = `${HEADER}
K1;Muziekschool Zwolle;muziekschool;Overijssel;Zwolle;ja;650;400.000;149.450;5,9;6;8
K2;CvdK Leeuwarden;centrum voor de kunsten;Friesland;Leeuwarden;ja;1.800;936.000,50;421.200;13;12;20
K4;Kunstencentrum Gouda;kunstencentrum;Zuid-Holland;Gouda;ja;400;192.000;96.000;2,7;3;4
`;

const text = (content: string) => () => Readable.from([Buffer.from(content)]);

async function snapshot(db: TestDatabase['db']) {
  const tables = ['organisations', 'frame_units', 'frame_imports', 'audit_log'] as const;
  const out: Record<string, unknown> = {};
  for (const table of tables)
    out[table] = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0].n;
  out.units = await db.selectFrom('frame_units').selectAll().orderBy('year').orderBy('org_id').execute();
  return out;
}

describe.each(testDialects())('frame import on $kind', (dialect) => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await dialect.create();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('imports a year in one transaction, keeps money exact and records the history', async () => {
    const result = await importFrame(handle, {
      open: text(FILE_2019),
      fileName: 'kans-2019.csv',
      year: 2019,
      replace: false,
      actor: null,
      source: 'cli',
    });
    expect(result.summary.rows).toBe(3);
    const years = await listYears(handle.db);
    expect(years).toEqual([{ year: 2019, organisations: 3, members: 2, students: 2620, turnover_eur: '1447000.50' }]);
    const k2 = await handle.db
      .selectFrom('frame_units')
      .selectAll()
      .where('org_id', '=', 'K2')
      .executeTakeFirstOrThrow();
    expect(k2).toMatchObject({
      province: 'Fryslân',
      turnover_eur: '936000.50',
      fte: '13.00',
      size_class: '1000-2499',
      member: true,
    });
    const history = await listImports(handle.db);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      year: 2019,
      file_name: 'kans-2019.csv',
      rows: 3,
      members: 2,
      replaced: false,
      source: 'cli',
    });
    expect(history[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    const byType = await totalsBy(handle.db, 2019, 'org_type');
    expect(byType.map((r) => [r.key, r.organisations])).toEqual([
      ['centrum voor de kunsten', 1],
      ['muziekschool', 1],
      ['particuliere aanbieder', 1],
    ]);
  });

  it('refuses an existing year without replace, and a dry run writes nothing', async () => {
    const before = await snapshot(handle.db);
    await expect(
      importFrame(handle, {
        open: text(FILE_2019),
        fileName: 'again.csv',
        year: 2019,
        replace: false,
        actor: null,
        source: 'cli',
      }),
    ).rejects.toMatchObject({ code: 'frame.year_exists' });
    const preview = await previewFrame(handle.db, { open: text(FILE_2020), year: 2020 });
    expect(preview.summary.rows).toBe(3);
    expect(preview).toMatchObject({ existing: 0, previousYear: 2019, added: 1, gone: 1 });
    expect(await snapshot(handle.db)).toEqual(before);
  });

  it('leaves the database exactly as it was when any row is invalid, even after groups were moved', async () => {
    const before = await snapshot(handle.db);
    // Two groups of 10 000 (frame-import.ts) are in the frame's tables before the bad row is read.
    const rows = Array.from({ length: 25_000 }, (_, i) => `X${i};Org ${i};muziekschool;Utrecht;;ja;10;1000;0;1;0;1`);
    rows.splice(22_000, 0, 'X-bad;Fout;muziekschool;Atlantis;;ja;10;1000;0;1;0;1');
    const error = await importFrame(handle, {
      open: text(`${HEADER}\n${rows.join('\n')}\n`),
      fileName: 'bad.csv',
      year: 2019,
      replace: true,
      actor: null,
      source: 'cli',
    }).catch((e) => e);
    expect(error).toBeInstanceOf(FrameImportError);
    expect(error.summary.errors).toEqual([
      expect.objectContaining({ line: 22_002, column: 'provincie', code: 'frame.error.unknown_province' }),
    ]);
    expect(await snapshot(handle.db)).toEqual(before);
  });

  it('replaces a year with --replace, keeping organisations across years, and compares years', async () => {
    await importFrame(handle, {
      open: text(FILE_2020),
      fileName: 'kans-2020.csv',
      year: 2020,
      replace: false,
      actor: null,
      source: 'web',
    });
    const replaced = await importFrame(handle, {
      open: text(FILE_2020),
      fileName: 'kans-2020-v2.csv',
      year: 2020,
      replace: true,
      actor: null,
      source: 'web',
    });
    expect(replaced.replaced).toBe(true);
    expect((await listYears(handle.db)).map((y) => [y.year, y.organisations])).toEqual([
      [2020, 3],
      [2019, 3],
    ]);
    const orgs = await handle.db.selectFrom('organisations').selectAll().orderBy('org_id').execute();
    expect(orgs.map((o) => [o.org_id, o.first_year, o.last_year])).toEqual([
      ['K1', 2019, 2020],
      ['K2', 2019, 2020],
      ['K3', 2019, 2019],
      ['K4', 2020, 2020],
    ]);
    const comparison = await compareYears(handle.db, 2019, 2020);
    expect(comparison.added.map((o) => o.org_id)).toEqual(['K4']);
    expect(comparison.disappeared.map((o) => o.org_id)).toEqual(['K3']);
    expect(comparison.changed).toEqual([
      {
        org_id: 'K1',
        name: 'Muziekschool Zwolle',
        changes: [
          { field: 'students', before: '700', after: '650' },
          { field: 'turnover_eur', before: '427000.00', after: '400000.00' },
        ],
      },
    ]);
    const audit = await handle.db.selectFrom('audit_log').select('action').where('entity', '=', 'frame').execute();
    expect(audit.map((a) => a.action)).toEqual(['frame.import', 'frame.import', 'frame.replace']);
  });

  it('writes a known organisation only when its years or its latest name change', async () => {
    const versions = async () =>
      Object.fromEntries(
        (
          await sql<{ org_id: string; xmin: string }>`select org_id, xmin::text from organisations`.execute(handle.db)
        ).rows.map((r) => [r.org_id, r.xmin]),
      );
    const names = async () =>
      Object.fromEntries(
        (await handle.db.selectFrom('organisations').select(['org_id', 'name']).execute()).map((o) => [
          o.org_id,
          o.name,
        ]),
      );
    const before = await versions();
    await importFrame(handle, {
      open: text(FILE_2020),
      fileName: 'same.csv',
      year: 2020,
      replace: true,
      actor: null,
      source: 'cli',
    });
    expect(await versions()).toEqual(before);
    // A renamed organisation in an older year keeps the name of its latest year.
    await importFrame(handle, {
      open: text(FILE_2019.replace('CvdK Leeuwarden', 'CvdK Leeuwarden (oud)')),
      fileName: 'old.csv',
      year: 2019,
      replace: true,
      actor: null,
      source: 'cli',
    });
    expect(await versions()).toEqual(before);
    expect((await names()).K2).toBe('CvdK Leeuwarden');
    await importFrame(handle, {
      open: text(FILE_2020.replace('Muziekschool Zwolle', 'Muziekschool Zwolle e.o.')),
      fileName: 'new.csv',
      year: 2020,
      replace: true,
      actor: null,
      source: 'cli',
    });
    const after = await versions();
    expect(Object.keys(after).filter((id) => after[id] !== before[id])).toEqual(['K1']);
    expect((await names()).K1).toBe('Muziekschool Zwolle e.o.');
  });

  /** The handle, counting the COPY streams an import opens. */
  function counting(base: DatabaseHandle) {
    const counter = { copies: 0 };
    const wrapped: DatabaseHandle = {
      ...base,
      reserve: async () => {
        const connection = await base.reserve();
        const copyIn = connection.copyIn;
        return {
          ...connection,
          copyIn:
            copyIn &&
            ((statement: string) => {
              counter.copies++;
              return copyIn(statement);
            }),
        };
      },
    };
    return { handle: wrapped, counter };
  }

  it('keeps backslashes, quotes and a literal \\N in text exactly (COPY on PostgreSQL)', async () => {
    const { handle: counted, counter } = counting(handle);
    const name = 'Muziek\\school "De\tToon"\nNoord \\N';
    const file = `${HEADER}\nQ1;"${name.replace(/"/g, '""')}";muziekschool;Utrecht;\\N;ja;10;1000;0;1;0;1\n`;
    await importFrame(counted, {
      open: text(file),
      fileName: 'quotes.csv',
      year: 2030,
      replace: false,
      actor: null,
      source: 'cli',
    });
    expect(counter.copies).toBe(dialect.kind === 'postgres' ? 1 : 0);
    const unit = await handle.db
      .selectFrom('frame_units')
      .select(['name', 'municipality', 'students'])
      .where('year', '=', 2030)
      .executeTakeFirstOrThrow();
    // The reader folds tabs and line breaks in a name into single spaces; backslashes and quotes stay.
    expect(unit).toEqual({ name: 'Muziek\\school "De Toon" Noord \\N', municipality: '\\N', students: 10 });
  });

  it('rolls back when the file breaks off mid-stream, and the connection serves the next import', async () => {
    // One connection only, so the next import must get the very connection the broken COPY used.
    const single = dialect.kind === 'postgres' ? postgresHandle(handle.url!, 1) : handle;
    try {
      const before = await snapshot(handle.db);
      const rows = Array.from(
        { length: 20_000 },
        (_, i) => `B${i};Org ${i};muziekschool;Utrecht;;ja;10;1000;0;1;0;1\n`,
      );
      const breaking = () =>
        Readable.from(
          (async function* () {
            yield Buffer.from(`${HEADER}\n`);
            for (let i = 0; i < rows.length; i += 1000) yield Buffer.from(rows.slice(i, i + 1000).join(''));
            throw new Error('verbinding verbroken');
          })(),
        );
      await expect(
        importFrame(single, {
          open: breaking,
          fileName: 'broken.csv',
          year: 2031,
          replace: false,
          actor: null,
          source: 'web',
        }),
      ).rejects.toThrow('verbinding verbroken');
      expect(await snapshot(handle.db)).toEqual(before);
      const result = await importFrame(single, {
        open: text(FILE_2019),
        fileName: 'after.csv',
        year: 2031,
        replace: false,
        actor: null,
        source: 'web',
      });
      expect(result.summary.rows).toBe(3);
      expect((await listYears(handle.db)).find((y) => y.year === 2031)?.organisations).toBe(3);
    } finally {
      if (single !== handle) await single.close();
    }
  });

  it('gives each new organisation its own secret record key and keeps a known one', async () => {
    const keys = async () =>
      Object.fromEntries(
        (await handle.db.selectFrom('organisations').select(['org_id', 'record_key']).execute()).map((o) => [
          o.org_id,
          String(o.record_key),
        ]),
      );
    const before = await keys();
    await importFrame(handle, {
      open: text(
        `${HEADER}\nK9;Nieuw;muziekschool;Utrecht;Utrecht;ja;10;1;0;1;0;1\nK1;Muziekschool Zwolle;muziekschool;Overijssel;Zwolle;ja;1;1;0;1;0;1\n`,
      ),
      fileName: 'keys.csv',
      year: 2040,
      replace: false,
      actor: null,
      source: 'cli',
    });
    const after = await keys();
    expect(after.K1).toBe(before.K1);
    expect(before.K9).toBeUndefined();
    const values = Object.values(after).map(Number);
    expect(values.every((k) => Number.isInteger(k) && k >= 0 && k < 2 ** 32)).toBe(true);
    expect(new Set(values).size).toBe(values.length);
  });

  it('still refuses a frame unit or contact of an unknown organisation, and a delete of a referenced one', async () => {
    const unit = {
      year: 2041,
      org_id: 'NIET-BESTAAND',
      name: 'x',
      org_type: 'muziekschool',
      province: 'Utrecht',
      member: false,
    };
    await expect(handle.db.insertInto('frame_units').values(unit).execute()).rejects.toMatchObject({
      code: '23503',
    });
    await expect(
      handle.db.updateTable('frame_units').set({ org_id: 'NIET-BESTAAND' }).where('org_id', '=', 'K1').execute(),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(
      handle.db
        .insertInto('organisation_contacts')
        .values({ org_id: 'NIET-BESTAAND', email: 'a@b.example', name: '', source: 'import' })
        .execute(),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(handle.db.deleteFrom('organisations').where('org_id', '=', 'K1').execute()).rejects.toMatchObject({
      code: '23503',
    });
    // An organisation no year refers to can go; its contacts go with it (as ON DELETE CASCADE did).
    await handle.db
      .insertInto('organisations')
      .values({ org_id: 'LOS', name: 'Los', first_year: 2041, last_year: 2041 })
      .execute();
    await handle.db
      .insertInto('organisation_contacts')
      .values({ org_id: 'LOS', email: 'los@b.example', name: '', source: 'import' })
      .execute();
    // A changed org_id is refused while anything refers to the old one, and the contacts stay.
    await expect(
      handle.db.updateTable('organisations').set({ org_id: 'LOS-2' }).where('org_id', '=', 'LOS').execute(),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(
      handle.db.updateTable('organisations').set({ org_id: 'K1-2' }).where('org_id', '=', 'K1').execute(),
    ).rejects.toMatchObject({ code: '23503' });
    // A TRUNCATE (no row triggers) is refused while frame units or contacts refer to organisations.
    await expect(sql`truncate organisations cascade`.execute(handle.db)).rejects.toMatchObject({ code: '23503' });
    expect(await handle.db.selectFrom('frame_units').select('org_id').where('org_id', '=', 'K1').execute()).not.toEqual(
      [],
    );
    await handle.db.deleteFrom('organisations').where('org_id', '=', 'LOS').execute();
    expect(
      await handle.db.selectFrom('organisation_contacts').select('email').where('org_id', '=', 'LOS').execute(),
    ).toEqual([]);
    // An organisation nothing refers to may get another id.
    await handle.db
      .insertInto('organisations')
      .values({ org_id: 'LOS', name: 'Los', first_year: 2041, last_year: 2041 })
      .execute();
    await handle.db.updateTable('organisations').set({ org_id: 'LOS-2' }).where('org_id', '=', 'LOS').execute();
  });

  it('moves a file of several groups into organisations, frame units and contacts completely', async () => {
    const n = 23_456;
    const lines = Array.from(
      { length: n },
      (_, i) =>
        `G${i};Groep ${i};muziekschool;Utrecht;;${i % 3 ? 'ja' : 'nee'};${i % 50};${i},50;0;1;0;1;${i % 7 ? `info@g${i}.example.nl` : ''};Contact ${i}`,
    );
    const result = await importFrame(handle, {
      open: text(`${HEADER};e-mail;contactpersoon\n${lines.join('\n')}\n`),
      fileName: 'groups.csv',
      year: 2077,
      replace: false,
      actor: null,
      source: 'cli',
    });
    expect(result.summary.rows).toBe(n);
    const [year] = (await listYears(handle.db)).filter((y) => y.year === 2077);
    // Σ (i + 0,50) over i < n, and Σ (i mod 50).
    const turnover = (n * (n - 1)) / 2 + n / 2;
    const students = Array.from({ length: n }, (_, i) => i % 50).reduce((a, b) => a + b, 0);
    expect(year).toEqual({
      year: 2077,
      organisations: n,
      members: n - Math.ceil(n / 3),
      students,
      turnover_eur: turnover.toFixed(2),
    });
    const counted = await sql<{ orgs: number; contacts: number; last: string }>`
      select (select count(*)::int from organisations where org_id like 'G%') as orgs,
        (select count(*)::int from organisation_contacts where org_id like 'G%') as contacts,
        (select email from organisation_contacts where org_id = ${`G${n - 1}`}) as last`.execute(handle.db);
    expect(counted.rows[0]).toEqual({ orgs: n, contacts: n - Math.ceil(n / 7), last: `info@g${n - 1}.example.nl` });
  });
});

describe('impactmonitor frame on the command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'impact-frame-cli-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('imports, lists, and exits 1 with every error on stderr for a bad file', async () => {
    const env = cliEnv({ IMPACT_DATA_DIR: path.join(dir, 'data') });
    await fs.writeFile(path.join(dir, 'good.csv'), FILE_2019);
    await fs.writeFile(
      path.join(dir, 'bad.csv'),
      `${HEADER}\nK1;A;muziekschool;Utrecht;;ja;tien;1;0;1;0;1\nK1;B;muziekschool;Utrecht;;ja;1;-1;0;1;0;1\n`,
    );
    const dry = await runCli(['frame', 'import', path.join(dir, 'good.csv'), '--year', '2019', '--dry-run'], { env });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Proefimport');
    // "427.000" in a money column is 427 000, the Dutch way, without a question.
    expect(dry.stdout).not.toContain('getallen zijn op twee manieren te lezen');
    expect(dry.stdout).toContain('omzet € 1.447.001');
    const bad = await runCli(['frame', 'import', path.join(dir, 'bad.csv'), '--year', '2019'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('3 fouten: er wordt niets geïmporteerd');
    expect(bad.stderr).toContain('Regel 2, kolom leerlingen: "tien" is geen getal.');
    expect(bad.stderr).toContain('Regel 3, kolom kans_id: KAnS-id "K1" komt al voor op regel 2');
    expect(bad.stderr).toContain('Regel 3, kolom omzet: "-1" is negatief');
    const good = await runCli(['frame', 'import', path.join(dir, 'good.csv'), '--year', '2019'], { env });
    expect(good.code).toBe(0);
    const again = await runCli(['frame', 'import', path.join(dir, 'good.csv'), '--year', '2019'], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Er is al een populatie voor 2019');
    expect(
      (await runCli(['frame', 'import', path.join(dir, 'good.csv'), '--year', '2019', '--replace'], { env })).code,
    ).toBe(0);
    const list = await runCli(['frame', 'list'], { env });
    expect(list.stdout).toContain('2019\t3\t2\t2.620\t€ 1.447.001');
    expect((await runCli(['frame', 'import', path.join(dir, 'missing.csv'), '--year', '2019'], { env })).code).toBe(1);
    expect((await runCli(['frame', 'import', path.join(dir, 'good.csv')], { env })).code).toBe(2);
  });
});

describe('impactmonitor demo', () => {
  it('fills an empty database with a seeded branch and demo accounts, and refuses a filled one', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'impact-demo-'));
    try {
      const env = cliEnv({ IMPACT_DATA_DIR: dir });
      const first = await runCli(['demo', '--orgs', '60', '--seed', '5'], { env });
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('beheer@demo.impactmonitor.nl');
      expect(first.stdout).toContain('wachtwoord voor allemaal: demo-wachtwoord');
      const list = await runCli(['frame', 'list'], { env });
      expect(list.stdout).toMatch(/2019\t60\t/);
      const again = await runCli(['demo'], { env });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('de demo vult alleen een lege database');
      expect((await runCli(['demo', '--orgs', 'veel'], { env })).code).toBe(2);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
