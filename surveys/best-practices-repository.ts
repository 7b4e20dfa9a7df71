// All SQL of the moderation of free-text answers: the consented texts of
// submitted responses with their review, and the review decisions.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../foundation/db/schema';

type Db = Kysely<Database>;

/** Every questionnaire version's definition, in the order they were stored. */
export function allDefinitions(db: Db) {
  return db.selectFrom('survey_definitions').select(['id', 'definition']).orderBy('id').execute();
}

/** A free-text question of a questionnaire version and the yes/no question that consents to its publication. */
export interface ConsentPair {
  survey: number;
  text: string;
  consent: string;
}

export interface ConsentedTextRow {
  pair: number;
  response_id: number;
  wave_name: string;
  wave_slug: string;
  org_type: string | null;
  text: string;
  status: 'approved' | 'rejected' | null;
  reviewed_text: string | null;
}

/**
 * In one query: for each pair, the submitted responses whose text is visible and
 * whose consent is yes, with the last review of that text; by pair (its index
 * in `pairs`), then newest submission first.
 */
export async function consentedTextRows(db: Db, pairs: ConsentPair[]): Promise<ConsentedTextRow[]> {
  if (pairs.length === 0) return [];
  const values = sql.join(pairs.map((p, i) => sql`(${i}::int, ${p.survey}::int, ${p.text}::text, ${p.consent}::text)`));
  const rows = await sql<ConsentedTextRow>`
    select p.pair, r.id as response_id, w.name as wave_name, w.slug as wave_slug, f.org_type, t.value_text as text, v.status, v.reviewed_text
    from (values ${values}) as p(pair, survey_id, text_key, consent_key)
    join waves w on w.survey_id = p.survey_id
    join responses r on r.wave_id = w.id
    join answers t on t.response_id = r.id and t.question_key = p.text_key and not t.hidden and t.value_text is not null
    join answers c on c.response_id = r.id and c.question_key = p.consent_key and c.value_bool
    left join frame_units f on f.org_id = r.org_id and f.year = w.frame_year
    left join text_reviews v on v.response_id = r.id and v.question_key = p.text_key
    where r.status = 'submitted'
    order by p.pair, r.submitted_at desc`.execute(db);
  return rows.rows.map((r) => ({ ...r, pair: Number(r.pair), response_id: Number(r.response_id) }));
}

/** Records (or replaces) staff's decision on one text, with the text it was made on. */
export async function upsertTextReview(
  db: Db,
  args: {
    responseId: number;
    questionKey: string;
    status: 'approved' | 'rejected';
    reviewedText: string;
    decidedBy: number;
  },
): Promise<void> {
  await db
    .insertInto('text_reviews')
    .values({
      response_id: args.responseId,
      question_key: args.questionKey,
      status: args.status,
      reviewed_text: args.reviewedText,
      decided_by: args.decidedBy,
    })
    .onConflict((oc) =>
      oc.columns(['response_id', 'question_key']).doUpdateSet({
        status: args.status,
        reviewed_text: args.reviewedText,
        decided_by: args.decidedBy,
        decided_at: new Date(),
      }),
    )
    .execute();
}
