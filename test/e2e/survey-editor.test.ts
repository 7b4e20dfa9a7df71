// A policy officer builds a small questionnaire in the browser, with a conditional
// question, previews it (also at phone width), fixes it as a version and opens a
// wave with it; a member then answers it.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { createUser, launchBrowser, type RunningApp, seriousViolations, startApp } from './browser';

const PASSWORD = 'een lang wachtwoord';
const SHOTS = '/tmp/impactmonitor-screenshots/survey-editor';

/** The page at 390 and 1280 px: a screenshot of each, and no sideways scroll. */
async function atBothWidths(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function login(page: Page, app: RunningApp, email: string) {
  await page.goto(`${app.url}/login`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(`${app.url}/`);
}

describe('building a questionnaire in the browser', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp(async (env) => {
      const res = await runCli(['demo', '--orgs', '40', '--seed', '9'], { env });
      if (res.code !== 0) throw new Error(res.stderr);
      await createUser(env, 'beleid@e2e.nl', 'staff', PASSWORD);
      await createUser(env, 'lid@e2e.nl', 'member', PASSWORD, 'KANS-0001');
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('builds, previews, fixes, runs a wave and gets an answer', async () => {
    const page = await browser.newPage();
    await login(page, app, 'beleid@e2e.nl');
    const accessible = async (what: string) => expect(await seriousViolations(page), what).toEqual([]);

    await page.goto(`${app.url}/beheer/vragenlijsten`);
    await page.getByRole('link', { name: 'Nieuwe vragenlijst' }).click();
    await accessible('new questionnaire');
    await page.getByLabel('Sleutel van de vragenlijst').fill('snelle-peiling');
    await page.getByLabel('Titel (Nederlands)').fill('Snelle peiling');
    await page.getByLabel('Titel (Engels)').fill('Quick poll');
    await page.getByRole('button', { name: 'Concept maken' }).click();
    await page.waitForURL(/\/beheer\/concepten\/\d+$/);
    const draftUrl = page.url();
    expect(await page.locator('.error-summary').textContent()).toContain('Een pagina heeft minstens één vraag.');
    await accessible('draft with a problem');

    // A yes/no question.
    await page.getByLabel('Soort nieuwe vraag').selectOption('boolean');
    await page.getByRole('button', { name: 'Vraag toevoegen' }).click();
    await page.waitForURL(/\/vragen\/0\?nieuw=1$/);
    // A new question opens calm: its empty fields are not yet shown as errors.
    expect(await page.locator('.error-message, .error-summary').count()).toBe(0);
    await atBothWidths(page, 'new-question');
    await page.getByLabel('Sleutel van de vraag').fill('online_les');
    await page.getByLabel('Vraagtekst (Engels)').fill('Do you teach online?');
    await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
    await page.waitForURL(/\/vragen\/0$/);
    // Saved, with the missing Dutch text shown at its field (English is optional).
    expect(await page.locator('#label_nl-error').textContent()).toContain(
      'Vul een Nederlandse tekst in (Engels mag erbij).',
    );
    await accessible('question with an error');
    await page.getByLabel('Vraagtekst (Nederlands)').fill('Geeft u online les?');
    await page.getByLabel('Verplichte vraag').check();
    await page.getByRole('button', { name: 'Opslaan en terug naar het overzicht' }).click();
    await page.waitForURL(/\/beheer\/concepten\/\d+#pagina-0$/);

    // A number question shown only after "Ja".
    await page.getByLabel('Soort nieuwe vraag').selectOption('integer');
    await page.getByRole('button', { name: 'Vraag toevoegen' }).click();
    await page.waitForURL(/\/vragen\/1\?nieuw=1$/);
    await page.getByLabel('Sleutel van de vraag').fill('online_lessen');
    // Left without English: the overview lists it calmly, not as a problem.
    await page.getByLabel('Vraagtekst (Nederlands)').fill('Hoeveel lessen gaf u online?');
    await page.getByLabel('Kleinste waarde (optioneel)').fill('0');
    await page.getByLabel('Alleen tonen na een antwoord op').selectOption('online_les');
    // JavaScript shows the answers of the chosen question at once.
    await page.locator('[data-condition-for="online_les"]').getByLabel('Ja').check();
    await page.getByLabel('Hulpvariabele uit de populatie').selectOption('students');
    await accessible('question form');
    await page.getByRole('button', { name: 'Opslaan en terug naar het overzicht' }).click();
    await page.waitForURL(/#pagina-0$/);
    expect(await page.locator('main').textContent()).toContain(
      'Het concept is in orde en kan worden vastgelegd als versie 1.',
    );
    expect(await page.locator('main').textContent()).toContain('alleen als online_les = ja');
    expect(await page.locator('#engels').textContent()).toContain('Vraag online_lessen: vraagtekst');
    await accessible('valid draft');
    await atBothWidths(page, 'draft-overview');

    // The condition shown as text on the question's form, and a compound one typed in XLSForm notation.
    await page.goto(`${draftUrl}/paginas/0/vragen/1`);
    expect(await page.locator('#condition-now').textContent()).toContain('Alleen getoond als online_les = ja');
    await page.getByLabel('Of een samengestelde voorwaarde (XLSForm-notatie)').fill("${online_les} = 'ja' and (");
    await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
    expect(await page.locator('#visible_if_question-error').textContent()).toContain('(bij teken 27)');
    await page
      .getByLabel('Of een samengestelde voorwaarde (XLSForm-notatie)')
      .fill("${online_les} = 'ja' and not(${online_les} = 'nee')");
    await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
    await page.waitForURL(/\/vragen\/1$/);
    expect(await page.locator('#condition-now').textContent()).toContain(
      'Alleen getoond als online_les = ja en niet online_les = nee',
    );
    await atBothWidths(page, 'question-condition');
    await page.goto(draftUrl);

    // The preview: the member's form, the conditional question appears after "Ja".
    await page.getByRole('link', { name: 'Voorbeeld bekijken' }).click();
    await page.waitForURL(/voorbeeld$/);
    await accessible('preview');
    const conditional = page.locator('[data-question="online_lessen"]');
    await page.getByLabel('Ja', { exact: true }).check();
    await expect.poll(() => conditional.isVisible()).toBe(true);
    await page.getByLabel('Nee', { exact: true }).check();
    await expect.poll(() => conditional.isHidden()).toBe(true);
    await page.getByRole('link', { name: 'Bekijk op telefoonbreedte' }).click();
    await page.waitForURL(/breedte=telefoon/);
    expect(await page.locator('.preview-phone').evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(
      390,
    );

    // Fixed as version 1.
    await page.goto(draftUrl);
    // Fixing asks first, on a page of its own (plain HTML with CSRF, no script needed).
    await page.getByRole('link', { name: 'Vastleggen als versie 1' }).click();
    await page.waitForURL(/\/vastleggen$/);
    expect(await page.locator('h1').textContent()).toBe('Versie 1 vastleggen?');
    await accessible('fix confirmation');
    await atBothWidths(page, 'fix-confirmation');
    await page.getByRole('button', { name: 'Ja, leg vast als versie 1' }).click();
    await page.waitForURL(/\/beheer\/vragenlijsten\/snelle-peiling\/1$/);
    expect(await page.locator('.notice').first().textContent()).toContain('vastgelegd als versie 1');

    // A wave with it, opened.
    await page.goto(`${app.url}/beheer/metingen`);
    await page.locator('#survey').selectOption('snelle-peiling@1');
    await page.locator('#name').fill('Snelle peiling juni');
    await page.locator('#slug').fill('snel-juni');
    await page.getByRole('button', { name: 'Meting aanmaken' }).click();
    await page.waitForURL(/\/beheer\/metingen$/);
    await page.getByRole('button', { name: 'Openen Snelle peiling juni' }).click();
    await page.waitForURL(/\/beheer\/metingen$/);
    await page.close();

    // A member answers it.
    const member = await browser.newPage();
    await login(member, app, 'lid@e2e.nl');
    await member.getByRole('link', { name: 'Snelle peiling juni' }).click();
    await member.waitForURL(/snel-juni\/stap\/1$/);
    await member.getByLabel('Ja').check();
    await member.getByLabel('Hoeveel lessen gaf u online?').fill('12');
    await member.getByRole('button', { name: 'Naar het overzicht' }).click();
    await member.waitForURL(/controle$/);
    await member.getByLabel('Ik bevestig dat deze antwoorden kloppen en wil ze indienen').check();
    await member.getByRole('button', { name: 'Antwoorden indienen' }).click();
    await member.waitForURL(/ingediend$/);
    expect(await member.locator('h1').textContent()).toContain('Bedankt, uw antwoorden zijn ingediend');
    await member.close();
  });
});
