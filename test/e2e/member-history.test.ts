// A member's own history in the browser: submit, find the wave
// under "Eerdere metingen" (as submitted, and after staff close it), read the
// answers back read-only and download the PDF and the Excel (NL) copy.
import fs from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { pdfText } from '../support/pdf-text';
import { PAGE_ANSWERS } from '../support/survey-fixtures';
import { launchBrowser, type RunningApp, seriousViolations, startApp } from './browser';

const PASSWORD = 'demo-wachtwoord';
const WAVE = 'corona-2020-06';

async function login(page: Page, app: RunningApp, email: string) {
  await page.goto(`${app.url}/login`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(`${app.url}/`);
}

/** The section of the home page under a heading, as text. */
async function section(page: Page, heading: string): Promise<string> {
  const text = (await page.locator('main').textContent()) ?? '';
  const flat = text.replace(/\s+/g, ' ');
  const earlier = flat.indexOf('Eerdere metingen');
  return heading === 'Eerdere metingen' ? flat.slice(earlier) : flat.slice(0, earlier);
}

describe('a member reads back its history in the browser', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp(async (env) => {
      const res = await runCli(['demo', '--orgs', '40', '--seed', '9'], { env });
      if (res.code !== 0) throw new Error(res.stderr);
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('submits, finds the wave under earlier waves, opens the answers and downloads both files', {
    timeout: 120_000,
  }, async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await login(page, app, 'lid1@demo.impactmonitor.nl');
    expect(await section(page, 'open')).toContain('Coronamonitor juni 2020');

    // The answers go in page by page through the browser's own session ("Volgende" on each page).
    for (const [i, fields] of PAGE_ANSWERS.entries()) {
      const url = `${app.url}/vragenlijst/${WAVE}/stap/${i + 1}`;
      const html = await (await page.request.get(url)).text();
      const body = new URLSearchParams({
        _csrf: html.match(/name="_csrf" value="([^"]+)"/)![1],
        version: html.match(/name="version" value="(\d+)"/)![1],
        action: 'next',
      });
      for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
      const res = await page.request.post(url, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        data: body.toString(),
        maxRedirects: 0,
      });
      expect(res.status()).toBe(303);
    }
    // Back on the home page: "verder waar u gebleven was" opens the review page, where the member left.
    await page.goto(`${app.url}/`);
    await page.getByRole('link', { name: 'Verder waar u gebleven was' }).click();
    await page.waitForURL(/controle$/);
    await page.getByLabel('Ik bevestig dat deze antwoorden kloppen en wil ze indienen').check();
    await page.getByRole('button', { name: 'Antwoorden indienen' }).click();
    await page.waitForURL(/ingediend$/);

    // Submitted: under earlier waves, still open until staff close it.
    await page.goto(`${app.url}/`);
    expect(await section(page, 'open')).not.toContain('Coronamonitor juni 2020');
    const earlier = await section(page, 'Eerdere metingen');
    expect(earlier).toContain('Coronamonitor juni 2020');
    expect(earlier).toMatch(/Ingediend op \d{1,2} \w+ 20\d\d \d\d:\d\d/);
    expect(earlier).toContain('De meting is nog open');
    expect(await seriousViolations(page)).toEqual([]);

    // Staff close the wave.
    const staffContext = await browser.newContext();
    const staff = await staffContext.newPage();
    await login(staff, app, 'beheer@demo.impactmonitor.nl');
    await staff.goto(`${app.url}/beheer/metingen`);
    await staff.getByRole('button', { name: 'Sluiten Coronamonitor juni 2020' }).click();
    await staff.waitForLoadState();
    await staffContext.close();

    await page.goto(`${app.url}/`);
    expect(await section(page, 'open')).toContain('Er staan op dit moment geen vragenlijsten');
    const closed = await section(page, 'Eerdere metingen');
    expect(closed).toContain('Coronamonitor juni 2020');
    expect(closed).not.toContain('De meting is nog open');

    // The answers, read-only, with the comparison.
    await page.getByRole('link', { name: 'Uw antwoorden bekijken – Coronamonitor juni 2020' }).click();
    await page.waitForURL(new RegExp(`/vragenlijst/${WAVE}/antwoorden$`));
    const main = (await page.locator('main').textContent())?.replace(/\s+/g, ' ') ?? '';
    expect(main).toContain('Periode: 1 mei 2020 tot en met 31 mei 2020');
    expect(main).toContain('Hoeveel omzet bent u in deze periode misgelopen?');
    expect(main).toContain('€ 12.500,50');
    expect(main).toContain('NOW (tegemoetkoming loonkosten), TVL (tegemoetkoming vaste lasten)');
    expect(main).toContain('Hoe staat uw organisatie ervoor?');
    expect(await page.locator('main input, main textarea, main select').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    // Nothing scrolls sideways on a phone (the chart follows the new width a frame or two later).
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), { timeout: 5_000 })
      .toBe(true);
    await page.setViewportSize({ width: 1280, height: 720 });

    // Both downloads, as the browser saves them.
    const [pdfDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Als PDF' }).click(),
    ]);
    expect(pdfDownload.suggestedFilename()).toMatch(new RegExp(`^antwoorden-${WAVE}-.+\\.pdf$`));
    const pdf = (await pdfText(await fs.readFile((await pdfDownload.path())!))).replace(/\s+/g, ' ');
    expect(pdf).toContain('Meting: Coronamonitor juni 2020');
    expect(pdf).toContain('Periode: 1 mei 2020 tot en met 31 mei 2020');
    expect(pdf).toContain('Hoeveel omzet bent u in deze periode misgelopen?');
    expect(pdf).toContain('€ 12.500,50');

    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Voor Excel (NL)' }).click(),
    ]);
    expect(csvDownload.suggestedFilename()).toMatch(new RegExp(`^antwoorden-${WAVE}-.+\\.csv$`));
    const csv = await fs.readFile((await csvDownload.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.split('\r\n')[0]).toContain(';Vraag;Antwoord;');
    expect(csv).toContain('"Hoeveel omzet bent u in deze periode misgelopen?";12500,5;"€"');
    expect(csv).toContain(';"01-05-2020";"31-05-2020";');
    await context.close();
  });
});
