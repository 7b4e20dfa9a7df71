import { describe, expect, it } from 'vitest';
import { RATE_LIMIT_WINDOW_MINUTES, RETRY_AFTER_SECONDS } from '../../../accounts/accounts';
import { resetLink, resetMail } from '../../../accounts/reset-mail';
import type { User } from '../../../foundation/db/schema';

const user = { id: 7, email: 'ann@example.nl', name: 'Ann', org_id: 'K0001' } as User;

describe('the password-reset mail', () => {
  it('links to the set-password page as a reset, the token escaped', () => {
    expect(resetLink('https://monitor.example.nl', 'a+b/c')).toBe(
      'https://monitor.example.nl/wachtwoord-instellen?soort=reset&token=a%2Bb%2Fc',
    );
  });

  it('is addressed to the user, in the language asked for, with the link in the text', () => {
    const nl = resetMail({ publicUrl: 'https://monitor.example.nl', locale: 'nl', user, token: 'tok' });
    expect(nl).toMatchObject({ to: 'ann@example.nl', kind: 'reset', relatedOrgId: 'K0001' });
    expect(nl.text).toContain('Ann');
    expect(nl.text).toContain('https://monitor.example.nl/wachtwoord-instellen?soort=reset&token=tok');
    const en = resetMail({
      publicUrl: 'https://monitor.example.nl',
      locale: 'en',
      user: { ...user, name: '' },
      token: 'tok',
    });
    expect(en.subject).not.toBe(nl.subject);
    expect(en.text).toContain('ann@example.nl');
  });

  it('asks a refused client to wait one rate-limit window', () => {
    expect(RETRY_AFTER_SECONDS).toBe(RATE_LIMIT_WINDOW_MINUTES * 60);
    expect(RETRY_AFTER_SECONDS).toBe(900);
  });
});
