// axe-core on every HTML page of the app, as a visitor, a member and staff, on
// the demo data. The list of pages is checked against the routes in
// server/routes: a new page that is not visited here fails the test.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nl } from '../../views/i18n/nl/index';
import { runCli } from '../support/cli';
import { PAGE_ANSWERS } from '../support/survey-fixtures';
import {
  clippedCells,
  launchBrowser,
  menuLines,
  type RunningApp,
  seriousViolations,
  startApp,
  uploadFrameRow,
} from './browser';

const PASSWORD = 'demo-wachtwoord';
const routesDir = new URL('../../server/routes/', import.meta.url).pathname;

/** GET routes that answer with something other than an HTML page (files, images, redirects). */
const NOT_PAGES = [
  /\.csv$/,
  /\.png$/,
  /\.pdf$/,
  /\/eml$/,
  /export\.:format$/,
  /download\.:format$/,
  /\/download\/:format$/,
  /^\/taal\/:locale$/,
  /^\/vragenlijst\/:slug$/,
];

/** Pages only an empty database shows, checked where that database is: foundation.test.ts. */
const CHECKED_ELSEWHERE = ['/eerste-gebruik'];

/** The GET routes of the app that render a page, read from the route modules. */
function pageRoutes(): string[] {
  const routes = new Set<string>();
  for (const file of fs.readdirSync(routesDir)) {
    if (!file.endsWith('.ts') || file === 'health.ts') continue;
    for (const match of fs.readFileSync(path.join(routesDir, file), 'utf8').matchAll(/router\.get\('([^']+)'/g))
      routes.add(match[1]);
  }
  return [...routes].filter((r) => !NOT_PAGES.some((p) => p.test(r)) && !CHECKED_ELSEWHERE.includes(r));
}

/** Text keys that reached the page instead of their text ("home.staff.n_admin.one"). */
const KEY_PREFIXES = [...new Set(Object.keys(nl).map((k) => k.split('.')[0]))];
const LEAKED_KEY = new RegExp(`(?<![@\\w./-])(?:${KEY_PREFIXES.join('|')})(?:\\.[a-z0-9_]+){2,}(?![\\w/-])`, 'g');

function routePattern(route: string): RegExp {
  const escaped = route.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[a-z]+/gi, '[^/?]+');
  return new RegExp(`^${escaped}(\\?.*)?$`);
}

