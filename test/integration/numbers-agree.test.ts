// Issue 21 point 6: the report's counts and shares agree with the rest of the tool, or say why.
import type { Express } from 'express';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../analysis/report/report';
import { formatNumber } from '../../foundation/numbers/format-dutch';
import { fillDemoResponses } from '../../server/demo/demo-responses';
import { type TestDatabase, testDialects } from '../support/databases';
import { pdfText } from '../support/pdf-text';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, binary, makeUser, PASSWORD, testApp } from '../support/web-client';

describe.each(testDialects())('numbers that agree, or say why, on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let staff: Browser;
  let slug: string;
  const qs = () => `wave=${slug}&stratify=org_type&q=closure_risk&q=refund_policy&q=schemes`;

  beforeAll(async () => {
    handle = await dialect.create();
    const seeded = await seedSurvey(handle, { orgs: 160, slug: 'juni' });
    slug = seeded.slug;
    await fillDemoResponses(handle.db, { slug, frame: seeded.rows, seed: 5, phase: 'lockdown', rate: 0.5 });
    ({ app } = await testApp(handle));
    await makeUser(handle, 'staff@example.nl', 'staff');
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("adds up a single-choice question's protected shares to exactly 100 % in every cell, page and CSV alike", async () => {
    const report = await buildReport(handle.db, {
      wave: slug,
      stratify: ['org_type'],
      questions: ['closure_risk', 'refund_policy', 'schemes'],
    });
    const cells = new Map<string, number[]>();
    for (const e of report.estimates.filter((x) => x.statistic === 'proportion' && x.question !== 'schemes')) {
      const key = `${e.question}|${e.domain}`;
      cells.set(key, [...(cells.get(key) ?? []), e.estimate ?? Number.NaN]);
    }
    expect(cells.size).toBeGreaterThan(4);
    for (const [key, values] of cells) {
      if (values.some(Number.isNaN)) continue; // a withheld option: left as published
      expect([key, Math.round(values.reduce((a, v) => a + v, 0) * 1000)]).toEqual([key, 1000]);
    }
    // The CSV carries the same values.
    const csv = await staff.get(`/beheer/rapportage/export.csv?${qs()}`);
    const rows = Papa.parse<Record<string, string>>(csv.text, { header: true, skipEmptyLines: true }).data;
    const whole = rows.filter((r) => r.question === 'closure_risk' && r.statistic === 'proportion' && r.domain === '*');
    expect(whole.length).toBe(4);
    expect(Math.round(whole.reduce((a, r) => a + Number(r.estimate), 0) * 1000)).toBe(1000);
    // Exact output (--no-protect) stays the estimator's own value, as R computes it.
    const open = await buildReport(handle.db, { wave: slug, questions: ['closure_risk'], protect: false });
    const exact = open.estimates.filter((e) => e.statistic === 'proportion' && e.domain === '*');
    expect(exact.some((e) => Math.round(e.estimate! * 1000) !== e.estimate! * 1000)).toBe(true);
  });

  it('labels the protected response count and branch figures where they differ from the exact counts of the monitor', async () => {
    const submitted = Number(
      (
        await handle.db
          .selectFrom('responses')
          .innerJoin('waves', 'waves.id', 'responses.wave_id')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('waves.slug', '=', slug)
          .where('responses.status', '=', 'submitted')
          .executeTakeFirstOrThrow()
      ).n,
    );
    const monitor = await staff.get(`/beheer/metingen/${slug}`);
    expect(monitor.text).toContain(`Ingediend: ${formatNumber(submitted)} van 160 organisaties`);
    expect(monitor.text).toContain('Dit zijn de exacte aantallen, alleen voor medewerkers.');
    // Size classes in their natural order, not as text (issue 21 point 8).
    const at = (label: string) => monitor.text.indexOf(`<th scope="row">${label}</th>`);
    const order = ['&lt;250', '250-999', '1000-2499', '&gt;=2500'].map(at);
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    const report = await buildReport(handle.db, { wave: slug, stratify: ['org_type'], questions: ['closure_risk'] });
    expect(report.respondents.n).not.toBeNull();
    const page = await staff.get(`/beheer/rapportage?${qs()}`);
    expect(page.text).toContain('De aantallen reacties (n) zijn beschermd');
    expect(page.text).toMatch(/omzet \(leerlingen en omzet afgerond en beschermd, zie Methode\)/);

    const pdf = await staff.get(`/beheer/rapportage/export.pdf?${qs()}`).buffer(true).parse(binary);
    const text = (await pdfText(pdf.body as Buffer)).replace(/\s+/g, ' ');
    expect(text).toContain(`circa ${formatNumber(report.respondents.n!)} ingediende reacties (beschermd aantal`);
    expect(text).toContain('De aantallen reacties (n) zijn beschermd');
  });
});
