// The estimate step of a calibrated wave (README "Calibration"): per question the
// item respondents are calibrated to the frame within the wave's strata, and every
// cell's total, mean or proportion is the calibrated design's (R: calibrate, then
// svytotal / svymean / svyby). The cells keep what the grouped sums gave them —
// n, N, record keys, whether all answered alike — and take from the calibration
// their estimate, its SE and the weighted contributions protection looks at. A
// question that cannot be calibrated keeps its uncalibrated estimates and a note
// says why (never a silent wrong weight).

import type { AuxVariable } from '../../register/frame-columns';
import {
  addVarianceSums,
  type Calibration,
  type CalibrationFailure,
  type CalibrationMethod,
  type CalibrationPopulation,
  type CalibrationUnit,
  calibrate,
  calibrateSubset,
  domainMeanOf,
  domainTotal,
  type PreparedCalibration,
  prepareCalibration,
  type VarianceSums,
  varianceFromSums,
  varianceSumsByCell,
} from '../estimators/calibration';
import { withLazyInterval } from '../estimators/design';
import type { QuestionAnswers, RespondentUnit } from './calibration-repository';
import type { CellSpec, Estimated, ReportNote } from './report-estimate';
import { REPORT_VARIABLES } from './report-model';
import type { PlannedQuestion } from './report-plan';
import type { FrameGroup, GroupLabels, NumericGroup } from './report-repository';

/** A wave's calibration: its variables (categorical and numeric) and method. */
export interface PlanCalibration {
  categorical: string[];
  numeric: AuxVariable[];
  method: CalibrationMethod;
}

/** What a calibrated report reads besides the grouped sums. */
export interface CalibrationData {
  /** The frame's groups (atoms), with the totals of the calibration's numeric variables. */
  atoms: readonly FrameGroup[];
  units: RespondentUnit[];
  answers: Map<string, QuestionAnswers>;
}

/** The item respondents of a question, as columns: each one's unit (index into the report's units), whether it saw the question, its number and its options. */
interface Items {
  length: number;
  unit: Int32Array;
  shown: Uint8Array;
  y: Float64Array;
  /** A choice question's options per item (null: hidden); null for a numeric question. */
  choices: (string[] | null)[] | null;
}

/**
 * The units of a cell that contribute (answer not 0) with their contributions
 * |y_i| w_i scale: the two largest, and the units protection covers — all of them
 * in a small cell (at most `small`), else the two largest.
 */
function contributionsOf(
  seen: Int32Array,
  y: ArrayLike<number>,
  weights: readonly number[],
  scale: number,
  small: number,
): { kept: number[]; top: [number, number] } {
  const all: number[] = [];
  let a = -1;
  let b = -1;
  let ca = 0;
  let cb = 0;
  for (let m = 0; m < seen.length; m++) {
    const i = seen[m];
    if (y[i] === 0) continue;
    if (all.length <= small) all.push(i);
    const c = Math.abs(y[i]) * weights[i] * scale;
    if (a < 0 || c > ca) {
      [b, cb] = [a, ca];
      [a, ca] = [i, c];
    } else if (b < 0 || c > cb) [b, cb] = [i, c];
  }
  const kept = all.length <= small ? all : [a, b];
  return { kept, top: [Math.max(ca, 0), Math.max(cb, 0)] };
}

/** Each respondent as the calibration sees it, built once per report and set of numeric variables. */
const unitCache = new WeakMap<CalibrationData, Map<string, (CalibrationUnit | undefined)[]>>();
function calibrationUnits(data: CalibrationData, spec: PlanCalibration, numeric: readonly string[]) {
  let byVariables = unitCache.get(data);
  if (!byVariables) unitCache.set(data, (byVariables = new Map()));
  const key = [...spec.categorical, '|', ...numeric].join(',');
  let units = byVariables.get(key);
  if (!units) byVariables.set(key, (units = new Array(data.units.length)));
  const cache = units;
  return (index: number): CalibrationUnit => {
    let u = cache[index];
    if (!u) {
      const unit = data.units[index];
      const values: Record<string, string | number> = {};
      for (const v of spec.categorical) values[v] = unit.labels[v as keyof RespondentUnit['labels']];
      // An unknown numeric value counts 0, as in the frame total.
      for (const v of numeric) values[v] = unit.values[v] ?? 0;
      u = { stratum: unit.stratum, values };
      cache[index] = u;
    }
    return u;
  };
}

/**
 * Each respondent's index in the report's units by response id (−1: none), made
 * once per report: a table over the wave's range of ids, as a report looks up
 * every answer of every question (half a million) in it.
 */
