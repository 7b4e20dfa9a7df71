// Free-text answers leave the tool only when the respondent consented to
// publication (the question's publish_consent) and staff approved the text
// (DESIGN 6). Published without the organisation's name; always escaped.
import { type Kysely, sql } from 'kysely';
import { recordAudit } from '../foundation/audit/audit-log';
import type { Database, User } from '../foundation/db/schema';
import { allQuestions } from './definition-schema';
import { storedDefinition } from './definitions';

type Db = Kysely<Database>;

export interface TextCandidate {
  response_id: number;
  question_key: string;
  wave_name: string;
  wave_slug: string;
  org_type: string | null;
  text: string;
  status: 'pending' | 'approved' | 'rejected';
  changed_since_review: boolean;
}

/** Consented texts of submitted responses, with their moderation state. */
export async function consentedTexts(db: Db): Promise<TextCandidate[]> {
  const definitions = await db.selectFrom('survey_definitions').select(['id', 'definition']).execute();
  const pairs = definitions.flatMap((d) =>
    allQuestions(storedDefinition(d))
      .filter((q) => q.type === 'text' && q.publish_consent)
      .map((q) => ({ survey: d.id, text: q.key, consent: q.publish_consent! })),
  );
  const out: TextCandidate[] = [];
  for (const p of pairs) {
    const rows = await sql<{
      response_id: number;
      wave_name: string;
      wave_slug: string;
      org_type: string | null;
      text: string;
      status: 'approved' | 'rejected' | null;
      reviewed_text: string | null;
    }>`
      select r.id as response_id, w.name as wave_name, w.slug as wave_slug, f.org_type, t.value_text as text, v.status, v.reviewed_text
      from responses r
      join waves w on w.id = r.wave_id and w.survey_id = ${p.survey}
      join answers t on t.response_id = r.id and t.question_key = ${p.text} and not t.hidden and t.value_text is not null
      join answers c on c.response_id = r.id and c.question_key = ${p.consent} and c.value_bool
      left join frame_units f on f.org_id = r.org_id and f.year = w.frame_year
      left join text_reviews v on v.response_id = r.id and v.question_key = ${p.text}
      where r.status = 'submitted'
      order by r.submitted_at desc`.execute(db);
    for (const r of rows.rows) {
      const changed = r.reviewed_text !== null && r.reviewed_text !== r.text;
      out.push({
        response_id: r.response_id,
        question_key: p.text,
        wave_name: r.wave_name,
        wave_slug: r.wave_slug,
        org_type: r.org_type,
        text: r.text,
        status: changed || !r.status ? 'pending' : r.status,
        changed_since_review: changed,
      });
    }
  }
  return out;
}

export async function reviewText(
  db: Db,
  args: { responseId: number; questionKey: string; approve: boolean; actor: User },
): Promise<void> {
  const candidate = (await consentedTexts(db)).find(
    (c) => c.response_id === args.responseId && c.question_key === args.questionKey,
  );
  if (!candidate) throw new Error('not_found');
  const status = args.approve ? 'approved' : 'rejected';
  await db
    .insertInto('text_reviews')
    .values({
      response_id: args.responseId,
      question_key: args.questionKey,
      status,
      reviewed_text: candidate.text,
      decided_by: args.actor.id,
    })
    .onConflict((oc) =>
      oc
        .columns(['response_id', 'question_key'])
        .doUpdateSet({ status, reviewed_text: candidate.text, decided_by: args.actor.id, decided_at: new Date() }),
    )
    .execute();
  await recordAudit(db, {
    actorUserId: args.actor.id,
    action: `text.${status}`,
    entity: 'response',
    entityId: args.responseId,
    details: { question: args.questionKey },
  });
}

/** What the public page shows: approved texts whose answer has not changed since. */
export async function publishedTexts(db: Db) {
  return (await consentedTexts(db)).filter((c) => c.status === 'approved');
}