describe('accessibility of every page (axe-core, WCAG 2.1 A and AA)', () => {
  let app: RunningApp;
  let browser: Browser;
  const visited: string[] = [];
  const failures: Record<string, unknown> = {};
  const overflow: Record<string, string> = {};
  const clipped: Record<string, string[]> = {};
  const menuWraps: Record<string, number> = {};
  const untranslated: Record<string, string[]> = {};

  /**
   * The page on a 390 px phone: nothing may make the whole page scroll sideways
   * (wide tables scroll in their own .table-scroll region). Names what sticks out.
   */
  async function scrollsSideways(page: Page): Promise<string | null> {
    await page.setViewportSize({ width: 390, height: 844 });
    // Charts follow the new width a frame or two later: give them a moment.
    for (let i = 0; i < 20; i++) {
      if (await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)) break;
      await page.waitForTimeout(100);
    }
    const cut = await clippedCells(page, true);
    if (cut.length) clipped[`${page.url().replace(app.url, '')} @390`] = cut;
    const result = await page.evaluate(() => {
      const width = window.innerWidth;
      if (document.documentElement.scrollWidth <= width) return null;
      const culprits = Array.from(document.querySelectorAll('body *'))
        .filter((el) => !el.closest('.table-scroll') && el.getBoundingClientRect().right > width + 0.5)
        .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 0.5)
        .slice(0, 5)
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`,
        );
      return `${document.documentElement.scrollWidth} > ${width}: ${culprits.join(', ')}`;
    });
    await page.setViewportSize({ width: 1280, height: 720 });
    return result;
  }

  /** Open a page and keep its serious and critical violations. */
  async function check(page: Page, url: string, expectedStatus = 200) {
    const res = await page.goto(app.url + url);
    expect(res?.status(), url).toBe(expectedStatus);
    const violations = await seriousViolations(page);
    if (violations.length) failures[url] = violations;
    // biome-ignore lint/performance/useDomNodeTextContent: the text a reader sees, not scripts' JSON.
    const leaked = (await page.evaluate(() => document.body.innerText)).match(LEAKED_KEY);
    if (leaked) untranslated[url] = [...new Set(leaked)];
    // At 1280 px every table shows whole and the menu stands on one line.
    const cut = await clippedCells(page, false);
    if (cut.length) clipped[`${url} @1280`] = cut;
    const lines = await menuLines(page);
    if (lines > 1) menuWraps[url] = lines;
    const sideways = await scrollsSideways(page);
    if (sideways) overflow[url] = sideways;
    visited.push(new URL(page.url()).pathname === new URL(app.url + url).pathname ? url : new URL(page.url()).pathname);
  }

  async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.url}/login`);
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(`${app.url}/`);
    return { context, page };
  }

  beforeAll(async () => {
    app = await startApp(async (env) => {
      // A busy two-core machine needs more than the CLI's default minute for the demo.
      const res = await runCli(['demo', '--orgs', '80', '--seed', '21'], { env, timeoutMs: 240_000 });
      if (res.code !== 0) throw new Error(res.stderr);
    });
    browser = await launchBrowser();
  }, 280_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('finds no serious or critical violation on any page', async () => {
    // A visitor.
    const visitor = await browser.newContext();
    const anon = await visitor.newPage();
    for (const url of [
      '/login',
      '/wachtwoord-vergeten',
      '/resultaten',
      '/resultaten/coronamonitor-april-2020',
      '/resultaten/coronamonitor-april-2020/insluiten/0',
      '/resultaten/goede-voorbeelden',
      '/resultaten/branche-in-cijfers/2019',
    ])
      await check(anon, url);
    await check(anon, '/bestaat-niet', 404);
    await check(anon, '/wachtwoord-instellen?token=ongeldig', 410);
    // Ask for a reset link: it lands in the outbox staff can read, and opens the set-password page.
    await anon.goto(`${app.url}/wachtwoord-vergeten`);
    await anon.getByLabel('E-mailadres').fill('lid1@demo.impactmonitor.nl');
    await anon.getByRole('button', { name: 'Stuur mij een link' }).click();
    await anon.waitForLoadState();

    // A member, on the open wave.
    const member = await signedIn('lid1@demo.impactmonitor.nl');
    await check(member.page, '/');
    for (let n = 1; n <= 5; n++) await check(member.page, `/vragenlijst/corona-2020-06/stap/${n}`);
    await check(member.page, '/vragenlijst/corona-2020-06/controle');
    // The member form with errors.
    await member.page.goto(`${app.url}/vragenlijst/corona-2020-06/stap/1`);
    await member.page.getByLabel('Hoeveel omzet bent u in deze periode misgelopen?').fill('heel veel');
    await member.page.getByRole('button', { name: 'Volgende' }).click();
    await member.page.waitForSelector('.error-summary');
    const formErrors = await seriousViolations(member.page);
    if (formErrors.length) failures['stap/1 with errors'] = formErrors;
    const formSideways = await scrollsSideways(member.page);
    if (formSideways) overflow['stap/1 with errors'] = formSideways;
    // A soft check: more students who quit than the school has is asked about at the question.
    await member.page.goto(`${app.url}/vragenlijst/corona-2020-06/stap/2`);
    await member.page.getByLabel('Hoeveel leerlingen hebben hun lessen opgezegd?').fill('99999');
    await member.page.getByRole('button', { name: 'Volgende' }).click();
    await member.page.waitForSelector('.plausibility-check');
    const softErrors = await seriousViolations(member.page);
    if (softErrors.length) failures['stap/2 with a soft check'] = softErrors;
    const softSideways = await scrollsSideways(member.page);
    if (softSideways) overflow['stap/2 with a soft check'] = softSideways;
    // Submitted: the thank-you page with the comparison. The answers go in through the browser's own session.
    const post = async (pageUrl: string, action: string, fields: Record<string, string | string[]>) => {
      const html = await (await member.page.request.get(app.url + pageUrl)).text();
      const body = new URLSearchParams({
        _csrf: html.match(/name="_csrf" value="([^"]+)"/)![1],
        version: html.match(/name="version" value="(\d+)"/)![1],
      });
      for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
      const res = await member.page.request.post(app.url + action, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        data: body.toString(),
        maxRedirects: 0,
      });
      expect(res.status(), action).toBe(303);
    };
    for (const [i, fields] of PAGE_ANSWERS.entries()) {
      const step = `/vragenlijst/corona-2020-06/stap/${i + 1}`;
      await post(step, step, { ...fields, action: 'next' });
    }
    await post('/vragenlijst/corona-2020-06/controle', '/vragenlijst/corona-2020-06/indienen', { confirm: 'ja' });
    await check(member.page, '/vragenlijst/corona-2020-06/ingediend');
    // Its history: the wave under earlier waves, the answers read back.
    await check(member.page, '/');
    await check(member.page, '/vragenlijst/corona-2020-06/antwoorden');
    await member.context.close();

    // Staff (the admin sees every staff page).
    const staff = await signedIn('beheer@demo.impactmonitor.nl');
    const p = staff.page;
    for (const url of [
      '/',
      '/beheer/metingen',
      '/beheer/metingen/corona-2020-06',
      '/beheer/metingen/corona-2020-04',
      '/beheer/metingen/corona-2020-04?zoek=muziek&pagina=2',
      '/beheer/metingen/corona-2020-06/berichten?kind=reminder&audience=not_responded',
      '/beheer/metingen/corona-2020-06/teksten',
      '/beheer/gebruikers',
      '/beheer/gebruikers?org_zoek=muziek&email=nieuw%40example.nl&role=member',
      '/beheer/populatie',
      '/beheer/populatie/contact?org_id=KANS-0001',
      '/beheer/vragenlijsten',
      '/beheer/vragenlijsten/corona-impact/1',
      '/beheer/goede-voorbeelden',
      '/beheer/rapportage',
      '/beheer/rapportage?wave=corona-2020-06&stratify=org_type&by=province',
      '/beheer/rapportage/publiceren?wave=corona-2020-06&stratify=province',
      '/beheer/publicaties/coronamonitor-april-2020',
      '/beheer/uitgiftes',
      '/beheer/branche',
      '/beheer/branche/publiceren?jaar=2019',
      '/beheer/e-mail',
      '/mijn-account',
    ]) {
      await check(p, url);
    }
    // The questionnaire editor: a draft of a new version of the shipped questionnaire.
    await check(p, '/beheer/vragenlijsten/nieuw');
    await p.goto(`${app.url}/beheer/vragenlijsten/corona-impact/1`);
    await p.getByRole('button', { name: 'Nieuwe versie bewerken' }).click();
    await p.waitForURL(/\/beheer\/concepten\/\d+$/);
    {
      const draft = new URL(p.url()).pathname;
      for (const url of [
        draft,
        `${draft}/paginas/1/vragen/2`,
        `${draft}/paginas/2/vragen/0`,
        `${draft}/voorbeeld?pagina=2`,
        `${draft}/voorbeeld?pagina=2&breedte=telefoon`,
        `${draft}/bibliotheek?zoek=omzet`,
        `${draft}/vastleggen`,
      ])
        await check(p, url);
    }
    // The confirmation before reopening a submitted response, reached from the monitor's list.
    {
      const monitor = await (await p.request.get(`${app.url}/beheer/metingen/corona-2020-04`)).text();
      const reopen = monitor.match(/href="(\/beheer\/metingen\/corona-2020-04\/heropenen\?org_id=[^"]+)"/);
      expect(reopen, 'a reopen link').not.toBeNull();
      await check(p, reopen![1]);
    }
    // The data-editing page, a response from its ranking, and the confirmation before asking to check.
    await check(p, '/beheer/metingen/corona-2020-04/controle');
    await check(p, '/beheer/metingen/corona-2020-04/controle?vraag=students_quit&pagina=1');
    {
      const ranking = await (await p.request.get(`${app.url}/beheer/metingen/corona-2020-04/controle`)).text();
      const first = ranking.match(/href="(\/beheer\/metingen\/corona-2020-04\/controle\/[^"]+)"/);
      expect(first, 'a response on the data-editing page').not.toBeNull();
      await check(p, first![1]);
      await check(p, `${first![1]}/terugzetten`);
      // Correcting one answer, on the closed April wave.
      await check(p, `${first![1]}/corrigeren?vraag=revenue_loss_eur`);
    }
    // June follows April: the trend line is drawn in the browser.
    await p.goto(`${app.url}/beheer/rapportage?wave=corona-2020-06&stratify=org_type&by=province`);
    await p.waitForSelector('#trend-0:not([hidden])');
    expect(await p.locator('main').textContent()).toContain('Ontwikkeling over de metingen');
    // The reset mail and the set-password page it links to.
    await p.goto(`${app.url}/beheer/e-mail`);
    await p.locator('main a[href^="/beheer/e-mail/"]').first().click();
    await p.waitForURL(/\/beheer\/e-mail\/\d+$/);
    await check(p, new URL(p.url()).pathname);
    // The mail log shows the message without its link (tokens are kept out of logs);
    // the link is in the outbox file the queue's worker wrote, as in the recipient's mailbox.
    expect(await p.locator('main').textContent()).toContain('[link weggelaten]');
    const outbox = path.join(app.dataDir, 'outbox');
    let link: string | undefined;
    for (let i = 0; i < 50 && !link; i++) {
      for (const file of fs.existsSync(outbox) ? fs.readdirSync(outbox) : []) {
        const text = fs
          .readFileSync(path.join(outbox, file), 'utf8')
          .replace(/=\r?\n/g, '')
          .replace(/=3D/g, '=');
        link ??= text.match(/\/wachtwoord-instellen\?soort=reset&token=[\w%-]+/)?.[0];
      }
      if (!link) await new Promise((r) => setTimeout(r, 200));
    }
    if (!link) throw new Error('no reset link in the outbox');
    await check(anon, link);
    // A frame upload: the preview (with an ambiguous amount, 427,000, shown back), then the year comparison.
    await uploadFrameRow(
      p,
      app.url,
      2020,
      'KANS-0001;Muziekschool Zwolle;muziekschool;Overijssel;Zwolle;ja;700;427,000;149.450;5,9;6;8',
    );
    expect(await p.locator('main').textContent()).toContain('op twee manieren te lezen');
    await check(p, new URL(p.url()).pathname);
    await p.getByRole('button', { name: 'Importeren' }).click();
    await p.waitForURL(/\/beheer\/populatie/);
    await check(p, '/beheer/populatie/2020/vergelijking?met=2019');
    // A questionnaire workbook: a malformed upload shows its errors; an edited one its differences, then version 2.
    await check(p, '/beheer/vragenlijsten/upload?vragenlijst=corona-impact');
    await p.getByLabel('Bestand (.xlsx of .json)').setInputFiles({
      name: 'kapot.xlsx',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('geen werkmap'),
    });
    await p.getByRole('button', { name: 'Bekijk de verschillen' }).click();
    await p.waitForSelector('.error-summary');
    const uploadErrors = await seriousViolations(p);
    if (uploadErrors.length) failures['survey upload with errors'] = uploadErrors;
    const uploadSideways = await scrollsSideways(p);
    if (uploadSideways) overflow['survey upload with errors'] = uploadSideways;
    {
      const xlsx = await p.request.get(`${app.url}/beheer/vragenlijsten/corona-impact/1/download/xlsx`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await xlsx.body()) as unknown as ArrayBuffer);
      const choices = wb.getWorksheet('choices')!;
      for (let r = 2; r <= choices.rowCount; r++)
        if (choices.getRow(r).getCell(2).value === 'TOGS') {
          choices.spliceRows(r, 1);
          break;
        }
      await p.goto(`${app.url}/beheer/vragenlijsten/corona-impact/1`);
      await p.getByLabel('Bestand (.xlsx of .json)').setInputFiles({
        name: 'corona-september.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: Buffer.from(await wb.xlsx.writeBuffer()),
      });
    }
    await p.getByRole('button', { name: 'Bekijk de verschillen' }).click();
    await p.waitForURL(/\/beheer\/vragenlijsten\/upload\/controle$/);
    expect(await p.locator('main').textContent()).toContain('Niet vergelijkbaar met eerdere metingen');
    await check(p, '/beheer/vragenlijsten/upload/controle');
    await p.getByRole('button', { name: 'Opslaan als versie 2' }).click();
    await p.waitForURL(/\/beheer\/vragenlijsten\/corona-impact\/2$/);
    await check(p, '/beheer/vragenlijsten/corona-impact/2');
    await staff.context.close();
    await visitor.close();

    expect(failures).toEqual({});
    expect(overflow, 'pages that scroll sideways at 390 px').toEqual({});
    expect(clipped, 'cells cut off: whole at 1280 px; at 390 px only inside a scrollable table region').toEqual({});
    expect(menuWraps, 'pages whose menu wraps at 1280 px').toEqual({});
    expect(untranslated, 'text keys shown instead of their text').toEqual({});
    const missing = pageRoutes().filter((route) => !visited.some((url) => routePattern(route).test(url)));
    expect(missing, 'pages without an accessibility check').toEqual([]);
    // Every page measured at two widths on a shared two-core machine: more than the default 300 s.
  }, 600_000);
});
