// Seeded benchmark data at the sizes of BENCHMARKS.md: a frame of 20,000 organisations
// and 12,000 submitted responses to 40 numeric questions.

import { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../foundation/db/database';
import { demoFrameCsv, generateDemoFrame } from '../../register/demo-frame';
import { importFrame } from '../../register/frame-import';
import { Random } from '../../register/random';
import type { SurveyDefinition } from '../../surveys/definition-schema';
import { loadDefinition } from '../../surveys/definitions';
import { changeWaveStatus, createWave } from '../../surveys/waves/waves';

export const QUESTIONS = 40;

export function benchDefinition(): SurveyDefinition {
  const T = (s: string) => ({ nl: s, en: s });
  const questions = Array.from({ length: QUESTIONS }, (_, i) => {
    const key = `q${String(i + 1).padStart(2, '0')}`;
    // Every other question has an auxiliary variable (ratio estimator), the rest expansion.
    return {
      key,
      type: 'currency' as const,
      label: T(`Vraag ${i + 1}`),
      min: 0,
      ...(i % 2 === 0 ? { aux: 'turnover_eur' } : {}),
    };
  });
  return {
    key: 'bench',
    version: 1,
    title: T('Benchmark'),
    pages: [{ key: 'p1', title: T('Alles'), questions }],
  } as SurveyDefinition;
}

export async function seedBench(handle: DatabaseHandle, options: { orgs: number; responses: number; seed: number }) {
  const db = handle.db;
  const frame = generateDemoFrame({ orgs: options.orgs, seed: options.seed });
  const csv = Buffer.from([...demoFrameCsv(frame)].join(''));
  await importFrame(handle, {
    open: () => Readable.from([csv]),
    fileName: 'bench.csv',
    year: 2019,
    replace: false,
    actor: null,
    source: 'cli',
  });
  await loadDefinition(db, benchDefinition(), null);
  // Weighted by type × size class (BENCHMARKS.md); the report breaks down by type.
  await createWave(
    db,
    { surveyKey: 'bench', slug: 'bench', name: 'Benchmark', frameYear: 2019, weighting: 'org_type,size_class' },
    null,
  );
  await changeWaveStatus(db, 'bench', 'open', null);
  const wave = await db.selectFrom('waves').select('id').where('slug', '=', 'bench').executeTakeFirstOrThrow();
  const random = new Random(options.seed + 1);
  const chosen = frame.filter(() => random.chance(options.responses / options.orgs)).slice(0, options.responses);
  const ids = await db
    .insertInto('responses')
    .values(
      chosen.map((o) => ({
        wave_id: wave.id,
        org_id: o.org_id,
        status: 'submitted' as const,
        source: 'import' as const,
        submitted_at: new Date(),
      })),
    )
    .returning(['id', 'org_id'])
    .execute();
  const turnover = new Map(chosen.map((o) => [o.org_id, Number(o.turnover_eur)]));
  // Answers in batches, as arrays unnested by the database.
  const batch = { response: [] as number[], key: [] as string[], value: [] as string[] };
  const flush = async () => {
    if (!batch.response.length) return;
    await sql`insert into answers (response_id, question_key, value_num)
      select * from unnest(${batch.response}::int[], ${batch.key}::text[], ${batch.value}::numeric[])`.execute(db);
    batch.response = [];
    batch.key = [];
    batch.value = [];
  };
  for (const r of ids) {
    const base = turnover.get(r.org_id)! / 12;
    for (let q = 1; q <= QUESTIONS; q++) {
      if (random.chance(0.03)) continue; // item nonresponse
      batch.response.push(r.id);
      batch.key.push(`q${String(q).padStart(2, '0')}`);
      batch.value.push((base * random.uniform(0.05, 0.9)).toFixed(2));
    }
    if (batch.response.length > 20_000) await flush();
  }
  await flush();
  return { frame, responses: ids.length };
}
