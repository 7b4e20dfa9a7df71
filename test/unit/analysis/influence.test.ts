import { describe, expect, it } from 'vitest';
import { type InfluenceAnswer, questionInfluence, rankResponses } from '../../../analysis/editing/influence';

const answer = (
  responseId: number,
  stratum: string,
  y: number,
  x: number | null = null,
  shown = true,
): InfluenceAnswer => ({
  responseId,
  stratum,
  y,
  x,
  shown,
});

describe('the influence of one response on a branch total', () => {
  it('expansion: a_h = N_h / n_h, shares of the estimated total', () => {
    const strata = [
      { stratum: 'a', N: 10, X: null },
      { stratum: 'b', N: 4, X: null },
    ];
    const q = questionInfluence(
      'students_quit',
      strata,
      [answer(1, 'a', 1), answer(2, 'a', 3), answer(3, 'b', 10)],
      false,
    );
    // T = 10/2 · (1 + 3) + 4/1 · 10 = 60
    expect(q.total).toBeCloseTo(60, 9);
    expect(q.contributions.map((c) => c.weight)).toEqual([5, 5, 4]);
    expect(q.contributions.map((c) => c.influence)).toEqual([5, 15, 40]);
    expect(q.contributions.map((c) => c.share)).toEqual([5 / 60, 15 / 60, 40 / 60]);
  });

  it('ratio: a_h = X_h / Σx_h; an organisation without the frame figure adds nothing', () => {
    const strata = [
      { stratum: 'a', N: 10, X: 100 },
      { stratum: 'b', N: 4, X: 50 },
    ];
    const q = questionInfluence(
      'revenue_loss_eur',
      strata,
      [answer(1, 'a', 1, 10), answer(2, 'a', 3, 30), answer(3, 'b', 10, 10), answer(4, 'b', 99, null)],
      true,
    );
    // T = 100/40 · 4 + 50/10 · 10 = 60
    expect(q.total).toBeCloseTo(60, 9);
    expect(q.contributions.map((c) => c.weight)).toEqual([2.5, 2.5, 5, 0]);
    expect(q.contributions[3].share).toBe(0);
    // The influences add up to the total.
    expect(q.contributions.reduce((a, c) => a + c.influence, 0)).toBeCloseTo(q.total, 9);
  });

  it('a hidden answer counts 0 and still counts as a respondent of its stratum', () => {
    const strata = [{ stratum: 'a', N: 10, X: null }];
    const q = questionInfluence(
      'refund_amount_eur',
      strata,
      [answer(1, 'a', 0, null, false), answer(2, 'a', 8)],
      false,
    );
    expect(q.total).toBeCloseTo(40, 9);
    expect(q.contributions[0].share).toBe(0);
    expect(q.contributions[1].share).toBe(1);
  });

  it('no answers: a total of 0 and no shares', () => {
    const q = questionInfluence('x', [{ stratum: 'a', N: 3, X: null }], [], false);
    expect(q.total).toBe(0);
    expect(q.contributions).toEqual([]);
  });
});

describe('ranking responses', () => {
  it('ranks by the largest share over the questions, largest first', () => {
    const strata = [{ stratum: 'a', N: 4, X: null }];
    const students = questionInfluence(
      'students_quit',
      strata,
      [answer(1, 'a', 1), answer(2, 'a', 1), answer(3, 'a', 8)],
      false,
    );
    const loss = questionInfluence(
      'revenue_loss_eur',
      strata,
      [answer(1, 'a', 90), answer(2, 'a', 5), answer(3, 'a', 5)],
      false,
    );
    const ranked = rankResponses([students, loss], [1, 2, 3]);
    expect(ranked.map((r) => [r.responseId, r.question])).toEqual([
      [1, 'revenue_loss_eur'],
      [3, 'students_quit'],
      [2, 'students_quit'],
    ]);
    expect(ranked[0].share).toBeCloseTo(0.9, 9);
    expect(ranked[1].share).toBeCloseTo(0.8, 9);
    expect(Object.keys(ranked[0].contributions)).toEqual(['students_quit', 'revenue_loss_eur']);
  });

  it('a response without numeric answers comes last', () => {
    const q = questionInfluence('x', [{ stratum: 'a', N: 2, X: null }], [answer(1, 'a', 3)], false);
    expect(rankResponses([q], [7, 1]).map((r) => [r.responseId, r.question])).toEqual([
      [1, 'x'],
      [7, null],
    ]);
  });
});
