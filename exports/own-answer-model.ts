// An organisation's own answers to one wave, as it reads them back: per page the
// questions it saw with its answer (questions hidden by an earlier answer are
// left out). The model of the read-only page, the PDF and the readable CSV; it is
// found by the wave's slug and the organisation of the logged-in member only, so
// there is no id of another organisation's response to ask for.
import type { Kysely } from 'kysely';
import { memberComparison } from '../analysis/comparison/member-comparison';
import { correctionsOf, type StoredCorrection } from '../analysis/editing/data-editing-repository';
import type { Database } from '../foundation/db/schema';
import { findOrganisation } from '../register/frame-repository';
import type { Page, Question, SurveyDefinition } from '../surveys/definition-schema';
import { responseOf, waveWithDefinition } from '../surveys/responses/responses';
import type { ResponseRow, StoredAnswer } from '../surveys/responses/responses-repository';
import { visibleQuestions } from '../surveys/visibility';
import type { WaveRow } from '../surveys/waves/waves-repository';

export interface OwnAnswers {
  organisation: { org_id: string; name: string };
  wave: WaveRow;
  definition: SurveyDefinition;
  response: ResponseRow;
  /** The questionnaire's pages with the questions the organisation saw; `answer` undefined = not answered. */
  pages: { page: Page; rows: { question: Question; answer: StoredAnswer | undefined }[] }[];
  /** Staff corrections of the answers, oldest first, each with its reason. */
  corrections?: StoredCorrection[];
}

/** The shape of the answers, without the database: visible questions only, pages without any left out. */
export function ownAnswerPages(definition: SurveyDefinition, answers: ReadonlyMap<string, StoredAnswer>) {
  const visible = visibleQuestions(definition, answers);
  return definition.pages
    .map((page) => ({
      page,
      rows: page.questions
        .filter((q) => visible.has(q.key) && !answers.get(q.key)?.hidden)
        .map((question) => ({ question, answer: answers.get(question.key) })),
    }))
    .filter((p) => p.rows.length > 0);
}

/**
 * The organisation's answers to the wave `slug`, or null when the wave is not
 * shown to members or the organisation has no response to it.
 */
export async function ownAnswers(db: Kysely<Database>, slug: string, orgId: string): Promise<OwnAnswers | null> {
  const found = await waveWithDefinition(db, slug);
  if (!found || found.wave.status === 'draft') return null;
  const { response, answers } = await responseOf(db, found.wave.id, orgId);
  if (!response) return null;
  const [organisationRow, corrections] = await Promise.all([
    findOrganisation(db, orgId),
    correctionsOf(db, response.id),
  ]);
  const organisation = organisationRow ?? { org_id: orgId, name: orgId };
  return { organisation, ...found, response, pages: ownAnswerPages(found.definition, answers), corrections };
}

/** The member comparison shown with the own answers: only once they are submitted, else null. */
export async function ownComparison(db: Kysely<Database>, own: OwnAnswers) {
  if (own.response.status !== 'submitted') return null;
  return memberComparison(db, { waveId: own.wave.id, definition: own.definition, orgId: own.organisation.org_id });
}
