// Crash safety: saves and submissions acknowledged by the server survive a hard
// kill (SIGKILL) in the middle of a burst from many members, and the database
// opens sound afterwards.

import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, freePort, runCli, startServer } from '../support/cli';
import { testDialects } from '../support/databases';
import { PAGE_ANSWERS } from '../support/survey-fixtures';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

const MEMBERS = Array.from({ length: 8 }, (_, i) => ({
  email: `crash${i + 1}@example.nl`,
  org: `KANS-${String(31 + i).padStart(4, '0')}`,
}));
const PASSWORD = 'een lang wachtwoord';

async function prepare(env: NodeJS.ProcessEnv) {
  for (const args of [
    ['demo', '--orgs', '40', '--seed', '2'],
    ['wave', 'create', '--survey', 'corona-impact', '--slug', 'crash', '--name', 'Crash', '--frame-year', '2019'],
    ['wave', 'open', 'crash'],
  ]) {
    const res = await runCli(args, { env });
    if (res.code !== 0) throw new Error(`${args.join(' ')}: ${res.stderr}`);
  }
  for (const m of MEMBERS) {
    const res = await runCli(['user', 'create', '--email', m.email, '--role', 'member', '--org', m.org], {
      env,
      stdin: PASSWORD,
    });
    if (res.code !== 0) throw new Error(res.stderr);
  }
}

interface Session {
  cookie: string;
  csrf: string;
}

async function session(base: string, email: string, password: string): Promise<Session> {
  const loginPage = await fetch(`${base}/login`);
  let cookie = (loginPage.headers.get('set-cookie') ?? '').split(';')[0];
  const token = (await loginPage.text()).match(/name="_csrf" value="([^"]+)"/)![1];
  const login = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email, password }),
  });
  if (login.status !== 303) throw new Error(`login ${email}: ${login.status}`);
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const page = await (await fetch(`${base}/`, { headers: { cookie } })).text();
  return { cookie, csrf: page.match(/name="_csrf" value="([^"]+)"/)![1] };
}

/** The version the member's form shows now. */
async function currentVersion(base: string, s: Session): Promise<number> {
  const page = await (await fetch(`${base}/vragenlijst/crash/stap/1`, { headers: { cookie: s.cookie } })).text();
  return Number(page.match(/name="version" value="(\d+)"/)![1]);
}

function post(base: string, s: Session, url: string, fields: Record<string, string | string[]>, json = false) {
  const body = new URLSearchParams({ _csrf: s.csrf });
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return fetch(base + url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: s.cookie,
      'content-type': 'application/x-www-form-urlencoded',
      ...(json ? { accept: 'application/json' } : {}),
    },
    body,
  });
}

interface Acked {
  /** Per member: the amount of the last acknowledged save. */
  saved: Map<number, number>;
  submitted: Set<number>;
  /** Every acknowledged request. */
  count: number;
}

/**
 * One member under deadline pressure: autosaves with growing amounts, then
 * fills in every page and submits. Records what the server acknowledged.
 */
async function burst(base: string, s: Session, index: number, acked: Acked, alive: () => boolean) {
  try {
    let version = await currentVersion(base, s);
    // Staggered: member 0 autosaves twice before submitting, member 7 nine times.
    for (let i = 1; i <= 2 + index && alive(); i++) {
      const amount = (index + 1) * 1_000_000 + i * 1000;
      const res = await post(
        base,
        s,
        '/vragenlijst/crash/stap/1/autosave',
        { version: String(version), revenue_loss_eur: String(amount) },
        true,
      );
      if (res.status !== 200) return;
      version = ((await res.json()) as { version: number }).version;
      acked.saved.set(index, amount);
      acked.count++;
    }
    for (const [n, fields] of PAGE_ANSWERS.entries()) {
      const res = await post(base, s, `/vragenlijst/crash/stap/${n + 1}`, {
        ...fields,
        version: String(version),
        action: 'next',
      });
      if (res.status !== 303) return;
      version++;
      acked.count++;
      if (n === 0) acked.saved.set(index, 12500.5);
    }
    const submitted = await post(base, s, '/vragenlijst/crash/indienen', { version: String(version), confirm: 'ja' });
    if (submitted.status === 303 && submitted.headers.get('location')?.endsWith('/ingediend'))
      acked.submitted.add(index);
  } catch {
    // The server is gone: what was acknowledged before is what counts.
  }
}