const indexes = new WeakMap<CalibrationData, { first: number; table: Int32Array }>();
function unitIndex(data: CalibrationData) {
  let index = indexes.get(data);
  if (!index) {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const u of data.units) {
      first = Math.min(first, u.id);
      last = Math.max(last, u.id);
    }
    const table = new Int32Array(data.units.length === 0 ? 0 : last - first + 1).fill(-1);
    data.units.forEach((u, i) => {
      table[u.id - first] = i;
    });
    indexes.set(data, (index = { first, table }));
  }
  return index;
}

/**
 * The respondents' atoms (stratum and report variables), numbered in label order
 * and made once per report: the groups of numericGroupsOfUnits.
 */
const atomsOf = new WeakMap<CalibrationData, { atom: Int32Array; labels: GroupLabels[] }>();
function unitAtoms(data: CalibrationData) {
  let atoms = atomsOf.get(data);
  if (!atoms) {
    const keyOf = (u: GroupLabels) => [u.stratum, ...REPORT_VARIABLES.map((v) => u.labels[v])];
    const textOf = (u: GroupLabels) => `${u.stratum}\u001f${REPORT_VARIABLES.map((v) => u.labels[v]).join('\u001f')}`;
    const byKey = new Map<string, GroupLabels>();
    const texts = data.units.map(textOf);
    data.units.forEach((u, i) => {
      if (!byKey.has(texts[i])) byKey.set(texts[i], { stratum: u.stratum, labels: u.labels });
    });
    const labels = [...byKey.values()].sort((a, b) => {
      const [ka, kb] = [keyOf(a), keyOf(b)];
      const i = ka.findIndex((x, j) => x !== kb[j]);
      return i < 0 ? 0 : ka[i] < kb[i] ? -1 : 1;
    });
    const number = new Map(labels.map((l, i) => [textOf(l), i]));
    const atom = Int32Array.from(texts, (text) => number.get(text) as number);
    atomsOf.set(data, (atoms = { atom, labels }));
  }
  return atoms;
}

/**
 * The grouped sums of the numeric questions, as report-repository's numericGroups
 * gives them (per question × atom × shown × auxiliary known), from the unit
 * answers a calibrated wave reads anyway: the database is spared the largest
 * query, and each group's second largest answer is known at once. Groups come in
 * label order, so the estimators add them up in the same order every time.
 */
export function numericGroupsOfUnits(
  data: CalibrationData,
  auxByQuestion: Record<string, AuxVariable | null>,
): NumericGroup[] {
  const { first, table } = unitIndex(data);
  const { atom, labels } = unitAtoms(data);
  // Slot of a group: atom × 4 + shown × 2 + has_x.
  const slots = labels.length * 4;
  const n = new Int32Array(slots);
  const sums = { sy: 0, sx: 1, syy: 2, sxx: 3, sxy: 4, keys: 5, top1: 6, top2: 7 } as const;
  const acc = new Float64Array(slots * 8);
  const out: NumericGroup[] = [];
  // Each unit's value of an auxiliary (NaN: unknown), once per auxiliary.
  const auxValues = new Map<AuxVariable, Float64Array>();
  const valuesOf = (aux: AuxVariable) => {
    let values = auxValues.get(aux);
    if (!values) auxValues.set(aux, (values = Float64Array.from(data.units, (u) => u.values[aux] ?? Number.NaN)));
    return values;
  };
  for (const [question, aux] of Object.entries(auxByQuestion)) {
    const answers = data.answers.get(question);
    if (!answers) continue;
    const xs = aux ? valuesOf(aux) : null;
    n.fill(0);
    acc.fill(0);
    for (let k = 0; k < answers.response.length; k++) {
      const at = answers.response[k] - first;
      const u = at >= 0 && at < table.length ? table[at] : -1;
      const num = answers.num[k];
      const hidden = answers.hidden[k] === 1;
      if (u < 0 || (!hidden && Number.isNaN(num))) continue;
      const y = hidden ? 0 : num;
      const x = xs ? xs[u] : Number.NaN;
      const known = !Number.isNaN(x);
      const slot = atom[u] * 4 + (hidden ? 0 : 2) + (known ? 1 : 0);
      const a = slot * 8;
      n[slot]++;
      acc[a + sums.sy] += y;
      acc[a + sums.syy] += y * y;
      acc[a + sums.keys] += answers.key[k];
      if (known) {
        acc[a + sums.sx] += x;
        acc[a + sums.sxx] += x * x;
        acc[a + sums.sxy] += x * y;
      }
      const size = Math.abs(y);
      if (hidden) continue;
      if (size > acc[a + sums.top1]) {
        acc[a + sums.top2] = acc[a + sums.top1];
        acc[a + sums.top1] = size;
      } else if (size > acc[a + sums.top2]) acc[a + sums.top2] = size;
    }
    for (let slot = 0; slot < slots; slot++) {
      if (n[slot] === 0) continue;
      const a = slot * 8;
      const shown = (slot & 2) !== 0;
      out.push({
        question,
        ...labels[slot >> 2],
        domain: null,
        shown,
        has_x: (slot & 1) !== 0,
        n: n[slot],
        sy: acc[a + sums.sy],
        sx: acc[a + sums.sx],
        syy: acc[a + sums.syy],
        sxx: acc[a + sums.sxx],
        sxy: acc[a + sums.sxy],
        keys: acc[a + sums.keys],
        // Hidden answers count 0 and have no largest; with one shown answer the second is 0.
        top: shown ? [acc[a + sums.top1], acc[a + sums.top2]] : [0, 0],
      });
    }
  }
  return out;
}

