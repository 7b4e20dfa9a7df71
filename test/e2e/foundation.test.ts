import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningApp, seriousViolations, startApp } from './browser';

describe('first run, login and user administration in the browser', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('creates the first admin, shows errors accessibly, and logs in and out with the keyboard', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    // A 422 answer to a form with mistakes is expected; anything else is not.
    page.on(
      'console',
      (msg) => msg.type() === 'error' && !msg.text().includes('status of 422') && errors.push(msg.text()),
    );

    await page.goto(`${app.url}/`);
    expect(new URL(page.url()).pathname).toBe('/eerste-gebruik');
    expect(await seriousViolations(page)).toEqual([]);

    // A mistake first: the error summary links to the field and the typed values stay.
    await page.getByLabel('Naam').fill('Anna Admin');
    await page.getByLabel('E-mailadres').fill('anna@example.nl');
    await page.getByLabel('Nieuw wachtwoord').fill('een lang wachtwoord');
    await page.getByLabel('Herhaal het wachtwoord').fill('een ander wachtwoord');
    await page.getByRole('button', { name: 'Beheerder aanmaken' }).click();
    await expect
      .poll(() => page.locator('.error-summary').textContent())
      .toContain('De twee wachtwoorden zijn niet gelijk.');
    expect(await page.getByLabel('E-mailadres').inputValue()).toBe('anna@example.nl');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Nieuw wachtwoord').fill('een lang wachtwoord');
    await page.getByLabel('Herhaal het wachtwoord').fill('een lang wachtwoord');
    await page.getByLabel('Herhaal het wachtwoord').press('Enter');
    await page.waitForURL(`${app.url}/`);
    expect(await page.locator('h1').textContent()).toBe('Overzicht');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Gebruikers', exact: true }).click();
    await page.waitForURL(/\/beheer\/gebruikers$/);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL(/\/login$/);
    expect(await seriousViolations(page)).toEqual([]);

    // Keyboard only: skip link first, then the form.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Direct naar de inhoud');
    await page.getByLabel('E-mailadres').focus();
    await page.keyboard.type('anna@example.nl');
    await page.keyboard.press('Tab');
    await page.keyboard.type('een lang wachtwoord');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${app.url}/`);
    expect(errors).toEqual([]);
  });

  it('switches to English and back', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/login`);
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/\/login$/);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Sign in');
    await page.getByRole('link', { name: 'Nederlands' }).click();
    expect(await page.locator('h1').textContent()).toBe('Inloggen');
  });
});
