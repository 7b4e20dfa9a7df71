import { describe, expect, it } from 'vitest';
import { allQuestions } from '../../../surveys/definition-schema';
import { cleanReason, confirms, plausibilityWarnings, unconfirmedWarnings } from '../../../surveys/plausibility';
import type { StoredAnswer } from '../../../surveys/responses/responses-repository';
import { CORONA } from '../../support/survey-fixtures';

const questions = allQuestions(CORONA);
const num = (key: string, value: string | null, hidden = false): [string, StoredAnswer] => [
  key,
  { question_key: key, hidden, value_num: value, value_text: null, value_bool: null, value_choices: null },
];
const answers = (...entries: [string, StoredAnswer][]) => new Map(entries);
const frame = { students: 1240, turnover_eur: 800000, teachers_freelance: 12, fte: 20 };

describe('soft checks against the frame', () => {
  it('questions a count of students who quit above the school’s students, and a loss above its turnover', () => {
    const w = plausibilityWarnings(
      questions,
      answers(num('students_quit', '1300'), num('revenue_loss_eur', '900000.50'), num('extra_costs_eur', '1000')),
      frame,
      null,
    );
    expect(w).toEqual([
      { question: 'revenue_loss_eur', kind: 'above_frame', value: 900000.5, variable: 'turnover_eur', figure: 800000 },
      { question: 'students_quit', kind: 'above_frame', value: 1300, variable: 'students', figure: 1240 },
    ]);
  });

  it('accepts values up to the figure, and says nothing without a figure or an answer', () => {
    expect(plausibilityWarnings(questions, answers(num('students_quit', '1240')), frame, null)).toEqual([]);
    expect(plausibilityWarnings(questions, answers(num('students_quit', '5000')), { students: null }, null)).toEqual(
      [],
    );
    expect(plausibilityWarnings(questions, answers(num('students_quit', '5000')), null, null)).toEqual([]);
    expect(plausibilityWarnings(questions, answers(num('students_quit', null)), frame, null)).toEqual([]);
    // A hidden question's answer is no answer.
    expect(plausibilityWarnings(questions, answers(num('refund_amount_eur', '9000000', true)), frame, null)).toEqual(
      [],
    );
  });

  it('checks only the questions it is given (one page)', () => {
    const page1 = CORONA.pages[0].questions;
    expect(plausibilityWarnings(page1, answers(num('students_quit', '99999')), frame, null)).toEqual([]);
  });
});

describe('soft checks against the previous wave', () => {
  const previous = {
    name: 'April 2020',
    answers: answers(num('liquidity_months', '3'), num('extra_costs_eur', '5000')),
  };

  it('questions more than ten times, or less than a tenth of, last wave’s answer', () => {
    const w = plausibilityWarnings(
      questions,
      answers(num('liquidity_months', '31'), num('extra_costs_eur', '499')),
      frame,
      previous,
    );
    expect(w).toEqual([
      { question: 'extra_costs_eur', kind: 'below_previous', value: 499, previous: 5000, wave: 'April 2020' },
      { question: 'liquidity_months', kind: 'above_previous', value: 31, previous: 3, wave: 'April 2020' },
    ]);
  });

  it('leaves exactly ten times, zeros and questions not answered before alone', () => {
    expect(
      plausibilityWarnings(
        questions,
        answers(num('liquidity_months', '30'), num('extra_costs_eur', '500')),
        frame,
        previous,
      ),
    ).toEqual([]);
    expect(
      plausibilityWarnings(questions, answers(num('extra_costs_eur', '0'), num('students_quit', '7')), frame, previous),
    ).toEqual([]);
  });

  it('does not compare percentages', () => {
    const before = { name: 'April', answers: answers(num('lessons_cancelled_pct', '2')) };
    expect(plausibilityWarnings(questions, answers(num('lessons_cancelled_pct', '90')), frame, before)).toEqual([]);
  });
});

describe('confirmations', () => {
  const current = answers(num('students_quit', '1300'));
  const warnings = plausibilityWarnings(questions, current, frame, null);

  it('a confirmation of the current value silences the warning', () => {
    expect(
      unconfirmedWarnings(warnings, current, new Map([['students_quit', { value: '1300', reason: 'x' }]])),
    ).toEqual([]);
  });

  it('a confirmation of another value does not', () => {
    expect(
      unconfirmedWarnings(warnings, current, new Map([['students_quit', { value: '1250', reason: 'x' }]])),
    ).toHaveLength(1);
    expect(unconfirmedWarnings(warnings, current, new Map())).toHaveLength(1);
  });

  it('compares values as numbers', () => {
    expect(confirms({ value: '12500.50', reason: 'r' }, num('x', '12500.5')[1])).toBe(true);
    expect(confirms({ value: '12500', reason: 'r' }, num('x', null)[1])).toBe(false);
  });

  it('cleans a reason', () => {
    expect(cleanReason('  Fusie met\n\n de school  ')).toBe('Fusie met de school');
    expect(cleanReason(['a'])).toBe('');
  });
});
