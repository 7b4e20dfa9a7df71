// Crash safety: saves acknowledged by the server survive a hard kill (SIGKILL)
// in the middle of a burst, and the database opens sound afterwards.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, freePort, runCli, startServer } from '../support/cli';
import { testDialects } from '../support/databases';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

async function prepare(env: NodeJS.ProcessEnv) {
  for (const args of [
    ['demo', '--orgs', '40', '--seed', '2'],
    ['wave', 'create', '--survey', 'corona-impact', '--slug', 'crash', '--name', 'Crash', '--frame-year', '2019'],
    ['wave', 'open', 'crash'],
  ]) {
    const res = await runCli(args, { env });
    if (res.code !== 0) throw new Error(`${args.join(' ')}: ${res.stderr}`);
  }
}

async function session(base: string, email: string) {
  const loginPage = await fetch(`${base}/login`);
  let cookie = (loginPage.headers.get('set-cookie') ?? '').split(';')[0];
  const token = (await loginPage.text()).match(/name="_csrf" value="([^"]+)"/)![1];
  const login = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: token, email, password: 'demo-wachtwoord' }) });
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const page = await (await fetch(`${base}/vragenlijst/crash/stap/1`, { headers: { cookie } })).text();
  return { cookie, csrf: page.match(/name="_csrf" value="([^"]+)"/)![1], version: Number(page.match(/name="version" value="(\d+)"/)![1]) };
}

/** Wait until the process has exited (it may already have). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function storedValue(base: string, cookie: string): Promise<number | null> {
  const csv = await (await fetch(`${base}/vragenlijst/crash/antwoorden.csv`, { headers: { cookie } })).text();
  const [header, row] = csv.trim().split('\r\n');
  const index = header.split(',').indexOf('revenue_loss_eur');
  const value = row.split(',')[index];
  return value ? Number(value) : null;
}

describe.each(['pglite', ...testDialects().filter((d) => d.kind === 'postgres').map((d) => d.kind)])('crash safety on %s', (kind) => {
  it('keeps every acknowledged save after SIGKILL in the middle of a burst', async () => {
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
    const member = await session(url, 'lid1@demo.impactmonitor.nl');

    // A burst of autosaves, each stating the version it read; kill the server midway.
    let version = member.version;
    let lastAcknowledged = 0;
    const killAt = 15 + Math.floor(Math.random() * 20);
    for (let i = 1; i <= 60; i++) {
      if (i === killAt) server.kill('SIGKILL');
      try {
        const res = await fetch(`${url}/vragenlijst/crash/stap/1/autosave`, {
          method: 'POST',
          headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({ _csrf: member.csrf, version: String(version), revenue_loss_eur: String(i * 1000) }),
        });
        if (res.status !== 200) break;
        const body = (await res.json()) as { version: number };
        version = body.version;
        lastAcknowledged = i * 1000;
      } catch {
        break; // the server is gone
      }
    }
    expect(lastAcknowledged).toBeGreaterThan(0);
    await exited(server);

    // Restart on the same data: the last acknowledged save (or a later one that
    // committed just before the kill) is there, and the database answers.
    const p2 = await freePort();
    server = await startServer(env, p2);
    try {
      const url2 = `http://127.0.0.1:${p2}`;
      const health = await (await fetch(`${url2}/health`)).json();
      expect(health).toEqual({ status: 'ok', database: kind });
      const again = await session(url2, 'lid1@demo.impactmonitor.nl');
      const stored = await storedValue(url2, again.cookie);
      expect(stored).not.toBeNull();
      expect(stored!).toBeGreaterThanOrEqual(lastAcknowledged);
      expect(stored!).toBeLessThanOrEqual(lastAcknowledged + 1000);
    } finally {
      server.kill('SIGTERM');
      await exited(server);
      await dropDb?.();
    }
    // Several CLI runs and three server starts: generous on a busy two-core machine.
  }, 300_000);
});
