// Shared browser-test setup: a real server process on a free port with its own
// PGlite data directory, Debian's chromium, and axe-core for accessibility.

import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { cliEnv, freePort, runCli, startServer } from '../support/cli';

const require = createRequire(import.meta.url);
const axeSource = await fs.readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface RunningApp {
  url: string;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  stop(): Promise<void>;
}

/** Prepare a data directory with the CLI (before the server takes the lock), then serve it. */
export async function startApp(
  prepare: (env: NodeJS.ProcessEnv) => Promise<void> = async () => {},
): Promise<RunningApp> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'impact-e2e-'));
  const env = cliEnv({ IMPACT_DATA_DIR: dataDir });
  await prepare(env);
  const port = await freePort();
  const server: ChildProcess = await startServer(env, port);
  return {
    url: `http://127.0.0.1:${port}`,
    env,
    dataDir,
    stop: async () => {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function createUser(env: NodeJS.ProcessEnv, email: string, role: string, password: string, org?: string) {
  const args = ['user', 'create', '--email', email, '--role', role, ...(org ? ['--org', org] : [])];
  const res = await runCli(args, { env, stdin: password });
  if (res.code !== 0) throw new Error(res.stderr);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Serious and critical axe-core violations (WCAG 2.1 A and AA) on the current page. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's strict CSP does not block it.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
}

const FRAME_HEADER =
  'kans_id;naam;type;provincie;gemeente;lid;leerlingen;omzet;subsidie;fte;docenten_loondienst;docenten_zzp';

/** Upload a one-organisation population file for `year` on the frame page, and wait for its preview. */
export async function uploadFrameRow(page: Page, baseUrl: string, year: number, row: string): Promise<void> {
  await page.goto(`${baseUrl}/beheer/populatie`);
  // The frame's own form; the page also has the contacts import with a year of its own.
  const form = page.getByRole('region', { name: 'Bestand importeren' });
  await form.getByLabel('Peiljaar').fill(String(year));
  await form.getByLabel('CSV-bestand').setInputFiles({
    name: `kans-${year}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from(`${FRAME_HEADER}\n${row}\n`),
  });
  await form.getByRole('button', { name: 'Controleren' }).click();
  await page.waitForURL(/\/beheer\/populatie\/upload\/\d+$/);
}

/**
 * Cells and controls the reader cannot see whole at the current width: text cut
 * by its own box (scrollWidth beyond clientWidth where it clips), or an element
 * reaching past the visible box of the nearest container that clips it. A table
 * in its own keyboard-scrollable region (`.table-scroll`) may scroll sideways
 * only when `regionsMayScroll` (a phone); at desktop width every table shows whole.
 * Each finding names the element, its text and by how many px it is cut.
 */
export async function clippedCells(page: Page, regionsMayScroll: boolean): Promise<string[]> {
  return page.evaluate((mayScroll) => {
    const found: string[] = [];
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
    const selector =
      'main th, main td, main button, main .button, main label, main summary, .site-header li, .site-header a';
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      if (el.closest('.visually-hidden, [hidden]')) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1)
        found.push(`${name(el)}: text cut by ${el.scrollWidth - el.clientWidth} px`);
      let c = el.parentElement;
      while (c && c !== document.body && getComputedStyle(c).overflowX === 'visible') c = c.parentElement;
      if (!c || c === document.body) continue;
      const edge = c.getBoundingClientRect();
      const past = Math.max(box.right - edge.right, edge.left - box.left);
      if (past > 1 && !(mayScroll && c.matches('.table-scroll')))
        found.push(
          `${name(el)}: ${Math.round(past)} px past its ${c.className ? `.${c.className}` : c.tagName.toLowerCase()}`,
        );
    }
    return [...new Set(found)].slice(0, 6);
  }, regionsMayScroll);
}

/** Whether the header's menu items stand on more than one line. */
export async function menuLines(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Set(
        Array.from(document.querySelectorAll('.main-nav li')).map((li) => Math.round(li.getBoundingClientRect().top)),
      ).size,
  );
}
