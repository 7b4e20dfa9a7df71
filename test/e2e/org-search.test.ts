// Issue 14.3 and 14.4 in the browser: a member account is bound to an organisation
// found by name or KAnS id in the population frame (with and without JavaScript),
// and re-importing an existing year says on the confirm page how to replace it.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { launchBrowser, type RunningApp, seriousViolations, startApp, uploadFrameRow } from './browser';

const PASSWORD = 'demo-wachtwoord';

describe('organisation search and the frame replace confirmation in the browser', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp(async (env) => {
      const res = await runCli(['demo', '--orgs', '80', '--seed', '21'], { env });
      if (res.code !== 0) throw new Error(res.stderr);
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function staffPage(javaScript: boolean): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled: javaScript });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await page.goto(`${app.url}/login`);
    await page.getByLabel('E-mailadres').fill('beleid@demo.impactmonitor.nl');
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(`${app.url}/`);
    return page;
  }

  it('without JavaScript: searches by name, keeps the typed fields, and invites for the chosen organisation', async () => {
    const page = await staffPage(false);
    await page.goto(`${app.url}/beheer/gebruikers`);
    await page.getByLabel('E-mailadres').fill('directeur@muziekschool.nl');
    await page.getByLabel('Naam', { exact: true }).fill('Dirk Directeur');
    await page.getByLabel('Zoek organisatie op naam of KAnS-id').fill('MUZIEKSCHOOL');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.waitForURL(/org_zoek=MUZIEKSCHOOL/);
    // The CSRF token never stays in the address.
    expect(page.url()).not.toContain('_csrf');
    expect(await page.getByLabel('E-mailadres').inputValue()).toBe('directeur@muziekschool.nl');
    expect(await page.getByLabel('Naam', { exact: true }).inputValue()).toBe('Dirk Directeur');
    expect(await page.locator('[data-org-results] [role="status"]').textContent()).toMatch(
      /\d+ organisaties? gevonden voor "MUZIEKSCHOOL"\./,
    );
    const options = page.locator('input[type="radio"][name="org_id"]');
    expect(await options.count()).toBeGreaterThan(0);
    // (axe needs JavaScript in the page: every-page.test.ts checks this page with it.)
    // The first result: its label carries the name, KAnS id, type and place.
    const first = options.first();
    const orgId = await first.getAttribute('value');
    const label = await page.locator(`label[for="${await first.getAttribute('id')}"]`).textContent();
    expect(label).toMatch(/Muziekschool/i);
    expect(label).toContain(orgId!);
    await first.check();
    await page.getByRole('button', { name: 'Uitnodiging versturen' }).click();
    await page.waitForURL(`${app.url}/beheer/gebruikers`);
    expect(await page.locator('.notice-success').textContent()).toContain('directeur@muziekschool.nl');
    const row = page.locator('tr', { hasText: 'directeur@muziekschool.nl' });
    expect(await row.textContent()).toContain(orgId!);
    await page.context().close();
  });

  it('with JavaScript: lists matches while typing, by KAnS id; a name typed as an id is refused at the field', async () => {
    const page = await staffPage(true);
    await page.goto(`${app.url}/beheer/gebruikers`);
    await page.getByLabel('E-mailadres').fill('live@example.nl');
    await page.getByLabel('Zoek organisatie op naam of KAnS-id').pressSequentially('kans-0003', { delay: 20 });
    // No page load: the results follow the typing.
    await expect.poll(() => page.locator('input[type="radio"][name="org_id"]').count()).toBe(1);
    expect(page.url()).toBe(`${app.url}/beheer/gebruikers`);
    expect(await page.locator('input[type="radio"][name="org_id"]').getAttribute('value')).toBe('KANS-0003');
    expect(await page.locator('input[type="radio"][name="org_id"]').isChecked()).toBe(true);
    // Enter in another field sends the invitation, not the search.
    await page.getByLabel('E-mailadres').press('Enter');
    await page.waitForURL(`${app.url}/beheer/gebruikers`);
    await expect.poll(() => page.locator('.notice-success').count()).toBe(1);
    expect(await page.locator('tr', { hasText: 'live@example.nl' }).textContent()).toContain('KANS-0003');

    // The bug seen in use: a school's name typed as its id.
    await page.getByLabel('E-mailadres').fill('spook@example.nl');
    await page.getByLabel('Of typ het KAnS-id').fill('Muziekschool Nergenshuizen');
    await page.getByRole('button', { name: 'Uitnodiging versturen' }).click();
    await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
    expect(await page.locator('.error-summary').textContent()).toContain(
      'Organisatie "Muziekschool Nergenshuizen" staat niet in de populatie',
    );
    expect(await page.locator('#org_id-error').textContent()).toContain('staat niet in de populatie');
    await page.locator('.error-summary a').first().click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('org_id');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('refuses to replace an existing year on the confirm page, says what to do there, and imports once ticked', async () => {
    const page = await staffPage(true);
    await uploadFrameRow(
      page,
      app.url,
      2019,
      'KANS-0001;Muziekschool Zwolle;muziekschool;Overijssel;Zwolle;ja;700;427000;149450;5,9;6;8',
    );
    const confirmUrl = page.url();
    expect(await page.locator('main').textContent()).toContain('Let op: er is al een populatie van 2019');
    const replace = page.getByLabel(/De bestaande populatie van 2019 vervangen/);
    expect(await replace.isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Importeren' }).click();
    await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
    expect(page.url()).toBe(confirmUrl);
    expect(await page.locator('.error-summary').textContent()).toContain(
      'Vink "De bestaande populatie van 2019 vervangen" aan en klik opnieuw op Importeren',
    );
    expect(await page.locator('#replace-error').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    // The checkbox stands beside its label.
    const box = await page.locator('#replace').boundingBox();
    const text = await page.locator('label[for="replace"]').boundingBox();
    expect(Math.abs(box!.y - text!.y)).toBeLessThan(text!.height);
    expect(text!.x).toBeGreaterThan(box!.x);
    await replace.check();
    await page.getByRole('button', { name: 'Importeren' }).click();
    await page.waitForURL(`${app.url}/beheer/populatie`);
    expect(await page.locator('.notice-success').textContent()).toContain(
      'De populatie 2019 is geïmporteerd: 1 organisatie.',
    );
    await page.context().close();
  });
});
