// Account rules: who may log in, invitations, password reset, roles.
// Errors are AccountError values with a message key, turned into text at the edge.
import type { Kysely } from 'kysely';
import { recordAudit } from '../foundation/audit/audit-log';
import type { Database, Role, User } from '../foundation/db/schema';
import { inTransaction } from '../foundation/db/transaction';
import { enqueueMail, enqueueNothing } from '../foundation/mail/mail-queue';
import { organisationExists } from '../register/frame-repository';
import type { Locale } from '../views/i18n/index';
import { hashPassword, passwordProblem, verifyPassword } from './password';
import { resetMail } from './reset-mail';
import { hashToken, newToken, TOKEN_LIFETIME_HOURS } from './tokens';
import * as repo from './users-repository';

type Db = Kysely<Database>;

export const ROLES: readonly Role[] = ['admin', 'staff', 'member'];
/** Every limit below counts attempts in the same window (minutes). */
export const RATE_LIMIT_WINDOW_MINUTES = 15;
/** How long a refused client should wait (the Retry-After header): one window. */
export const RETRY_AFTER_SECONDS = RATE_LIMIT_WINDOW_MINUTES * 60;

/**
 * Login throttling, counted per (account, address) and per address, never per
 * account alone: strangers cannot lock the owner out. Failures on an account from
 * all addresses only slow every attempt on it down (progressive delay).
 */
export const LOGIN_LIMIT = {
  perAccountAndAddress: 10,
  perAddress: 30,
  windowMinutes: RATE_LIMIT_WINDOW_MINUTES,
  delayAfter: 5,
  maxDelayMs: 2_000,
};
export const RESET_LIMIT = { maxRequests: 5, windowMinutes: RATE_LIMIT_WINDOW_MINUTES };
/** Changing one's password checks the current one and hashes the new one: two scrypt runs, limited. */
export const CHANGE_PASSWORD_LIMIT = {
  perAccountAndAddress: 10,
  perAddress: 30,
  windowMinutes: RATE_LIMIT_WINDOW_MINUTES,
};
/** Setting a password by link hashes (scrypt, 32 MiB): limited per address against CPU exhaustion. */
export const SET_PASSWORD_LIMIT = { perAddress: 20, windowMinutes: RATE_LIMIT_WINDOW_MINUTES };

