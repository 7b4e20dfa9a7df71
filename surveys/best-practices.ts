// Free-text answers leave the tool only when the respondent consented to
// publication (the question's publish_consent) and staff approved the text
// (README "Protection"). Published without the organisation's name; always escaped.
import type { Kysely } from 'kysely';
import { recordAudit } from '../foundation/audit/audit-log';
import type { Database, User } from '../foundation/db/schema';
import * as repo from './best-practices-repository';
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

/** A review decision named a text that is not (or no longer) a consented text of a submitted response. */
export class TextNotFoundError extends Error {
  constructor() {
    super('not_found');
    this.name = 'TextNotFoundError';
  }
}

/** Consented texts of submitted responses, with their moderation state. */
export async function consentedTexts(db: Db): Promise<TextCandidate[]> {
  const definitions = await repo.allDefinitions(db);
  const pairs = definitions.flatMap((d) =>
    allQuestions(storedDefinition(d))
      .filter((q) => q.type === 'text' && q.publish_consent)
      .map((q) => ({ survey: d.id, text: q.key, consent: q.publish_consent! })),
  );
  const rows = await repo.consentedTextRows(db, pairs);
  return rows.map((r) => {
    const changed = r.reviewed_text !== null && r.reviewed_text !== r.text;
    return {
      response_id: r.response_id,
      question_key: pairs[r.pair]!.text,
      wave_name: r.wave_name,
      wave_slug: r.wave_slug,
      org_type: r.org_type,
      text: r.text,
      status: changed || !r.status ? 'pending' : r.status,
      changed_since_review: changed,
    };
  });
}

/** Staff approve or reject one consented text; throws TextNotFoundError when there is no such text. */
export async function reviewText(
  db: Db,
  args: { responseId: number; questionKey: string; approve: boolean; actor: User },
): Promise<void> {
  const candidate = (await consentedTexts(db)).find(
    (c) => c.response_id === args.responseId && c.question_key === args.questionKey,
  );
  if (!candidate) throw new TextNotFoundError();
  const status = args.approve ? 'approved' : 'rejected';
  await repo.upsertTextReview(db, {
    responseId: args.responseId,
    questionKey: args.questionKey,
    status,
    reviewedText: candidate.text,
    decidedBy: args.actor.id,
  });
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
