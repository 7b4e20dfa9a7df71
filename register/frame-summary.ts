// What a dry run shows before anything is written: counts, exact money totals
// per type and per province, the first rows, ignored columns, and the errors
// (the first MAX_KEPT_ERRORS of them plus the total count, so a file that is
// wrong on every line cannot exhaust memory).
import type { Delimiter } from '../foundation/csv/csv-records';
import type { Encoding } from '../foundation/csv/decode-csv-bytes';
import type { FrameError } from './frame-error';
import type { AmbiguousValue, FrameRow } from './frame-row';

export const MAX_KEPT_ERRORS = 1000;
export const MAX_KEPT_AMBIGUOUS = 20;

export interface GroupTotals {
  organisations: number;
  members: number;
  students: number;
  /** Exact decimal text. */
  turnover_eur: string;
  /** Exact decimal text. */
  subsidy_eur: string;
}

export interface FrameSummary {
  encoding: Encoding | null;
  delimiter: Delimiter | null;
  /** Valid rows (organisations). */
  rows: number;
  members: number;
  students: number;
  turnover_eur: string;
  subsidy_eur: string;
  byType: Record<string, GroupTotals>;
  byProvince: Record<string, GroupTotals>;
  firstRows: FrameRow[];
  ignoredColumns: string[];
  /** The first MAX_KEPT_ERRORS errors, in file order. */
  errors: FrameError[];
  /** All errors, also those beyond the kept list. Import only when 0. */
  errorCount: number;
  /** Values read the Dutch way that could have been meant otherwise ("1.234" read as 1234): worth a look in the preview. */
  ambiguous: AmbiguousValue[];
  ambiguousCount: number;
  /** Ids of the valid rows (the preview compares them with the previous year). */
  orgIds: Set<string>;
}

export function emptySummary(): FrameSummary {
  return {
    encoding: null,
    delimiter: null,
    rows: 0,
    members: 0,
    students: 0,
    turnover_eur: '0',
    subsidy_eur: '0',
    byType: {},
    byProvince: {},
    firstRows: [],
    ignoredColumns: [],
    errors: [],
    errorCount: 0,
    ambiguous: [],
    ambiguousCount: 0,
    orgIds: new Set(),
  };
}

/** A decimal text with at most two decimals (money) → cents, exactly. */
export function toCents(text: string | null): bigint {
  if (!text) return 0n;
  const point = text.indexOf('.');
  if (point < 0) return BigInt(text) * 100n;
  const negative = text.startsWith('-');
  const whole = text.slice(negative ? 1 : 0, point);
  const value = BigInt(whole) * 100n + BigInt(`${text.slice(point + 1)}00`.slice(0, 2));
  return negative ? -value : value;
}

/** Cents → the shortest exact decimal text ("1363000", "149450.5"). */
export function centsToText(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const text = `${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`.replace(/\.?0+$/, '');
  return negative ? `-${text}` : text;
}

interface MoneySums {
  turnover: bigint;
  subsidy: bigint;
}

/** Collects a summary while rows stream past; money is summed in cents (bigint) so totals are exact. */
export class FrameSummaryBuilder {
  readonly summary: FrameSummary = emptySummary();
  private readonly money = new Map<Record<string, GroupTotals> | null, Map<string, MoneySums>>();

  constructor(private readonly firstRowsKept = 10) {}

  addError(error: FrameError): void {
    this.summary.errorCount++;
    if (this.summary.errors.length < MAX_KEPT_ERRORS) this.summary.errors.push(error);
  }

  addAmbiguous(values: readonly AmbiguousValue[]): void {
    for (const value of values) {
      this.summary.ambiguousCount++;
      if (this.summary.ambiguous.length < MAX_KEPT_AMBIGUOUS) this.summary.ambiguous.push(value);
    }
  }

  addRow(row: FrameRow): void {
    const s = this.summary;
    s.rows++;
    if (row.member) s.members++;
    s.students += row.students ?? 0;
    s.orgIds.add(row.org_id);
    if (s.firstRows.length < this.firstRowsKept) s.firstRows.push(row);
    const turnover = toCents(row.turnover_eur);
    const subsidy = toCents(row.subsidy_eur);
    this.addMoney(null, '', turnover, subsidy);
    for (const [groups, key] of [
      [s.byType, row.org_type],
      [s.byProvince, row.province],
    ] as const) {
      const totals = (groups[key] ??= {
        organisations: 0,
        members: 0,
        students: 0,
        turnover_eur: '0',
        subsidy_eur: '0',
      });
      totals.organisations++;
      if (row.member) totals.members++;
      totals.students += row.students ?? 0;
      this.addMoney(groups, key, turnover, subsidy);
    }
  }

  private addMoney(groups: Record<string, GroupTotals> | null, key: string, turnover: bigint, subsidy: bigint): void {
    let sums = this.money.get(groups);
    if (!sums) this.money.set(groups, (sums = new Map()));
    const current = sums.get(key);
    if (current) {
      current.turnover += turnover;
      current.subsidy += subsidy;
    } else sums.set(key, { turnover, subsidy });
  }

  /** Write the exact money totals into the summary and return it. */
  finish(): FrameSummary {
    for (const [groups, sums] of this.money) {
      for (const [key, { turnover, subsidy }] of sums) {
        const target = groups ? groups[key] : this.summary;
        target.turnover_eur = centsToText(turnover);
        target.subsidy_eur = centsToText(subsidy);
      }
    }
    return this.summary;
  }
}
