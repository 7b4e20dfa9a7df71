// SQL of the branch in figures: the frame year's units summed per atom (type ×
// province × size class), and the frame years there are.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../foundation/db/schema';
import type { AuxVariable } from './frame-columns';

type Db = Kysely<Database>;

/** The frame units of one combination of type, province and size class, with their sums per measure. */
export interface BranchAtom {
  labels: Record<string, string>;
  n: number;
  members: number;
  /** Per measure: Σ of the organisations' keys for that measure and value (the cell-key sums). */
  sums: Record<AuxVariable, { count: number; sum: number; squares: number; top: [number, number]; keys: number }>;
}

/**
 * Per atom of the frame year: organisations, members and, per measure, count, sum,
 * squares, the two largest and Σ keys. An organisation's key for a measure comes
 * from its secret record key, the measure and the value (migration 0017), so a frame
 * year replaced with one value corrected gives that total new, unrelated noise.
 */
export async function branchAtoms(db: Db, year: number, measures: readonly AuxVariable[]): Promise<BranchAtom[]> {
  const columns = measures.map(
    (m) => sql`count(f.${sql.ref(m)})::int as ${sql.ref(`${m}_n`)},
      coalesce(sum(f.${sql.ref(m)}), 0)::text as ${sql.ref(`${m}_sum`)},
      coalesce(sum(f.${sql.ref(m)}::numeric * f.${sql.ref(m)}::numeric), 0)::text as ${sql.ref(`${m}_sq`)},
      (array_agg(f.${sql.ref(m)}::numeric order by f.${sql.ref(m)} desc nulls last))[1:2]::text[] as ${sql.ref(`${m}_top`)},
      sum(impactmonitor_key(o.record_key, ${m}, trim_scale(f.${sql.ref(m)}::numeric)::text))::text as ${sql.ref(`${m}_keys`)}`,
  );
  const rows = await sql<Record<string, unknown>>`
    select f.org_type, f.province, coalesce(f.size_class, '–') as size_class,
      count(*)::int as n, count(*) filter (where f.member)::int as members,
      ${sql.join(columns)}
    from frame_units f join organisations o on o.org_id = f.org_id
    where f.year = ${year}
    group by 1, 2, 3`.execute(db);
  return rows.rows.map((r) => ({
    labels: { org_type: String(r.org_type), province: String(r.province), size_class: String(r.size_class) },
    n: Number(r.n),
    members: Number(r.members),
    sums: Object.fromEntries(
      measures.map((m) => {
        const top = ((r[`${m}_top`] as (string | null)[] | null) ?? []).map((v) => (v === null ? 0 : Number(v)));
        return [
          m,
          {
            count: Number(r[`${m}_n`]),
            sum: Number(r[`${m}_sum`]),
            squares: Number(r[`${m}_sq`]),
            top: [top[0] ?? 0, top[1] ?? 0] as [number, number],
            keys: Number(r[`${m}_keys`]),
          },
        ];
      }),
    ) as BranchAtom['sums'],
  }));
}

/** The frame years there are, newest first. */
export async function frameYears(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('frame_units').select('year').distinct().orderBy('year', 'desc').execute();
  return rows.map((r) => r.year);
}
