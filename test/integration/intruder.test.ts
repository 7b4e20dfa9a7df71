// The intruder test suite of README "Protection" (T1–T11 below, one per attack
// of an outside disclosure review): on the demo branch, with every report view a staff member
// can make, an intruder combines all protected outputs and tries to read back
// suppressed cells and single organisations' answers.
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberComparison } from '../../analysis/comparison/member-comparison';
import { noiseBound, standardErrorInflation } from '../../analysis/disclosure/perturbation';
import { buildReport } from '../../analysis/report/report';
import type { ReportEstimate, ReportModel } from '../../analysis/report/report-model';
import { reportCsv } from '../../exports/report-csv';
import { fillDemo } from '../../server/demo/demo';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { importResponses } from '../../surveys/responses/responses-import';
import { type TestDatabase, testDialects } from '../support/databases';
import {
  allViews,
  distinctCells,
  type Equation,
  equationOf,
  groundTruth,
  intervalAttack,
  linearAttack,
  pinned,
  type Target,
  type Truth,
  wholeCovers,
} from '../support/intruder';

const APRIL = 'corona-2020-04';
const JUNE = 'corona-2020-06';
const QUESTIONS = ['revenue_loss_eur', 'extra_costs_eur', 'students_quit', 'online_lessons', 'online_share_pct'];

async function views(handle: TestDatabase, wave: string, questions = QUESTIONS): Promise<ReportModel[]> {
  const out: ReportModel[] = [];
  for (const v of allViews()) out.push(await buildReport(handle.db, { wave, ...v, questions, withPrevious: false }));
  return out;
}

/** The equations of one question and statistic family from every distinct published cell. */
function equationsOf(
  truth: Truth,
  reports: ReportModel[],
  filter: (e: ReportEstimate) => boolean,
  kind: 'numeric' | 'choice',
  covers: Map<string, number>,
) {
  const { cells, conflicts } = distinctCells(reports, filter);
  const cover = (e: ReportEstimate) =>
    e.dimension === null ? covers.get(`${e.question}|${e.statistic}|${e.category}`) : 0;
  const equations = cells.map((e) => equationOf(truth, e, kind, cover(e))).filter((eq): eq is Equation => eq !== null);
  return { cells, conflicts, equations };
}

/** Single organisations and pairs that share every frame variable: what the atoms of the linear attack hold. */
function atomTargets(truth: Truth, value: (i: number) => number | null): Target[] {
  const atoms = new Map<string, number[]>();
  truth.respondents.forEach((r, i) => {
    if (value(i) === null) return;
    const key = JSON.stringify(r.labels);
    atoms.set(key, [...(atoms.get(key) ?? []), i]);
  });
  const targets: Target[] = [];
  for (const [key, members] of atoms) {
    if (members.length > 2) continue;
    targets.push({
      name: `atom ${key} (${members.map((i) => truth.respondents[i].org_id).join(', ')})`,
      vector: new Map(members.map((i) => [i, 1])),
      truth: members.reduce((a, i) => a + value(i)!, 0),
    });
  }
  return targets;
}

