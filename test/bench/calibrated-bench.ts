// npm run bench, the calibrated report (README "Calibration"): the bench wave of
// bench-data.ts (20 000 organisations, 12 000 responses, 40 questions, weighted by
// type × size class) calibrated to the frame's provinces and membership and its
// students total, timed as the complete report model. Called once from run.ts.
import { sql } from 'kysely';
import { buildReport } from '../../analysis/report/report';
import { postgresHandle } from '../../foundation/db/database';
import { migrateToLatest } from '../../foundation/db/migrate';
import { seedBench } from './bench-data';

export async function benchCalibratedReport(
  freshDatabase: (name: string) => Promise<string>,
  print: (name: string, value: number, unit: string) => void,
): Promise<void> {
  const handle = postgresHandle(await freshDatabase('calibrated'));
  try {
    await migrateToLatest(handle.db);
    await seedBench(handle, { orgs: 20_000, responses: 12_000, seed: 8 });
    // The bench wave, calibrated as a wave created with --calibrate would be.
    await handle.db
      .updateTable('waves')
      .set({ calibration: 'province,member,students', calibration_method: 'linear' })
      .where('slug', '=', 'bench')
      .execute();
    await sql`analyze`.execute(handle.db);
    // The seeding's writes flushed now, not by a checkpoint in the middle of a timed report.
    await sql`checkpoint`.execute(handle.db);
    await buildReport(handle.db, { wave: 'bench', stratify: ['org_type'] });
    // The median of five timed runs, as for report_seconds.
    const times: number[] = [];
    for (let run = 0; run < 5; run++) {
      const start = process.hrtime.bigint();
      const report = await buildReport(handle.db, { wave: 'bench', stratify: ['org_type'] });
      times.push(Number(process.hrtime.bigint() - start) / 1e9);
      if (!report.estimates.some((e) => e.method === 'calibrated'))
        throw new Error('the bench wave was not calibrated');
    }
    print('report_calibrated_seconds', times.sort((a, b) => a - b)[2], 's');
  } finally {
    await handle.close();
  }
}

// Run on its own: BENCH_DATABASE_URL=… npx tsx test/bench/calibrated-bench.ts
if (process.argv[1]?.endsWith('calibrated-bench.ts')) {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) process.exit(0);
  const pg = (await import('pg')).default;
  const fresh = async (name: string) => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    return u.toString();
  };
  await benchCalibratedReport(fresh, (name, value, unit) =>
    console.log(`${name} ${Number(value.toPrecision(4))} ${unit}`),
  );
}
