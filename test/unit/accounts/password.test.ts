import { describe, expect, it } from 'vitest';
import { isCommonPassword, passwordProblem } from '../../../accounts/password';

describe('passwordProblem', () => {
  it('refuses a password of one letter, a short pattern and common passwords, also with digits added', () => {
    expect(passwordProblem('aaaaaaaaaa')).toBe('password.repetitive');
    expect(passwordProblem('1212121212')).toBe('password.repetitive');
    expect(passwordProblem('qwertyuiop')).toBe('password.common');
    expect(passwordProblem('1234567890')).toBe('password.common');
    expect(passwordProblem('Wachtwoord2024!')).toBe('password.common');
    expect(isCommonPassword('PASSWORD123')).toBe(true);
    expect(passwordProblem('kort')).toBe('password.too_short');
  });

  it('accepts a long phrase of its own', () => {
    expect(passwordProblem('een lang wachtwoord')).toBeNull();
    expect(passwordProblem('Trompet & viool op dinsdag')).toBeNull();
  });
});
