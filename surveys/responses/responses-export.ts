// The staff export of a wave: one row per response with organisation id, name,
// status and every answer (README "Command line"). Text cells that look like formulas are
// neutralised by the CSV writer.
import type { Kysely } from 'kysely';
import { type CsvCell, type CsvFlavour, toCsv } from '../../foundation/csv/csv';
import type { Database } from '../../foundation/db/schema';
import { csvValue } from '../answers/format-answers';
import { allQuestions } from '../definition-schema';
import type { WaveWithDefinition } from './responses';
import type { StoredAnswer } from './responses-repository';
import * as repo from './responses-repository';

export async function exportResponses(
  db: Kysely<Database>,
  target: WaveWithDefinition,
  flavour: CsvFlavour,
): Promise<string> {
  const questions = allQuestions(target.definition);
  const [responses, answers] = await Promise.all([
    repo.listResponsesOfWave(db, target.wave.id),
    repo.listAnswersOfWave(db, target.wave.id),
  ]);
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