/** The item respondents of a question: answered or hidden (and, with an auxiliary, its value known). */
function itemsOf(q: PlannedQuestion, data: CalibrationData): Items {
  const { first, table } = unitIndex(data);
  const answers = data.answers.get(q.question.key);
  const size = answers?.response.length ?? 0;
  const unit = new Int32Array(size);
  const shown = new Uint8Array(size);
  const y = new Float64Array(size);
  const choices: (string[] | null)[] | null = q.kind === 'numeric' ? null : [];
  let m = 0;
  for (let k = 0; k < size; k++) {
    const at = answers!.response[k] - first;
    const u = at >= 0 && at < table.length ? table[at] : -1;
    if (u < 0) continue;
    const hidden = answers!.hidden[k] === 1;
    if (q.kind === 'numeric') {
      const num = answers!.num[k];
      if (!hidden && Number.isNaN(num)) continue;
      if (q.aux && data.units[u].values[q.aux] == null) continue;
      y[m] = hidden ? 0 : num;
    } else {
      const chosen = answers!.choices[k];
      if (!hidden && chosen === null) continue;
      choices!.push(hidden ? null : chosen);
    }
    unit[m] = u;
    shown[m] = hidden ? 0 : 1;
    m++;
  }
  return { length: m, unit: unit.subarray(0, m), shown: shown.subarray(0, m), y: y.subarray(0, m), choices };
}

/**
 * The universe's cells by table: the whole branch and each report variable. Per
 * table, per unit the universe cell of that table it lies in (−1: none); per
 * universe cell its table and its place in it. Found once per report (every
 * question's cells are the same).
 */
interface CellTables {
  units: Int32Array[];
  tableOf: Int32Array;
  place: Int32Array;
  sizes: number[];
}
const cellTables = new WeakMap<CalibrationData, WeakMap<readonly CellSpec[], CellTables>>();
function unitCells(data: CalibrationData, universe: readonly CellSpec[]): CellTables {
  let byUniverse = cellTables.get(data);
  if (!byUniverse) cellTables.set(data, (byUniverse = new WeakMap()));
  let tables = byUniverse.get(universe);
  if (!tables) {
    const dimensions = [...new Set(universe.map((cell) => cell.dimension))];
    const tableOf = Int32Array.from(universe, (cell) => dimensions.indexOf(cell.dimension));
    const sizes = dimensions.map(() => 0);
    const place = Int32Array.from(tableOf, (t) => sizes[t]++);
    const units = dimensions.map((dimension) => {
      const cellOf = new Map<string, number>();
      universe.forEach((cell, j) => {
        if (cell.dimension === dimension) cellOf.set(cell.domain, j);
      });
      return Int32Array.from(data.units, (unit) =>
        dimension === null ? (cellOf.values().next().value ?? -1) : (cellOf.get(unit.labels[dimension]) ?? -1),
      );
    });
    byUniverse.set(universe, (tables = { units, tableOf, place, sizes }));
  }
  return tables;
}

