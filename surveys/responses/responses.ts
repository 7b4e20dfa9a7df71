// A member organisation's response to a wave: saving drafts with optimistic
// concurrency (never silently overwriting another tab or a colleague), submitting,
// and reopening by staff. Every change is in the audit log.
import type { Kysely } from 'kysely';
import { activeMembersOf } from '../../accounts/users-repository';
import { recordAudit } from '../../foundation/audit/audit-log';
import type { Database, User } from '../../foundation/db/schema';
import { inTransaction } from '../../foundation/db/transaction';
import { enqueueMail } from '../../foundation/mail/mail-queue';
import { type Locale, t } from '../../views/i18n/index';
import { type AnswerError, mergeAnswers, missingRequired } from '../answers/parse-answers';
import { allQuestions, type Question, type SurveyDefinition } from '../definition-schema';
import { storedDefinition } from '../definitions';
import { findDefinitionById } from '../definitions-repository';
import {
  type Confirmation,
  confirmationValue,
  type PlausibilityWarning,
  plausibilityWarnings,
  unconfirmedWarnings,
} from '../plausibility';
import {
  deleteConfirmations,
  frameFigures,
  loadConfirmations,
  previousWaveAnswers,
  upsertConfirmations,
} from '../plausibility-repository';
import { waveAcceptsAnswers } from '../waves/waves';
import { findWaveBySlug, type WaveRow } from '../waves/waves-repository';
import type { ResponseRow, StoredAnswer } from './responses-repository';
import * as repo from './responses-repository';

type Db = Kysely<Database>;

export class ResponseError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = 'ResponseError';
  }
}

export interface WaveWithDefinition {
  wave: WaveRow;
  definition: SurveyDefinition;
}

export async function waveWithDefinition(db: Db, slug: string): Promise<WaveWithDefinition | null> {
  const wave = await findWaveBySlug(db, slug);
  if (!wave) return null;
  const row = await findDefinitionById(db, wave.survey_id);
  return { wave, definition: storedDefinition(row!) };
}

export interface ResponseState {
  response: ResponseRow | null;
  answers: Map<string, StoredAnswer>;
}

/** What was typed on the response's form but is not an answer yet (a number awaiting confirmation or unreadable). */
export async function pendingInputsOf(db: Db, responseId: number | null): Promise<Map<string, string>> {
  return responseId === null ? new Map() : repo.loadPendingInputs(db, responseId);
}

/** The organisation's response (or none yet), scoped by the org id of the logged-in member. */
export async function responseOf(db: Db, waveId: number, orgId: string): Promise<ResponseState> {
  const response = (await repo.findResponse(db, waveId, orgId)) ?? null;
  return { response, answers: response ? await repo.loadAnswers(db, response.id) : new Map() };
}

