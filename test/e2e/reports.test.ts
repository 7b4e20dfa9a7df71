import fs from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { launchBrowser, type RunningApp, seriousViolations, startApp } from './browser';

describe('staff build a report, download the PDF and publish; the public page', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp(async (env) => {
      const res = await runCli(['demo', '--orgs', '200', '--seed', '12'], { env });
      if (res.code !== 0) throw new Error(res.stderr);
    });
    browser = await launchBrowser();
  });
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
});
