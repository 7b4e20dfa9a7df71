// Issue 14, point 9: staff invite a selection of member organisations of a wave in
// one action; the mail queue delivers to the outbox; the invitee opens the
// set-password link from the .eml in a fresh browser, sets a password, logs in,
// fills in and submits the questionnaire, and the monitor counts the response.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { createUser, launchBrowser, type RunningApp, startApp } from './browser';

const WAVE = 'mei-2020';
const PASSWORD = 'een lang wachtwoord';
const NEW_PASSWORD = 'mijn eigen lange wachtwoord';

async function login(page: Page, app: RunningApp, email: string, password: string) {
  await page.goto(`${app.url}/login`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(`${app.url}/`);
}

/** The text of an .eml file: its quoted-printable or base64 body decoded. */
function mailText(eml: string): { to: string; body: string } {
  const split = eml.indexOf('\r\n\r\n') >= 0 ? eml.indexOf('\r\n\r\n') : eml.indexOf('\n\n');
  const headers = eml.slice(0, split);
  const raw = eml.slice(split).trim();
  const to = headers.match(/^To:\s*(.+)$/im)?.[1].trim() ?? '';
  const encoding = headers.match(/^Content-Transfer-Encoding:\s*(\S+)/im)?.[1].toLowerCase();
  const body =
    encoding === 'base64'
      ? Buffer.from(raw, 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            raw
              .replace(/=\r?\n/g, '')
              .replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8')
        : raw;
  return { to, body };
}

/** Wait until the outbox holds a message for every address; their decoded texts by address. */
async function outboxMessages(dir: string, addresses: string[], timeoutMs = 60_000): Promise<Map<string, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = new Map<string, string>();
    const files = await fs.readdir(dir).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith('.eml'))) {
      const { to, body } = mailText(await fs.readFile(path.join(dir, file), 'utf8'));
      for (const a of addresses) if (to.includes(a)) found.set(a, body);
    }
    if (addresses.every((a) => found.has(a))) return found;
    if (Date.now() > deadline)
      throw new Error(`outbox ${dir}: no message for ${addresses.filter((a) => !found.has(a)).join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('a bulk invitation reaches a member through the outbox, who sets a password and submits', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp(async (env) => {
      const steps = [
        ['demo', '--orgs', '40', '--seed', '9'],
        ['survey', 'load', 'surveys/definitions/corona-impact.json'],
        ['wave', 'create', '--survey', 'corona-impact', '--slug', WAVE, '--name', 'Coronamonitor mei 2020'],
        ['wave', 'open', WAVE],
      ];
      steps[2].push('--frame-year', '2019');
      for (const args of steps) {
        const res = await runCli(args, { env });
        if (res.code !== 0) throw new Error(`${args.join(' ')}: ${res.stderr}`);
      }
      await createUser(env, 'staf@e2e.nl', 'staff', PASSWORD);
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('invites two organisations, and one of them answers through the link in the outbox', async () => {
    const staffContext = await browser.newContext();
    const staff = await staffContext.newPage();
    await login(staff, app, 'staf@e2e.nl', PASSWORD);
    await staff.goto(`${app.url}/beheer/metingen/${WAVE}`);
    const overall = async () => (await staff.locator('p.lead').textContent())?.replace(/\s+/g, ' ') ?? '';
    expect(await overall()).toMatch(/^Ingediend: 0 van \d+ organisaties/);

    // Two organisations with a contact address in the frame and no account yet.
    const rows = staff.locator('tbody tr:has(input[name="org_id"])');
    const chosen: { orgId: string; email: string }[] = [];
    for (let i = 0; i < (await rows.count()) && chosen.length < 2; i++) {
      const cells = await rows.nth(i).locator('td').allTextContents();
      const orgId = cells[1].match(/\((KANS-\d+)\)/)?.[1];
      const contacts = cells[5].split(',').map((s) => s.trim());
      if (!orgId || contacts.length !== 1 || !contacts[0].startsWith('info@')) continue;
      await rows.nth(i).locator('input[type="checkbox"]').check();
      chosen.push({ orgId, email: contacts[0] });
    }
    expect(chosen).toHaveLength(2);
    await staff.getByLabel('Uitnodiging').check();
    await staff.getByLabel('Alleen de hieronder aangevinkte organisaties').check();
    await staff.getByRole('button', { name: 'Voorbeeld bekijken…' }).click();
    await staff.waitForURL(/\/berichten\?/);

    // The preview: who gets what, new accounts with a set-password link, the link itself not shown.
    const preview = (await staff.locator('main').textContent())?.replace(/\s+/g, ' ') ?? '';
    expect(preview).toContain('2 berichten');
    expect(preview).toContain('2 organisaties');
    for (const c of chosen) {
      const row = staff.locator('tr', { hasText: c.email });
      expect(await row.textContent()).toContain('nieuw account');
      expect(await row.textContent()).toContain(c.orgId);
    }
    expect(await staff.locator('.mail-sample').textContent()).not.toContain('token=');
    await staff.getByRole('button', { name: 'Ja, verstuur 2 berichten' }).click();
    await staff.waitForURL(new RegExp(`/beheer/metingen/${WAVE}`));
    expect(await staff.locator('.notice').first().textContent()).toContain('2 berichten verstuurd naar 2 organisaties');

    // The worker sends in the background; the outbox .eml keeps the set-password link.
    const mails = await outboxMessages(
      path.join(app.dataDir, 'outbox'),
      chosen.map((c) => c.email),
    );
    const body = mails.get(chosen[0].email)!;
    expect(body).toContain('Coronamonitor mei 2020');
    const link = body.match(/https?:\/\/[^\s/]+(\/wachtwoord-instellen\?soort=invite&token=[A-Za-z0-9_%.-]+)/);
    expect(link, body).not.toBeNull();
    expect(mails.get(chosen[1].email)).not.toContain(link![1]); // each address its own token
    // The monitor shows them as sent.
    await expect
      .poll(async () => {
        await staff.reload();
        return (await staff.locator('#mail-title + p').textContent())?.replace(/\s+/g, ' ');
      })
      .toMatch(/0 in de wachtrij, 2 verzonden, 0 mislukt/);

    // The invitee, in a browser of their own.
    const memberContext = await browser.newContext();
    const member = await memberContext.newPage();
    await member.goto(`${app.url}${link![1]}`);
    await member.getByLabel('Nieuw wachtwoord').fill(NEW_PASSWORD);
    await member.getByLabel('Herhaal het wachtwoord').fill(NEW_PASSWORD);
    await member.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
    await member.waitForURL(`${app.url}/`);
    // The link is used up; logging out and in again works with the new password.
    await member.getByRole('button', { name: 'Uitloggen' }).click();
    await member.goto(`${app.url}${link![1]}`);
    expect(await member.locator('main').textContent()).toContain('Deze link is niet meer geldig');
    await login(member, app, chosen[0].email, NEW_PASSWORD);

    await member.getByRole('link', { name: 'Coronamonitor mei 2020' }).first().click();
    await member.waitForURL(/stap\/1$/);
    const next = async (n: number) => {
      await member.getByRole('button', { name: n === 5 ? 'Naar het overzicht' : 'Volgende' }).click();
      await member
        .waitForURL(n === 5 ? /controle$/ : new RegExp(`stap/${n + 1}$`), { timeout: 15_000 })
        .catch(async () => {
          throw new Error(`step ${n}: ${(await member.locator('main').textContent())?.replace(/\s+/g, ' ')}`);
        });
    };
    await member.getByLabel('Hoeveel omzet bent u in deze periode misgelopen?').fill('2500');
    await member.getByLabel('Hoeveel maanden kunt u uw vaste lasten nog betalen?').fill('6');
    await next(1);
    await member.getByLabel('Welk deel van de geplande lessen is niet doorgegaan?').fill('20');
    await member.locator('#online_lessons-1').check();
    await member.getByLabel('Hoeveel leerlingen hebben hun lessen opgezegd?').fill('1');
    await member.getByLabel('Gedeeltelijk terugbetaald').check();
    await next(2);
    await member.getByLabel('NOW (tegemoetkoming loonkosten)').check();
    await member.getByLabel('Voor hoeveel medewerkers ontvangt u NOW?').fill('1');
    await member.getByLabel('Hoeveel zzp-docenten hebben via u (bijna) geen inkomsten meer?').fill('0');
    await next(3);
    await member.getByLabel('Klein').check();
    await next(4);
    await next(5);
    expect(await member.locator('main').textContent()).toContain('€ 2.500');
    await member.getByLabel('Ik bevestig dat deze antwoorden kloppen en wil ze indienen').check();
    await member.getByRole('button', { name: 'Antwoorden indienen' }).click();
    await member.waitForURL(/ingediend$/);
    expect(await member.locator('h1').textContent()).toBe('Bedankt, uw antwoorden zijn ingediend');

    // Staff see the response counted, and the organisation gone from the non-responders.
    await staff.goto(`${app.url}/beheer/metingen/${WAVE}`);
    expect(await overall()).toMatch(/^Ingediend: 1 van \d+ organisaties/);
    const missing = (await staff.locator('table:has(input[name="org_id"])').textContent()) ?? '';
    expect(missing).not.toContain(`(${chosen[0].orgId})`);
    expect(missing).toContain(`(${chosen[1].orgId})`);
    await staffContext.close();
    await memberContext.close();
  });
});
