import { describe, expect, it } from 'vitest';
import { missingTranslations, t } from '../../../views/i18n/index';

describe('texts', () => {
  it('has every key in Dutch and in English', () => {
    expect(missingTranslations()).toEqual({ nl: [], en: [] });
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
});
