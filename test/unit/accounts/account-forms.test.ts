import { describe, expect, it } from 'vitest';
import {
  changePasswordForm,
  firstRunForm,
  inviteForm,
  loginForm,
  resetRequestForm,
  setPasswordForm,
  userChangeForm,
} from '../../../accounts/account-forms';
import { readForm } from '../../../server/web/form';

// Arrays, objects and numbers where a text field belongs: what a hand-crafted post can send.
const hostile = [['a@b.nl', 'x@y.nl'], { $ne: '' }, 42, null];

describe('inviteForm', () => {
  it('reads a valid invitation as posted, without trimming', () => {
    const body = {
      email: ' ann@school.nl ',
      name: ' Ann ',
      role: 'member',
      org_id: ' K0001 ',
      org_zoek: 'x',
      _csrf: 't',
    };
    expect(readForm(inviteForm, body)).toEqual({
      values: { email: ' ann@school.nl ', name: ' Ann ', role: 'member', org_id: ' K0001 ', org_zoek: 'x' },
      errors: [],
    });
    expect(readForm(inviteForm, { email: 'a@b.nl', role: 'staff' }).errors).toEqual([]);
  });

  it('reports each error at its field, in order', () => {
    expect(readForm(inviteForm, { email: 'nope', role: 'owner' }).errors).toEqual([
      { field: 'email', key: 'account.email_invalid' },
      { field: 'role', key: 'account.role_invalid' },
    ]);
    expect(readForm(inviteForm, { email: 'a@b.nl', role: 'member', org_id: '   ' }).errors).toEqual([
      { field: 'org_id', key: 'account.org_required' },
    ]);
  });

  it('reads hostile shapes as empty fields', () => {
    for (const value of hostile) {
      const { values, errors } = readForm(inviteForm, { email: value, name: value, role: value, org_id: value });
      expect(values).toEqual({ email: '', name: '', role: '', org_id: '', org_zoek: '' });
      expect(errors.map((e) => e.field)).toEqual(['email', 'role']);
    }
    for (const body of [undefined, null, 'email=a@b.nl', ['a@b.nl']]) {
      expect(readForm(inviteForm, body).values.email).toBe('');
    }
  });
});

describe('userChangeForm', () => {
  it('turns the fields into a change; empty or unknown fields change nothing', () => {
    expect(readForm(userChangeForm, { role: 'staff', active: 'false', org_id: 'K0002' })).toEqual({
      values: { role: 'staff', active: false, org_id: 'K0002' },
      errors: [],
    });
    expect(readForm(userChangeForm, { role: 'owner', active: 'true' }).values).toEqual({
      role: undefined,
      active: true,
      org_id: undefined,
    });
    expect(readForm(userChangeForm, { role: ['admin'], active: { x: 1 }, org_id: ['K1'] }).values).toEqual({
      role: undefined,
      active: undefined,
      org_id: undefined,
    });
  });
});

describe('changePasswordForm', () => {
  it('accepts a current password and two equal new ones', () => {
    const body = { current_password: 'old', password: 'new password!', password_confirm: 'new password!' };
    expect(readForm(changePasswordForm, body)).toEqual({ values: body, errors: [] });
  });

  it('asks for the current password and equal new ones', () => {
    expect(readForm(changePasswordForm, { password: 'a', password_confirm: 'b' }).errors).toEqual([
      { field: 'current_password', key: 'password.current_required' },
      { field: 'password_confirm', key: 'password.mismatch' },
    ]);
    expect(
      readForm(changePasswordForm, { current_password: ['x'], password: { a: 1 }, password_confirm: 'x' }).errors,
    ).toEqual([
      { field: 'current_password', key: 'password.current_required' },
      { field: 'password_confirm', key: 'password.mismatch' },
    ]);
  });
});

describe('firstRunForm', () => {
  const valid = { name: 'Ann', email: 'ann@branche.nl', password: 'long password', password_confirm: 'long password' };

  it('accepts a name, an address and two equal passwords', () => {
    expect(readForm(firstRunForm, valid)).toEqual({ values: valid, errors: [] });
  });

  it('reports each error at its field', () => {
    expect(readForm(firstRunForm, { ...valid, name: '  ', email: 'ann', password_confirm: 'other' }).errors).toEqual([
      { field: 'name', key: 'firstrun.name_required' },
      { field: 'email', key: 'account.email_invalid' },
      { field: 'password_confirm', key: 'password.mismatch' },
    ]);
    expect(readForm(firstRunForm, { ...valid, name: ['Ann'], email: { a: 1 } }).errors).toEqual([
      { field: 'name', key: 'firstrun.name_required' },
      { field: 'email', key: 'account.email_invalid' },
    ]);
  });
});

describe('loginForm', () => {
  it('reads the address, the password and where to go next', () => {
    expect(readForm(loginForm, { email: 'a@b.nl', password: 'pw', next: '/rapporten' })).toEqual({
      values: { email: 'a@b.nl', password: 'pw', next: '/rapporten' },
      errors: [],
    });
    expect(readForm(loginForm, { email: ['a@b.nl'], password: { $gt: '' }, next: ['//evil'] }).values).toEqual({
      email: '',
      password: '',
      next: '',
    });
  });
});

describe('resetRequestForm', () => {
  it('needs a valid address', () => {
    expect(readForm(resetRequestForm, { email: 'a@b.nl' }).errors).toEqual([]);
    expect(readForm(resetRequestForm, { email: 'a@b' }).errors).toEqual([
      { field: 'email', key: 'account.email_invalid' },
    ]);
    expect(readForm(resetRequestForm, { email: ['a@b.nl'] })).toEqual({
      values: { email: '' },
      errors: [{ field: 'email', key: 'account.email_invalid' }],
    });
  });
});

describe('setPasswordForm', () => {
  it('reads the kind (anything but reset is an invitation), the token and two equal passwords', () => {
    const body = { kind: 'reset', token: 'tok', password: 'pw pw pw pw', password_confirm: 'pw pw pw pw' };
    expect(readForm(setPasswordForm, body)).toEqual({ values: body, errors: [] });
    expect(readForm(setPasswordForm, { ...body, kind: 'admin' }).values.kind).toBe('invite');
    expect(readForm(setPasswordForm, { ...body, kind: ['reset'] }).values.kind).toBe('invite');
  });

  it('reports unequal passwords at the confirmation', () => {
    expect(readForm(setPasswordForm, { token: ['a'], password: 'x', password_confirm: 'y' })).toEqual({
      values: { kind: 'invite', token: '', password: 'x', password_confirm: 'y' },
      errors: [{ field: 'password_confirm', key: 'password.mismatch' }],
    });
  });
});
