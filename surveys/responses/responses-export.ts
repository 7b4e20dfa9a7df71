// The staff export of a wave: one row per response with organisation id, name,
// status and every answer (README "Responses CSV"), in two flavours:
// * `csv`, the analysts' file: the layout the responses import reads (question
//   keys, option codes, `|` between choices, `ja`/`nee`), the submission time in
//   ISO 8601 UTC. Its layout is a contract; it does not change.
// * `csv-nl`, "Excel (NL)", for reading: Dutch column names (the questions' Dutch
//   texts), the status and source in Dutch, the submission time in Amsterdam time
//   as dd-mm-jjjj uu:mm, option labels instead of codes, numbers with a decimal
//   comma that Excel reads as numbers.
// Text cells that look like formulas are neutralised by the CSV writer.
import type { Kysely } from 'kysely';
import { type CsvCell, type CsvFlavour, toCsv } from '../../foundation/csv/csv';
import type { Database } from '../../foundation/db/schema';
import { formatSpreadsheetDate } from '../../foundation/numbers/format-dutch';
import { t } from '../../views/i18n/index';
import { csvValue } from '../answers/format-answers';
import { allQuestions, type Question } from '../definition-schema';
import type { WaveWithDefinition } from './responses';
import type { StoredAnswer } from './responses-repository';
import * as repo from './responses-repository';

type ExportedResponse = Awaited<ReturnType<typeof repo.listResponsesOfWave>>[number];

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
  return flavour === 'csv-nl'
    ? readableCsv(questions, responses, byResponse)
    : analystCsv(questions, responses, byResponse);
}

function analystCsv(
  questions: Question[],
  responses: ExportedResponse[],
  byResponse: Map<number, Map<string, StoredAnswer>>,
): string {
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
  return toCsv(header, rows, 'csv');
}

/**
 * The column names of the Excel (NL) file: the fixed columns, then each question's
 * Dutch text; a text that two questions share gets the question's key after it.
 */
export function readableHeader(questions: Question[]): string[] {
  const fixed = ['org_id', 'name', 'status', 'source', 'submitted_at'].map((c) => t('nl', `responses.export.${c}`));
  const counts = new Map<string, number>();
  for (const q of questions) counts.set(q.label.nl.trim(), (counts.get(q.label.nl.trim()) ?? 0) + 1);
  return [
    ...fixed,
    ...questions.map((q) => {
      const label = q.label.nl.trim();
      return counts.get(label)! > 1 || fixed.includes(label) ? `${label} (${q.key})` : label;
    }),
  ];
}

/** One answer as a Dutch reader wants it: a number stays a number, yes/no in Dutch, option labels. Pure. */
export function readableValue(q: Question, answer: StoredAnswer | undefined): CsvCell {
  if (!answer || answer.hidden) return null;
  const label = (value: string) => q.options?.find((o) => o.value === value)?.label.nl ?? value;
  switch (q.type) {
    case 'integer':
    case 'number':
    case 'percentage':
    case 'currency':
      return answer.value_num === null ? null : { decimal: answer.value_num };
    case 'boolean':
      return answer.value_bool === null
        ? null
        : t('nl', answer.value_bool ? 'survey.form.yes' : 'survey.form.no').toLowerCase();
    case 'single_choice':
      return answer.value_text === null ? null : label(answer.value_text);
    case 'multi_choice':
      return (answer.value_choices ?? []).map(label).join('; ');
    default:
      return answer.value_text;
  }
}

function readableCsv(
  questions: Question[],
  responses: ExportedResponse[],
  byResponse: Map<number, Map<string, StoredAnswer>>,
): string {
  const rows: CsvCell[][] = responses.map((r) => {
    const map = byResponse.get(r.id) ?? new Map();
    return [
      r.org_id,
      r.name,
      t('nl', `responses.export.status.${r.status}`),
      t('nl', `responses.export.source.${r.source}`),
      r.submitted_at ? formatSpreadsheetDate(r.submitted_at, true) : null,
      ...questions.map((q) => readableValue(q, map.get(q.key))),
    ];
  });
  return toCsv(readableHeader(questions), rows, 'csv-nl');
}
