import { describe, expect, it } from 'vitest';
import { formPage, pageValues, reviewPage, reviewRequestOf } from '../../../surveys/answers/form-pages';
import {
  nextPage,
  pageDifferences,
  readPageAction,
  requiresAnswers,
  submitPost,
} from '../../../surveys/answers/page-post';
import { parseAnswers } from '../../../surveys/answers/parse-answers';
import type { SurveyDefinition } from '../../../surveys/definition-schema';
import type { ResponseRow, StoredAnswer } from '../../../surveys/responses/responses-repository';
import { pageQuestions } from '../../../surveys/visibility';
import type { WaveRow } from '../../../surveys/waves/waves-repository';
import { CORONA } from '../../support/survey-fixtures';

const answer = (key: string, value: Partial<StoredAnswer>): StoredAnswer => ({
  question_key: key,
  hidden: false,
  value_num: null,
  value_text: null,
  value_bool: null,
  value_choices: null,
  ...value,
});
const keys = (qs: { q: { key: string } }[]) => qs.map((x) => x.q.key);

// Page 2 of the shipped questionnaire with online_share_pct (shown if online_lessons)
// moved to a page of its own, so its controller is on an earlier page.
const onlineLessons = CORONA.pages[1];
const SPLIT: SurveyDefinition = {
  ...CORONA,
  pages: [
    { ...onlineLessons, questions: onlineLessons.questions.filter((q) => q.key !== 'online_share_pct') },
    { ...onlineLessons, key: 'online', questions: onlineLessons.questions.filter((q) => q.key === 'online_share_pct') },
  ],
};
const wave = { id: 1, slug: 'w', name: 'Golf', status: 'open' } as WaveRow;

describe('the questions of a form page', () => {
  it('leaves out a question hidden by an answer on an earlier page, and shows it when the answer shows it', () => {
    const hidden = pageQuestions(SPLIT, 1, new Set(['online_lessons']));
    expect(hidden).toEqual([{ q: SPLIT.pages[1].questions[0], shown: false, controller: null, live: null }]);
    const shown = pageQuestions(SPLIT, SPLIT.pages[1], new Set(['online_lessons', 'online_share_pct']));
    expect(shown[0].shown).toBe(true);
    expect(shown[0].controller).toBeNull();
  });

  it('shows a question controlled on the same page, with its controller, whatever the answers', () => {
    const qs = pageQuestions(CORONA, 1, new Set());
    const share = qs.find((x) => x.q.key === 'online_share_pct')!;
    expect(share.shown).toBe(true);
    expect(share.controller?.key).toBe('online_lessons');
    expect(qs.find((x) => x.q.key === 'refund_amount_eur')!.controller?.key).toBe('refund_policy');
  });

  it('shows a question without a condition, without a controller', () => {
    const qs = pageQuestions(CORONA, 0, new Set());
    expect(keys(qs)).toEqual(['revenue_loss_eur', 'extra_costs_eur', 'liquidity_months']);
    expect(qs.every((x) => x.shown && x.controller === null)).toBe(true);
  });

  it("shows everything for a preview ('all')", () => {
    expect(pageQuestions(SPLIT, 1, 'all')[0].shown).toBe(true);
  });
});

describe('a page post: where it leads and what differs', () => {
  it('reads the button, an unknown or missing one as next', () => {
    expect(readPageAction({ action: 'previous' })).toBe('previous');
    expect(readPageAction({ action: 'delete' })).toBe('next');
    expect(readPageAction({ action: ['save'] })).toBe('next');
    expect(readPageAction(null)).toBe('next');
    expect(requiresAnswers('next') && requiresAnswers('review')).toBe(true);
    expect(requiresAnswers('save') || requiresAnswers('previous')).toBe(false);
  });

  it('goes to the next page, back, stays for "later", and to the review page (total + 1) from the last', () => {
    expect(nextPage('next', 2, 5)).toBe(3);
    expect(nextPage('next', 5, 5)).toBe(6);
    expect(nextPage('review', 2, 5)).toBe(6);
    expect(nextPage('previous', 2, 5)).toBe(1);
    expect(nextPage('previous', 1, 5)).toBe(1);
    expect(nextPage('save', 3, 5)).toBe(3);
  });

  it('names the questions whose stored value differs, but not the same answer typed differently', () => {
    const questions = CORONA.pages[1].questions;
    const raw = { lessons_cancelled_pct: '45%', students_quit: '12' };
    const parsed = parseAnswers(questions, raw);
    const stored = new Map([
      ['lessons_cancelled_pct', answer('lessons_cancelled_pct', { value_num: '45' })],
      ['students_quit', answer('students_quit', { value_num: '9' })],
    ]);
    const diff = pageDifferences(questions, { raw, parsed, errors: [] }, stored, 'nl');
    expect(diff.map((d) => [d.question.key, d.yours, d.theirs])).toEqual([['students_quit', '12', '9 leerlingen']]);
  });

  it('asks to tick the confirmation box before submitting, and reads a malformed version as stale', () => {
    expect(submitPost.safeParse({ confirm: 'ja', version: '4' }).data).toEqual({ confirm: 'ja', version: 4 });
    const unticked = submitPost.safeParse({ version: 'x' });
    expect(unticked.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ['confirm', 'survey.review.confirm_required'],
    ]);
  });
});

