import { describe, expect, it } from 'vitest';
import type { SurveyDefinition } from '../../../surveys/definition-schema';
import { breakField, waveBreaks } from '../../../surveys/editor/draft-comparability';
import { CORONA } from '../../support/survey-fixtures';

function version(n: number, edit: (d: SurveyDefinition) => void = () => {}): SurveyDefinition {
  const d = structuredClone(CORONA) as SurveyDefinition;
  d.version = n;
  edit(d);
  return d;
}
const question = (d: SurveyDefinition, key: string) => d.pages.flatMap((p) => p.questions).find((q) => q.key === key)!;

describe('breaks of comparability with versions used by waves', () => {
  it('names a changed type, unit or removed option, not a rewording', () => {
    const draft = version(2, (d) => {
      question(d, 'liquidity_months').type = 'integer';
      question(d, 'students_quit').unit = { nl: 'kinderen', en: 'children' };
      question(d, 'refund_policy').options!.pop();
      question(d, 'closure_risk').label = { nl: 'Hoe groot is het risico op sluiting?', en: 'Closure risk?' };
    });
    const breaks = waveBreaks([version(1)], draft);
    expect(breaks.map((b) => [b.key, b.version])).toEqual([
      ['liquidity_months', 1],
      ['students_quit', 1],
      ['refund_policy', 1],
    ]);
    expect(breaks.map((b) => b.changes.map((c) => breakField(c)))).toEqual([['type'], ['unit'], ['options']]);
  });

  it('compares with the newest wave version that asks the key, and ignores new keys', () => {
    // Version 2 (used by a wave) already changed the type; the draft keeps it: no break with version 2.
    const v2 = version(2, (d) => {
      question(d, 'liquidity_months').type = 'integer';
    });
    const draft = version(3, (d) => {
      question(d, 'liquidity_months').type = 'integer';
      question(d, 'remarks').key = 'remarks_2021';
    });
    expect(waveBreaks([v2, version(1)], draft)).toEqual([]);
    // Without a wave on version 2, the draft is compared with version 1.
    expect(waveBreaks([version(1)], draft).map((b) => b.key)).toEqual(['liquidity_months']);
    expect(waveBreaks([], draft)).toEqual([]);
  });
});
