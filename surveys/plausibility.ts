// Soft checks of a member's answers: an answer that is possible but
// unlikely — more students quit than the school has, a loss above its annual
// turnover, ten times (or a tenth of) last wave's answer — is questioned, not
// refused. The member corrects it or keeps it with a short reason; a kept answer
// is not questioned again until its value changes. Pure: the caller brings the
// organisation's frame figures and its answers to the previous wave.
import type { AuxVariable } from '../register/frame-columns';
import type { Question } from './definition-schema';
import type { StoredAnswer } from './responses/responses-repository';

/** An answer more than this many times last wave's (or less than its 1/FACTOR) is questioned. */
export const PREVIOUS_WAVE_FACTOR = 10;
/** The longest reason a member can give for keeping an answer. */
export const MAX_REASON_LENGTH = 500;

/** The organisation's figures in the population frame of the wave's reference year (null: unknown). */
export type FrameFigures = Partial<Record<AuxVariable, number | null>>;

/** The organisation's answers to the previous wave of the same questionnaire. */
export interface PreviousWave {
  name: string;
  answers: ReadonlyMap<string, StoredAnswer>;
}

export type PlausibilityWarning =
  | { question: string; kind: 'above_frame'; value: number; variable: AuxVariable; figure: number }
  | { question: string; kind: 'above_previous' | 'below_previous'; value: number; previous: number; wave: string };

/** Counts and amounts are compared; a percentage has no frame figure and may well grow tenfold. */
const CHECKED: readonly Question['type'][] = ['integer', 'number', 'currency'];

function numberOf(answer: StoredAnswer | undefined): number | null {
  if (!answer || answer.hidden || answer.value_num === null) return null;
  const n = Number(answer.value_num);
  return Number.isFinite(n) ? n : null;
}

/**
 * The warnings for the given questions' answers. A question with `aux` is
 * compared with the organisation's figure of that frame variable (its students,
 * its turnover, its staff): a value above it is questioned. Every count or
 * amount is compared with the organisation's answer to the same question in the
 * previous wave when both are above zero.
 */
export function plausibilityWarnings(
  questions: readonly Question[],
  answers: ReadonlyMap<string, StoredAnswer>,
  frame: FrameFigures | null,
  previous: PreviousWave | null,
): PlausibilityWarning[] {
  const out: PlausibilityWarning[] = [];
  for (const q of questions) {
    if (!CHECKED.includes(q.type)) continue;
    const value = numberOf(answers.get(q.key));
    if (value === null) continue;
    const variable = q.aux as AuxVariable | undefined;
    const figure = variable && frame ? frame[variable] : null;
    if (variable && figure !== null && figure !== undefined && value > figure)
      out.push({ question: q.key, kind: 'above_frame', value, variable, figure });
    const before = previous ? numberOf(previous.answers.get(q.key)) : null;
    if (previous && before !== null && before > 0 && value > 0) {
      if (value > before * PREVIOUS_WAVE_FACTOR)
        out.push({ question: q.key, kind: 'above_previous', value, previous: before, wave: previous.name });
      else if (value * PREVIOUS_WAVE_FACTOR < before)
        out.push({ question: q.key, kind: 'below_previous', value, previous: before, wave: previous.name });
    }
  }
  return out;
}

/** The value a confirmation is for: the stored number as text. */
export function confirmationValue(answer: StoredAnswer | undefined): string | null {
  if (!answer || answer.hidden || answer.value_num === null) return null;
  return answer.value_num;
}

/** Whether a confirmation was given for exactly this answer ("12500.50" and "12500.5" are one value). */
export function confirms(confirmation: Confirmation | undefined, answer: StoredAnswer | undefined): boolean {
  const value = confirmationValue(answer);
  return confirmation !== undefined && value !== null && Number(confirmation.value) === Number(value);
}

export interface Confirmation {
  value: string;
  reason: string;
}

/** The warnings not covered by a confirmation of the answer's current value. */
export function unconfirmedWarnings(
  warnings: readonly PlausibilityWarning[],
  answers: ReadonlyMap<string, StoredAnswer>,
  confirmations: ReadonlyMap<string, Confirmation>,
): PlausibilityWarning[] {
  return warnings.filter((w) => !confirms(confirmations.get(w.question), answers.get(w.question)));
}

/** A reason as typed: trimmed, inner whitespace runs kept; '' when nothing was typed. */
export function cleanReason(raw: unknown): string {
  return typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim() : '';
}
