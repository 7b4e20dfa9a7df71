// npm run bench: the figures of BENCHMARKS.md as `name value unit` lines, each with
// its target. Runs on the PostgreSQL at BENCH_DATABASE_URL (scratch databases
// named BENCH_PREFIX_*, default impact_bench_*, which it may fill and empty).
// BENCH_ONLY=report,import runs just those parts (see `benches` at the end);
// BENCH_REUSE=1 keeps the seeded report database between runs while iterating.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { createAccount } from '../../accounts/accounts';
import { buildReport, type StepTimings } from '../../analysis/report/report';
import { renderReportPdf } from '../../exports/pdf-report';
import { postgresHandle } from '../../foundation/db/database';
import { migrateToLatest } from '../../foundation/db/migrate';
import { demoFrameCsv, generateDemoFrame } from '../../register/demo-frame';
import { createApp } from '../../server/app';
import { readConfig } from '../../server/config';
import { loadDefinition, parseDefinitionText } from '../../surveys/definitions';
import { changeWaveStatus, createWave } from '../../surveys/waves/waves';
import { benchDefinition, QUESTIONS, seedBench } from './bench-data';
import { benchCalibratedReport } from './calibrated-bench';
import { figure as print, printed, seconds } from './figures';

const url = process.env.BENCH_DATABASE_URL;
if (!url) {
  console.error(
    'BENCH_DATABASE_URL is not set: the benchmarks need a PostgreSQL database they may fill, e.g. BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench',
  );
  process.exit(0);
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'impact-bench-'));
const prefix = process.env.BENCH_PREFIX ?? 'impact_bench';
const reuse = process.env.BENCH_REUSE === '1';

