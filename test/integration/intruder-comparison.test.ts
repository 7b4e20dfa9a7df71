// Intruder tests of the member comparison (disclosure review 2, cases 4 and 5):
// a member probing the quartiles by resubmitting chosen answers, late colluders
// reading a snapshot taken before they submitted, and one organisation's
// resubmissions that must count toward renewing the snapshot. The intruder's
// model is the old code's: the quarter compares the current answer with the
// exact quartiles, so each probe halves an interval.
import { Readable } from 'node:stream';
import { quantileSorted } from 'simple-statistics';
import { afterEach, describe, expect, it } from 'vitest';
import { memberComparison, roundNearest } from '../../analysis/comparison/member-comparison';
import type { User } from '../../foundation/db/schema';
import {
  reopenResponse,
  saveDraft,
  submitResponse,
  type WaveWithDefinition,
  waveWithDefinition,
} from '../../surveys/responses/responses';
import { importResponses } from '../../surveys/responses/responses-import';
import { findResponse } from '../../surveys/responses/responses-repository';
import { type TestDatabase, testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';
import { makeUser } from '../support/web-client';

const HEADER =
  'kans_id;revenue_loss_eur;liquidity_months;lessons_cancelled_pct;online_lessons;students_quit;refund_policy;schemes;freelance_teachers_affected;closure_risk;biggest_need';
const Q = 'revenue_loss_eur';

/** n organisations' revenue losses, all different and none dominant; `late` more in the frame that have not answered. */
async function branch(handle: TestDatabase, n: number) {
  const seeded = await seedSurvey(handle);
  const orgs = seeded.rows.map((r) => r.org_id);
  const values = orgs.slice(0, n).map((_, i) => 3000 + 1700 * i + 37 * ((i * 7) % 5));
  const target = (await waveWithDefinition(handle.db, seeded.slug))!;
  await importLines(
    handle,
    target,
    orgs.slice(0, n).map((o, i) => [o, values[i]]),
  );
  const staff = (await makeUser(handle, 'staf@example.nl', 'staff')) as User;
  return { target, orgs, values, staff, late: orgs.slice(n) };
}

async function importLines(handle: TestDatabase, target: WaveWithDefinition, lines: [string, number][]) {
  const csv = [HEADER, ...lines.map(([o, v]) => `${o};${v};3;40;nee;10;none;none;0;small;liquidity`)].join('\n');
  const result = await importResponses(handle.db, {
    open: () => Readable.from([Buffer.from(csv)]),
    target,
    dryRun: false,
    actor: null,
  });
  expect(result.errors).toEqual([]);
}

/** The member reopens (through staff) and submits again with a chosen answer, as the review's probes did. */
async function resubmit(handle: TestDatabase, target: WaveWithDefinition, staff: User, orgId: string, value: number) {
  // The wave is closed: staff reopen to import the changed response, as a closed wave allows.
  await reopenResponse(handle.db, { wave: target.wave, orgId, staff, source: 'import' });
  const draft = (await findResponse(handle.db, target.wave.id, orgId))!;
  const saved = await saveDraft(handle.db, {
    wave: target.wave,
    definition: target.definition,
    orgId,
    user: null,
    expectedVersion: draft.version,
    updates: new Map([
      [
        Q,
        {
          question_key: Q,
          hidden: false,
          value_num: String(value),
          value_text: null,
          value_bool: null,
          value_choices: null,
        },
      ],
    ]),
    source: 'import',
  });
  if (!saved.ok) throw new Error('conflict');
  const done = await submitResponse(handle.db, {
    wave: target.wave,
    definition: target.definition,
    orgId,
    user: null,
    expectedVersion: saved.version,
    source: 'import',
  });
  expect(done).toEqual({ ok: true });
}

async function comparisonOf(handle: TestDatabase, target: WaveWithDefinition, orgId: string) {
  const c = await memberComparison(handle.db, { waveId: target.wave.id, definition: target.definition, orgId });
  return {
    asOf: c.asOf.getTime(),
    row: c.rows.find((r) => r.question.key === Q)!,
    pending: 'pending' in c ? c.pending : undefined,
  };
}

/** The unit of two significant digits: how precisely a published figure is known anyway. */
function unitOf(value: number) {
  return 10 ** (Math.floor(Math.log10(Math.abs(value))) - 1);
}

describe.each(testDialects())('member comparison intruders on $kind', (dialect) => {
  let handle: TestDatabase | undefined;
  afterEach(async () => {
    await handle?.close();
    handle = undefined;
  });

  it('case 4: bisecting with 10 resubmissions confines neither Q1 nor the median beyond the published rounding', async () => {
    handle = await dialect.create();
    const { target, orgs, values, staff } = await branch(handle, 21);
    const member = orgs[3];
    const first = await comparisonOf(handle, target, member);
    expect(first.row.band).not.toBeNull();
    const sorted = [...values].sort((a, b) => a - b);
    // The exact quartiles at the first snapshot: what the old code compared every probe with.
    const trueQ1 = quantileSorted(sorted, 0.25);
    const trueMedian = quantileSorted(sorted, 0.5);
    // n = 21: the exact median is one organisation's answer.
    expect(values).toContain(trueMedian);
    const band = first.row.band!;
    const probe = async (lo: number, hi: number, split: (q: number) => boolean) => {
      const quarters: (number | null)[] = [];
      for (let k = 0; k < 10; k++) {
        const v = (lo + hi) / 2;
        await resubmit(handle!, target, staff, member, v);
        const q = (await comparisonOf(handle!, target, member)).row.quarter;
        quarters.push(q);
        if (q === null) continue;
        if (split(q)) lo = v;
        else hi = v;
      }
      return { lo, hi, quarters };
    };
    // Q1: quarter 1 means "at or below Q1".
    const q1 = await probe(band.low, band.high, (q) => q === 1);
    const pinnedQ1 = q1.lo <= trueQ1 && trueQ1 <= q1.hi && q1.hi - q1.lo < unitOf(band.low);
    expect(pinnedQ1, `Q1 ${trueQ1} confined to [${q1.lo}; ${q1.hi}] by ${q1.quarters.join(',')}`).toBe(false);
    // The median (never shown): quarter ≤ 2 means "at or below the median".
    const mid = await probe(band.low, band.high, (q) => q <= 2);
    const pinnedMedian = mid.lo <= trueMedian && trueMedian <= mid.hi && mid.hi - mid.lo < unitOf(trueMedian);
    expect(pinnedMedian, `median ${trueMedian} confined to [${mid.lo}; ${mid.hi}]`).toBe(false);
    // Between renewals a changed answer gets no position at all.
    expect(q1.quarters.filter((q) => q === null).length).toBeGreaterThanOrEqual(8);
  });

  it('case 4: four late colluders get no quarter against a snapshot taken before they submitted', async () => {
    handle = await dialect.create();
    const { target, orgs, late } = await branch(handle, 16);
    const before = await comparisonOf(handle, target, orgs[0]);
    expect(before.row.quarter).not.toBeNull();
    const colluders = late.slice(0, 4);
    await importLines(
      handle,
      target,
      colluders.map((o, i) => [o, 5000 + 9000 * i]),
    );
    for (const org of colluders) {
      const seen = await comparisonOf(handle, target, org);
      expect(seen.asOf, 'no renewal after 4 submissions').toBe(before.asOf);
      expect(seen.row.quarter, org).toBeNull();
      expect(seen.pending).toBe(true);
    }
    // Organisations that did not change keep their position.
    expect((await comparisonOf(handle, target, orgs[0])).row.quarter).toBe(before.row.quarter);
  });

  it('case 5: one organisation resubmitting 5 times counts as 5 changes and renews the snapshot', async () => {
    handle = await dialect.create();
    const { target, orgs, values, staff } = await branch(handle, 16);
    const member = orgs[2];
    const first = await comparisonOf(handle, target, member);
    for (let k = 1; k <= 4; k++) await resubmit(handle, target, staff, member, values[2] + k);
    expect((await comparisonOf(handle, target, member)).asOf).toBe(first.asOf);
    await resubmit(handle, target, staff, member, values[2] + 5);
    const renewed = await comparisonOf(handle, target, member);
    expect(renewed.asOf).toBeGreaterThan(first.asOf);
    // Renewed with its answer as it is now: it has its position again.
    expect(renewed.pending).toBe(false);
    expect(renewed.row.quarter).not.toBeNull();
  });

  it('no published figure is an exact quantile: the middle is rounded, quartiles average four answers', async () => {
    handle = await dialect.create();
    const { target, orgs, values } = await branch(handle, 21);
    const seen = await comparisonOf(handle, target, orgs[0]);
    const sorted = [...values].sort((a, b) => a - b);
    expect(seen.row.band!.low).not.toBe(quantileSorted(sorted, 0.25));
    expect(values).not.toContain(seen.row.band!.low);
    expect(values).not.toContain(seen.row.band!.high);
    expect(roundNearest(16037)).toBe(16000);
  });
});
