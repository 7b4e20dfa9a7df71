// The SQL of the response's representativeness (response-representativeness.ts):
// frame units and submitted responses per group of the frame.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../foundation/db/schema';
import type { WaveRow } from '../surveys/waves/waves-repository';
import { REPORT_VARIABLES, type ReportVariable } from './report/report-model';
import { labelExpression } from './report/report-repository';

type Db = Kysely<Database>;

/** Frame units and submitted responses per type × province × size class × membership, with the design stratum. */
export async function propensityCounts(db: Db, wave: WaveRow, weighting: readonly ReportVariable[]) {
  const rows = await sql<Record<string, string | number>>`
    select ${labelExpression(weighting)} as stratum,
      ${sql.join(REPORT_VARIABLES.map((v) => sql`${labelExpression([v])} as ${sql.ref(`v_${v}`)}`))},
      count(*)::int as n_frame, count(r.id)::int as n_submitted
    from frame_units f
    left join responses r on r.org_id = f.org_id and r.wave_id = ${wave.id} and r.status = 'submitted'
    where f.year = ${wave.frame_year}
    group by 1, 2, 3, 4, 5`.execute(db);
  return rows.rows.map((r) => ({
    stratum: String(r.stratum),
    labels: Object.fromEntries(REPORT_VARIABLES.map((v) => [v, String(r[`v_${v}`])])),
    N: Number(r.n_frame),
    n: Number(r.n_submitted),
  }));
}
