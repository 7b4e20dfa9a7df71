// Staff correct a submitted answer the way a statistics office edits data: a
// new value with a reason, on a response that stays submitted, in an open or a
// closed wave. The value is read by the one answer parser (Dutch numbers as in
// the form) and written by the one function that writes answers; the old and
// new value, who and why go to the audit log and to the corrections the member
// reads with its own answers. Any problem names itself and nothing is written.
import type { Kysely } from 'kysely';
import { recordAudit } from '../../foundation/audit/audit-log';
import type { Database, User } from '../../foundation/db/schema';
import { inTransaction } from '../../foundation/db/transaction';
import { mergeAnswers, missingRequired, parseAnswer } from '../../surveys/answers/parse-answers';
import { allQuestions } from '../../surveys/definition-schema';
import { deleteConfirmations } from '../../surveys/plausibility-repository';
import { auditValue, type WaveWithDefinition, waveWithDefinition } from '../../surveys/responses/responses';
import type { StoredAnswer } from '../../surveys/responses/responses-repository';
import * as responses from '../../surveys/responses/responses-repository';
import { type Locale, t } from '../../views/i18n/index';
import { forgetWaveReports, insertCorrections } from './data-editing-repository';

type Db = Kysely<Database>;

/** The longest reason staff can give for a correction. */
export const MAX_CORRECTION_REASON_LENGTH = 2000;

/** One problem with a correction; `question` when it belongs to one value. */
export interface CorrectionError {
  key: string;
  params: Record<string, string | number>;
  question?: string;
}

export interface CorrectionChange {
  question: string;
  before: StoredAnswer | null;
  after: StoredAnswer | null;
}

export type CorrectionResult =
  | { ok: true; target: WaveWithDefinition; changes: CorrectionChange[] }
  | { ok: false; errors: CorrectionError[]; target?: WaveWithDefinition };

