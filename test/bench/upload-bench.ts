// The upload bench (issue 23.5): the largest valid questionnaire workbook the limits
// allow and each hostile workbook of test/support/hostile-workbooks.ts are uploaded to a
// server on the embedded database while /health is asked all the time. Prints the
// process's peak memory (the parse workers included: they share the process) and the
// worst /health time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createAccount } from '../../accounts/accounts';
import { WORKBOOK_LIMITS } from '../../foundation/file-limits';
import { createApp } from '../../server/app';
import { readConfig } from '../../server/config';
import type { SurveyDefinition } from '../../surveys/definition-schema';
import { definitionToXlsx } from '../../surveys/definition-xlsform';
import { HOSTILE_KEYS, type HostileKind, hostileWorkbook } from '../support/hostile-workbooks';
import { CORONA } from '../support/survey-fixtures';

type Print = (name: string, value: number, unit: string) => void;

/** Many single-choice questions with long, varied labels: near the row caps, well within them. */
function largestDefinition(): SurveyDefinition {
  const T = (s: string) => ({ nl: s, en: s });
  const words = (i: number) =>
    Array.from({ length: 30 }, (_, w) => `woord${(i * 7919 + w * 104729) % 100_000}`).join(' ');
  const pages = Array.from({ length: 40 }, (_, p) => ({
    key: `p${p + 1}`,
    title: T(`Pagina ${p + 1}`),
    questions: Array.from({ length: 100 }, (_, q) => {
      const i = p * 100 + q;
      return {
        key: `v${i + 1}`,
        type: 'single_choice' as const,
        label: T(`Vraag ${i + 1}: ${words(i)}`),
        options: [1, 2].map((o) => ({ value: `o${o}`, label: T(`Keuze ${o} ${words(i + o)}`) })),
      };
    }),
  }));
  return { key: 'grootst', version: 1, title: T('Grootste vragenlijst'), pages } as unknown as SurveyDefinition;
}

export async function benchUploads(print: Print): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pgliteHandle } = await import('../../foundation/db/database');
  const { migrateToLatest } = await import('../../foundation/db/migrate');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'impact-upload-bench-'));
  const handle = pgliteHandle(await PGlite.create());
  await migrateToLatest(handle.db);
  const password = 'een lang bench-wachtwoord';
  await createAccount(
    handle.db,
    { email: 'bench@example.nl', name: 'Bench', role: 'staff', orgId: null, password },
    null,
  );
  const config = { ...readConfig({}), dataDir: tmp, databaseUrl: null, logLevel: 'silent' };
  const app = await createApp({ handle, config, logger: pino({ level: 'silent' }) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const loginPage = await fetch(`${base}/login`);
  const first = (loginPage.headers.get('set-cookie') ?? '').split(';')[0]!;
  const token = (await loginPage.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
  const login = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: first },
    body: new URLSearchParams({ _csrf: token, email: 'bench@example.nl', password }).toString(),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;

  const valid = await definitionToXlsx(largestDefinition());
  const base64 = await definitionToXlsx(CORONA);
  const files: [string, Buffer][] = [['valid', valid]];
  for (const kind of Object.keys(HOSTILE_KEYS) as HostileKind[])
    files.push([kind, await hostileWorkbook(base64, kind)]);
  print('upload_valid_workbook_kb', valid.length / 1024, 'KiB');

  let peak = process.memoryUsage().rss;
  const before = peak;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  let worst = 0;
  let current = 'valid';
  const worstOf: Record<string, number> = {};
  let uploading = true;
  let errors = 0;
  const polling = (async () => {
    while (uploading) {
      const start = performance.now();
      try {
        // A fresh connection each time, as a load balancer's health check opens one.
        await (await fetch(`${base}/health`, { headers: { connection: 'close' } })).arrayBuffer();
      } catch {
        errors++;
        continue;
      }
      const ms = performance.now() - start;
      worst = Math.max(worst, ms);
      worstOf[current] = Math.max(worstOf[current] ?? 0, ms);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const statuses: string[] = [];
  for (const [name, data] of files) {
    current = name === 'valid' ? 'valid' : 'hostile';
    const page = await (await fetch(`${base}/beheer/vragenlijsten/upload`, { headers: { cookie } })).text();
    const form = new FormData();
    form.set('_csrf', page.match(/name="_csrf" value="([^"]+)"/)![1]!);
    form.set('file', new Blob([new Uint8Array(data)]), `${name}.xlsx`);
    const start = performance.now();
    const res = await fetch(`${base}/beheer/vragenlijsten/upload`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie },
      body: form,
    });
    await res.arrayBuffer();
    statuses.push(`${name}=${res.status}`);
    if (name === 'valid') print('upload_valid_seconds', (performance.now() - start) / 1000, 's');
  }
  uploading = false;
  await polling;
  clearInterval(sampler);
  // Expected: valid=303 (to the preview), every hostile one 422 with its message.
  console.error(`uploads: ${statuses.join(' ')} (worker heap cap ${WORKBOOK_LIMITS.workerHeapMb} MB)`);
  print('upload_peak_rss_mb', peak / 1024 / 1024, 'MB');
  print('upload_peak_rss_over_start_mb', (peak - before) / 1024 / 1024, 'MB');
  print('upload_health_worst_ms', worst, 'ms');
  print('upload_health_errors', errors, 'requests');
  print('upload_health_worst_hostile_ms', worstOf.hostile ?? 0, 'ms');
  print('upload_health_worst_valid_ms', worstOf.valid ?? 0, 'ms');
  server.close();
  await handle.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

// `node --import tsx test/bench/upload-bench.ts` runs this bench alone (no PostgreSQL needed).
if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  await benchUploads((name, value, unit) => console.log(`${name} ${Number(value.toPrecision(4))} ${unit}`));
  process.exit(0);
}