/** The sum of the answers in each suppressed cell. */
function suppressedTargets(truth: Truth, suppressed: ReportEstimate[], value: (i: number) => number | null): Target[] {
  const seen = new Set<string>();
  const targets: Target[] = [];
  for (const e of suppressed) {
    const key = `${e.dimension}|${e.domain}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const members = truth.respondents.flatMap((r, i) =>
      value(i) !== null &&
      (e.dimension === null ||
        e.dimension
          .split(',')
          .map((v) => r.labels[v as keyof typeof r.labels])
          .join(' × ') === e.domain)
        ? [i]
        : [],
    );
    if (members.length === 0) continue;
    targets.push({
      name: `suppressed ${e.question} ${e.statistic} ${key} (${e.reason})`,
      vector: new Map(members.map((i) => [i, 1])),
      truth: members.reduce((a, i) => a + value(i)!, 0),
    });
  }
  return targets;
}

describe.each(testDialects())('the intruder on $kind', (dialect) => {
  let handle: TestDatabase;
  let april: ReportModel[];
  let aprilCovers: Map<string, number>;

  beforeAll(async () => {
    handle = await dialect.create();
    await fillDemo(handle, { orgs: 400, seed: 2020 });
    april = await views(handle, APRIL);
    aprilCovers = await wholeCovers(handle, APRIL, QUESTIONS);
  }, 600_000);
  afterAll(async () => {
    await handle?.close();
  });

  it("has teeth: on exact outputs with only the rules' suppression, the same attack recovers suppressed cells exactly", async () => {
    const exact: ReportModel[] = [];
    for (const v of allViews())
      exact.push(
        await buildReport(handle.db, {
          wave: APRIL,
          ...v,
          questions: ['revenue_loss_eur'],
          protect: false,
          withPrevious: false,
        }),
      );
    const truth = await groundTruth(handle, APRIL, 'revenue_loss_eur', 'turnover_eur');
    const value = (i: number) => truth.respondents[i].y;
    // What a rules-only protection publishes: every cell the rules pass, exactly.
    const { equations } = equationsOf(
      truth,
      exact,
      (e) => e.question === 'revenue_loss_eur' && e.statistic !== 'proportion' && !e.suppressed,
      'numeric',
      new Map(),
    );
    const suppressed = distinctCells(exact, (e) => e.question === 'revenue_loss_eur' && e.suppressed).cells;
    const findings = linearAttack(equations, truth.respondents.length, suppressedTargets(truth, suppressed, value));
    const recovered = findings.filter(
      (f) => f.identifiable && Math.abs(f.estimate - f.truth) <= 1e-6 * Math.abs(f.truth),
    );
    expect(recovered.map((f) => f.name)).toContainEqual(expect.stringContaining('province|Zeeland'));
  });

  it('sees the same value for the same cell in every view (consistent perturbation)', () => {
    const { conflicts } = distinctCells(april, () => true);
    expect(conflicts).toEqual([]);
  });

  it("(a) cannot determine a suppressed cell or one or two organisations' answer within 10% by least squares over all views", async () => {
    for (const question of ['revenue_loss_eur', 'extra_costs_eur', 'students_quit']) {
      const aux = question === 'students_quit' ? 'students' : question === 'revenue_loss_eur' ? 'turnover_eur' : null;
      const truth = await groundTruth(handle, APRIL, question, aux);
      const value = (i: number) => truth.respondents[i].y;
      const { equations, cells } = equationsOf(
        truth,
        april,
        (e) => e.question === question && e.statistic !== 'proportion',
        'numeric',
        aprilCovers,
      );
      const suppressed = distinctCells(april, (e) => e.question === question && e.suppressed).cells;
      const targets = [...atomTargets(truth, value), ...suppressedTargets(truth, suppressed, value)].filter(
        (t) => t.truth !== 0,
      );
      const findings = linearAttack(equations, truth.respondents.length, targets);
      const determined = findings.filter((f) => f.identifiable);
      // The intruder knows its own uncertainty from the published parameters; it may
      // never be able to claim a value within ±10 % with 95 % confidence.
      const claimable = determined.filter((f) => 1.959963985 * f.sd < 0.1 * Math.abs(f.truth));
      const exact = determined.filter((f) => Math.abs(f.estimate - f.truth) <= 1e-6 * Math.abs(f.truth));
      console.info(
        `${dialect.kind} ${question}: ${cells.length} published cells, ${targets.length} targets, ${determined.length} determined by rank, ` +
          `${determined.filter((f) => Math.abs(f.estimate - f.truth) < 0.1 * Math.abs(f.truth)).length} landed within 10% by chance`,
      );
      expect(
        exact.map((f) => f.name),
        question,
      ).toEqual([]);
      expect(
        claimable.map((f) => `${f.name}: ${f.estimate.toFixed(0)} ± ${(1.96 * f.sd).toFixed(0)} (true ${f.truth})`),
        question,
      ).toEqual([]);
    }
  });

  it('(b) finds no suppressed cell or single answer pinned within ±10% by the LP interval audit over all views', async () => {
    for (const question of ['revenue_loss_eur', 'extra_costs_eur']) {
      const aux = question === 'revenue_loss_eur' ? 'turnover_eur' : null;
      const truth = await groundTruth(handle, APRIL, question, aux);
      const value = (i: number) => truth.respondents[i].y;
      const { equations } = equationsOf(
        truth,
        april,
        (e) => e.question === question && e.statistic !== 'proportion',
        'numeric',
        aprilCovers,
      );
      const suppressed = distinctCells(april, (e) => e.question === question && e.suppressed).cells;
      const targets = [
        ...suppressedTargets(truth, suppressed, value),
        ...atomTargets(truth, value).filter((t) => t.vector.size === 1),
      ].filter((t) => t.truth !== 0);
      const findings = await intervalAttack(equations, truth.respondents.length, targets, { max: 100_000_000 });
      const narrow = findings.filter((f) => pinned(f.low, f.high, f.truth));
      expect(
        narrow.map((f) => `${f.name}: [${f.low.toFixed(0)}; ${f.high.toFixed(0)}] true ${f.truth}`),
        question,
      ).toEqual([]);
    }
  });

  it('(b) the second-largest respondent of a dominated cell cannot pin the largest within ±10%', async () => {
    const question = 'extra_costs_eur';
    const truth = await groundTruth(handle, APRIL, question, null);
    const { equations } = equationsOf(
      truth,
      april,
      (e) => e.question === question && e.statistic !== 'proportion',
      'numeric',
      aprilCovers,
    );
    const dominated = distinctCells(april, (e) => e.question === question && e.reason === 'dominance').cells;
    const checked: string[] = [];
    for (const e of dominated) {
      const members = truth.respondents
        .map((r, i) => ({ r, i }))
        .filter(
          ({ r }) =>
            r.y !== null &&
            (e.dimension === null ||
              e.dimension
                .split(',')
                .map((v) => r.labels[v as keyof typeof r.labels])
                .join(' × ') === e.domain),
        )
        .sort((a, b) => b.r.y! - a.r.y!);
      if (members.length < 2 || members[0].r.y === 0) continue;
      const [largest, second] = members;
      const [finding] = await intervalAttack(
        equations,
        truth.respondents.length,
        [{ name: `${e.dimension}|${e.domain}`, vector: new Map([[largest.i, 1]]), truth: largest.r.y! }],
        { max: 100_000_000, known: new Map([[second.i, second.r.y!]]) },
      );
      checked.push(finding.name);
      expect(
        pinned(finding.low, finding.high, finding.truth),
        `${finding.name}: [${finding.low}; ${finding.high}] true ${finding.truth}`,
      ).toBe(false);
    }
    console.info(`${dialect.kind}: ${checked.length} dominated cells attacked by their second-largest respondent`);
  });

  it("(c) the second-largest respondent cannot bound the largest within 10% from a small cell's mean and standard error", async () => {
    // Weighting by province makes every province a design stratum: the mean is then
    // the plain mean of its respondents and the SE carries their sum of squares.
    await handle.db.updateTable('waves').set({ weighting: 'province' }).where('slug', '=', APRIL).execute();
    const report = await buildReport(handle.db, {
      wave: APRIL,
      stratify: ['province'],
      questions: ['revenue_loss_eur', 'extra_costs_eur'],
      withPrevious: false,
    });
    await handle.db.updateTable('waves').set({ weighting: 'org_type' }).where('slug', '=', APRIL).execute();
    let attacked = 0;
    for (const question of ['revenue_loss_eur', 'extra_costs_eur']) {
      const truth = await groundTruth(handle, APRIL, question, null);
      for (const e of report.estimates.filter(
        (x) => x.question === question && x.statistic === 'mean' && x.dimension === 'province' && !x.suppressed,
      )) {
        const values = truth.respondents
          .filter((r) => r.y !== null && r.labels.province === e.domain)
          .map((r) => r.y!)
          .sort((a, b) => b - a);
        const n = values.length;
        if (n > 20 || n < 3) continue;
        const N = truth.cells.get(`province|${e.domain}`)!.N;
        const [x1, x2] = values;
        // What the intruder can be sure of: the mean within its largest noise and rounding,
        // the SE between the published one deflated by the largest and the smallest inflation.
        const c1 = x1 / n;
        const meanBound = noiseBound(c1, values.reduce((a, y) => a + y, 0) / n) + e.rounding!.estimate / 2;
        // Without a published SE (fewer than 10 respondents) only the mean constrains x1.
        const seUnit = e.rounding!.se ?? 0;
        const [inflateLow, inflateHigh] = standardErrorInflation(n);
        const seLow = e.se === null ? Number.NaN : (e.se - seUnit / 2) / (1 + inflateHigh);
        const seHigh = e.se === null ? Number.NaN : (e.se + seUnit / 2) / (1 + inflateLow);
        const feasible = largestFeasible({
          n,
          N,
          x2,
          meanLow: e.estimate! - meanBound,
          meanHigh: e.estimate! + meanBound,
          seLow,
          seHigh,
        });
        attacked++;
        expect(
          feasible === null || !pinned(feasible.low, feasible.high, x1),
          `${question} ${e.domain} n=${n}: x1 ${x1} in ${JSON.stringify(feasible)}`,
        ).toBe(true);
      }
    }
    expect(attacked).toBeGreaterThan(5);
  });

  it("(d) cannot read a late respondent's answers from a report before and after it submitted", async () => {
    const question = 'revenue_loss_eur';
    const before = await views(handle, JUNE, [question]);
    const coversBefore = await wholeCovers(handle, JUNE, [question]);
    const target = (await waveWithDefinition(handle.db, JUNE))!;
    // Muziekschool Deventer (a demo member) had left June open; it now submits 87 654.
    const late = 'KANS-0008';
    const csv = `org_id;revenue_loss_eur;extra_costs_eur;liquidity_months;lessons_cancelled_pct;online_lessons;students_quit;refund_policy;schemes;staff_reduction_fte;freelance_teachers_affected;closure_risk;biggest_need;share_best_practice\n${late};87654;4321;3;64;nee;77;none;none;0;9;real;liquidity;nee\n`;
    const imported = await importResponses(handle.db, {
      open: () => Readable.from([Buffer.from(csv)]),
      target,
      actor: null,
      dryRun: false,
    });
    expect(imported.errors, JSON.stringify(imported.errors)).toEqual([]);
    expect(imported.written).toBe(true);
    const after = await views(handle, JUNE, [question]);
    const coversAfter = await wholeCovers(handle, JUNE, [question]);
    const truthAfter = await groundTruth(handle, JUNE, question, 'turnover_eur');
    const newcomer = truthAfter.respondents.findIndex((r) => r.org_id === late);
    // Before the submission the newcomer's coefficient is 0 in every equation; the
    // weights of its stratum differ between the two snapshots, as the intruder knows.
    const truthBefore: Truth = {
      ...truthAfter,
      respondents: truthAfter.respondents.map((r, i) =>
        i === newcomer ? { ...r, y: null, hidden: false, x: null, stratum: '__not yet__' } : r,
      ),
    };
    const filter = (e: ReportEstimate) => e.question === question && e.statistic !== 'proportion';
    const equations = [
      ...equationsOf(truthBefore, before, filter, 'numeric', coversBefore).equations.map((eq) => ({
        ...eq,
        coef: new Map([...eq.coef].filter(([i]) => i !== newcomer)),
      })),
      ...equationsOf(truthAfter, after, filter, 'numeric', coversAfter).equations,
    ];
    const goal: Target = { name: `${late} ${question}`, vector: new Map([[newcomer, 1]]), truth: 87_654 };
    const [linear] = linearAttack(equations, truthAfter.respondents.length, [goal]);
    expect(Math.abs(linear.estimate - 87_654)).toBeGreaterThan(0.5);
    if (linear.identifiable) expect(1.959963985 * linear.sd).toBeGreaterThanOrEqual(0.1 * 87_654);
    const [interval] = await intervalAttack(equations, truthAfter.respondents.length, [goal], { max: 100_000_000 });
    console.info(
      `${dialect.kind}: late answer 87 654: least squares ${linear.estimate.toFixed(0)} ± ${(1.96 * linear.sd).toFixed(0)}, LP [${interval.low.toFixed(0)}; ${interval.high.toFixed(0)}]`,
    );
    expect(pinned(interval.low, interval.high, 87_654), `[${interval.low}; ${interval.high}]`).toBe(false);
  });

  it('(d) earlier waves appear in a later report only with the values of their own protected reports', async () => {
    const june = await views(handle, JUNE, ['revenue_loss_eur']).then(() =>
      Promise.all(
        allViews()
          .slice(0, 12)
          .map((v) => buildReport(handle.db, { wave: JUNE, ...v, questions: ['revenue_loss_eur'] })),
      ),
    );
    const aprilCells = new Map(
      april
        .flatMap((r) => r.estimates)
        .map((e) => [`${e.question}|${e.statistic}|${e.category}|${e.dimension}|${e.domain}`, e]),
    );
    let compared = 0;
    for (const r of june)
      for (const e of r.estimates) {
        if (e.previous === null) continue;
        const own = aprilCells.get(`${e.question}|${e.statistic}|${e.category}|${e.dimension}|${e.domain}`);
        expect(own?.estimate, `${e.dimension}|${e.domain}`).toBe(e.previous);
        compared++;
      }
    expect(compared).toBeGreaterThan(20);
    for (const r of june) {
      const series = r.trend!.series.find((s) => s.question === 'revenue_loss_eur' && s.statistic === 'total')!;
      const own = aprilCells.get('revenue_loss_eur|total|null|null|*')!;
      expect(series.points[0]).toEqual({ estimate: own.estimate, ci_low: own.ci_low, ci_high: own.ci_high });
    }
  });

  it('T1: one public CSV shows no count of a suppressed cell, so no follow-up question reveals its parent answer', async () => {
    const report = await buildReport(handle.db, { wave: APRIL, by: 'province' });
    const rows = Papa.parse<Record<string, string>>(reportCsv(report, 'csv'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const zeeland = rows.filter((r) => r.dimension === 'province' && r.domain === 'Zeeland');
    expect(zeeland.length).toBeGreaterThan(10);
    for (const r of zeeland) {
      expect(r.suppressed).toBe('true');
      expect(r.n).toBe('');
      expect(r.n_band).toBe('< 5');
      expect(r.reason).toBe('min_n');
    }
    // Nothing in the warnings or the response table names the one organisation's province.
    expect(report.warnings.join(' ')).not.toContain('Zeeland');
    expect(report.response.find((r) => r.stratum === 'Zeeland')).toBeUndefined();
  });

  it("T2: the algebra of two one-way reports no longer returns the Zeeland organisation's loss", async () => {
    const byType = april.find((r) => r.design.stratify.join() === 'org_type' && r.design.by === null)!;
    const byProvince = april.find((r) => r.design.stratify.join() === 'province' && r.design.by === null)!;
    const mean = (r: ReportModel, domain: string) =>
      r.estimates.find((e) => e.question === 'revenue_loss_eur' && e.statistic === 'mean' && e.domain === domain)!;
    // Σ over types of mean · n, minus the published provinces, leaves Zeeland + any suppressed province.
    const typeSum = byType.estimates
      .filter((e) => e.question === 'revenue_loss_eur' && e.statistic === 'mean' && e.dimension === 'org_type')
      .reduce((a, e) => a + e.estimate! * e.n!, 0);
    const provinceSum = byProvince.estimates
      .filter(
        (e) =>
          e.question === 'revenue_loss_eur' && e.statistic === 'mean' && e.dimension === 'province' && !e.suppressed,
      )
      .reduce((a, e) => a + e.estimate! * e.n!, 0);
    const attempt = typeSum - provinceSum;
    const truth = await groundTruth(handle, APRIL, 'revenue_loss_eur', null);
    const zeeland = truth.respondents
      .filter((r) => r.labels.province === 'Zeeland' && r.y !== null)
      .reduce((a, r) => a + r.y!, 0);
    expect(mean(byProvince, 'Zeeland').estimate).toBeNull();
    expect(Math.abs(attempt - zeeland)).toBeGreaterThan(0.1 * Math.max(zeeland, 1));
  });

  it('T8: a cell where every respondent gave the same non-zero amount is suppressed', async () => {
    const { definition } = (await waveWithDefinition(handle.db, JUNE))!;
    const truth = await groundTruth(handle, JUNE, 'revenue_loss_eur', null);
    const drenthe = truth.respondents.filter((r) => r.labels.province === 'Drenthe' && r.y !== null);
    expect(drenthe.length).toBeGreaterThanOrEqual(5);
    await handle.db
      .updateTable('answers')
      .set({ value_num: '30000' })
      .where('question_key', '=', 'revenue_loss_eur')
      .where('response_id', 'in', (qb) =>
        qb
          .selectFrom('responses')
          .select('id')
          .where(
            'org_id',
            'in',
            drenthe.map((r) => r.org_id),
          )
          .where('wave_id', '=', (w) => w.selectFrom('waves').select('id').where('slug', '=', JUNE)),
      )
      .execute();
    const report = await buildReport(handle.db, {
      wave: JUNE,
      stratify: ['province'],
      questions: ['revenue_loss_eur'],
      withPrevious: false,
    });
    const cells = report.estimates.filter((e) => e.domain === 'Drenthe');
    expect(cells.map((e) => e.reason)).toEqual(['uniform', 'uniform']);
    expect(definition.key).toBe('corona-impact');
  });

  it('T9: the member comparison needs 10 organisations, shows a band, and changes only in batches', async () => {
    const { wave, definition } = (await waveWithDefinition(handle.db, APRIL))!;
    const member = (
      await handle.db
        .selectFrom('responses')
        .select('org_id')
        .where('wave_id', '=', wave.id)
        .where('status', '=', 'submitted')
        .executeTakeFirstOrThrow()
    ).org_id;
    const first = await memberComparison(handle.db, { waveId: wave.id, definition, orgId: member });
    const row = first.rows.find((r) => r.question.key === 'revenue_loss_eur')!;
    expect(row.band).not.toBeNull();
    expect(row.band!.high).toBeGreaterThan(row.band!.low);
    // Two significant digits, rounded outwards: never one organisation's exact figure.
    expect(String(row.band!.low).replace(/0+$/, '').length).toBeLessThanOrEqual(2);
    expect(row).not.toHaveProperty('median');
    // One more submission does not change what members see.
    await handle.db
      .updateTable('responses')
      .set({ status: 'draft', submitted_at: null })
      .where('wave_id', '=', wave.id)
      .where('org_id', '=', member)
      .execute();
    await handle.db
      .updateTable('responses')
      .set({ status: 'submitted', submitted_at: new Date() })
      .where('wave_id', '=', wave.id)
      .where('org_id', '=', member)
      .execute();
    const second = await memberComparison(handle.db, { waveId: wave.id, definition, orgId: member });
    expect(second.asOf).toEqual(first.asOf);
    expect(second.rows).toEqual(first.rows);
  });
});

/**
 * The range of the largest answer x1 of a cell of n answers (all ≥ 0, the
 * intruder's own x2 the second largest) consistent with a mean in
 * [meanLow, meanHigh] and a standard error in [seLow, seHigh]: the other n − 2
 * answers lie in [0, x2] and their sum of squares is between the smallest (all
 * equal) and the largest (as many as possible at x2) their sum allows.
 */
function largestFeasible(c: {
  n: number;
  N: number;
  x2: number;
  meanLow: number;
  meanHigh: number;
  seLow: number;
  seHigh: number;
}) {
  const { n, N, x2 } = c;
  const fpc = 1 - n / N;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  const steps = 400;
  for (let a = 0; a <= steps; a++) {
    const mean = c.meanLow + ((c.meanHigh - c.meanLow) * a) / steps;
    const seSteps = Number.isFinite(c.seLow) ? 20 : 0;
    for (let b = 0; b <= seSteps; b++) {
      const se = seSteps ? c.seLow + ((c.seHigh - c.seLow) * b) / seSteps : Number.NaN;
      const total = mean * n;
      // se² = (1 − n/N) s² / n, s² = (Σy² − T²/n) / (n − 1)
      const squares =
        fpc > 0 && Number.isFinite(se) ? ((se * se * n) / fpc) * (n - 1) + (total * total) / n : Number.NaN;
      for (let k = 0; k <= steps; k++) {
        const x1 = x2 + ((total - x2) * k) / steps;
        const rest = total - x1 - x2;
        if (rest < -1e-9 || rest > (n - 2) * x2 + 1e-9) continue;
        if (Number.isFinite(squares)) {
          const restSquares = squares - x1 * x1 - x2 * x2;
          const m = n - 2;
          const min = m > 0 ? (rest * rest) / m : 0;
          const full = m > 0 ? Math.floor(rest / x2) : 0;
          const max = m > 0 ? full * x2 * x2 + (rest - full * x2) ** 2 : 0;
          const tolerance = 1e-6 * Math.max(1, squares);
          if (restSquares < min - tolerance || restSquares > max + tolerance) continue;
        }
        low = Math.min(low, x1);
        high = Math.max(high, x1);
      }
    }
  }
  return low <= high ? { low, high } : null;
}
