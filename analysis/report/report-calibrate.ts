// The estimate step of a calibrated wave (README "Calibration"): per question the
// item respondents are calibrated to the frame within the wave's strata, and every
// cell's total, mean or proportion is the calibrated design's (R: calibrate, then
// svytotal / svymean / svyby). The cells keep what the grouped sums gave them —
// n, N, record keys, whether all answered alike — and take from the calibration
// their estimate, its SE and the weighted contributions protection looks at. A
// question that cannot be calibrated keeps its uncalibrated estimates and a note
// says why (never a silent wrong weight).
import {
  type CalibrationFailure,
  type CalibrationMethod,
  type CalibrationPopulation,
  calibrate,
  domainMeanOf,
  domainTotal,
} from '../estimators/calibration';
import { withInterval } from '../estimators/design';
import type { AuxVariable } from '../frame/frame-columns';
import type { FrameAtom, RespondentUnit, UnitAnswer } from './calibration-repository';
import { type CellSpec, type Estimated, type ReportNote, topTwo } from './report-estimate';
import type { PlannedQuestion } from './report-plan';

/** A wave's calibration: its variables (categorical and numeric) and method. */
export interface PlanCalibration {
  categorical: string[];
  numeric: AuxVariable[];
  method: CalibrationMethod;
}

/** What a calibrated report reads besides the grouped sums. */
export interface CalibrationData {
  atoms: FrameAtom[];
  units: RespondentUnit[];
  answers: UnitAnswer[];
}

interface Item {
  unit: RespondentUnit;
  shown: boolean;
  y: number;
  choices: string[] | null;
}

/** The two units with the largest contributions (contributions[k] belongs to units[k]). */
function largestTwo(units: ArrayLike<number>, contributions: readonly number[]): number[] {
  let a = -1;
  let b = -1;
  for (let k = 0; k < units.length; k++) {
    if (a < 0 || contributions[k] > contributions[a]) [a, b] = [k, a];
    else if (b < 0 || contributions[k] > contributions[b]) b = k;
  }
  return [a, b].filter((k) => k >= 0).map((k) => units[k]);
}

/** The item respondents of a question: answered or hidden (and, with an auxiliary, its value known). */
function itemsOf(q: PlannedQuestion, units: Map<number, RespondentUnit>, answers: readonly UnitAnswer[]): Item[] {
  const items: Item[] = [];
  for (const a of answers) {
    const unit = units.get(a.response);
    if (!unit) continue;
    if (q.kind === 'numeric') {
      if (!a.hidden && a.num === null) continue;
      if (q.aux && unit.values[q.aux] == null) continue;
      items.push({ unit, shown: !a.hidden, y: a.hidden ? 0 : (a.num ?? 0), choices: null });
    } else {
      if (!a.hidden && a.choices === null) continue;
      items.push({ unit, shown: !a.hidden, y: 0, choices: a.hidden ? null : a.choices });
    }
  }
  return items;
}

/** The frame totals over the strata the question's respondents cover. */
function populationOf(
  atoms: readonly FrameAtom[],
  covered: ReadonlySet<string>,
  spec: PlanCalibration,
  numeric: readonly string[],
): CalibrationPopulation {
  const strata = new Map<string, number>();
  const counts: Record<string, Record<string, number>> = Object.fromEntries(spec.categorical.map((v) => [v, {}]));
  const totals: Record<string, number> = Object.fromEntries(numeric.map((v) => [v, 0]));
  for (const a of atoms) {
    if (!covered.has(a.stratum)) continue;
    strata.set(a.stratum, (strata.get(a.stratum) ?? 0) + a.N);
    for (const v of spec.categorical) {
      const label = a.labels[v as keyof FrameAtom['labels']];
      counts[v][label] = (counts[v][label] ?? 0) + a.N;
    }
    for (const v of numeric) totals[v] += a.totals[v] ?? 0;
  }
  return {
    strata: [...strata.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([stratum, N]) => ({ stratum, N })),
    counts,
    totals,
  };
}

export type CalibrationNote = { kind: 'calibration_failed'; question: string; failure: CalibrationFailure };

