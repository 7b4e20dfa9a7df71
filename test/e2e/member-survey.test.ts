import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { PAGE_ANSWERS } from '../support/survey-fixtures';
import { createUser, launchBrowser, type RunningApp, seriousViolations, startApp } from './browser';

async function login(page: Page, app: RunningApp, email: string) {
  await page.goto(`${app.url}/login`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill('een lang wachtwoord');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(`${app.url}/`);
}

describe('a member fills in the corona questionnaire in the browser', () => {
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
          'mei-2020',
          '--name',
          'Coronamonitor mei 2020',
          '--frame-year',
          '2019',
        ],
        ['wave', 'open', 'mei-2020'],
      ];
      for (const args of steps) {
        const res = await runCli(args, { env });
        if (res.code !== 0) throw new Error(`${args.join(' ')}: ${res.stderr}`);
      }
      await createUser(env, 'lid@e2e.nl', 'member', 'een lang wachtwoord', 'KANS-0001');
      await createUser(env, 'lid2@e2e.nl', 'member', 'een lang wachtwoord', 'KANS-0002');
      await createUser(env, 'lid3@e2e.nl', 'member', 'een lang wachtwoord', 'KANS-0003');
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('keeps a typed amount through the autosave and a reload, also one it asks about', async () => {
    const page = await browser.newPage();
    await login(page, app, 'lid3@e2e.nl');
    await page.goto(`${app.url}/vragenlijst/mei-2020/stap/1`);
    const status = page.locator('[data-autosave-status]');
    const revenue = page.getByLabel('Hoeveel omzet bent u in deze periode misgelopen?');
    await revenue.fill('€ 45.000');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('Automatisch opgeslagen');
    expect(await status.textContent()).not.toContain('zoals getypt');
    await page.reload();
    expect(await revenue.inputValue()).toBe('45.000');
    expect(await page.locator('.ask-message').count()).toBe(0);

    // "7,250" as an amount: read as 7250 and asked about, calmly; kept as typed meanwhile.
    const costs = page.getByLabel('Hoeveel extra kosten heeft u gemaakt door de maatregelen?');
    await costs.fill('7,250');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('zoals getypt');
    await page.reload();
    expect(await costs.inputValue()).toBe('7,250');
    expect(await page.locator('.ask-message').textContent()).toContain('als 7250');
    expect(await page.locator('.error-summary').count()).toBe(0);
    expect(await revenue.inputValue()).toBe('45.000');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('fills in, sees errors, saves, comes back, reviews and submits', async () => {
    const page = await browser.newPage();
    await login(page, app, 'lid@e2e.nl');
    await page.getByRole('link', { name: 'Coronamonitor mei 2020' }).click();
    await page.waitForURL(/stap\/1$/);
    expect(await page.locator('.step').textContent()).toBe('Stap 1 van 5');
    expect(await seriousViolations(page)).toEqual([]);

    // A mistake: the error summary appears, links to the field, the value stays.
    await page.getByLabel('Hoeveel omzet bent u in deze periode misgelopen?').fill('heel veel');
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.waitForSelector('.error-summary');
    expect(await page.locator('.error-summary').textContent()).toContain('is geen getal');
    expect(await page.getByLabel('Hoeveel omzet bent u in deze periode misgelopen?').inputValue()).toBe('heel veel');
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('.error-summary a').first().click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('revenue_loss_eur');

    await page.getByLabel('Hoeveel omzet bent u in deze periode misgelopen?').fill('€ 12.500,50');
    await page.getByLabel('Hoeveel maanden kunt u uw vaste lasten nog betalen?').fill('4,5');
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.waitForURL(/stap\/2$/);

    // The online share appears live when "Ja" is chosen (JavaScript), and autosave runs.
    const share = page.locator('[data-question="online_share_pct"]');
    await page.getByLabel('Welk deel van de geplande lessen is niet doorgegaan?').fill('45');
    await page.locator('#online_lessons-1').check();
    expect(await share.isHidden()).toBe(true);
    await page.locator('#online_lessons').check();
    expect(await share.isVisible()).toBe(true);
    await page.getByLabel('Welk deel van de lessen heeft u online gegeven?').fill('60');
    await page.getByLabel('Hoeveel leerlingen hebben hun lessen opgezegd?').fill('23');
    await page.getByLabel('Gedeeltelijk terugbetaald').check();
    await expect
      .poll(() => page.locator('[data-autosave-status]').textContent(), { timeout: 10_000 })
      .toContain('Automatisch opgeslagen');
    expect(await seriousViolations(page)).toEqual([]);

    // Save and continue later, then come back: the answers are there.
    await page.getByRole('button', { name: 'Opslaan en later verder' }).click();
    await page.waitForURL(`${app.url}/`);
    expect(await page.locator('.notice').textContent()).toContain('Uw antwoorden zijn opgeslagen');
    expect(await page.locator('.card', { hasText: 'Coronamonitor mei 2020' }).textContent()).toContain(
      'Concept opgeslagen',
    );
    await page.goto(`${app.url}/vragenlijst/mei-2020/stap/2`);
    expect(await page.getByLabel('Welk deel van de lessen heeft u online gegeven?').inputValue()).toBe('60');
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.waitForURL(/stap\/3$/);

    // Keyboard only on this page.
    await page.getByLabel('NOW (tegemoetkoming loonkosten)').focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Voor hoeveel medewerkers ontvangt u NOW?').fill('8');
    await page.getByLabel('Hoeveel zzp-docenten hebben via u (bijna) geen inkomsten meer?').fill('5');
    await page.getByLabel('Hoeveel zzp-docenten hebben via u (bijna) geen inkomsten meer?').press('Enter');
    await page.waitForURL(/stap\/4$/);
    await page.getByLabel('Klein').check();
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.waitForURL(/stap\/5$/);
    await page.getByRole('button', { name: 'Naar het overzicht' }).click();
    await page.waitForURL(/controle$/);
    expect(await page.locator('main').textContent()).toContain('€ 12.500,50');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Antwoorden indienen' }).click();
    await page.waitForSelector('.error-summary');
    expect(await page.locator('.error-summary').textContent()).toContain('Vink aan');
    await page.getByLabel('Ik bevestig dat deze antwoorden kloppen en wil ze indienen').check();
    await page.getByRole('button', { name: 'Antwoorden indienen' }).click();
    await page.waitForURL(/ingediend$/);
    expect(await page.locator('h1').textContent()).toBe('Bedankt, uw antwoorden zijn ingediend');
    expect(await seriousViolations(page)).toEqual([]);
    const download = await page.request.get(`${app.url}/vragenlijst/mei-2020/antwoorden.csv`);
    // The readable copy for Excel (NL): text cells quoted (formula safety), numbers plain with a decimal comma.
    expect(await download.text()).toContain('"Hoeveel omzet bent u in deze periode misgelopen?";12500,5;"€"');
  });

  it('never loses a click on "Volgende" during an autosave, on every step, 20 times in a row', {
    timeout: 300_000,
  }, async () => {
    const page = await browser.newPage();
    await login(page, app, 'lid2@e2e.nl');
    // The autosave is stored on the server at once, but its answer reaches the page
    // only later: the click lands while the page still holds the old version.
    let stored: () => void = () => {};
    await page.route('**/autosave', async (route) => {
      const response = await route.fetch();
      stored();
      await new Promise((r) => setTimeout(r, 300));
      await route.fulfill({ response });
    });
    const autosaveStored = () =>
      new Promise<void>((resolve, reject) => {
        const timeout = setTimeout(() => reject(new Error('no autosave')), 10_000);
        stored = () => {
          clearTimeout(timeout);
          resolve();
        };
      });
    // The autosave's delay runs on a fake clock, so the test does not wait for it.
    await page.clock.install();
    const url = (n: number) => `${app.url}/vragenlijst/mei-2020/stap/${n}`;
    // Per step: what is changed first (autosaved), and what is changed while that save is under way.
    const steps: ((round: number) => Promise<[() => Promise<void>, () => Promise<void>]>)[] = [
      async (i) => [
        () => page.locator('#revenue_loss_eur').fill(`${10_000 + i}`),
        () => page.locator('#extra_costs_eur').fill(`${500 + i}`),
      ],
      async (i) => [
        () => page.locator('#lessons_cancelled_pct').fill(`${40 + (i % 50)}`),
        () => page.locator('#students_quit').fill(`${20 + i}`),
      ],
      // Within the organisation's frame figures (2,2 fte, 2 freelance teachers), so no soft check holds the page.
      async (i) => [
        () => page.locator('#staff_reduction_fte').fill(`0,${10 + i}`),
        () => page.locator('#freelance_teachers_affected').fill(`${(i % 2) + 1}`),
      ],
      // Another option than last round's (and than the one answered at the start).
      async (i) => [
        () => page.locator(i % 2 ? '#closure_risk' : '#closure_risk-2').check(),
        () => page.locator(i % 2 ? '#biggest_need' : '#biggest_need-2').check(),
      ],
      async (i) => [
        () => page.locator('#remarks').fill(`Ronde ${i}`),
        () => page.locator('#remarks').fill(`Ronde ${i}, klaar`),
      ],
    ];
    // Every page answered once, so "Volgende" needs nothing more.
    for (const [i, fields] of PAGE_ANSWERS.entries()) {
      await page.goto(url(i + 1));
      const html = await page.content();
      const body = new URLSearchParams({
        _csrf: html.match(/name="_csrf" value="([^"]+)"/)![1],
        version: html.match(/name="version" value="(\d+)"/)![1],
        action: 'save',
        ...Object.fromEntries(Object.entries(fields).filter(([, v]) => typeof v === 'string')),
      });
      for (const [key, value] of Object.entries(fields))
        if (Array.isArray(value)) for (const v of value) body.append(key, v);
      const res = await page.request.post(url(i + 1), {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        data: body.toString(),
        maxRedirects: 0,
      });
      expect(res.status()).toBe(303);
    }
    for (let round = 0; round < 20; round++) {
      await page.goto(url(1));
      for (let n = 1; n <= 5; n++) {
        const [first, second] = await steps[n - 1](round);
        const saving = autosaveStored();
        await first();
        await page.clock.runFor(3_000);
        await saving;
        await second();
        await page.getByRole('button', { name: n === 5 ? 'Naar het overzicht' : 'Volgende' }).click();
        await page
          .waitForURL(n === 5 ? /controle$/ : new RegExp(`stap/${n + 1}$`), { timeout: 10_000 })
          .catch(async () => {
            const text = (await page.locator('main').textContent())?.replace(/\s+/g, ' ');
            throw new Error(`round ${round}, step ${n}: the click was lost: ${text?.slice(0, 400)}`);
          });
        expect(await page.locator('.conflict').count(), `round ${round}, step ${n}`).toBe(0);
      }
      expect(await page.locator('main').textContent()).toContain(`Ronde ${round}, klaar`);
    }
  });
});