/** The items of each cell of the universe (and those of them who saw the question), in item order. */
function membersOf(universe: readonly CellSpec[], items: Items, data: CalibrationData) {
  const tables = unitCells(data, universe).units;
  // Counted first, then filled in item order: each item lies in one cell of every table.
  const all = new Int32Array(universe.length);
  const seen = new Int32Array(universe.length);
  for (const cellOf of tables)
    for (let i = 0; i < items.length; i++) {
      const j = cellOf[items.unit[i]];
      if (j < 0) continue;
      all[j]++;
      if (items.shown[i]) seen[j]++;
    }
  const members = universe.map((_, j) => ({ all: new Int32Array(all[j]), seen: new Int32Array(seen[j]) }));
  all.fill(0);
  seen.fill(0);
  for (const cellOf of tables)
    for (let i = 0; i < items.length; i++) {
      const j = cellOf[items.unit[i]];
      if (j < 0) continue;
      members[j].all[all[j]++] = i;
      if (items.shown[i]) members[j].seen[seen[j]++] = i;
    }
  return members;
}

/** Each unit's stratum as a number, and the strata by number: made once per report. */
const strataOf = new WeakMap<CalibrationData, { stratum: Int32Array; names: string[] }>();

/** The strata the units cover (a question's item respondents: thousands of units, a dozen strata). */
function coveredStrata(data: CalibrationData, units: Int32Array): Set<string> {
  let known = strataOf.get(data);
  if (!known) {
    const number = new Map<string, number>();
    const stratum = Int32Array.from(data.units, (u) => {
      if (!number.has(u.stratum)) number.set(u.stratum, number.size);
      return number.get(u.stratum) as number;
    });
    strataOf.set(data, (known = { stratum, names: [...number.keys()] }));
  }
  const seen = new Uint8Array(known.names.length);
  for (let k = 0; k < units.length; k++) seen[known.stratum[units[k]]] = 1;
  return new Set(known.names.filter((_, h) => seen[h] === 1));
}

/** The frame totals over the strata the question's respondents cover. */
function populationOf(
  atoms: readonly FrameGroup[],
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
      const label = a.labels[v as keyof FrameGroup['labels']];
      counts[v][label] = (counts[v][label] ?? 0) + a.N;
    }
    for (const v of numeric) totals[v] += a.X[v] ?? 0;
  }
  return {
    strata: [...strata.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([stratum, N]) => ({ stratum, N })),
    counts,
    totals,
  };
}

/**
 * The variance sums of a question's cells for one variable y (varianceFromSums
 * gives each cell's total or mean its variance from them), made per table when a
 * cell of it is first needed: one pass over the items who saw the question gives
 * every cell of the table. The whole branch adds up the cells of a table the view
 * shows where they cover every item; otherwise it makes its own pass.
 */
function cellVarianceSums(
  cal: Calibration,
  items: Items,
  tables: CellTables,
  shownCells: readonly boolean[],
  wholeCell: number,
  seen: Int32Array,
  y: Float64Array,
): (j: number) => VarianceSums {
  const byTable = new Map<number, VarianceSums[]>();
  const tableSums = (t: number) => {
    let sums = byTable.get(t);
    if (!sums) {
      const units = tables.units[t];
      const cellOf = (i: number) => {
        const j = units[items.unit[i]];
        return j < 0 ? -1 : tables.place[j];
      };
      byTable.set(t, (sums = varianceSumsByCell(cal, seen, y, cellOf, tables.sizes[t])));
    }
    return sums;
  };
  let whole: VarianceSums | null = null;
  const wholeSums = (t: number) => {
    for (let other = 0; other < tables.sizes.length && !whole; other++) {
      if (other === t || !(byTable.has(other) || tables.tableOf.some((u, j) => u === other && shownCells[j]))) continue;
      const sum = addVarianceSums(cal, tableSums(other));
      if (sum.n === seen.length) whole = sum;
    }
    whole ??= tableSums(t)[0];
    return whole;
  };
  return (j) => (j === wholeCell ? wholeSums(tables.tableOf[j]) : tableSums(tables.tableOf[j])[tables.place[j]]);
}

/**
 * The preparation of calibrating to a population, shared by the questions that
 * calibrate to it (all of a report's questions but those with another auxiliary
 * or fewer strata): made once per report, population and numeric variables.
 */
