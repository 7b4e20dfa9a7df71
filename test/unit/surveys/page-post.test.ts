import { describe, expect, it } from 'vitest';
import { readForm } from '../../../server/web/form';
import { interpretPagePost, pendingShown, readPagePost, submitPost } from '../../../surveys/answers/page-post';
import type { StoredAnswer } from '../../../surveys/responses/responses-repository';
import { CORONA } from '../../support/survey-fixtures';

const page1 = CORONA.pages[0].questions; // revenue_loss_eur, extra_costs_eur, liquidity_months
const page3 = CORONA.pages[2].questions; // schemes (multi choice), now_employees, …
const stored = (key: string, value_num: string): StoredAnswer => ({
  question_key: key,
  hidden: false,
  value_num,
  value_text: null,
  value_bool: null,
  value_choices: null,
});

describe('reading a page post', () => {
  it('takes strings and lists of strings for the page questions, and ignores the rest', () => {
    const post = readPagePost(
      { revenue_loss_eur: '12.500,50', extra_costs_eur: { $gt: 1 }, other: 'x', version: '7' },
      page1,
    );
    expect(post.version).toBe(7);
    expect(post.raw).toEqual({
      revenue_loss_eur: '12.500,50',
      extra_costs_eur: undefined,
      liquidity_months: undefined,
    });
    const multi = readPagePost({ schemes: ['now', 3, 'tvl'] }, page3);
    expect(multi.raw.schemes).toEqual(['now', 'tvl']);
  });

  it('counts a missing or malformed version of the submit form as stale (-1)', () => {
    const readVersion = (body: unknown) => readForm(submitPost, body).values.version;
    expect(readVersion({})).toBe(-1);
    expect(readVersion({ version: '1e3' })).toBe(-1);
    expect(readVersion({ version: ['3'] })).toBe(-1);
    expect(readVersion(null)).toBe(-1);
    expect(readVersion({ version: '12' })).toBe(12);
  });

  it('confirms an ambiguous value only when the confirmed text is the value posted', () => {
    expect(readPagePost({ revenue_loss_eur: '1.250', confirm__revenue_loss_eur: '1.250' }, page1).confirmed).toEqual(
      new Set(['1.250']),
    );
    expect(readPagePost({ revenue_loss_eur: '1.251', confirm__revenue_loss_eur: '1.250' }, page1).confirmed.size).toBe(
      0,
    );
  });

  it('keeps a reason with the value it was given for, with spaces tidied', () => {
    const post = readPagePost(
      {
        reason__revenue_loss_eur: '  eenmalige   sluiting ',
        checked__revenue_loss_eur: '90000',
        reason__extra_costs_eur: ' ',
      },
      page1,
    );
    expect([...post.reasons]).toEqual([['revenue_loss_eur', { reason: 'eenmalige sluiting', checked: '90000' }]]);
  });
});

describe('interpreting a page post', () => {
  const none = new Map<string, StoredAnswer>();

  it('asks about both readings of an ambiguous number, keeps it as typed and does not save it', () => {
    const post = readPagePost({ revenue_loss_eur: '1,250', extra_costs_eur: '300', liquidity_months: 'x' }, page1);
    const page = interpretPagePost(page1, post, none, 'nl', { confirm: false });
    expect(page.asks).toEqual([
      {
        question: 'revenue_loss_eur',
        raw: '1,250',
        key: 'survey.answer.confirm_ambiguous',
        params: { value: '1,250', read: expect.any(String), other: expect.any(String) },
      },
    ]);
    const { read, other } = page.asks[0].params as { read: string; other: string };
    expect(new Set([read, other])).toEqual(new Set(['1250', '1,25']));
    expect(page.errors.map((e) => e.field)).toEqual(['liquidity_months']);
    expect([...page.updates.keys()]).toEqual(['extra_costs_eur']);
    expect([...page.pending]).toEqual([
      ['revenue_loss_eur', '1,250'],
      ['extra_costs_eur', null],
      ['liquidity_months', 'x'],
    ]);
  });

  it('confirms an ambiguous number only on a click, not by autosave', () => {
    const post = readPagePost({ revenue_loss_eur: '1,250', confirm__revenue_loss_eur: '1,250' }, page1);
    expect(interpretPagePost(page1, post, none, 'nl', { confirm: false }).asks).toHaveLength(1);
    const clicked = interpretPagePost(page1, post, none, 'nl', { confirm: true });
    expect(clicked.asks).toEqual([]);
    expect(clicked.updates.get('revenue_loss_eur')?.value_num).toBe('1250');
    expect(clicked.pending.get('revenue_loss_eur')).toBeNull();
  });

  it('asks nothing about the common ways of writing an amount', () => {
    for (const raw of ['€ 45.000', '45.000', '45000', '45.000,-', '€ 45.000,00']) {
      const page = interpretPagePost(page1, readPagePost({ revenue_loss_eur: raw }, page1), none, 'nl', {
        confirm: false,
      });
      expect(page.asks, raw).toEqual([]);
      expect(page.errors, raw).toEqual([]);
      expect(page.updates.get('revenue_loss_eur')?.value_num, raw).toBe('45000');
    }
  });

  it('shows inputs kept as typed with their question or error', () => {
    const shown = pendingShown(
      page1,
      new Map([
        ['revenue_loss_eur', '1,250'],
        ['extra_costs_eur', 'veel'],
        ['other', 'x'],
      ]),
      'nl',
    );
    expect(shown.values).toEqual({ revenue_loss_eur: '1,250', extra_costs_eur: 'veel' });
    expect(shown.asks.map((a) => a.question)).toEqual(['revenue_loss_eur']);
    expect(shown.errors.map((e) => e.field)).toEqual(['extra_costs_eur']);
  });

  it("takes back the server's own rendering of a stored amount without asking", () => {
    const post = readPagePost({ revenue_loss_eur: '3.250' }, page1);
    const page = interpretPagePost(
      page1,
      post,
      new Map([['revenue_loss_eur', stored('revenue_loss_eur', '3250')]]),
      'nl',
      {
        confirm: false,
      },
    );
    expect(page.errors).toEqual([]);
    expect(page.updates.get('revenue_loss_eur')?.value_num).toBe('3250');
  });

  it('keeps a questioned answer only on the member’s click and for the value it was questioned for', () => {
    const body = { revenue_loss_eur: '90000', reason__revenue_loss_eur: 'brand', checked__revenue_loss_eur: '90000' };
    const post = readPagePost(body, page1);
    expect(interpretPagePost(page1, post, none, 'nl', { confirm: true }).confirmations).toEqual(
      new Map([['revenue_loss_eur', 'brand']]),
    );
    expect(interpretPagePost(page1, post, none, 'nl', { confirm: false }).confirmations.size).toBe(0);
    const changed = readPagePost({ ...body, revenue_loss_eur: '95000' }, page1);
    expect(interpretPagePost(page1, changed, none, 'nl', { confirm: true }).confirmations.size).toBe(0);
  });

  it('refuses a reason that is too long, at the reason field', () => {
    const post = readPagePost(
      { revenue_loss_eur: '90000', reason__revenue_loss_eur: 'x'.repeat(501), checked__revenue_loss_eur: '90000' },
      page1,
    );
    const page = interpretPagePost(page1, post, none, 'nl', { confirm: true });
    expect(page.errors.map((e) => e.field)).toEqual(['reason__revenue_loss_eur']);
    expect(page.confirmations.size).toBe(0);
  });
});