/** Wait until the process has exited (it may already have). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

describe.each([
  'pglite',
  ...testDialects()
    .filter((d) => d.kind === 'postgres')
    .map((d) => d.kind),
])('crash safety on %s', (kind) => {
  it('keeps every acknowledged save and submission after SIGKILL in the middle of a burst', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'impact-crash-'));
    dirs.push(dir);
    let extra: Record<string, string> = { IMPACT_DATA_DIR: dir };
    let dropDb: (() => Promise<void>) | null = null;
    if (kind === 'postgres') {
      const dialect = testDialects().find((d) => d.kind === 'postgres')!;
      const db = await dialect.create();
      extra = { IMPACT_DATA_DIR: dir, DATABASE_URL: db.url! };
      await db.db.destroy();
      dropDb = async () => db.close().catch(() => undefined);
    }
    const env = cliEnv(extra);
    await prepare(env);
    const p = await freePort();
    let server: ChildProcess = await startServer(env, p);
    const url = `http://127.0.0.1:${p}`;
    const sessions = await Promise.all(MEMBERS.map((m) => session(url, m.email, PASSWORD)));

    // Everyone saves and submits at once; the server is killed hard in the middle.
    const acked: Acked = { saved: new Map(), submitted: new Set(), count: 0 };
    let up = true;
    let finished = false;
    const running = Promise.all(sessions.map((s, i) => burst(url, s, i, acked, () => up))).finally(
      () => (finished = true),
    );
    // Killed once two submissions are acknowledged and a few more requests after that.
    let killAt = Infinity;
    while (up) {
      await new Promise((r) => setTimeout(r, 2));
      if (killAt === Infinity && acked.submitted.size >= 2) killAt = acked.count + Math.floor(Math.random() * 16);
      if (acked.count >= killAt || finished) {
        server.kill('SIGKILL');
        up = false;
      }
    }
    await running;
    await exited(server);
    expect(acked.submitted.size).toBeGreaterThanOrEqual(2);

    // Restart on the same data: every acknowledged submission is submitted, every
    // acknowledged save is there (or a later one that committed just before the kill).
    const p2 = await freePort();
    server = await startServer(env, p2);
    try {
      const url2 = `http://127.0.0.1:${p2}`;
      const health = await (await fetch(`${url2}/health`)).json();
      expect(health).toEqual({ status: 'ok', database: kind });
      const admin = await session(url2, 'beheer@demo.impactmonitor.nl', 'demo-wachtwoord');
      const csv = await (
        await fetch(`${url2}/beheer/metingen/crash/antwoorden.csv`, { headers: { cookie: admin.cookie } })
      ).text();
      const rows = new Map(
        Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data.map((r) => [r.org_id, r]),
      );
      for (const [index, amount] of acked.saved) {
        const row = rows.get(MEMBERS[index].org);
        expect(row, MEMBERS[index].org).toBeDefined();
        if (acked.submitted.has(index)) {
          expect(row!.status).toBe('submitted');
          expect(Number(row!.revenue_loss_eur)).toBe(12500.5);
        } else if (row!.status !== 'submitted') {
          const stored = Number(row!.revenue_loss_eur);
          // The acknowledged value, or one later request that committed before the kill.
          expect([amount, amount + 1000, 12500.5], `${MEMBERS[index].org}: ${stored}`).toContain(stored);
        }
      }
      // Sound: the database takes new work after the crash.
      const again = await session(url2, MEMBERS[0].email, PASSWORD);
      expect(
        (await fetch(`${url2}/vragenlijst/crash/antwoorden.csv`, { headers: { cookie: again.cookie } })).status,
      ).toBe(200);
    } finally {
      server.kill('SIGTERM');
      await exited(server);
      await dropDb?.();
    }
    // Several CLI runs and three server starts: generous on a busy two-core machine.
  }, 300_000);
});