function same(a: StoredAnswer | undefined, b: StoredAnswer | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * The answers after the correction, or every problem with it. Pure: the stored
 * answers and the raw new values (as typed in the form or after KEY= on the
 * command line) in, the merged answers out.
 */
export function planCorrection(
  definition: WaveWithDefinition['definition'],
  current: ReadonlyMap<string, StoredAnswer>,
  set: readonly (readonly [string, string | string[]])[],
  reason: string,
): { merged: Map<string, StoredAnswer>; changes: CorrectionChange[] } | { errors: CorrectionError[] } {
  const errors: CorrectionError[] = [];
  if (!reason.trim()) errors.push({ key: 'corrections.reason_required', params: {} });
  else if (reason.trim().length > MAX_CORRECTION_REASON_LENGTH)
    errors.push({ key: 'corrections.reason_too_long', params: { max: MAX_CORRECTION_REASON_LENGTH } });
  if (set.length === 0) errors.push({ key: 'corrections.nothing', params: {} });
  const byKey = new Map(allQuestions(definition).map((q) => [q.key, q]));
  const updates = new Map<string, StoredAnswer | null>();
  const seen = new Set<string>();
  for (const [key, raw] of set) {
    const q = byKey.get(key);
    const problem = (k: string, params: Record<string, string | number> = {}) =>
      errors.push({ key: k, params: { question: key, ...params }, question: key });
    if (!q) {
      problem('corrections.unknown_question');
      continue;
    }
    if (seen.has(key)) {
      problem('corrections.duplicate');
      continue;
    }
    seen.add(key);
    // The form's parser, in its import mode: no question back about a reading, `|` between choices.
    const parsed = parseAnswer(q, raw, { csv: true });
    if (parsed.error) {
      problem(parsed.error.key, parsed.error.params);
      continue;
    }
    if (!parsed.answer && q.required) {
      problem('corrections.required');
      continue;
    }
    if (same(parsed.answer ?? undefined, current.get(key))) {
      problem('corrections.unchanged');
      continue;
    }
    updates.set(key, parsed.answer);
  }
  // Whether a question applies follows from the answers after the correction (a corrected
  // filter answer may open or close it): one that does not is named, its value would be lost.
  const merged = mergeAnswers(definition, current, updates);
  for (const key of updates.keys())
    if (merged.get(key)?.hidden)
      errors.push({ key: 'corrections.hidden_question', params: { question: key }, question: key });
  if (errors.length) return { errors };
  // A corrected filter answer may show a required question this response has no answer to: name it.
  const missingBefore = new Set(missingRequired(definition, current).map((e) => e.question));
  for (const e of missingRequired(definition, merged))
    if (!missingBefore.has(e.question) && !updates.has(e.question))
      errors.push({ key: 'corrections.required_now', params: { question: e.question }, question: e.question });
  if (errors.length) return { errors };
  const keys = new Set([...merged.keys(), ...current.keys()]);
  const changes = [...keys]
    .filter((k) => !same(merged.get(k), current.get(k)))
    .map((k) => ({ question: k, before: current.get(k) ?? null, after: merged.get(k) ?? null }));
  return { merged, changes };
}

/**
 * Correct one organisation's submitted answers to the wave `slug`. `set` holds
 * question keys with raw values; `staff` is null on the command line.
 */
export async function correctResponse(
  db: Db,
  args: {
    slug: string;
    orgId: string;
    set: readonly (readonly [string, string | string[]])[];
    reason: string;
    staff: User | null;
  },
): Promise<CorrectionResult> {
  const target = await waveWithDefinition(db, args.slug);
  if (!target) return { ok: false, errors: [{ key: 'corrections.unknown_wave', params: { wave: args.slug } }] };
  const { wave, definition } = target;
  if (wave.status === 'draft')
    return { ok: false, errors: [{ key: 'corrections.wave_draft', params: { wave: wave.slug } }] };
  return inTransaction(db, async (trx) => {
    const response = await responses.findResponse(trx, wave.id, args.orgId);
    if (!response)
      return {
        ok: false,
        errors: [{ key: 'corrections.unknown_org', params: { org: args.orgId, wave: wave.slug } }],
        target,
      };
    if (response.status !== 'submitted')
      return { ok: false, errors: [{ key: 'corrections.not_submitted', params: { org: args.orgId } }], target };
    const current = await responses.loadAnswers(trx, response.id);
    const plan = planCorrection(definition, current, args.set, args.reason);
    if ('errors' in plan) return { ok: false, errors: plan.errors, target };
    const reason = args.reason.trim();
    const changed = plan.changes.flatMap((c) => (c.after ? [c.after] : []));
    const removed = plan.changes.filter((c) => !c.after).map((c) => c.question);
    // The one write path of answers (it also keys each answer for the protection).
    await responses.upsertAnswers(trx, response.id, changed);
    await responses.deleteAnswers(trx, response.id, removed);
    // A reason the member gave for keeping a value holds for that value only.
    await deleteConfirmations(
      trx,
      response.id,
      plan.changes.map((c) => c.question),
    );
    // A new version and updated_at: open forms see the change, cached reports of the wave are stale.
    await responses.bumpVersion(trx, response, args.staff?.id ?? null);
    await insertCorrections(
      trx,
      plan.changes.map((c) => ({ responseId: response.id, ...c, reason, by: args.staff?.id ?? null })),
    );
    await recordAudit(trx, {
      actorUserId: args.staff?.id ?? null,
      action: 'response.correct',
      entity: 'response',
      entityId: response.id,
      details: {
        wave: wave.slug,
        org_id: args.orgId,
        reason,
        changes: plan.changes.map((c) => ({
          question: c.question,
          before: auditValue(c.before ?? undefined),
          after: auditValue(c.after ?? undefined),
        })),
      },
    });
    await forgetWaveReports(trx, wave.id);
    return { ok: true, target, changes: plan.changes };
  });
}

/** Each problem as one Dutch (or English) line, the question named first where there is one. */
export function correctionMessages(
  errors: readonly CorrectionError[],
  definition: WaveWithDefinition['definition'] | null,
  locale: Locale,
): string[] {
  const byKey = new Map(definition ? allQuestions(definition).map((q) => [q.key, q]) : []);
  return errors.map((e) => {
    const message = t(locale, e.key, e.params);
    if (!e.question) return message;
    const q = byKey.get(e.question);
    return `${e.question}${q ? ` (${q.label[locale] ?? q.label.nl})` : ''}: ${message}`;
  });
}