const preparations = new WeakMap<CalibrationData, Map<string, PreparedCalibration | null>>();
function preparedFor(
  data: CalibrationData,
  numeric: readonly string[],
  population: CalibrationPopulation,
  unitOf: (index: number) => CalibrationUnit,
): PreparedCalibration | null {
  let byPopulation = preparations.get(data);
  if (!byPopulation) preparations.set(data, (byPopulation = new Map()));
  const key = JSON.stringify([numeric, population]);
  if (!byPopulation.has(key))
    byPopulation.set(
      key,
      prepareCalibration(
        Array.from({ length: data.units.length }, (_, i) => unitOf(i)),
        population,
      ),
    );
  return byPopulation.get(key) ?? null;
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
  shownCells: readonly boolean[],
  q: PlannedQuestion,
  estimated: Estimated[][],
  notes: ReportNote[],
): Estimated[][] {
  const items = itemsOf(q, data);
  if (items.length === 0) return estimated;
  const numeric = [...new Set([...spec.numeric, ...(q.aux ? [q.aux] : [])])];
  const covered = coveredStrata(data, items.unit);
  const population = populationOf(data.atoms, covered, spec, numeric);
  const unitOf = calibrationUnits(data, spec, numeric);
  const units = Array.from(items.unit, unitOf);
  const prepared = spec.method === 'linear' ? preparedFor(data, numeric, population, unitOf) : null;
  const calibrated = prepared
    ? calibrateSubset(prepared, units, items.unit, spec.method)
    : calibrate(units, population, spec.method);
  if (!('weights' in calibrated)) {
    notes.push({ kind: 'calibration_failed', question: q.question.key, failure: calibrated });
    return estimated;
  }
  const shown = items.shown;
  const variables: { y: Float64Array; statistic: 'total' | 'mean' | 'proportion' }[] =
    q.kind === 'numeric'
      ? q.statistics.map((s) => ({ y: items.y, statistic: s === 'total' ? 'total' : 'mean' }))
      : q.categories.map((category) => ({
          y: Float64Array.from(items.choices!, (chosen, i) => (shown[i] && chosen?.includes(category) ? 1 : 0)),
          statistic: 'proportion',
        }));
  // The items of each cell (and those of it who saw the question), found once for all statistics.
  const members = membersOf(universe, items, data);
  const wholeCell = universe.findIndex((cell) => cell.dimension === null);
  const tables = unitCells(data, universe);
  // A numeric question's total and mean share y, and so their variance sums.
  const sumsByVariable = new Map<Float64Array, (j: number) => VarianceSums>();
  return estimated.map((cells, k) => {
    const { y, statistic } = variables[k];
    let sumsOf = sumsByVariable.get(y);
    if (!sumsOf)
      sumsByVariable.set(
        y,
        (sumsOf = cellVarianceSums(
          calibrated,
          items,
          tables,
          shownCells,
          wholeCell,
          members[wholeCell]?.seen ?? new Int32Array(),
          y,
        )),
      );
    const cellSums = sumsOf;
    // The parts of every cell, for the whole branch's weights below.
    const partUnits = new Set<number>();
    let wholeScale: number | null = null;
    const out = cells.map((e, j): Estimated => {
      if (e.estimate === null) return e;
      const idx = statistic === 'total' ? members[j].all : members[j].seen;
      const r = statistic === 'total' ? domainTotal(calibrated, idx, y) : domainMeanOf(calibrated, idx, y);
      if (r === null) return { ...e, estimate: null };
      // What protection looks at: each contributing respondent with its own weight in this estimate.
      const { kept, top } = contributionsOf(members[j].seen, y, calibrated.weights, r.scale, Math.max(minCell, 2));
      if (universe[j].dimension === null) wholeScale = r.scale;
      for (const i of kept) partUnits.add(i);
      return {
        ...e,
        method: 'calibrated',
        auxiliary: q.aux,
        // The SE only when read: a cell the view does not show only lends its estimate to protection.
        estimate: withLazyInterval(
          r.estimate,
          () =>
            Math.sqrt(
              statistic === 'total'
                ? varianceFromSums(calibrated, cellSums(j))
                : varianceFromSums(calibrated, cellSums(j), r.estimate, r.scale),
            ),
          e.estimate.n,
          e.estimate.N,
        ),
        facts: { ...e.facts, top, total: Math.abs(r.estimate) },
        // Each respondent is its own part: its weight is its own, not its stratum's.
        parts: kept.map((i) => ({ stratum: `#${i}`, sy: y[i], top: [Math.abs(y[i]), 0] })),
        weights: new Map<string, number>(),
      };
    });
    // Only the whole branch's weights are looked up (for its cover), and only for the parts of the other cells.
    const whole = out.find((c, j) => universe[j].dimension === null && c.estimate !== null);
    if (whole && wholeScale !== null)
      for (const i of partUnits)
        if (shown[i] && y[i] !== 0) whole.weights.set(`#${i}`, calibrated.weights[i] * wholeScale);
    return out;
  });
}