export class AccountError extends Error {
  constructor(
    readonly code: string,
    readonly field: string | null = null,
    readonly params: Record<string, string> = {},
  ) {
    super(code);
    this.name = 'AccountError';
  }
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validEmail(email: string): boolean {
  return email.length <= 254 && EMAIL_PATTERN.test(email.trim());
}

/** A member account belongs to an organisation of the population frame, never to an unknown id. */
async function requireKnownOrganisation(db: Db, orgId: string): Promise<void> {
  if (!(await organisationExists(db, orgId))) throw new AccountError('account.org_unknown', 'org_id', { org: orgId });
}

export interface NewAccount {
  email: string;
  name?: string;
  role: Role;
  orgId?: string | null;
  password?: string | null;
}

export async function createAccount(db: Db, account: NewAccount, actorUserId: number | null): Promise<User> {
  if (!validEmail(account.email)) throw new AccountError('account.email_invalid', 'email');
  if (!ROLES.includes(account.role)) throw new AccountError('account.role_invalid', 'role');
  const orgId = account.orgId?.trim() || null;
  if (account.role === 'member' && !orgId) throw new AccountError('account.org_required', 'org_id');
  if (account.role === 'member' && orgId) await requireKnownOrganisation(db, orgId);
  if (account.password != null) {
    const problem = passwordProblem(account.password);
    if (problem) throw new AccountError(problem, 'password');
  }
  if (await repo.findUserByEmail(db, account.email)) throw new AccountError('account.email_taken', 'email');
  const passwordHash = account.password != null ? await hashPassword(account.password) : null;
  return inTransaction(db, async (trx) => {
    const user = await repo.insertUser(trx, {
      email: account.email,
      name: account.name?.trim() ?? '',
      role: account.role,
      org_id: account.role === 'member' ? orgId : null,
      password_hash: passwordHash,
    });
    await recordAudit(trx, {
      actorUserId,
      action: 'user.create',
      entity: 'user',
      entityId: user.id,
      details: { email: user.email, role: user.role, org_id: user.org_id },
    });
    return user;
  });
}

/** The first admin, only while no user exists (first-run page and CLI). */
export async function createFirstAdmin(
  db: Db,
  account: { email: string; name: string; password: string },
): Promise<User> {
  // Serialise with a transaction-level advisory lock so two concurrent first-run
  // submissions cannot both create an admin.
  return db.transaction().execute(async (trx) => {
    await repo.lockFirstRun(trx);
    if ((await repo.countUsers(trx)) > 0) throw new AccountError('firstrun.already_done');
    return createAccount(trx, { ...account, role: 'admin' }, null);
  });
}

export type LoginResult = { ok: true; user: User } | { ok: false; reason: 'invalid' | 'rate_limited' };

/** The wait before an attempt on an account that had `failures` recent failed attempts from anywhere. */
export function loginDelayMs(failures: number): number {
  if (failures < LOGIN_LIMIT.delayAfter) return 0;
  return Math.min(100 * 2 ** (failures - LOGIN_LIMIT.delayAfter), LOGIN_LIMIT.maxDelayMs);
}

export async function authenticate(db: Db, email: string, password: string, ip: string): Promise<LoginResult> {
  // The attempt is recorded before the password is checked, so concurrent attempts count.
  const attempt = await repo.reserveAttempt(db, 'login', email, ip, {
    since: new Date(Date.now() - LOGIN_LIMIT.windowMinutes * 60_000),
    perAccountAndAddress: LOGIN_LIMIT.perAccountAndAddress,
    perAddress: LOGIN_LIMIT.perAddress,
  });
  if (!attempt) return { ok: false, reason: 'rate_limited' };
  const delay = loginDelayMs(attempt.byAccount);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const user = await repo.findUserByEmail(db, email);
  const matches = await verifyPassword(password, user?.password_hash ?? null);
  if (!user || !matches || !user.active) return { ok: false, reason: 'invalid' };
  await repo.clearAttemptsFrom(db, 'login', email, ip);
  const updated = await repo.updateUser(db, user.id, { last_login_at: new Date() });
  return { ok: true, user: updated ?? user };
}

/** Create a single-use link token for an invitation or a password reset. */
export async function issueToken(db: Db, userId: number, kind: 'invite' | 'reset'): Promise<string> {
  const { token, hash } = newToken();
  const expiresAt = new Date(Date.now() + TOKEN_LIFETIME_HOURS[kind] * 3_600_000);
  await repo.insertToken(db, userId, kind, hash, expiresAt);
  return token;
}

export async function tokenIsValid(db: Db, kind: 'invite' | 'reset', token: string): Promise<boolean> {
  const row = await repo.findValidToken(db, kind, hashToken(token));
  return Boolean(row?.active);
}

/** Use an invitation or reset token to set a password; the token works once. */
export async function setPasswordWithToken(
  db: Db,
  kind: 'invite' | 'reset',
  token: string,
  password: string,
  ip: string,
): Promise<User> {
  const attempt = await repo.reserveAttempt(db, 'set_password', '', ip, {
    since: new Date(Date.now() - SET_PASSWORD_LIMIT.windowMinutes * 60_000),
    perAccountAndAddress: SET_PASSWORD_LIMIT.perAddress,
    perAddress: SET_PASSWORD_LIMIT.perAddress,
  });
  if (!attempt) throw new AccountError('password.rate_limited');
  const problem = passwordProblem(password);
  if (problem) throw new AccountError(problem, 'password');
  // The token is checked before the expensive hash, so nobody without a valid link
  // can make the server run scrypt; it is used up (atomically) only below.
  if (!(await tokenIsValid(db, kind, token))) throw new AccountError('token.invalid');
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const userId = await repo.consumeToken(trx, kind, hashToken(token));
    if (userId === null) throw new AccountError('token.invalid');
    const user = await repo.findUserById(trx, userId);
    if (!user?.active) throw new AccountError('token.invalid');
    const updated = await repo.updateUser(trx, userId, { password_hash: passwordHash });
    // Other links already sent (an older reset, an invitation) no longer set a password.
    await repo.invalidateTokensOf(trx, userId);
    await repo.clearAttempts(trx, 'login', user.email);
    // A new password ends every session of the account (the caller then starts a fresh one).
    await repo.deleteSessionsOf(trx, userId);
    await recordAudit(trx, {
      actorUserId: userId,
      action: kind === 'invite' ? 'user.accept_invite' : 'user.reset_password',
      entity: 'user',
      entityId: userId,
    });
    return updated!;
  });
}

/**
 * A logged-in user changes their password: the current password is required, the
 * attempt is counted before any hashing, and every other session of the account ends
 * (the one making the change stays).
 */
