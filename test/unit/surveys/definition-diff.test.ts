import { describe, expect, it } from 'vitest';
import { diffDefinitions } from '../../../surveys/definition-diff';
import type { SurveyDefinition } from '../../../surveys/definition-schema';
import { CORONA } from '../../support/survey-fixtures';

/** A deep copy of the corona questionnaire as version 2, changed by `edit`. */
function next(edit: (d: SurveyDefinition) => void): SurveyDefinition {
  const d = structuredClone(CORONA) as SurveyDefinition;
  d.version = 2;
  edit(d);
  return d;
}
const question = (d: SurveyDefinition, key: string) => d.pages.flatMap((p) => p.questions).find((q) => q.key === key)!;

describe('differences between questionnaire versions', () => {
  it('finds nothing but the version number between equal definitions', () => {
    const diff = diffDefinitions(
      CORONA,
      next(() => {}),
    );
    expect(diff.identical).toBe(true);
    expect(diff.questions).toEqual([]);
    expect(diff.counts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 24 - 5, breaking: 0 });
  });

  it('names added, removed and reworded questions; a reworded question keeps its key and its trend', () => {
    const diff = diffDefinitions(
      CORONA,
      next((d) => {
        d.pages[0].questions.push({ key: 'rent_eur', type: 'currency', label: { nl: 'Huur', en: 'Rent' } });
        d.pages[4].questions = d.pages[4].questions.filter((q) => q.key !== 'remarks');
        question(d, 'students_quit').label = { nl: 'Hoeveel leerlingen zegden op?', en: 'How many quit?' };
      }),
    );
    expect(diff.questions.map((q) => [q.key, q.status, q.breaksComparability])).toEqual([
      ['rent_eur', 'added', false],
      ['students_quit', 'changed', false],
      ['remarks', 'removed', false],
    ]);
    expect(diff.questions[1].changes).toEqual([
      {
        kind: 'reworded',
        before: question(CORONA, 'students_quit').label,
        after: { nl: 'Hoeveel leerlingen zegden op?', en: 'How many quit?' },
        breaks: false,
      },
    ]);
    expect(diff.counts).toMatchObject({ added: 1, removed: 1, changed: 1, breaking: 0 });
    expect(diff.identical).toBe(false);
  });

  it('marks a changed type, changed options, a changed unit and a changed condition as breaking comparability', () => {
    const diff = diffDefinitions(
      CORONA,
      next((d) => {
        question(d, 'liquidity_months').type = 'integer';
        const schemes = question(d, 'schemes');
        schemes.options = [
          ...schemes.options!.filter((o) => o.value !== 'TOGS'),
          { value: 'BMKB', label: { nl: 'BMKB-C', en: 'BMKB-C' } },
        ];
        const refund = question(d, 'refund_policy');
        refund.options = refund.options!.map((o, i) =>
          i === 0 ? { ...o, label: { nl: 'Alles terug', en: 'All back' } } : o,
        );
        question(d, 'revenue_loss_eur').unit = { nl: 'duizend euro', en: 'thousand euro' };
        question(d, 'online_share_pct').visible_if = undefined;
        question(d, 'extra_costs_eur').max = 10;
      }),
    );
    const byKey = new Map(diff.questions.map((q) => [q.key, q]));
    expect(byKey.get('liquidity_months')!.changes).toEqual([
      { kind: 'type', before: 'number', after: 'integer', breaks: true },
    ]);
    expect(byKey.get('schemes')!.changes.map((c) => [c.kind, 'value' in c ? c.value : null, c.breaks])).toEqual([
      ['option_added', 'BMKB', true],
      ['option_removed', 'TOGS', true],
    ]);
    expect(byKey.get('refund_policy')!.changes.map((c) => [c.kind, c.breaks])).toEqual([['option_relabelled', false]]);
    expect(byKey.get('revenue_loss_eur')!.changes.map((c) => [c.kind, c.breaks])).toEqual([['unit', true]]);
    expect(byKey.get('online_share_pct')!.changes.map((c) => [c.kind, c.breaks])).toEqual([['condition', true]]);
    expect(byKey.get('extra_costs_eur')!.changes).toEqual([
      { kind: 'bounds', before: [0, 50000000], after: [0, 10], breaks: false },
    ]);
    expect(diff.counts.breaking).toBe(4);
    expect(
      [...byKey.values()]
        .filter((q) => q.breaksComparability)
        .map((q) => q.key)
        .sort(),
    ).toEqual(['liquidity_months', 'online_share_pct', 'revenue_loss_eur', 'schemes'].sort());
  });

  it('finds moved questions without calling every later question moved', () => {
    const diff = diffDefinitions(
      CORONA,
      next((d) => {
        // students_quit moves from page "lessen" to the front of page "omzet"; one question is inserted.
        const lessen = d.pages[1];
        const moved = lessen.questions.find((q) => q.key === 'students_quit')!;
        lessen.questions = lessen.questions.filter((q) => q !== moved);
        d.pages[0].questions.unshift(moved);
        d.pages[0].questions.push({ key: 'rent_eur', type: 'currency', label: { nl: 'Huur', en: 'Rent' } });
      }),
    );
    expect(diff.questions.map((q) => [q.key, q.status, q.changes.map((c) => c.kind)])).toEqual([
      ['students_quit', 'changed', ['moved']],
      ['rent_eur', 'added', []],
    ]);
    expect(diff.questions[0].changes[0]).toMatchObject({ fromPage: 'lessen', toPage: 'omzet', breaks: false });
  });

  it('reports page and title changes', () => {
    const diff = diffDefinitions(
      CORONA,
      next((d) => {
        d.title = { nl: 'Nieuw', en: 'New' };
        d.pages[0].title = { nl: 'Geld', en: 'Money' };
        d.pages.push({
          key: 'nieuw',
          title: { nl: 'Nieuw', en: 'New' },
          questions: [{ key: 'x', type: 'text', label: { nl: 'X', en: 'X' } }],
        });
      }),
    );
    expect(diff.titleChanged).toBe(true);
    expect(diff.pages).toEqual({ added: ['nieuw'], removed: [], retitled: ['omzet'], reordered: false });
  });
});
