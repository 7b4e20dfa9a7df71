import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { launchBrowser, type RunningApp, seriousViolations, startApp } from './browser';

describe('staff build a report, download the PDF and publish; the public page', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp(async (env) => {
      // A busy two-core machine needs more than the CLI's default minute for the demo.
      const res = await runCli(['demo', '--orgs', '200', '--seed', '12'], { env, timeoutMs: 240_000 });
      if (res.code !== 0) throw new Error(res.stderr);
    });
    browser = await launchBrowser();
  }, 280_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('builds a report with charts drawn in the browser, downloads the PDF, publishes it', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.url}/login`);
    await page.getByLabel('E-mailadres').fill('beleid@demo.impactmonitor.nl');
    await page.getByLabel('Wachtwoord').fill('demo-wachtwoord');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(`${app.url}/`);
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Rapportage' }).click();
    await page.waitForURL(/rapportage$/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Meting').selectOption('corona-2020-04');
    await page.getByLabel('Uitsplitsen naar').selectOption('province');
    await page.getByRole('button', { name: 'Rapport tonen' }).click();
    await page.waitForSelector('#key-figures');
    expect(await page.locator('.key-figures').textContent()).toContain('Geschatte omzetderving');
    // chart.js drew the first chart on the canvas (served from our own origin under the strict CSP).
    await page.waitForSelector('#chart-0:not([hidden])');
    expect(await page.locator('#chart-0').evaluate((c: HTMLCanvasElement) => c.width > 0)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'PDF voor het ministerie' }).click(),
    ]);
    const file = await download.path();
    const pdf = await fs.readFile(file!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // While it was made the page said so; then that it was saved.
    await page.waitForFunction(() => document.getElementById('download-status')?.textContent?.includes('opgeslagen'));

    // Publishing: a preview of exactly what becomes public, then a confirmation.
    await page.getByRole('link', { name: 'Voorbeeld bekijken en publiceren…' }).click();
    await page.waitForURL(/rapportage\/publiceren\?/);
    expect(await page.locator('main').textContent()).toContain('Zo ziet de openbare pagina eruit');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Titel').fill('Coronamonitor april 2020');
    await page.getByLabel('Adres (korte naam)').fill('april-2020');
    await page.getByRole('button', { name: 'Publiceren' }).click();
    await page.waitForSelector('.error-summary');
    await page.getByLabel(/Ik heb de voorbeeldweergave/).check();
    await page.getByRole('button', { name: 'Publiceren' }).click();
    await page.waitForURL(/\/beheer\/publicaties\/april-2020$/);
    expect(await page.locator('main').textContent()).toContain('Gepubliceerd (versie 1).');
    expect(await page.locator('main a[href="/resultaten/april-2020"]').count()).toBe(1);
    expect(await page.locator('textarea.embed-code').first().inputValue()).toContain(
      '/resultaten/april-2020/insluiten/0',
    );
    expect(await seriousViolations(page)).toEqual([]);
    // The one expected failure: the form sent without the confirmation came back with 422.
    expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
  });

  it('shows the published results to anyone, accessibly', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/resultaten/april-2020`);
    expect(await page.locator('h1').textContent()).toBe('Coronamonitor april 2020');
    await page.waitForSelector('#chart-0:not([hidden])');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/public-report.png', fullPage: false });
  });

  it('embeds a chart in a host page that grows the iframe to its chart, readable at 390 and 1280 px', async () => {
    const staff = await browser.newPage();
    await staff.goto(`${app.url}/login`);
    await staff.getByLabel('E-mailadres').fill('beleid@demo.impactmonitor.nl');
    await staff.getByLabel('Wachtwoord').fill('demo-wachtwoord');
    await staff.getByRole('button', { name: 'Inloggen' }).click();
    await staff.waitForURL(`${app.url}/`);
    await staff.goto(`${app.url}/beheer/publicaties/april-2020`);
    const codes = await staff
      .locator('textarea.embed-code')
      .evaluateAll((ts) => ts.map((t) => (t as HTMLTextAreaElement).value));
    expect(codes.length).toBeGreaterThan(1);
    // A host page on another origin, as a news site would be: the first and the last chart.
    const html = `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Gastpagina</title></head><body style="margin:0;padding:8px"><h1>Nieuws</h1>${codes[0]}<p>Tussentekst.</p>${codes.at(-1)}<p>Einde.</p></body></html>`;
    const host = http
      .createServer((_req, res) => res.setHeader('content-type', 'text/html').end(html))
      .listen(0, '127.0.0.1');
    await new Promise((r) => host.once('listening', r));
    try {
      for (const width of [390, 1280]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.goto(`http://127.0.0.1:${(host.address() as AddressInfo).port}/`);
        const frames = page.frames().slice(1);
        expect(frames).toHaveLength(2);
        for (const frame of frames) {
          await frame.waitForSelector('#chart-embed:not([hidden])');
          expect(await frame.locator('.embed-meta').textContent()).toMatch(
            /Coronamonitor april 2020 · periode \d+ maart 2020 t\/m 30 april 2020/,
          );
          expect(await frame.locator('.embed-source').textContent()).toContain('Bron: Impactmonitor');
        }
        // The host's iframes took their chart's height (posted by the embedded page): nothing cut off, no inner scrolling.
        const settled = async () => {
          const outer = await page
            .locator('iframe')
            .evaluateAll((fs) => fs.map((f) => f.getBoundingClientRect().height));
          const inner = await Promise.all(frames.map((f) => f.evaluate(() => document.documentElement.scrollHeight)));
          return outer.every((h, i) => Math.abs(h - inner[i]!) <= 2);
        };
        for (let tries = 0; tries < 50 && !(await settled()); tries++) await page.waitForTimeout(100);
        const sizes = await page.locator('iframe').evaluateAll((fs) => fs.map((f) => f.getBoundingClientRect()));
        for (const [i, frame] of frames.entries()) {
          const inner = await frame.evaluate(() => {
            const root = document.documentElement;
            const canvas = document.querySelector('canvas')!.getBoundingClientRect();
            const fonts = Array.from(document.querySelectorAll('h1, p, summary, a, strong')).map((e) =>
              Number.parseFloat(getComputedStyle(e).fontSize),
            );
            return {
              height: root.scrollHeight,
              width: root.scrollWidth,
              client: root.clientWidth,
              canvas: canvas.width,
              font: Math.min(...fonts),
            };
          });
          expect(Math.abs(sizes[i]!.height - inner.height)).toBeLessThanOrEqual(2);
          expect(sizes[i]!.height).not.toBe(620); // not the fixed fallback height
          expect(inner.width).toBeLessThanOrEqual(inner.client);
          // The chart is drawn to its container's width, not a 900 px picture scaled down.
          expect(inner.canvas).toBeGreaterThan(sizes[i]!.width - 40);
          expect(inner.canvas).toBeLessThanOrEqual(sizes[i]!.width);
          expect(inner.font).toBeGreaterThanOrEqual(13);
        }
        // The host page itself does not scroll sideways.
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await page.screenshot({ path: `/tmp/embed-host-${width}.png`, fullPage: true });
        await page.close();
      }
    } finally {
      host.close();
    }
  });
});
