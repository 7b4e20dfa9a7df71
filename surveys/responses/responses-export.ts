// The staff export of a wave: one row per response with organisation id, name,
// status and every answer (DESIGN 4.2). Text cells that look like formulas are
// neutralised by the CSV writer.
import { type Kysely, sql } from 'kysely';
import { type CsvCell, type CsvFlavour, toCsv } from '../../foundation/csv/csv';
import type { Database } from '../../foundation/db/schema';
import { csvValue } from '../answers/format-answers';
import { allQuestions } from '../definition-schema';
import type { WaveWithDefinition } from './responses';
import type { StoredAnswer } from './responses-repository';

export async function exportResponses(
  db: Kysely<Database>,
  target: WaveWithDefinition,
  flavour: CsvFlavour,
): Promise<string> {
  const questions = allQuestions(target.definition);
  const responses = await db
    .selectFrom('responses as r')
    .leftJoin('organisations as o', 'o.org_id', 'r.org_id')
    .select(['r.id', 'r.org_id', 'o.name', 'r.status', 'r.source', 'r.submitted_at', 'r.updated_at'])
    .where('r.wave_id', '=', target.wave.id)
    .orderBy('r.org_id')
    .execute();
  const answers = await db
    .selectFrom('answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .select([
      'a.response_id',
      'a.question_key',
      'a.hidden',
      sql<string | null>`a.value_num::text`.as('value_num'),
      'a.value_text',
      'a.value_bool',
      'a.value_choices',
    ])
    .where('r.wave_id', '=', target.wave.id)
    .execute();
  const byResponse = new Map<number, Map<string, StoredAnswer>>();
  for (const a of answers) {
    const map = byResponse.get(a.response_id) ?? new Map<string, StoredAnswer>();
    map.set(a.question_key, {
      ...a,
      value_num:
        a.value_num === null
          ? null
          : a.value_num.includes('.')
            ? a.value_num.replace(/0+$/, '').replace(/\.$/, '')
            : a.value_num,
    });
    byResponse.set(a.response_id, map);
  }
  const header = ['org_id', 'name', 'status', 'source', 'submitted_at', ...questions.map((q) => q.key)];
  const rows: CsvCell[][] = responses.map((r) => {
    const map = byResponse.get(r.id) ?? new Map();
    return [
      r.org_id,
      r.name,
      r.status,
      r.source,
      r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
      ...questions.map((q) => csvValue(q, map.get(q.key))),
    ];
  });
  return toCsv(header, rows, flavour);
}
