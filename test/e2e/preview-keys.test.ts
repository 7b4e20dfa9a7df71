// Issue 23.4: the form script (member form and the editor's preview) survives any
// question key: keys with quotes and brackets, as a draft may hold them, still show and
// hide conditional questions, and the script throws nothing.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningApp, startApp } from './browser';

const KEY = `a"b'c]\\d`;

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

describe('the form script with hostile question keys', () => {
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

  it('shows and hides a question controlled by a key with quotes, without a script error', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // Served by the app (so its CSP applies), with the markup the question partial writes.
    await page.goto(`${app.url}/health`);
    const condition = html(JSON.stringify({ question: KEY, equals: true }));
    await page.setContent(`<!doctype html><html lang="nl"><body>
      <form data-survey-form>
        <div data-question="${html(KEY)}">
          <label><input type="radio" name="${html(KEY)}" value="true"> Ja</label>
          <label><input type="radio" name="${html(KEY)}" value="false"> Nee</label>
        </div>
        <div data-question="volgende" data-visible-if="${condition}" hidden><p>Volgende vraag</p></div>
      </form></body></html>`);
    await page.addScriptTag({ url: `${app.url}/static/js/survey-form.js` });
    const next = page.locator('[data-question="volgende"]');
    await page.getByLabel('Ja').check();
    await expect.poll(() => next.isVisible()).toBe(true);
    await page.getByLabel('Nee').check();
    await expect.poll(() => next.isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });
});