describe('the form pages', () => {
  const response = {
    id: 1,
    version: 3,
    status: 'draft',
    review_message: 'Klopt de omzet?',
    review_requested_at: new Date('2020-06-01T10:00:00Z'),
  } as ResponseRow;

  it('starts the fields with the stored answers as typed', () => {
    const stored = new Map([['revenue_loss_eur', answer('revenue_loss_eur', { value_num: '12500' })]]);
    expect(pageValues(CORONA.pages[0].questions, stored, 'nl')).toEqual({
      revenue_loss_eur: '12.500',
      extra_costs_eur: '',
      liquidity_months: '',
    });
  });

  it("shows staff's request to check only while it is open", () => {
    expect(reviewRequestOf(response)).toEqual({ message: 'Klopt de omzet?', at: response.review_requested_at });
    expect(reviewRequestOf({ ...response, review_message: null })).toBeNull();
    expect(reviewRequestOf(null)).toBeNull();
  });

  it('builds a page: its title, questions, and the reasons given by question', () => {
    const page = formPage(
      {
        wave,
        definition: SPLIT,
        response,
        n: 2,
        values: {},
        errors: [],
        answers: new Map(),
        version: 3,
        reasons: new Map([['online_share_pct', { reason: 'Klopt', checked: '80' }]]),
      },
      'nl',
    );
    expect(page.title).toBe(`${SPLIT.pages[1].title.nl} – Golf`);
    expect(page.total).toBe(2);
    expect(page.questions[0].shown).toBe(false);
    expect(page.reasons).toEqual({ online_share_pct: 'Klopt' });
    expect(page.conflict).toEqual([]);
    expect(page.reviewRequest?.message).toBe('Klopt de omzet?');
  });

  it('builds the review page: answers as text, required ones still open, warnings with label and page', () => {
    const stored = new Map([
      ['revenue_loss_eur', answer('revenue_loss_eur', { value_num: '12500' })],
      ['liquidity_months', answer('liquidity_months', { value_num: '3' })],
    ]);
    const review = reviewPage(
      {
        wave,
        definition: CORONA,
        response,
        answers: stored,
        soft: {
          warnings: [
            { kind: 'above_frame', question: 'revenue_loss_eur', value: 12500, variable: 'turnover_eur', figure: 1000 },
          ],
          confirmations: new Map([['liquidity_months', { value: '3', reason: 'Zo is het' }]]),
        },
        errors: [],
        open: true,
        blocked: false,
      },
      'nl',
    );
    const first = review.pages[0].rows;
    expect(first.map((r) => [r.q.key, r.text, r.missing, r.reason])).toEqual([
      ['revenue_loss_eur', '€ 12.500', false, null],
      ['extra_costs_eur', expect.any(String), false, null],
      ['liquidity_months', '3 maanden', false, 'Zo is het'],
    ]);
    expect(review.missing).toBeGreaterThan(0);
    expect(review.pages[1].rows.find((r) => r.q.key === 'online_lessons')!.missing).toBe(true);
    expect(review.warnings).toEqual([
      expect.objectContaining({ question: 'revenue_loss_eur', label: CORONA.pages[0].questions[0].label.nl, page: 1 }),
    ]);
    expect(review.version).toBe(3);
  });
});
