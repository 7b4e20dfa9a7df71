// A new version of a publication is a linked table with the one it replaces
// (issue 22.3): before it is released it is audited against the answers the
// earlier version was built from (kept with it, publication_answers), by the
// pure audit of analysis/disclosure/revision-audit.ts. A problem refuses the new
// version, with the reason in plain Dutch on the preview.
import type { Kysely } from 'kysely';
import { auditedQuestions, auditRevision, type RevisionAudit } from '../analysis/disclosure/revision-audit';
import type { Database } from '../foundation/db/schema';
import type { SurveyDefinition } from '../surveys/definition-schema';
import { answersOfPublication, currentAnswers, latestVersion } from './publications-repository';

export {
  type AnswerTable,
  auditedQuestions,
  auditRevision,
  choiceKey,
  REVISION_DOMINANCE,
  type RevisionAudit,
  type RevisionProblem,
} from '../analysis/disclosure/revision-audit';

/**
 * The audit of publishing the wave's figures at `slug` again; null when there is
 * no earlier version of the address for this wave, or it was published before
 * its answers were kept (nothing to compare with).
 */
export async function revisionAudit(
  db: Kysely<Database>,
  slug: string,
  waveSlug: string,
  definition: SurveyDefinition,
  locale: 'nl' | 'en',
): Promise<RevisionAudit | null> {
  const earlier = await latestVersion(db, slug.trim());
  if (!earlier || earlier.wave_slug !== waveSlug) return null;
  const before = await answersOfPublication(db, earlier.id);
  if (before.size === 0) return null;
  const { keys, choiceQuestions } = auditedQuestions(definition, locale);
  return auditRevision(before, await currentAnswers(db, waveSlug, choiceQuestions), keys, earlier.version);
}