/**
 * The cells of one question (per statistic or option, every cell of the universe)
 * with their calibrated estimates; unchanged, with a note, when the calibration fails.
 */
export function calibrateQuestion(
  minCell: number,
  spec: PlanCalibration,
  data: CalibrationData,
  universe: readonly CellSpec[],
  q: PlannedQuestion,
  estimated: Estimated[][],
  notes: ReportNote[],
): Estimated[][] {
  const units = new Map(data.units.map((u) => [u.id, u]));
  const items = itemsOf(
    q,
    units,
    data.answers.filter((a) => a.question === q.question.key),
  );
  if (items.length === 0) return estimated;
  const numeric = [...new Set([...spec.numeric, ...(q.aux ? [q.aux] : [])])];
  const population = populationOf(data.atoms, new Set(items.map((i) => i.unit.stratum)), spec, numeric);
  const calibrated = calibrate(
    items.map((i) => ({
      stratum: i.unit.stratum,
      values: {
        ...Object.fromEntries(spec.categorical.map((v) => [v, i.unit.labels[v as keyof RespondentUnit['labels']]])),
        // An unknown numeric value counts 0, as in the frame total.
        ...Object.fromEntries(numeric.map((v) => [v, i.unit.values[v] ?? 0])),
      },
    })),
    population,
    spec.method,
  );
  if (!('weights' in calibrated)) {
    notes.push({ kind: 'calibration_failed', question: q.question.key, failure: calibrated });
    return estimated;
  }
  const shown = items.map((i) => i.shown);
  const variables: { y: number[]; statistic: 'total' | 'mean' | 'proportion' }[] =
    q.kind === 'numeric'
      ? q.statistics.map((s) => ({ y: items.map((i) => i.y), statistic: s === 'total' ? 'total' : 'mean' }))
      : q.categories.map((category) => ({
          y: items.map((i) => (i.shown && i.choices?.includes(category) ? 1 : 0)),
          statistic: 'proportion',
        }));
  // The units of each cell (and those of it who saw the question), found once for all statistics.
  const members = universe.map((cell) => {
    const all: number[] = [];
    const seen: number[] = [];
    items.forEach((item, i) => {
      if (cell.dimension !== null && item.unit.labels[cell.dimension] !== cell.domain) return;
      all.push(i);
      if (shown[i]) seen.push(i);
    });
    return { all: Int32Array.from(all), seen: Int32Array.from(seen) };
  });
  return estimated.map((cells, k) => {
    const { y, statistic } = variables[k];
    return cells.map((e, j) => {
      if (e.estimate === null) return e;
      const idx = statistic === 'total' ? members[j].all : members[j].seen;
      const values = Float64Array.from(idx, (i) => y[i]);
      const r = statistic === 'total' ? domainTotal(calibrated, idx, values) : domainMeanOf(calibrated, idx, values);
      if (r === null) return { ...e, estimate: null };
      // What protection looks at: each contributing respondent with its own weight in this estimate.
      const contributing = members[j].seen.filter((i) => y[i] !== 0);
      const weightOf = (i: number) => calibrated.weights[i] * r.scale;
      const contributions = Array.from(contributing, (i) => Math.abs(y[i]) * weightOf(i));
      // A small cell is covered as a whole, a large one by its largest contributions only.
      const kept =
        contributing.length <= Math.max(minCell, 2)
          ? Array.from(contributing)
          : largestTwo(contributing, contributions);
      return {
        ...e,
        method: 'calibrated',
        auxiliary: q.aux,
        estimate: withInterval(r.estimate, r.se, e.estimate.n, e.estimate.N),
        facts: { ...e.facts, top: topTwo(contributions), total: Math.abs(r.estimate) },
        // Each respondent is its own part: its weight is its own, not its stratum's.
        parts: kept.map((i) => ({ stratum: `#${i}`, sy: y[i], top: [Math.abs(y[i]), 0] })),
        // Only the whole branch's weights are looked up (for its cover).
        weights:
          universe[j].dimension === null
            ? new Map(Array.from(contributing, (i) => [`#${i}`, weightOf(i)]))
            : new Map<string, number>(),
      };
    });
  });
}
