import { describe, expect, it } from 'vitest';
import { displayValue, inputValue } from '../../../surveys/answers/format-answers';
import { mergeAnswers, missingRequired, parseAnswer, parseAnswers } from '../../../surveys/answers/parse-answers';
import { allQuestions } from '../../../surveys/definition-schema';
import type { StoredAnswer } from '../../../surveys/responses/responses-repository';
import { visibleQuestions } from '../../../surveys/visibility';
import { t } from '../../../views/i18n/index';
import { CORONA } from '../../support/survey-fixtures';

const Q = Object.fromEntries(allQuestions(CORONA).map((q) => [q.key, q]));
const answer = (key: string, fields: Partial<StoredAnswer>): StoredAnswer => ({
  question_key: key,
  hidden: false,
  value_num: null,
  value_text: null,
  value_bool: null,
  value_choices: null,
  ...fields,
});

describe('answer parsing (one module for form and import)', () => {
  it('parses every type from form input', () => {
    expect(parseAnswer(Q.revenue_loss_eur, '€ 12.500,50').answer?.value_num).toBe('12500.5');
    expect(parseAnswer(Q.lessons_cancelled_pct, '45,5%').answer?.value_num).toBe('45.5');
    expect(parseAnswer(Q.students_quit, '23').answer?.value_num).toBe('23');
    expect(parseAnswer(Q.online_lessons, 'true').answer?.value_bool).toBe(true);
    expect(parseAnswer(Q.online_lessons, 'nee').answer?.value_bool).toBe(false);
    expect(parseAnswer(Q.refund_policy, 'voucher').answer?.value_text).toBe('voucher');
    expect(parseAnswer(Q.schemes, ['TVL', 'NOW']).answer?.value_choices).toEqual(['NOW', 'TVL']);
    expect(parseAnswer(Q.remarks, '  Goed\r\nzo  ').answer?.value_text).toBe('Goed\nzo');
    expect(parseAnswer(Q.remarks, '   ').answer).toBeNull();
  });

  it('parses CSV cells: multi-choice separated by |, booleans as in the frame', () => {
    expect(parseAnswer(Q.schemes, 'NOW|Tozo', { csv: true }).answer?.value_choices).toEqual(['NOW', 'Tozo']);
    expect(parseAnswer(Q.online_lessons, 'ja', { csv: true }).answer?.value_bool).toBe(true);
    expect(parseAnswer(Q.online_lessons, 'WAAR', { csv: true }).answer?.value_bool).toBe(true);
    expect(parseAnswer(Q.online_lessons, 'onwaar', { csv: true }).answer?.value_bool).toBe(false);
    expect(parseAnswer(Q.revenue_loss_eur, '12,500', { csv: true }).ambiguous).toBeUndefined();
  });

  it('refuses bad values with a reason', () => {
    expect(parseAnswer(Q.revenue_loss_eur, 'veel').error?.key).toBe('survey.answer.not_a_number.currency');
    // The example fits the question: months are no money.
    expect(parseAnswer(Q.liquidity_months, 'veel').error?.key).toBe('survey.answer.not_a_number.number');
    expect(t('nl', 'survey.answer.not_a_number.number', { value: 'veel' })).not.toContain('12.500');
    expect(parseAnswer(Q.students_quit, 'veel').error?.key).toBe('survey.answer.not_a_number.integer');
    expect(parseAnswer(Q.lessons_cancelled_pct, 'veel').error?.key).toBe('survey.answer.not_a_number.percentage');
    expect(parseAnswer(Q.revenue_loss_eur, '-5').error?.key).toBe('survey.answer.below_min');
    expect(parseAnswer(Q.lessons_cancelled_pct, '120').error).toMatchObject({
      key: 'survey.answer.above_max',
      params: { max: 100 },
    });
    expect(parseAnswer(Q.students_quit, '2,5').error?.key).toBe('number.not_integer');
    expect(parseAnswer(Q.revenue_loss_eur, '10,5555').error?.key).toBe('number.too_many_decimals');
    expect(parseAnswer(Q.online_lessons, 'misschien').error?.key).toBe('survey.answer.bad_boolean');
    expect(parseAnswer(Q.refund_policy, 'alles').error?.key).toBe('survey.answer.unknown_option');
    expect(parseAnswer(Q.schemes, ['NOW', 'none']).error?.key).toBe('survey.answer.exclusive_option');
    expect(parseAnswer(Q.remarks, 'x'.repeat(2001)).error).toMatchObject({
      key: 'survey.answer.too_long',
      params: { max: 2000, length: 2001 },
    });
  });

  it('reads the common Dutch amounts without a question', () => {
    for (const raw of ['€ 45.000', '45.000', '45000', '45.000,-', '€ 45.000,00', '€45.000', '45 000']) {
      const r = parseAnswer(Q.revenue_loss_eur, raw);
      expect(r.error, raw).toBeUndefined();
      expect(r.ambiguous, raw).toBeUndefined();
      expect(r.answer?.value_num, raw).toBe('45000');
    }
  });

  it('asks to confirm an ambiguous number on the form, unless confirmed', () => {
    const r = parseAnswer(Q.revenue_loss_eur, '12,500');
    expect(r.ambiguous).toEqual({ question: 'revenue_loss_eur', raw: '12,500', text: '12500' });
    expect(parseAnswer(Q.revenue_loss_eur, '12,500', { confirmed: new Set(['12,500']) }).ambiguous).toBeUndefined();
  });

  it('collects errors per question over a page', () => {
    const page = CORONA.pages[0].questions;
    const r = parseAnswers(page, { revenue_loss_eur: 'x', extra_costs_eur: '10', liquidity_months: '' });
    expect(r.errors.map((e) => e.question)).toEqual(['revenue_loss_eur']);
    expect(r.answers.get('extra_costs_eur')?.value_num).toBe('10');
    expect(r.answers.get('liquidity_months')).toBeNull();
  });
});