/** A scratch database `${prefix}_${name}`: dropped and created afresh, or kept when `keep` and it exists. */
async function freshDatabase(name: string, keep = false): Promise<{ url: string; existed: boolean }> {
  const database = `${prefix}_${name}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const existed = (await admin.query('select 1 from pg_database where datname = $1', [database])).rowCount === 1;
  if (!(keep && existed)) {
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.query(`create database ${database}`);
  }
  await admin.end();
  const u = new URL(url!);
  u.pathname = `/${database}`;
  return { url: u.toString(), existed: keep && existed };
}

/** Timed runs of the bench report; its figure is their median. */
const REPORT_RUNS = 5;

async function benchReport() {
  const { url: dbUrl, existed } = await freshDatabase('report', reuse);
  const handle = postgresHandle(dbUrl);
  await migrateToLatest(handle.db);
  const frame = generateDemoFrame({ orgs: 20_000, seed: 8 });
  if (!existed) await seedBench(handle, { orgs: 20_000, responses: 12_000, seed: 8 });
  await sql`analyze`.execute(handle.db);
  // Warm up once, then time the complete report model, step by step: the median of
  // REPORT_RUNS runs, so that one run disturbed by the shared machine does not decide.
  await buildReport(handle.db, { wave: 'bench', stratify: ['org_type'] });
  const runs: { seconds: number; steps: StepTimings; report: Awaited<ReturnType<typeof buildReport>> }[] = [];
  for (let run = 0; run < REPORT_RUNS; run++) {
    const steps: StepTimings = {};
    const start = process.hrtime.bigint();
    const report = await buildReport(handle.db, { wave: 'bench', stratify: ['org_type'] }, steps);
    runs.push({ seconds: seconds(start), steps, report });
  }
  const median = runs.sort((a, b) => a.seconds - b.seconds)[Math.floor(REPORT_RUNS / 2)];
  const { report, seconds: ours } = median;
  print('report_seconds', ours, 's');
  for (const [step, ms] of Object.entries(median.steps)) print(`report_step_${step.replace('.', '_')}_ms`, ms, 'ms');

  // R computing the same estimates from a CSV of the same respondents.
  const wide = new Map<string, Record<string, string>>();
  const byResponse = await sql<{
    id: number;
    h: string;
    x: string;
  }>`select r.id, f.org_type || ' × ' || f.size_class as h, f.turnover_eur::text as x from responses r join frame_units f on f.org_id = r.org_id and f.year = 2019
    where r.wave_id = (select id from waves where slug = 'bench')`.execute(handle.db);
  for (const r of byResponse.rows) wide.set(String(r.id), { h: r.h, x: r.x });
  const answers = await sql<{
    id: number;
    q: string;
    y: string;
  }>`select response_id as id, question_key as q, value_num::text as y from answers
    where response_id in (select id from responses where wave_id = (select id from waves where slug = 'bench'))`.execute(
    handle.db,
  );
  for (const a of answers.rows) wide.get(String(a.id))![a.q] = a.y;
  const keys = Array.from({ length: QUESTIONS }, (_, i) => `q${String(i + 1).padStart(2, '0')}`);
  const strata = new Map<string, { N: number; X: number }>();
  for (const f of frame) {
    const h = `${f.org_type} × ${f.size_class}`;
    const s = strata.get(h) ?? { N: 0, X: 0 };
    s.N += 1;
    s.X += Number(f.turnover_eur);
    strata.set(h, s);
  }
  const csvFile = path.join(tmp, 'respondents.csv');
  const lines = [['h', 'N', 'X', 'x', ...keys].join(',')];
  for (const r of wide.values())
    lines.push(
      [JSON.stringify(r.h), strata.get(r.h)!.N, strata.get(r.h)!.X, r.x, ...keys.map((k) => r[k] ?? 'NA')].join(','),
    );
  fs.writeFileSync(csvFile, lines.join('\n'));
  const script = path.join(tmp, 'bench.R');
  fs.writeFileSync(
    script,
    `suppressPackageStartupMessages(library(survey)); options(survey.lonely.psu = "remove")
d <- read.csv("${csvFile}", check.names = FALSE)
t0 <- Sys.time()
for (q in paste0("q", sprintf("%02d", 1:${QUESTIONS}))) {
  s <- d[!is.na(d[[q]]), ]
  des <- svydesign(ids = ~1, strata = ~h, fpc = ~N, data = s)
  f <- as.formula(paste0("~", q))
  svytotal(f, des); svymean(f, des); svyby(f, ~h, des, svytotal); svyby(f, ~h, des, svymean)
  if (as.integer(substr(q, 2, 3)) %% 2 == 1) {
    X <- tapply(s$X, s$h, function(v) v[1])
    predict(svyratio(f, ~x, des, separate = TRUE), total = as.list(X))
  }
}
cat(as.numeric(difftime(Sys.time(), t0, units = "secs")), "\\n")`,
  );
  try {
    const rSeconds = Number(execFileSync('Rscript', [script], { encoding: 'utf8' }).trim());
    print('report_vs_r_ratio', ours / rSeconds, 'x');
  } catch {
    console.error(
      'Rscript with the survey package is not available (apt-get install r-cran-survey): report_vs_r_ratio skipped',
    );
  }
  await benchEighthWave(handle);
  await handle.close();
  return report;
}

/**
 * The 8th wave of a series: seven earlier, closed waves with the same answers,
 * copied in SQL; its trend and change need them all. Cold: nothing cached;
 * then again with the earlier waves' models from the cache.
 */
async function benchEighthWave(handle: ReturnType<typeof postgresHandle>) {
  const wave = await handle.db
    .selectFrom('waves')
    .select(['id', 'survey_id', 'status'])
    .where('slug', '=', 'bench')
    .executeTakeFirstOrThrow();
  if (wave.status !== 'closed') await changeWaveStatus(handle.db, 'bench', 'closed', null);
  for (let i = 2; i <= 8; i++) {
    const slug = `bench-${i}`;
    if (await handle.db.selectFrom('waves').select('id').where('slug', '=', slug).executeTakeFirst()) continue;
    await createWave(
      handle.db,
      { surveyKey: 'bench', slug, name: `Benchmark ${i}`, frameYear: 2019, weighting: 'org_type,size_class' },
      null,
    );
    await sql`insert into responses (wave_id, org_id, status, source, submitted_at)
      select w.id, r.org_id, 'submitted', 'import', now() from responses r, waves w
      where r.wave_id = ${wave.id} and w.slug = ${slug}`.execute(handle.db);
    await sql`insert into answers (response_id, question_key, value_num)
      select n.id, a.question_key, a.value_num from answers a
      join responses o on o.id = a.response_id and o.wave_id = ${wave.id}
      join responses n on n.org_id = o.org_id and n.wave_id = (select id from waves where slug = ${slug})`.execute(
      handle.db,
    );
    if (i < 8) await changeWaveStatus(handle.db, slug, 'closed', null);
  }
  await sql`analyze`.execute(handle.db);
  // Each the median of three runs: cold with the cache emptied before each, cached after it.
  const timed = async (before?: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let run = 0; run < 3; run++) {
      await before?.();
      const begin = process.hrtime.bigint();
      await buildReport(handle.db, { wave: 'bench-8', stratify: ['org_type'] });
      times.push(seconds(begin));
    }
    return times.sort((a, b) => a - b)[1];
  };
  print('report_8th_wave_cold_seconds', await timed(() => handle.db.deleteFrom('report_cache').execute()), 's');
  print('report_8th_wave_seconds', await timed(), 's');
}

async function benchImport() {
  const { url: dbUrl } = await freshDatabase('import');
  const handle = postgresHandle(dbUrl);
  await migrateToLatest(handle.db);
  await handle.close();
  const file = path.join(tmp, 'frame-100k.csv');
  const out = fs.createWriteStream(file);
  for (const line of demoFrameCsv(generateDemoFrame({ orgs: 100_000, seed: 3 }))) out.write(line);
  await new Promise((r) => out.end(r));
  // The import in its own process, so its peak memory is measured alone.
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin', 'impactmonitor.js'), 'frame', 'import', file, '--year', '2019'],
    { env: { ...process.env, DATABASE_URL: dbUrl, NODE_OPTIONS: '' }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const start = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`import exited ${code}`)))),
  );
  const importSeconds = seconds(start);
  print('import_seconds', importSeconds, 's');
  // Peak RSS of the whole import process (node, tsx, the CSV stream), from /proc via ps
  // would miss the peak; GNU time reports the maximum resident set size.
  const { url: db2 } = await freshDatabase('import2');
  const h2 = postgresHandle(db2);
  await migrateToLatest(h2.db);
  await h2.close();
  const timed = spawn(
    '/usr/bin/time',
    [
      '-f',
      'maxrss=%M',
      process.execPath,
      path.join(root, 'bin', 'impactmonitor.js'),
      'frame',
      'import',
      file,
      '--year',
      '2019',
    ],
    { env: { ...process.env, DATABASE_URL: db2 }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  timed.stderr.on('data', (d) => (stderr += d));
  await new Promise((r) => timed.on('exit', r));
  const kb = Number(stderr.match(/maxrss=(\d+)/)?.[1]);
  if (Number.isFinite(kb)) print('import_peak_rss_mb', kb / 1024, 'MB');
  else console.error('GNU time (/usr/bin/time) is not installed: import_peak_rss_mb skipped (apt-get install time)');
  // psql \copy of the same file into a bare table with the file's columns (contacts included).
  const { url: copyUrl } = await freshDatabase('copy');
  execFileSync('psql', [
    copyUrl,
    '-q',
    '-c',
    'create table frame (kans_id text, naam text, type text, provincie text, gemeente text, lid text, leerlingen int, omzet text, subsidie text, fte text, docenten_loondienst int, docenten_zzp int, email text, contactpersoon text)',
  ]);
  const copyStart = process.hrtime.bigint();
  execFileSync('psql', [
    copyUrl,
    '-q',
    '-c',
    `\\copy frame from '${file}' with (format csv, header true, delimiter ';')`,
  ]);
  const copySeconds = seconds(copyStart);
  print('import_vs_copy_ratio', importSeconds / copySeconds, 'x');
}

async function benchHttp() {
  const { url: dbUrl } = await freshDatabase('http');
  const handle = postgresHandle(dbUrl, 20);
  await migrateToLatest(handle.db);
  const rows = generateDemoFrame({ orgs: 200, seed: 4 });
  const csv = Buffer.from([...demoFrameCsv(rows)].join(''));
  const { importFrame } = await import('../../register/frame-import');
  const { Readable } = await import('node:stream');
  await importFrame(handle, {
    open: () => Readable.from([csv]),
    fileName: 'f.csv',
    year: 2019,
    replace: false,
    actor: null,
    source: 'cli',
  });
  await loadDefinition(
    handle.db,
    parseDefinitionText(fs.readFileSync(path.join(root, 'surveys/definitions/corona-impact.json'), 'utf8')),
    null,
  );
  await createWave(handle.db, { surveyKey: 'corona-impact', slug: 'http', name: 'HTTP', frameYear: 2019 }, null);
  await changeWaveStatus(handle.db, 'http', 'open', null);
  await createAccount(
    handle.db,
    { email: 'bench@example.nl', role: 'member', orgId: rows[0].org_id, password: 'een lang wachtwoord' },
    null,
  );
  const config = { ...readConfig({}), dataDir: tmp, databaseUrl: dbUrl, logLevel: 'silent' };
  const app = await createApp({ handle, config, logger: pino({ level: 'silent' }) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  // Log in once; reuse the session cookie.
  let cookie = '';
  const loginPage = await fetch(`${base}/login`);
  cookie = (loginPage.headers.get('set-cookie') ?? '').split(';')[0];
  const token = (await loginPage.text()).match(/name="_csrf" value="([^"]+)"/)![1];
  const login = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email: 'bench@example.nl', password: 'een lang wachtwoord' }),
  });
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const page = await fetch(`${base}/vragenlijst/http/stap/1`, { headers: { cookie } });
  const html = await page.text();
  const csrf = html.match(/name="_csrf" value="([^"]+)"/)![1];

  const survey = await autocannon({
    url: `${base}/vragenlijst/http/stap/1`,
    connections: 20,
    duration: 10,
    headers: { cookie },
  });
  print('http_survey_page_rps', survey.requests.average, 'req/s');
  print('http_survey_page_p99_ms', survey.latency.p99, 'ms');
  // Autosave: each request states the version it read; the app answers 200 or 409 (a
  // conflict is a correct answer under concurrency, not an error).
  const autosave = await autocannon({
    url: `${base}/vragenlijst/http/stap/1/autosave`,
    method: 'POST',
    connections: 10,
    duration: 10,
    headers: {
      cookie,
      'content-type': 'application/x-www-form-urlencoded',
      'x-csrf-token': csrf,
      accept: 'application/json',
    },
    body: new URLSearchParams({ _csrf: csrf, version: '0', revenue_loss_eur: '12500' }).toString(),
  });
  print('http_autosave_rps', autosave.requests.average, 'req/s');
  const errors =
    survey.errors + survey.timeouts + survey.non2xx + autosave.errors + autosave.timeouts + (autosave['5xx'] ?? 0);
  print('http_errors', errors, 'count');
  // Let the last requests finish before the pool goes away.
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => setTimeout(r, 200));
  await handle.close();
}

async function benchPdf(report: Awaited<ReturnType<typeof buildReport>>) {
  // A 10-chart report: the first 10 questions of the benchmark report.
  const keys = Array.from({ length: 5 }, (_, i) => `q${String(i + 1).padStart(2, '0')}`);
  const ten = { ...report, estimates: report.estimates.filter((e) => keys.includes(e.question)) };
  const start = process.hrtime.bigint();
  await renderReportPdf(ten, benchDefinition(), 'nl');
  print('pdf_seconds', seconds(start), 's');
}

console.error(`benchmarks on ${new URL(url).host}, ${os.cpus().length} cores, node ${process.version}`);
/**
 * The embedded database runs in the server's process: while staff make heavy
 * reports and a PDF of the demo, how quickly do /health and a member's page answer,
 * and how long does the staff report page take?
 */
async function benchResponsiveness() {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pgliteHandle } = await import('../../foundation/db/database');
  const { fillDemo } = await import('../../server/demo/demo');
  const handle = pgliteHandle(await PGlite.create());
  await migrateToLatest(handle.db);
  await fillDemo(handle, { orgs: 400, seed: 2020 });
  const config = { ...readConfig({}), dataDir: tmp, databaseUrl: null, logLevel: 'silent' };
  const app = await createApp({ handle, config, logger: pino({ level: 'silent' }) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const login = async (email: string) => {
    const page = await fetch(`${base}/login`);
    const first = (page.headers.get('set-cookie') ?? '').split(';')[0];
    const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1];
    const res = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: first },
      body: new URLSearchParams({ _csrf: token, email, password: 'demo-wachtwoord' }).toString(),
    });
    return (res.headers.get('set-cookie') ?? first).split(';')[0];
  };
  const staff = await login('beleid@demo.impactmonitor.nl');
  const member = await login('lid1@demo.impactmonitor.nl');
  const timed = async (url: string, cookie?: string) => {
    const start = process.hrtime.bigint();
    const res = await fetch(base + url, { headers: cookie ? { cookie } : {} });
    await res.arrayBuffer();
    return seconds(start) * 1000;
  };
  await timed('/beheer/rapportage?wave=corona-2020-06&stratify=province', staff);
  print(
    'report_page_demo_pglite_ms',
    await timed('/beheer/rapportage?wave=corona-2020-06&stratify=province', staff),
    'ms',
  );
  print('public_page_demo_pglite_ms', await timed('/resultaten/coronamonitor-april-2020'), 'ms');
  // The default demo report as the ministry gets it: time and number of pages.
  const pdfStart = process.hrtime.bigint();
  const pdf = await fetch(`${base}/beheer/rapportage/export.pdf?wave=corona-2020-06`, { headers: { cookie: staff } });
  const pdfBytes = Buffer.from(await pdf.arrayBuffer());
  print('pdf_demo_seconds', seconds(pdfStart), 's');
  print('pdf_demo_pages', (pdfBytes.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length, 'pages');
  print('pdf_demo_kb', pdfBytes.length / 1024, 'KiB');
  let done = false;
  const heavy = Promise.all([
    timed('/beheer/rapportage?wave=corona-2020-06&stratify=province&by=size_class', staff),
    timed('/beheer/rapportage?wave=corona-2020-06&stratify=size_class&by=province', staff),
    timed('/beheer/rapportage/export.pdf?wave=corona-2020-06&stratify=province', staff),
  ])
    // On a machine far busier than its two cores, a request can be cut off: say so, and go on with the other figures.
    .catch((error: unknown) => console.error(`a heavy request failed: ${String(error)}`))
    .finally(() => (done = true));
  const health: number[] = [];
  const pages: number[] = [];
  while (!done) {
    health.push(await timed('/health'));
    pages.push(await timed('/', member));
  }
  await heavy;
  const p90 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length * 0.9)];
  print('health_p90_during_reports_ms', p90(health), 'ms');
  print('member_page_p90_during_reports_ms', p90(pages), 'ms');
  server.close();
  await handle.close();
}

/** Every part of the bench, in the order it runs; a new bench is one more entry (e.g. from its own file). */
let report: Awaited<ReturnType<typeof buildReport>> | null = null;
const benches: [string, () => Promise<unknown>][] = [
  ['report', async () => (report = await benchReport())],
  // The timed reports before the benches that write much (import, HTTP autosave, uploads):
  // the server's checkpoint of those writes would otherwise land in a report's time.
  ['calibrated', () => benchCalibratedReport(async (name) => (await freshDatabase(name)).url, print)],
  ['responsiveness', benchResponsiveness],
  ['pdf', async () => benchPdf(report ?? (await benchReport()))],
  ['import', benchImport],
  ['http', benchHttp],
  ['upload', async () => (await import('./upload-bench')).benchUploads(print)],
];
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
for (const [name, run] of benches) if (!only || only.includes(name)) await run();
const missed = printed.filter((p) => p.met === false).map((p) => p.name);
console.error(missed.length ? `targets missed: ${missed.join(', ')}` : 'every target met');
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);
