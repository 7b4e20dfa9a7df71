import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../accounts/password';
import { canonicalJson } from '../../surveys/definition-schema';
import { cliEnv, freePort, runCli, startServer } from '../support/cli';
import { testDialects } from '../support/databases';
import { CORONA } from '../support/survey-fixtures';

const tmpDirs: string[] = [];
async function tmpDataDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'impact-cli-'));
  tmpDirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of tmpDirs) await fs.rm(dir, { recursive: true, force: true });
});

/**
 * The command signatures of `--help`: an entry starts at two spaces; lines indented
 * less than the description column continue the signature; after two spaces on the
 * first line, or from the description column on, it is the description.
 */
function helpSignatures(help: string): string[] {
  const block = help.slice(help.indexOf('Opdrachten:'));
  const entries: string[] = [];
  for (const line of block.split('\n').slice(1)) {
    const indent = line.length - line.trimStart().length;
    if (line.trim() === '' || indent >= 40) continue;
    if (indent === 2) entries.push(line.trim().split(/\s{2,}/)[0]);
    else entries[entries.length - 1] += ` ${line.trim()}`;
  }
  return entries.filter((e) => !e.startsWith('-')).flatMap((e) => e.split(' | '));
}

/** The signatures in the first column of the README's command table (`a`, `b` in one cell: two). */
function readmeSignatures(readme: string): string[] {
  const table = readme.slice(readme.indexOf('| command | what it does |')).split('\n\n')[0];
  return table
    .split('\n')
    .slice(2)
    .flatMap((row) => [...(row.split(' | ')[0].match(/`[^`]+`/g) ?? [])])
    .map((cell) => cell.slice(1, -1).replaceAll('\\|', '|'));
}

describe('impactmonitor --help', () => {
  it('lists every command of the README', async () => {
    const res = await runCli(['--help'], { env: cliEnv({}) });
    expect(res.code).toBe(0);
    for (const command of [
      'migrate',
      'user create',
      'frame import',
      'frame list',
      'survey load',
      'survey export',
      'survey list',
      'wave create',
      'wave open',
      'wave close',
      'wave list',
      'responses import',
      'responses export',
      'report --wave',
      'branch --year',
      'demo',
    ]) {
      expect(res.stdout, command).toContain(command);
    }
  });

  it('shows exactly the command signatures of the README "Command line" table', async () => {
    const res = await runCli(['--help'], { env: cliEnv({}) });
    const help = helpSignatures(res.stdout);
    const readme = readmeSignatures(await fs.readFile('README.md', 'utf8'));
    expect(help.length).toBeGreaterThan(15);
    // Same commands, same options, same brackets: neither can drift from the other.
    expect([...help].sort()).toEqual([...readme].sort());
    expect(help).toContain('survey export KEY [--version V] [--format json|xlsx] [--out FILE]');
    expect(help).toContain('demo-serve [--orgs N] [--seed S] [--no-supervisor]');
  });

  it("runs the README's copy-paste example with its example files, exactly as written", async () => {
    const readme = await fs.readFile('README.md', 'utf8');
    const block = readme.slice(readme.indexOf('Copy-paste, on a scratch database')).split('```sh\n')[1].split('```')[0];
    const commands = block
      .split('\n')
      .filter((line) => line.startsWith('npx impactmonitor '))
      .map((line) => line.split(' ').slice(2));
    expect(commands.length).toBe(9);
    expect(block).toContain('export IMPACT_DATA_DIR=');
    const env = cliEnv({ IMPACT_DATA_DIR: await tmpDataDir() });
    const out: string[] = [];
    for (const args of commands) {
      const res = await runCli(args, { env });
      expect(res.stderr, args.join(' ')).toBe('');
      expect(res.code, args.join(' ')).toBe(0);
      out.push(res.stdout);
    }
    expect(out[0]).toContain('Proefimport (er is niets opgeslagen) van small.csv voor 2019:');
    // Counted in the singular for one (not "1 leden").
    expect(out[0]).toContain('2 organisaties, waarvan 1 lid; 2.500 leerlingen');
    expect(out[0]).toContain('  centrum voor de kunsten: 1 (0 leden)\n  muziekschool: 1 (1 lid)\n');
    expect(out[5]).toContain('2 reacties (2 nieuw, 0 vervangen concepten)');
    expect(out[7]).toMatch(/^proef\topen\t/);
    const exported = out[8].trim().split('\n');
    expect(exported).toHaveLength(3);
    expect(exported[1]).toMatch(/^"K001","Muziekschool Zwolle","submitted","import"/);
  });

  it('frame contacts: imports addresses for that year, refuses odd ones by line and column, names shared ones', async () => {
    const dir = await tmpDataDir();
    const env = cliEnv({ IMPACT_DATA_DIR: dir });
    expect((await runCli(['frame', 'import', 'test/fixtures/frame/small.csv', '--year', '2019'], { env })).code).toBe(
      0,
    );
    const bad = path.join(dir, 'bad.csv');
    await fs.writeFile(bad, 'kans_id;e-mail;contactpersoon\nK001;list:evil@attacker.example;An\nK009;b@x.nl;Bo\n');
    const refused = await runCli(['frame', 'contacts', bad, '--year', '2019'], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Regel 2, kolom e-mail: "list:evil@attacker.example" in "e-mail" is geen bruikbaar',
    );
    expect(refused.stderr).toContain(
      'Regel 3, kolom kans_id: "K009" in "kans_id" is geen organisatie in de populatie 2019.',
    );
    const good = path.join(dir, 'good.csv');
    await fs.writeFile(
      good,
      'kans_id;e-mail;contactpersoon\nK001;directie@scholen.nl;An\nK002;directie@scholen.nl;An\n',
    );
    const dry = await runCli(['frame', 'contacts', good, '--year', '2019', '--dry-run'], { env });
    expect(dry.stdout).toContain('Proefimport (er is niets opgeslagen): 2 e-mailadres(sen) voor 2 organisatie(s).');
    const done = await runCli(['frame', 'contacts', good, '--year', '2019'], { env });
    expect(done.code).toBe(0);
    expect(done.stdout).toBe(
      '2 e-mailadres(sen) voor 2 organisatie(s) geïmporteerd.\nLet op: 1 e-mailadres(sen) horen bij meer dan één organisatie.\n  directie@scholen.nl: K001, K002\n',
    );
    expect((await runCli(['frame', 'contacts', good], { env })).code).toBe(2);
  });

  it('wave list: response out of the population, the open window and the reference period apart', async () => {
    const dir = await tmpDataDir();
    const env = cliEnv({ IMPACT_DATA_DIR: dir });
    const oneOrg = path.join(dir, 'one.csv');
    const fixture = await fs.readFile('test/fixtures/responses/small.csv', 'utf8');
    await fs.writeFile(oneOrg, `${fixture.split('\n').slice(0, 2).join('\n')}\n`);
    for (const args of [
      ['frame', 'import', 'test/fixtures/frame/small.csv', '--year', '2019'],
      ['survey', 'load', 'surveys/definitions/corona-impact.json'],
      [
        ...[
          'wave',
          'create',
          '--survey',
          'corona-impact',
          '--slug',
          'april',
          '--name',
          'April',
          '--frame-year',
          '2019',
        ],
        ...[
          '--opens',
          '2020-04-01',
          '--closes',
          '2020-05-01',
          '--period-start',
          '2020-03-16',
          '--period-end',
          '2020-04-30',
        ],
      ],
      ['wave', 'open', 'april'],
      ['responses', 'import', oneOrg, '--wave', 'april'],
    ]) {
      const res = await runCli(args, { env });
      expect(res.stderr, args.join(' ')).toBe('');
      if (args[0] === 'responses')
        expect(res.stdout).toBe('Geïmporteerd en ingediend: 1 reactie (1 nieuw, 0 vervangen concepten).\n');
    }
    const list = await runCli(['wave', 'list'], { env });
    expect(list.code).toBe(0);
    // 1 submitted of the 2 organisations of frame 2019 (not "1/1": out of started responses).
    expect(list.stdout).toBe(
      'april\topen\tcorona-impact v1\tpopulatie 2019\topen van 2020-04-01 t/m 2020-05-01\tperiode 2020-03-16 t/m 2020-04-30\tingediend 1 van 2 in de populatie\tniet gekalibreerd\tApril\n',
    );
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await runCli(['frobnicate'], { env: cliEnv({}) })).code).toBe(2);
    const bad = await runCli(['migrate', '--what'], { env: cliEnv({ IMPACT_DATA_DIR: await tmpDataDir() }) });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Onbekende optie "--what".');
    // A typing error in an option names the option meant, in Dutch (exit 2, nothing done).
    const typo = await runCli(['frame', 'import', 'kans.csv', '--yaer', '2019'], {
      env: cliEnv({ IMPACT_DATA_DIR: await tmpDataDir() }),
    });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Onbekende optie "--yaer". Bedoelt u --year?');
    expect(typo.stderr).not.toMatch(/Unknown option/);
  });
});

/**
 * survey load (JSON), export as xlsx and json, load both exports again (the same
 * definition: "unchanged"), and a malformed workbook as version 2: exit 1 with
 * sheet/row/column, nothing stored. `versions` reads the stored versions.
 */
async function surveyFileRoundTrip(env: NodeJS.ProcessEnv, dir: string, versions: () => Promise<number[]>) {
  const loaded = await runCli(['survey', 'load', 'surveys/definitions/corona-impact.json'], { env });
  expect(loaded.stderr).toBe('');
  expect(loaded.stdout).toBe('corona-impact 1\n');
  const xlsx = path.join(dir, 'corona.xlsx');
  const json = path.join(dir, 'corona.json');
  const toXlsx = await runCli(['survey', 'export', 'corona-impact', '--format', 'xlsx', '--out', xlsx], { env });
  expect(toXlsx.stderr).toBe('');
  expect(toXlsx.code).toBe(0);
  const toJson = await runCli(
    ['survey', 'export', 'corona-impact', '--version', '1', '--format', 'json', '--out', json],
    {
      env,
    },
  );
  expect(toJson.code).toBe(0);
  expect(canonicalJson(JSON.parse(await fs.readFile(json, 'utf8')))).toBe(canonicalJson(CORONA));
  for (const file of [xlsx, json]) {
    const again = await runCli(['survey', 'load', file], { env });
    expect(again.code, file).toBe(0);
    expect(again.stdout).toBe('corona-impact 1\n');
    expect(again.stderr).toBe('Deze versie was al geladen en is ongewijzigd.\n');
  }
  // Another tool's columns are ignored, named once on stderr.
  const kobo = new ExcelJS.Workbook();
  await kobo.xlsx.readFile(xlsx);
  const koboSurvey = kobo.getWorksheet('survey')!;
  koboSurvey.getRow(1).getCell(koboSurvey.columnCount + 1).value = '$kuid';
  const koboFile = path.join(dir, 'kobo.xlsx');
  await kobo.xlsx.writeFile(koboFile);
  const withWarning = await runCli(['survey', 'load', koboFile], { env });
  expect(withWarning.code).toBe(0);
  expect(withWarning.stderr).toBe(
    'Let op: Blad survey, rij 1: Deze kolom gebruikt Impactmonitor niet; genegeerd: $kuid.\nDeze versie was al geladen en is ongewijzigd.\n',
  );
  // As `--help` and the README say: without --format and --out, JSON on stdout;
  // without --format, --out's extension picks the format.
  const toStdout = await runCli(['survey', 'export', 'corona-impact'], { env });
  expect(toStdout.code).toBe(0);
  expect(canonicalJson(JSON.parse(toStdout.stdout))).toBe(canonicalJson(CORONA));
  const byExtension = path.join(dir, 'by-extension.xlsx');
  expect((await runCli(['survey', 'export', 'corona-impact', '--out', byExtension], { env })).code).toBe(0);
  expect((await fs.readFile(byExtension)).subarray(0, 2).toString()).toBe('PK');
  // An unknown version; xlsx without --out.
  expect((await runCli(['survey', 'export', 'corona-impact', '--version', '7'], { env })).code).toBe(1);
  expect((await runCli(['survey', 'export', 'corona-impact', '--format', 'xlsx'], { env })).code).toBe(2);

  // Malformed: version 2 with an unknown type and a condition README "Questionnaires" cannot express.
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsx);
  wb.getWorksheet('settings')!.getRow(2).getCell(2).value = 2;
  const survey = wb.getWorksheet('survey')!;
  survey.getRow(3).getCell(1).value = 'geopoint';
  survey.getRow(4).getCell(8).value = 'string-length(${revenue_loss_eur}) > 3';
  const bad = path.join(dir, 'bad.xlsx');
  await wb.xlsx.writeFile(bad);
  const refused = await runCli(['survey', 'load', bad], { env });
  expect(refused.code).toBe(1);
  expect(refused.stdout).toBe('');
  expect(refused.stderr).toContain(`De vragenlijst in ${bad} is niet geldig:`);
  expect(refused.stderr).toContain('Blad survey, rij 3, kolom type (A): Onbekend type "geopoint"');
  expect(refused.stderr).toContain(
    'Blad survey, rij 4, kolom relevant (H): "string-length(${revenue_loss_eur}) > 3": de functie "string-length" kan Impactmonitor niet uitvoeren',
  );
  expect(await versions()).toEqual([1]);
}

describe('impactmonitor on PGlite', () => {
  it('migrates and creates a user with the password from stdin', async () => {
    const dataDir = await tmpDataDir();
    const env = cliEnv({ IMPACT_DATA_DIR: dataDir });
    expect((await runCli(['migrate'], { env })).code).toBe(0);
    const created = await runCli(
      ['user', 'create', '--email', 'Beheer@Example.nl', '--role', 'admin', '--name', 'Beheer'],
      { env, stdin: 'een lang wachtwoord\n' },
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('beheer@example.nl');

    const duplicate = await runCli(['user', 'create', '--email', 'beheer@example.nl', '--role', 'staff'], {
      env,
      stdin: 'een lang wachtwoord',
    });
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('Er is al een account met dit e-mailadres.');
    // README "Command line": at least 10 characters; 9 is refused with exit 1.
    const short = await runCli(['user', 'create', '--email', 'kort@example.nl', '--role', 'staff'], {
      env,
      stdin: '123456789',
    });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('Het wachtwoord moet minstens 10 tekens lang zijn.');
    const noOrg = await runCli(['user', 'create', '--email', 'lid@example.nl', '--role', 'member'], {
      env,
      stdin: 'een lang wachtwoord',
    });
    expect(noOrg.code).toBe(1);
    expect(noOrg.stderr).toContain('KAnS-id');
    const unknownOrg = await runCli(
      ['user', 'create', '--email', 'lid@example.nl', '--role', 'member', '--org', 'KANS-404'],
      { env, stdin: 'een lang wachtwoord' },
    );
    expect(unknownOrg.code).toBe(1);
    expect(unknownOrg.stderr).toContain(
      'Organisatie "KANS-404" staat niet in de populatie; importeer eerst de populatie of kies een bestaande organisatie.',
    );
    expect(unknownOrg.stdout).toBe('');
    const badRole = await runCli(['user', 'create', '--email', 'x@example.nl', '--role', 'king'], {
      env,
      stdin: 'een lang wachtwoord',
    });
    expect(badRole.code).toBe(2);

    const pglite = await PGlite.create(path.join(dataDir, 'pglite'));
    const rows = await pglite.query<{ email: string; role: string; password_hash: string }>(
      'select email, role, password_hash from users',
    );
    await pglite.close();
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0].role).toBe('admin');
    expect(await verifyPassword('een lang wachtwoord', rows.rows[0].password_hash)).toBe(true);
  });

  it('creates a member only for an organisation of the population frame', async () => {
    const dataDir = await tmpDataDir();
    const env = cliEnv({ IMPACT_DATA_DIR: dataDir });
    expect((await runCli(['migrate'], { env })).code).toBe(0);
    const unknown = await runCli(
      ['user', 'create', '--email', 'lid@example.nl', '--role', 'member', '--org', 'KANS-1'],
      {
        env,
        stdin: 'een lang wachtwoord',
      },
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Organisatie "KANS-1" staat niet in de populatie');
    let pglite = await PGlite.create(path.join(dataDir, 'pglite'));
    expect((await pglite.query('select id from users')).rows).toHaveLength(0);
    await pglite.query(
      `insert into organisations (org_id, name, first_year, last_year) values ('KANS-1', 'School', 2019, 2019)`,
    );
    await pglite.close();
    const known = await runCli(['user', 'create', '--email', 'lid@example.nl', '--role', 'member', '--org', 'KANS-1'], {
      env,
      stdin: 'een lang wachtwoord',
    });
    expect(known.stderr).toBe('');
    expect(known.code).toBe(0);
    pglite = await PGlite.create(path.join(dataDir, 'pglite'));
    const rows = await pglite.query<{ email: string; org_id: string }>('select email, org_id from users');
    await pglite.close();
    expect(rows.rows).toEqual([{ email: 'lid@example.nl', org_id: 'KANS-1' }]);
  });

  it('loads a questionnaire from JSON or Excel and exports any version as either, unchanged', async () => {
    const dataDir = await tmpDataDir();
    const env = cliEnv({ IMPACT_DATA_DIR: dataDir });
    await surveyFileRoundTrip(env, dataDir, async () => {
      const pglite = await PGlite.create(path.join(dataDir, 'pglite'));
      try {
        return (await pglite.query<{ version: number }>('select version from survey_definitions')).rows.map(
          (r) => r.version,
        );
      } finally {
        await pglite.close();
      }
    });
  });

  it('stops at once with a clear message while the server holds the data directory, and recovers after a crash', async () => {
    const dataDir = await tmpDataDir();
    const env = cliEnv({ IMPACT_DATA_DIR: dataDir });
    const server = await startServer(env, await freePort());
    try {
      const blocked = await runCli(['migrate'], { env, timeoutMs: 20_000 });
      expect(blocked.code).toBe(1);
      expect(blocked.stderr).toContain('is in gebruik door een ander Impactmonitor-proces');
      expect(blocked.stderr).toContain('Stop dat proces eerst');
      expect(blocked.stderr).toContain(`pid ${server.pid}`);
      expect(blocked.ms).toBeLessThan(15_000);
    } finally {
      server.kill('SIGKILL');
      await new Promise((r) => server.once('exit', r));
    }
    // The lock of a killed server is stale: the next command takes it over.
    const after = await runCli(['migrate'], { env });
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
  });
});

describe.each(testDialects().filter((d) => d.kind === 'postgres'))('impactmonitor on PostgreSQL', (dialect) => {
  it('creates a user while the server may run beside it', async () => {
    const db = await dialect.create();
    try {
      const env = cliEnv({ DATABASE_URL: db.url! });
      expect((await runCli(['migrate'], { env })).code).toBe(0);
      const created = await runCli(['user', 'create', '--email', 'staf@example.nl', '--role', 'staff'], {
        env,
        stdin: 'een lang wachtwoord',
      });
      expect(created.code).toBe(0);
      const row = await db.db.selectFrom('users').select(['email', 'role']).executeTakeFirstOrThrow();
      expect(row).toEqual({ email: 'staf@example.nl', role: 'staff' });

      // A member only for an organisation of the population frame.
      const member = ['user', 'create', '--email', 'lid@example.nl', '--role', 'member', '--org', 'KANS-1'];
      const unknown = await runCli(member, { env, stdin: 'een lang wachtwoord' });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('Organisatie "KANS-1" staat niet in de populatie');
      expect(await db.db.selectFrom('users').where('email', '=', 'lid@example.nl').select('id').execute()).toEqual([]);
      await db.db
        .insertInto('organisations')
        .values({ org_id: 'KANS-1', name: 'School', first_year: 2019, last_year: 2019 })
        .execute();
      const known = await runCli(member, { env, stdin: 'een lang wachtwoord' });
      expect(known.stderr).toBe('');
      expect(known.code).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('loads a questionnaire from JSON or Excel and exports any version as either, unchanged', async () => {
    const db = await dialect.create();
    try {
      const env = cliEnv({ DATABASE_URL: db.url! });
      await surveyFileRoundTrip(env, await tmpDataDir(), async () =>
        (await db.db.selectFrom('survey_definitions').select('version').execute()).map((r) => r.version),
      );
    } finally {
      await db.close();
    }
  });
});