describe('visibility and required answers', () => {
  it('shows a conditional question only when its condition holds, and chains through hidden controllers', () => {
    const base = new Map([['online_lessons', answer('online_lessons', { value_bool: true })]]);
    expect(visibleQuestions(CORONA, base).has('online_share_pct')).toBe(true);
    const off = new Map([['online_lessons', answer('online_lessons', { value_bool: false })]]);
    expect(visibleQuestions(CORONA, off).has('online_share_pct')).toBe(false);
    const schemes = new Map([['schemes', answer('schemes', { value_choices: ['NOW', 'TVL'] })]]);
    expect(visibleQuestions(CORONA, schemes).has('now_employees')).toBe(true);
    const refund = new Map([['refund_policy', answer('refund_policy', { value_text: 'voucher' })]]);
    expect(visibleQuestions(CORONA, refund).has('refund_amount_eur')).toBe(false);
    expect(
      visibleQuestions(CORONA, new Map([['refund_policy', answer('refund_policy', { value_text: 'partial' })]])).has(
        'refund_amount_eur',
      ),
    ).toBe(true);
  });

  it('marks hidden questions and discards their answers when merging', () => {
    const stored = new Map([
      ['online_lessons', answer('online_lessons', { value_bool: true })],
      ['online_share_pct', answer('online_share_pct', { value_num: '60' })],
    ]);
    const merged = mergeAnswers(
      CORONA,
      stored,
      new Map([['online_lessons', answer('online_lessons', { value_bool: false })]]),
    );
    expect(merged.get('online_share_pct')).toEqual(answer('online_share_pct', { hidden: true }));
    const back = mergeAnswers(
      CORONA,
      merged,
      new Map([['online_lessons', answer('online_lessons', { value_bool: true })]]),
    );
    expect(back.has('online_share_pct')).toBe(false);
  });

  it('requires only visible required questions', () => {
    const missing = missingRequired(
      CORONA,
      new Map([['online_lessons', answer('online_lessons', { value_bool: false })]]),
    ).map((e) => e.question);
    expect(missing).toContain('revenue_loss_eur');
    expect(missing).not.toContain('online_share_pct');
    expect(missing).not.toContain('best_practice');
    expect(missing).not.toContain('remarks');
  });

  it('shows answers back the Dutch way', () => {
    expect(inputValue(Q.revenue_loss_eur, answer('r', { value_num: '12500.5' }), 'nl')).toBe('12.500,50');
    expect(displayValue(Q.revenue_loss_eur, answer('r', { value_num: '12500.5' }), 'nl')).toBe('€ 12.500,50');
    expect(displayValue(Q.lessons_cancelled_pct, answer('r', { value_num: '45.5' }), 'nl')).toBe('45,5%');
    expect(displayValue(Q.schemes, answer('s', { value_choices: ['NOW', 'municipal'] }), 'en')).toBe(
      'NOW (wage cost subsidy), Support from the municipality',
    );
    expect(displayValue(Q.online_share_pct, answer('o', { hidden: true }), 'nl')).toBe('niet van toepassing');
    expect(displayValue(Q.remarks, undefined, 'nl')).toBe('niet beantwoord');
  });
});

describe("the questionnaire's own messages (XLSForm required_message, constraint_message)", () => {
  const leden = {
    ...Q.students_quit,
    required: true,
    min: 0,
    max: 1000,
    required_message: { nl: 'Vul het aantal leden in.', en: 'Enter the number of members.' },
    constraint_message: { nl: 'Een aantal tussen 0 en 1.000.' },
  };
  const def = { ...CORONA, pages: [{ ...CORONA.pages[0], questions: [leden] }] };

  it('are the field error, in the reader language, Dutch where no English is given', () => {
    const outside = parseAnswer(leden, '5000').error!;
    expect(t('nl', outside.key, outside.params)).toBe('Een aantal tussen 0 en 1.000.');
    expect(t('en', outside.key, outside.params)).toBe('Een aantal tussen 0 en 1.000.');
    const [missing] = missingRequired(def, new Map());
    expect(t('nl', missing.key, missing.params)).toBe('Vul het aantal leden in.');
    expect(t('en', missing.key, missing.params)).toBe('Enter the number of members.');
  });

  it('leave the standard messages where the questionnaire has none', () => {
    const plain = { ...leden, required_message: undefined, constraint_message: undefined };
    const outside = parseAnswer(plain, '5000').error!;
    expect(t('nl', outside.key, outside.params)).toMatch(/1000/);
    expect(missingRequired({ ...def, pages: [{ ...def.pages[0], questions: [plain] }] }, new Map())[0].key).toBe(
      'survey.answer.required',
    );
  });
});
