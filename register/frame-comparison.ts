// Two reference years of the population frame side by side (the staff's
// "vergelijking"): organisations that came, went, or changed a field. The
// comparison itself (compareFrameYears) is pure; compareYears reads the two years.
import type { Kysely, Selectable } from 'kysely';
import type { Database, FrameUnitsTable } from '../foundation/db/schema';
import { AUX_VARIABLES } from './frame-columns';
import { frameUnitsOfYear } from './frame-repository';

export interface YearComparison {
  from: number;
  to: number;
  added: { org_id: string; name: string; org_type: string; province: string }[];
  disappeared: { org_id: string; name: string; org_type: string; province: string }[];
  changed: {
    org_id: string;
    name: string;
    changes: { field: string; before: string | null; after: string | null }[];
  }[];
}

/** The fields a change is reported of, in this order. */
const COMPARED_FIELDS = ['name', 'org_type', 'province', 'municipality', 'member', ...AUX_VARIABLES] as const;

type FrameUnit = Pick<Selectable<FrameUnitsTable>, 'org_id' | (typeof COMPARED_FIELDS)[number]>;

/** One reference year's units. */
export interface FrameYear {
  year: number;
  units: readonly FrameUnit[];
}

/** New, disappeared and changed organisations from year `a` to year `b`, in the order of their units. */
export function compareFrameYears(a: FrameYear, b: FrameYear): YearComparison {
  const before = new Map(a.units.map((u) => [u.org_id, u]));
  const after = new Map(b.units.map((u) => [u.org_id, u]));
  const pick = (u: FrameUnit) => ({ org_id: u.org_id, name: u.name, org_type: u.org_type, province: u.province });
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const changed: YearComparison['changed'] = [];
  for (const [orgId, now] of after) {
    const then = before.get(orgId);
    if (!then) continue;
    const changes = COMPARED_FIELDS.filter((f) => text(then[f]) !== text(now[f])).map((f) => ({
      field: f,
      before: text(then[f]),
      after: text(now[f]),
    }));
    if (changes.length) changed.push({ org_id: orgId, name: now.name, changes });
  }
  return {
    from: a.year,
    to: b.year,
    added: b.units.filter((u) => !before.has(u.org_id)).map(pick),
    disappeared: a.units.filter((u) => !after.has(u.org_id)).map(pick),
    changed,
  };
}

/** New, disappeared and changed organisations between two reference years in the database. */
export async function compareYears(db: Kysely<Database>, from: number, to: number): Promise<YearComparison> {
  const [a, b] = await Promise.all([frameUnitsOfYear(db, from), frameUnitsOfYear(db, to)]);
  return compareFrameYears({ year: from, units: a }, { year: to, units: b });
}