export async function changeOwnPassword(
  db: Db,
  user: User,
  input: { current: string; password: string; keepSid: string; ip: string },
): Promise<User> {
  const attempt = await repo.reserveAttempt(db, 'change_password', user.email, input.ip, {
    since: new Date(Date.now() - CHANGE_PASSWORD_LIMIT.windowMinutes * 60_000),
    perAccountAndAddress: CHANGE_PASSWORD_LIMIT.perAccountAndAddress,
    perAddress: CHANGE_PASSWORD_LIMIT.perAddress,
  });
  if (!attempt) throw new AccountError('password.rate_limited', 'current_password');
  const problem = passwordProblem(input.password);
  if (problem) throw new AccountError(problem, 'password');
  const fresh = await repo.findUserById(db, user.id);
  if (!fresh?.active || !(await verifyPassword(input.current, fresh.password_hash)))
    throw new AccountError('password.current_wrong', 'current_password');
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (trx) => {
    const updated = await repo.updateUser(trx, user.id, { password_hash: passwordHash });
    await repo.clearAttempts(trx, 'change_password', user.email);
    // Reset and invitation links already sent no longer set a password.
    await repo.invalidateTokensOf(trx, user.id);
    await repo.deleteOtherSessionsOf(trx, user.id, input.keepSid);
    await recordAudit(trx, { actorUserId: user.id, action: 'user.change_password', entity: 'user', entityId: user.id });
    return updated!;
  });
}

/**
 * A reset request. For an active account a link token is issued and the mail put
 * in the queue; for any other address the same statements run without effect, so
 * the request costs the same either way and the page says the same (addresses are
 * not revealed, neither by the answer nor by its timing). Nothing is sent here.
 */
export async function requestPasswordReset(
  db: Db,
  options: { email: string; ip: string; publicUrl: string; locale: Locale },
): Promise<'queued' | 'rate_limited'> {
  const { email, ip, publicUrl, locale } = options;
  const attempt = await repo.reserveAttempt(db, 'reset', email, ip, {
    since: new Date(Date.now() - RESET_LIMIT.windowMinutes * 60_000),
    perAccountAndAddress: RESET_LIMIT.maxRequests,
    perAddress: RESET_LIMIT.maxRequests * 4,
  });
  // Also a cap per account from all addresses: nobody can flood someone's inbox.
  if (!attempt || attempt.byAccount >= RESET_LIMIT.maxRequests) return 'rate_limited';
  const user = await repo.findUserByEmail(db, email);
  const { token, hash } = newToken();
  const expiresAt = new Date(Date.now() + TOKEN_LIFETIME_HOURS.reset * 3_600_000);
  await db.transaction().execute(async (trx) => {
    if (user?.active) {
      await repo.insertToken(trx, user.id, 'reset', hash, expiresAt);
      await enqueueMail(trx, resetMail({ publicUrl, locale, user, token }));
    } else {
      await repo.insertNoToken(trx, 'reset');
      await enqueueNothing(trx);
    }
  });
  return 'queued';
}

export async function changeUser(
  db: Db,
  userId: number,
  changes: { role?: Role; active?: boolean; orgId?: string | null },
  actor: User,
): Promise<User> {
  const user = await repo.findUserById(db, userId);
  if (!user) throw new AccountError('account.not_found');
  if (user.id === actor.id && (changes.active === false || (changes.role && changes.role !== 'admin'))) {
    // An admin who removes their own rights can lock everyone out.
    throw new AccountError('account.not_self');
  }
  const role = changes.role ?? user.role;
  if (!ROLES.includes(role)) throw new AccountError('account.role_invalid', 'role');
  const orgId = role === 'member' ? (changes.orgId !== undefined ? changes.orgId?.trim() || null : user.org_id) : null;
  if (role === 'member' && !orgId) throw new AccountError('account.org_required', 'org_id');
  if (role === 'member' && orgId && orgId !== user.org_id) await requireKnownOrganisation(db, orgId);
  return db.transaction().execute(async (trx) => {
    const updated = await repo.updateUser(trx, userId, { role, org_id: orgId, active: changes.active ?? user.active });
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'user.update',
      entity: 'user',
      entityId: userId,
      details: {
        before: { role: user.role, active: user.active, org_id: user.org_id },
        after: { role, active: updated!.active, org_id: orgId },
      },
    });
    if (changes.active === false) {
      // A deactivated user is logged out everywhere at once.
      await repo.deleteSessionsOf(trx, userId);
    }
    return updated!;
  });
}