function same(a: StoredAnswer | undefined, b: StoredAnswer | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** An answer as the audit log records it (one value, "hidden", or null). */
export function auditValue(a: StoredAnswer | undefined) {
  if (!a) return null;
  if (a.hidden) return 'hidden';
  return a.value_num ?? a.value_text ?? a.value_bool ?? a.value_choices;
}

export type SaveResult =
  | { ok: true; version: number; answers: Map<string, StoredAnswer>; responseId: number }
  | { ok: false; reason: 'conflict'; version: number; answers: Map<string, StoredAnswer> };

/**
 * Save a draft: `updates` holds the parsed answers of the questions on the page
 * (null = cleared). `expectedVersion` is the version the page was rendered with
 * (0 for a response not yet created); when someone saved in between, nothing is
 * written and the current answers come back for the conflict screen.
 */
export async function saveDraft(
  db: Db,
  args: {
    wave: WaveRow;
    definition: SurveyDefinition;
    orgId: string;
    user: User | null;
    expectedVersion: number;
    updates: ReadonlyMap<string, StoredAnswer | null>;
    /** Answers a soft check questioned that the member keeps: question → reason. */
    confirmations?: ReadonlyMap<string, string>;
    /** What was typed but is not an answer yet (kept as typed), or null to clear it: question → raw. */
    pending?: ReadonlyMap<string, string | null>;
    source?: 'web' | 'import';
  },
): Promise<SaveResult> {
  if (!waveAcceptsAnswers(args.wave) && args.source !== 'import') throw new ResponseError('survey.form.not_open');
  return inTransaction(db, async (trx) => {
    const existing = await repo.findResponse(trx, args.wave.id, args.orgId);
    if (existing && existing.status === 'submitted') throw new ResponseError('survey.form.submitted_readonly');
    const response =
      existing ?? (await repo.findOrCreateResponse(trx, args.wave.id, args.orgId, args.user?.id ?? null));
    const expected = existing ? args.expectedVersion : response.version;
    const version = await repo.claimVersion(trx, response.id, expected, args.user?.id ?? null);
    const current = await repo.loadAnswers(trx, response.id);
    if (version === null) {
      const fresh = (await repo.findResponse(trx, args.wave.id, args.orgId))!;
      if (fresh.status === 'submitted') throw new ResponseError('survey.form.submitted_readonly');
      return { ok: false, reason: 'conflict', version: fresh.version, answers: current };
    }
    const merged = mergeAnswers(args.definition, current, args.updates);
    const changed = [...merged.values()].filter((a) => !same(a, current.get(a.question_key)));
    const removed = [...current.keys()].filter((k) => !merged.has(k));
    await repo.upsertAnswers(trx, response.id, changed);
    await repo.deleteAnswers(trx, response.id, removed);
    // A reason kept for an answer holds for its value: a changed answer is checked afresh.
    await deleteConfirmations(trx, response.id, [...changed.map((a) => a.question_key), ...removed]);
    const confirmed = [...(args.confirmations ?? [])].flatMap(([question, reason]) => {
      const value = confirmationValue(merged.get(question));
      return value === null || !reason ? [] : [{ question, value, reason }];
    });
    await upsertConfirmations(trx, response.id, args.user?.id ?? null, confirmed);
    if (args.pending?.size) await repo.setPendingInputs(trx, response.id, args.pending);
    if (changed.length || removed.length || confirmed.length) {
      await recordAudit(trx, {
        actorUserId: args.user?.id ?? null,
        action: 'response.save',
        entity: 'response',
        entityId: response.id,
        details: {
          wave: args.wave.slug,
          org_id: args.orgId,
          version,
          changes: [...changed.map((a) => a.question_key), ...removed].map((k) => ({
            question: k,
            before: auditValue(current.get(k)),
            after: auditValue(merged.get(k)),
          })),
          ...(confirmed.length ? { confirmed } : {}),
        },
      });
    }
    return { ok: true, version, answers: merged, responseId: response.id };
  });
}

export async function submitResponse(
  db: Db,
  args: {
    wave: WaveRow;
    definition: SurveyDefinition;
    orgId: string;
    user: User | null;
    expectedVersion: number;
    source?: 'web' | 'import';
  },
): Promise<
  | { ok: true }
  | { ok: false; missing: AnswerError[] }
  | { ok: false; reason: 'conflict' }
  | { ok: false; warnings: PlausibilityWarning[] }
> {
  if (!waveAcceptsAnswers(args.wave) && args.source !== 'import') throw new ResponseError('survey.form.not_open');
  return inTransaction(db, async (trx) => {
    const response = await repo.findResponse(trx, args.wave.id, args.orgId);
    if (!response) return { ok: false, missing: missingRequired(args.definition, new Map()) };
    if (response.status === 'submitted') throw new ResponseError('survey.form.submitted_readonly');
    const answers = await repo.loadAnswers(trx, response.id);
    const missing = missingRequired(args.definition, answers);
    if (missing.length) return { ok: false, missing };
    // Soft checks: an answer the member has neither corrected nor kept with a reason
    // holds the submission (the form asks on every page; autosave alone never does).
    // Imported answers come from staff, who check them on the data-editing page.
    if ((args.source ?? 'web') === 'web') {
      const { warnings } = await plausibilityOf(trx, {
        wave: args.wave,
        orgId: args.orgId,
        responseId: response.id,
        questions: allQuestions(args.definition),
        answers,
      });
      if (warnings.length) return { ok: false, warnings };
    }
    const version = await repo.claimVersion(trx, response.id, args.expectedVersion, args.user?.id ?? null);
    if (version === null) return { ok: false, reason: 'conflict' };
    await repo.markSubmitted(trx, response.id, args.user?.id ?? null, args.source ?? 'web');
    // The review page showed the stored answers, and those are what is submitted.
    await repo.clearPendingInputs(trx, response.id);
    await recordAudit(trx, {
      actorUserId: args.user?.id ?? null,
      action: 'response.submit',
      entity: 'response',
      entityId: response.id,
      details: { wave: args.wave.slug, org_id: args.orgId, source: args.source ?? 'web' },
    });
    return { ok: true };
  });
}

/**
 * Remember where a member left a draft: the page they were sent to (page count + 1
 * is the review page), so "verder waar u gebleven was" continues there.
 */
export async function rememberPage(
  db: Db,
  args: { wave: WaveRow; definition: SurveyDefinition; orgId: string; page: number },
): Promise<void> {
  const page = Math.min(Math.max(1, Math.trunc(args.page)), args.definition.pages.length + 1);
  await repo.setResumePage(db, args.wave.id, args.orgId, page);
}

/** Where a member continues a wave: the remembered page, the review page, or the first page. */
export function resumePath(
  slug: string,
  definition: SurveyDefinition,
  response: Pick<ResponseRow, 'resume_page'> | null,
): string {
  const page = response?.resume_page ?? 1;
  if (page > definition.pages.length) return `/vragenlijst/${slug}/controle`;
  return `/vragenlijst/${slug}/stap/${Math.max(1, page)}`;
}

/** Staff give a submitted response back to the organisation as a draft. */
export async function reopenResponse(
  db: Db,
  args: { wave: WaveRow; orgId: string; staff: User; source?: 'import' },
): Promise<void> {
  // As with a request to check: on a closed wave the organisation could not submit again,
  // and its answers would silently leave the figures. Staff who reopen in order to import
  // the response again (source 'import', which a closed wave accepts) bring it back themselves.
  if (!waveAcceptsAnswers(args.wave) && args.source !== 'import') throw new ResponseError('monitor.reopen_closed');
  await inTransaction(db, async (trx) => {
    const response = await repo.findResponse(trx, args.wave.id, args.orgId);
    if (response?.status !== 'submitted') throw new ResponseError('survey.responses.not_submitted');
    await repo.markDraft(trx, response.id, args.staff.id);
    await recordAudit(trx, {
      actorUserId: args.staff.id,
      action: 'response.reopen',
      entity: 'response',
      entityId: response.id,
      details: { wave: args.wave.slug, org_id: args.orgId },
    });
  });
}

/**
 * The soft checks of some questions' answers (a page, or all of them at submit):
 * the warnings the member has not yet answered by keeping the value with a
 * reason, and the reasons already given.
 */
export async function plausibilityOf(
  db: Db,
  args: {
    wave: WaveRow;
    orgId: string;
    responseId: number | null;
    questions: readonly Question[];
    answers: ReadonlyMap<string, StoredAnswer>;
  },
): Promise<{ warnings: PlausibilityWarning[]; confirmations: Map<string, Confirmation> }> {
  const [frame, previous, confirmations] = await Promise.all([
    frameFigures(db, args.wave.frame_year, args.orgId),
    previousWaveAnswers(db, args.wave, args.orgId),
    args.responseId === null
      ? Promise.resolve(new Map<string, Confirmation>())
      : loadConfirmations(db, args.responseId),
  ]);
  const all = plausibilityWarnings(args.questions, args.answers, frame, previous);
  return { warnings: unconfirmedWarnings(all, args.answers, confirmations), confirmations };
}

/** How many member accounts of the organisation a request to check would be mailed to. */
export async function reviewRecipientCount(db: Db, orgId: string): Promise<number> {
  return (await activeMembersOf(db, orgId)).length;
}

/** The longest message staff can send with a request to check. */
export const MAX_REVIEW_MESSAGE_LENGTH = 2000;

/**
 * Staff ask an organisation to check its submitted answers: the response goes
 * back to draft with the message, which its form shows until it submits again,
 * and every member account of the organisation that can log in gets it by mail
 * (through the queue). One transaction, in the audit log with the message.
 */
export async function requestReview(
  db: Db,
  args: { wave: WaveRow; orgId: string; staff: User; message: string; publicUrl: string; locale: Locale },
): Promise<{ mailed: number }> {
  // A closed wave takes no submission: a reopened response would silently leave the figures.
  // Staff correct the value themselves instead (analysis/editing/corrections.ts).
  if (!waveAcceptsAnswers(args.wave)) throw new ResponseError('data_editing.review_closed');
  const message = args.message.trim();
  if (!message) throw new ResponseError('data_editing.message_required');
  if (message.length > MAX_REVIEW_MESSAGE_LENGTH)
    throw new ResponseError('data_editing.message_too_long', { max: MAX_REVIEW_MESSAGE_LENGTH });
  return inTransaction(db, async (trx) => {
    const response = await repo.findResponse(trx, args.wave.id, args.orgId);
    if (response?.status !== 'submitted') throw new ResponseError('survey.responses.not_submitted');
    await repo.markDraft(trx, response.id, args.staff.id);
    await repo.setReviewRequest(trx, response.id, message, args.staff.id);
    const members = await activeMembersOf(trx, args.orgId);
    for (const member of members)
      await enqueueMail(trx, {
        to: member.email,
        subject: t(args.locale, 'mail.review.subject', { wave: args.wave.name }),
        text: t(args.locale, 'mail.review.body', {
          name: member.name || member.email,
          wave: args.wave.name,
          message,
          link: `${args.publicUrl}/vragenlijst/${args.wave.slug}`,
        }),
        kind: 'review',
        relatedOrgId: args.orgId,
        relatedWaveId: args.wave.id,
      });
    await recordAudit(trx, {
      actorUserId: args.staff.id,
      action: 'response.reopen',
      entity: 'response',
      entityId: response.id,
      details: { wave: args.wave.slug, org_id: args.orgId, message, mailed: members.length },
    });
    return { mailed: members.length };
  });
}
