// Issue 21 point 1: an address two organisations share is one account for both. In
// Chromium at 390 and 1280 px: the mail preview says so, the member chooses its
// organisation after login (plain form, no JavaScript needed) and switches from the
// menu; no page scrolls sideways and axe finds no serious violation.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { createUser, launchBrowser, type RunningApp, seriousViolations, startApp } from './browser';

const WAVE = 'mei-2020';
const PASSWORD = 'een lang wachtwoord';
const SHOTS = process.env.E2E_SCREENSHOTS;

async function login(page: Page, app: RunningApp, email: string) {
  await page.goto(`${app.url}/login`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

async function checkLayout(page: Page, name: string) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe('one account for two organisations that share an address', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp(async (env) => {
      const steps = [
        ['demo', '--orgs', '40', '--seed', '9'],
        ['survey', 'load', 'surveys/definitions/corona-impact.json'],
        [
          'wave',
          'create',
          '--survey',
          'corona-impact',
          '--slug',
          WAVE,
          '--name',
          'Coronamonitor mei 2020',
          '--frame-year',
          '2019',
        ],
        ['wave', 'open', WAVE],
      ];
      for (const args of steps) {
        const res = await runCli(args, { env, timeoutMs: 240_000 });
        if (res.code !== 0) throw new Error(`${args.join(' ')}: ${res.stderr}`);
      }
      await createUser(env, 'staf@e2e.nl', 'staff', PASSWORD);
      await createUser(env, 'directeur@e2e.nl', 'member', PASSWORD, 'KANS-0001');
    });
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('imports a contacts file on Populatie with the shared address named, and corrects one contact', async () => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const staff = await context.newPage();
      await login(staff, app, 'staf@e2e.nl');
      await staff.waitForURL(`${app.url}/`);
      await staff.goto(`${app.url}/beheer/populatie`);
      await checkLayout(staff, `frame-${width}`);
      const section = staff.locator('section[aria-labelledby="contacts-title"]');
      await section.getByLabel('Peiljaar').fill('2019');
      await section.getByLabel('Contactenbestand (CSV)').setInputFiles({
        name: 'contacten.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          'kans_id;e-mail;contactpersoon\nKANS-0001;directeur@e2e.nl;Dirk\nKANS-0002;directeur@e2e.nl;Dirk\n',
        ),
      });
      await section.getByRole('button', { name: 'Controleren' }).click();
      await staff.waitForURL(/\/beheer\/populatie\/contacten$/);
      const preview = (await staff.locator('main').textContent())?.replace(/\s+/g, ' ') ?? '';
      expect(preview).toContain('directeur@e2e.nl: KANS-0001, KANS-0002');
      await checkLayout(staff, `contacts-preview-${width}`);
      if (width === 1280) {
        await staff.getByRole('button', { name: 'Importeren' }).click();
        await staff.waitForURL(/\/beheer\/populatie/);
        await staff.goto(`${app.url}/beheer/populatie/contact?org_id=KANS-0003`);
        await checkLayout(staff, `contact-correct-${width}`);
        await staff.getByLabel('E-mailadres').first().fill('geen adres');
        await staff.getByRole('button', { name: 'Opslaan' }).click();
        await expect(staff.locator('#email_0-error').textContent()).resolves.toContain('geen bruikbaar e-mailadres');
      } else {
        await staff.goto(`${app.url}/beheer/populatie/contact?org_id=KANS-0003`);
        await checkLayout(staff, `contact-correct-${width}`);
      }
      await context.close();
    }
  });

  it('previews and sends one message for both, then the member chooses and switches', async () => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const staff = await context.newPage();
      await login(staff, app, 'staf@e2e.nl');
      await staff.waitForURL(`${app.url}/`);
      // The wave's message texts: filled in for an example organisation, and the page fits.
      await staff.goto(`${app.url}/beheer/metingen/${WAVE}/teksten`);
      await staff
        .getByLabel('Tekst van de uitnodiging')
        .fill('Beste {naam} van {organisatie}, sluit {sluitdatum}.\n\n{link}\n\n{afzender}');
      await staff.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
      await expect(staff.locator('.mail-sample').first().textContent()).resolves.toContain('Muziekschool Voorbeeld');
      await checkLayout(staff, `wave-texts-${width}`);
      await staff.goto(
        `${app.url}/beheer/metingen/${WAVE}/berichten?kind=invitation&audience=selection&org_id=KANS-0001&org_id=KANS-0002`,
      );
      const preview = (await staff.locator('main').textContent())?.replace(/\s+/g, ' ') ?? '';
      expect(preview).toContain('directeur@e2e.nl: één account voor 2 organisaties');
      expect(preview).toContain('0 organisaties zonder e-mailadres');
      await checkLayout(staff, `mail-preview-${width}`);
      if (width === 1280) {
        await staff.getByRole('button', { name: /Ja, verstuur/ }).click();
        await staff.waitForURL(new RegExp(`/beheer/metingen/${WAVE}`));
      }
      await context.close();
    }

    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const member = await context.newPage();
      await login(member, app, 'directeur@e2e.nl');
      await member.waitForURL(/\/organisatie-kiezen/);
      await expect(member.locator('h1').textContent()).resolves.toBe('Voor welke organisatie antwoordt u?');
      await checkLayout(member, `org-choice-${width}`);
      const choices = member.locator('input[name="org_id"]');
      expect(await choices.count()).toBe(2);
      await choices.nth(1).check();
      const second = await choices.nth(1).getAttribute('value');
      await member.getByRole('button', { name: 'Doorgaan' }).click();
      await member.waitForURL(`${app.url}/`);
      await expect(member.locator('.notice').first().textContent()).resolves.toMatch(/^U antwoordt nu voor /);
      await checkLayout(member, `member-home-${width}`);
      // The menu leads back to the chooser, with the current organisation ticked.
      await member.getByRole('link', { name: 'Organisatie wisselen' }).click();
      await member.waitForURL(/\/organisatie-kiezen/);
      expect(await member.locator(`input[value="${second}"]`).isChecked()).toBe(true);
      await context.close();
    }
  });
});
