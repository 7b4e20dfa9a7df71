import { describe, expect, it } from 'vitest';
import { en } from '../../../views/i18n/en/index';
import { hasMessage, missingTranslations, t, tn } from '../../../views/i18n/index';
import { nl } from '../../../views/i18n/nl/index';

describe('texts', () => {
  it('has every key in Dutch and in English', () => {
    expect(missingTranslations()).toEqual({ nl: [], en: [] });
  });

  it('never writes brackets inside brackets (the method note said "((n,k)-regel)")', () => {
    for (const [key, text] of [...Object.entries(nl), ...Object.entries(en)]) expect(text, key).not.toContain('((');
    expect(t('nl', 'report.method.disclosure', { min: 5, k: 85, p: 10 })).toContain(
      'meer dan 85% van het totaal zijn (dominantieregel, n = 2), als de rest minder dan 10% van de grootste bijdrage is (p%-regel)',
    );
    expect(t('en', 'report.method.disclosure', { min: 5, k: 85, p: 10 })).toContain(
      'exceed 85% of the total (dominance rule, n = 2), when the rest',
    );
  });

  it('fills parameters and falls back to the key for unknown texts', () => {
    expect(t('nl', 'users.invited', { email: 'a@b.nl' })).toBe(
      'Uitnodiging voor a@b.nl staat in de wachtrij en wordt zo verstuurd.',
    );
    expect(t('en', 'users.invited', { email: 'a@b.nl' })).toBe(
      'Invitation for a@b.nl is queued and will be sent shortly.',
    );
    expect(t('nl', 'no.such.key')).toBe('no.such.key');
  });

  it('counts in the singular for 1 and the plural otherwise (frame import, breakdown limit)', () => {
    // frame import's lines per type: "muziekschool: 1 (1 lid)", "(0 leden)".
    expect(tn('nl', 'frame.members_count', 1)).toBe('1 lid');
    expect(tn('nl', 'frame.members_count', 0)).toBe('0 leden');
    expect(tn('nl', 'frame.members_count', 1234)).toBe('1.234 leden');
    expect(tn('en', 'frame.members_count', 1)).toBe('1 member');
    expect(tn('nl', 'frame.organisations_count', 1)).toBe('1 organisatie');
    expect(tn('nl', 'monitor.mail.new_accounts', 1)).toContain('Voor 1 adres zonder account');
    expect(tn('nl', 'monitor.mail.new_accounts', 3)).toContain('Voor 3 adressen zonder account');
    expect(tn('en', 'survey.upload.new_questionnaire', 1, { key: 'k' })).toBe(
      'This is a new questionnaire (key "k") with 1 question.',
    );
    // A counted message reached by its plain key (a warning from the report) picks its form by its count.
    expect(t('nl', 'report.warning.outside_frame', { n: 1, year: 2019 })).toMatch(
      /^1 ingediende reactie komt van een organisatie/,
    );
    expect(t('nl', 'report.warning.outside_frame', { n: 'minder dan 5', year: 2019 })).toMatch(
      /^minder dan 5 ingediende reacties komen/,
    );
    expect(tn('nl', 'frame.preview.errors_title', 1)).toBe('1 fout: er wordt niets geïmporteerd');
    expect(tn('nl', 'frame.preview.ambiguous_title', 1)).toBe('1 getal is op twee manieren te lezen');
    expect(tn('nl', 'responses.cli.rows', 1)).toBe('1 reactie');
    expect(tn('nl', 'responses.cli.replaced', 1)).toBe('1 vervangen concept');
    // A domain error reaches its text by the plain code with its own count parameter.
    expect(hasMessage('report.too_many_variables')).toBe(true);
    expect(t('nl', 'report.too_many_variables', { max: 1 })).toBe(
      'Kies ten hoogste 1 variabele voor de uitsplitsing: fijnere groepen zijn te klein om te publiceren.',
    );
    expect(t('nl', 'report.too_many_variables', { max: 2 })).toMatch(/^Kies ten hoogste 2 variabelen /);
    expect(t('en', 'report.too_many_variables', { max: 1 })).toMatch(/^Choose at most 1 variable for/);
    // A flash message's count is its `n`, whatever other numbers it holds.
    expect(t('nl', 'frame.imported', { year: 2019, n: 1 })).toBe('De populatie 2019 is geïmporteerd: 1 organisatie.');
    expect(t('nl', 'frame.imported', { year: 2019, n: 400 })).toBe(
      'De populatie 2019 is geïmporteerd: 400 organisaties.',
    );
  });
});
