// Issue 23.2: `npm start` supervises the server. The server process is killed hard
// (SIGKILL) while members save; the supervisor logs why it ended and starts a new one
// within seconds, the members' sessions still work, and every save the server
// acknowledged is there.

import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, freePort, repoRoot, runCli } from '../support/cli';
import { testDialects } from '../support/databases';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

const MEMBERS = Array.from({ length: 4 }, (_, i) => ({
  email: `herstart${i + 1}@example.nl`,
  org: `KANS-${String(31 + i).padStart(4, '0')}`,
}));
const PASSWORD = 'een lang wachtwoord';

async function prepare(env: NodeJS.ProcessEnv) {
  for (const args of [
    ['demo', '--orgs', '40', '--seed', '2'],
    ['wave', 'create', '--survey', 'corona-impact', '--slug', 'herstart', '--name', 'Herstart', '--frame-year', '2019'],
    ['wave', 'open', 'herstart'],
  ]) {
    // Generous: the demo takes a minute on a busy two-core machine.
    const res = await runCli(args, { env, timeoutMs: 240_000 });
    if (res.code !== 0) throw new Error(`${args.join(' ')}: ${res.stderr}`);
  }
  for (const m of MEMBERS) {
    const res = await runCli(['user', 'create', '--email', m.email, '--role', 'member', '--org', m.org], {
      env,
      stdin: PASSWORD,
      timeoutMs: 120_000,
    });
    if (res.code !== 0) throw new Error(res.stderr);
  }
}

interface Session {
  cookie: string;
  csrf: string;
}

async function session(base: string, email: string): Promise<Session> {
  const loginPage = await fetch(`${base}/login`);
  let cookie = (loginPage.headers.get('set-cookie') ?? '').split(';')[0]!;
  const token = (await loginPage.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
  const login = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email, password: PASSWORD }),
  });
  if (login.status !== 303) throw new Error(`login ${email}: ${login.status}`);
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const page = await (await fetch(`${base}/`, { headers: { cookie } })).text();
  return { cookie, csrf: page.match(/name="_csrf" value="([^"]+)"/)![1]! };
}

async function page(base: string, s: Session): Promise<string> {
  return (
    await fetch(`${base}/vragenlijst/herstart/stap/1`, {
      headers: { cookie: s.cookie },
      signal: AbortSignal.timeout(REQUEST_MS),
    })
  ).text();
}

const versionOf = (html: string) => Number(html.match(/name="version" value="(\d+)"/)![1]);

/**
 * A request on a connection the killed process held can be left without an answer:
 * it is given up and tried again, as a browser's autosave does (it was never acknowledged).
 */
const REQUEST_MS = 10_000;

/** Autosave growing amounts until `done()`; a failed request (server down, conflict) reads the version again. */
async function saving(base: string, s: Session, index: number, acked: number[], done: () => boolean) {
  let version = -1;
  for (let i = 1; !done(); i++) {
    try {
      if (version < 0) version = versionOf(await page(base, s));
      const amount = (index + 1) * 1_000_000 + i;
      const res = await fetch(`${base}/vragenlijst/herstart/stap/1/autosave`, {
        method: 'POST',
        headers: {
          cookie: s.cookie,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ _csrf: s.csrf, version: String(version), revenue_loss_eur: String(amount) }),
        signal: AbortSignal.timeout(REQUEST_MS),
      });
      if (res.status !== 200) {
        version = -1;
        continue;
      }
      version = ((await res.json()) as { version: number }).version;
      acked[index] = amount;
    } catch {
      version = -1;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

interface LogLine {
  msg?: string;
  pid?: number;
  signal?: string;
  cause?: string;
  restartInMs?: number;
}

describe.each([
  'pglite',
  ...testDialects()
    .filter((d) => d.kind === 'postgres')
    .map((d) => d.kind),
])('the supervisor on %s', (kind) => {
  it('restarts the server after SIGKILL within seconds, logs why, and loses no acknowledged save', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'impact-supervisor-'));
    dirs.push(dir);
    let extra: Record<string, string> = { IMPACT_DATA_DIR: dir };
    let dropDb: (() => Promise<void>) | null = null;
    if (kind === 'postgres') {
      const dialect = testDialects().find((d) => d.kind === 'postgres')!;
      const db = await dialect.create();
      extra = { IMPACT_DATA_DIR: dir, DATABASE_URL: db.url!, WEB_CONCURRENCY: '2' };
      await db.db.destroy();
      dropDb = async () => db.close().catch(() => undefined);
    }
    const env = cliEnv({ ...extra, LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
    await prepare(env);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const supervisor: ChildProcess = spawn(
      process.execPath,
      [path.join(repoRoot, 'bin', 'impactmonitor.js'), 'serve'],
      {
        cwd: repoRoot,
        env: { ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const log: LogLine[] = [];
    let buffered = '';
    supervisor.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines)
        try {
          log.push(JSON.parse(line) as LogLine);
        } catch {
          // not a log line
        }
    });
    const until = async (what: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!what()) {
        if (Date.now() > deadline) throw new Error(`timed out; log: ${JSON.stringify(log)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const healthy = async () => {
      try {
        return (await fetch(`${base}/health`)).ok;
      } catch {
        return false;
      }
    };
    const started = () => log.filter((l) => l.msg === 'server process started');
    try {
      const processes = kind === 'postgres' ? 2 : 1;
      await until(() => started().length === processes, 60_000);
      let up = false;
      while (!up) up = await healthy();
      const sessions = await Promise.all(MEMBERS.map((m) => session(base, m.email)));

      const acked: number[] = [];
      let done = false;
      const running = Promise.all(sessions.map((s, i) => saving(base, s, i, acked, () => done)));
      await until(() => acked.filter(Boolean).length === MEMBERS.length, 60_000);
      // Kill a server process hard in the middle of the saves.
      const victim = started()[0]!.pid!;
      process.kill(victim, 'SIGKILL');
      const killedAt = Date.now();
      await until(() => log.some((l) => l.msg === 'server process ended; restarting' && l.pid === victim), 10_000);
      const ended = log.find((l) => l.msg === 'server process ended; restarting')!;
      expect(ended.signal).toBe('SIGKILL');
      expect(ended.cause).toMatch(/SIGKILL/);
      // A first crash: the new process is started half a second after the exit.
      expect(ended.restartInMs).toBe(500);
      await until(() => started().length === processes + 1, 10_000);
      const back = async () => {
        while (!(await healthy())) await new Promise((r) => setTimeout(r, 50));
      };
      await back();
      // Back once the new process has opened the database (seconds; more on a busy two-core machine).
      expect(Date.now() - killedAt).toBeLessThan(60_000);
      // The members go on with the same sessions (kept in the database), then stop.
      const before = [...acked];
      await until(() => acked.every((a, i) => a > before[i]!), 60_000);
      done = true;
      await running;
      for (const [i, s] of sessions.entries())
        expect(await page(base, s), MEMBERS[i]!.org).toContain(`value="${acked[i]}"`);
    } finally {
      supervisor.kill('SIGTERM');
      await new Promise((resolve) => (supervisor.exitCode !== null ? resolve(null) : supervisor.once('exit', resolve)));
      await dropDb?.();
    }
  }, 600_000);
});
