// All SQL on users, tokens and authentication attempts.
import { type Kysely, sql } from 'kysely';
import type { AttemptKind, Database, NewUser, Role, TokenKind, User } from '../foundation/db/schema';

type Db = Kysely<Database>;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('users').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
}

export function findUserById(db: Db, id: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The user with the name of their organisation (members), for the page header. */
export function findUserWithOrganisation(
  db: Db,
  id: number,
): Promise<(User & { org_name: string | null }) | undefined> {
  return db
    .selectFrom('users')
    .leftJoin('organisations', 'organisations.org_id', 'users.org_id')
    .selectAll('users')
    .select('organisations.name as org_name')
    .where('users.id', '=', id)
    .executeTakeFirst();
}

/** The member accounts of an organisation that can log in (active, with a password), by e-mail; its own and those linked to it. */
export function activeMembersOf(db: Db, orgId: string): Promise<Pick<User, 'email' | 'name'>[]> {
  return db
    .selectFrom('users')
    .select(['email', 'name'])
    .where((eb) =>
      eb.or([
        eb('org_id', '=', orgId),
        eb.exists(
          eb
            .selectFrom('user_organisations as uo')
            .select('uo.org_id')
            .whereRef('uo.user_id', '=', 'users.id')
            .where('uo.org_id', '=', orgId),
        ),
      ]),
    )
    .where('role', '=', 'member')
    .where('active', '=', true)
    .where('password_hash', 'is not', null)
    .orderBy('email')
    .execute();
}

/**
 * The organisations an account answers for: its own (users.org_id) and those linked
 * to it (user_organisations), by name. Only a member account has any.
 */
export async function organisationsOfUser(db: Db, userId: number): Promise<{ org_id: string; name: string }[]> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('organisations as o', (join) =>
      join.on((eb) =>
        eb.or([
          eb('o.org_id', '=', eb.ref('u.org_id')),
          eb.exists(
            eb
              .selectFrom('user_organisations as uo')
              .select('uo.org_id')
              .whereRef('uo.user_id', '=', 'u.id')
              .whereRef('uo.org_id', '=', 'o.org_id'),
          ),
        ]),
      ),
    )
    .select(['o.org_id', 'o.name'])
    .where('u.id', '=', userId)
    .where('u.role', '=', 'member')
    .orderBy('o.name')
    .orderBy('o.org_id')
    .execute();
  return rows;
}

/** Link an account to a further organisation; false when it already answers for it. */
export async function linkUserToOrganisation(db: Db, userId: number, orgId: string): Promise<boolean> {
  const user = await db.selectFrom('users').select('org_id').where('id', '=', userId).executeTakeFirst();
  if (!user || user.org_id === orgId) return false;
  const inserted = await db
    .insertInto('user_organisations')
    .values({ user_id: userId, org_id: orgId })
    .onConflict((oc) => oc.columns(['user_id', 'org_id']).doNothing())
    .returning('org_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The links between accounts and these organisations (user_organisations). */
export async function linksToOrganisations(
  db: Db,
  orgIds: readonly string[],
): Promise<{ user_id: number; org_id: string }[]> {
  if (orgIds.length === 0) return [];
  return db
    .selectFrom('user_organisations')
    .select(['user_id', 'org_id'])
    .where('org_id', 'in', [...orgIds])
    .execute();
}

export function listUsers(db: Db): Promise<User[]> {
  return db.selectFrom('users').selectAll().orderBy('role').orderBy('email').execute();
}

export async function insertUser(db: Db, user: NewUser): Promise<User> {
  return db
    .insertInto('users')
    .values({ ...user, email: normaliseEmail(user.email) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateUser(
  db: Db,
  id: number,
  changes: {
    role?: Role;
    org_id?: string | null;
    active?: boolean;
    name?: string;
    password_hash?: string;
    last_login_at?: Date;
  },
) {
  return db.updateTable('users').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function insertToken(db: Db, userId: number, kind: TokenKind, tokenHash: string, expiresAt: Date) {
  // A new link replaces older unused links of the same kind.
  await db
    .updateTable('user_tokens')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('used_at', 'is', null)
    .execute();
  await db
    .insertInto('user_tokens')
    .values({ user_id: userId, kind, token_hash: tokenHash, expires_at: expiresAt })
    .execute();
}

/** insertToken's statements for no user (id 0 never exists): the same work, no effect. */
export async function insertNoToken(db: Db, kind: TokenKind) {
  await db
    .updateTable('user_tokens')
    .set({ used_at: new Date() })
    .where('user_id', '=', 0)
    .where('kind', '=', kind)
    .where('used_at', 'is', null)
    .execute();
  await sql`insert into user_tokens (user_id, kind, token_hash, expires_at)
    select ${0}, ${kind}, ${''}, now() where false`.execute(db);
}

/** A token that exists, is unused and has not expired (without using it). */
export function findValidToken(db: Db, kind: TokenKind, tokenHash: string) {
  return db
    .selectFrom('user_tokens')
    .innerJoin('users', 'users.id', 'user_tokens.user_id')
    .select(['user_tokens.id', 'user_tokens.user_id', 'users.email', 'users.active'])
    .where('user_tokens.kind', '=', kind)
    .where('user_tokens.token_hash', '=', tokenHash)
    .where('user_tokens.used_at', 'is', null)
    .where('user_tokens.expires_at', '>', new Date())
    .executeTakeFirst();
}

/** Mark a token used; one statement, so two concurrent uses cannot both succeed. */
export async function consumeToken(db: Db, kind: TokenKind, tokenHash: string): Promise<number | null> {
  const row = await db
    .updateTable('user_tokens')
    .set({ used_at: new Date() })
    .where('kind', '=', kind)
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id ?? null;
}

/** A new password makes every link still out for the account (reset and invitation) useless. */
export async function invalidateTokensOf(db: Db, userId: number): Promise<void> {
  await db
    .updateTable('user_tokens')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}

/** End every session of a user (password set or account deactivated). */
export async function deleteSessionsOf(db: Db, userId: number): Promise<void> {
  await sql`delete from sessions where sess->>'userId' = ${String(userId)}`.execute(db);
}

/** End every session of a user but one (the one making the request). */
export async function deleteOtherSessionsOf(db: Db, userId: number, keepSid: string): Promise<void> {
  await sql`delete from sessions where sess->>'userId' = ${String(userId)} and sid <> ${keepSid}`.execute(db);
}

export interface SessionRow {
  sid: string;
  sess: Record<string, unknown>;
  expires_at: Date;
}

/** The live sessions of a user. */
export async function listSessionsOf(db: Db, userId: number): Promise<SessionRow[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['sid', 'sess', 'expires_at'])
    .where(sql<boolean>`sess->>'userId' = ${String(userId)}`)
    .where('expires_at', '>', new Date())
    .execute();
  return rows.map((r) => ({
    sid: r.sid,
    sess: (typeof r.sess === 'string' ? JSON.parse(r.sess) : r.sess) as Record<string, unknown>,
    expires_at: r.expires_at,
  }));
}

/** End one session, only when it belongs to this user. */
export async function deleteSessionOf(db: Db, userId: number, sid: string): Promise<void> {
  await sql`delete from sessions where sid = ${sid} and sess->>'userId' = ${String(userId)}`.execute(db);
}

export interface AttemptLimits {
  since: Date;
  /** Refused when this many attempts for the same account came from the same address. */
  perAccountAndAddress: number;
  /** Refused when this many attempts came from the address, whatever the accounts. */
  perAddress: number;
}

/**
 * Count and record an attempt in one step, before the caller does the slow work
 * (scrypt): a transaction-level advisory lock per address serialises concurrent
 * attempts from that address, so 60 parallel requests cannot all pass the count.
 * Returns the attempt's id and the account's attempts from all addresses, or null
 * when a limit is reached (nothing is recorded then).
 */
export function reserveAttempt(
  db: Db,
  kind: AttemptKind,
  email: string,
  ip: string,
  limits: AttemptLimits,
): Promise<{ id: number; byAccount: number } | null> {
  const address = normaliseEmail(email);
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(4712, hashtext(${`${kind}:${ip}`}))`.execute(trx);
    const row = await trx
      .selectFrom('auth_attempts')
      .select([
        sql<number>`count(*) filter (where email = ${address} and ip = ${ip})::int`.as('by_pair'),
        sql<number>`count(*) filter (where ip = ${ip})::int`.as('by_ip'),
        sql<number>`count(*) filter (where email = ${address})::int`.as('by_email'),
      ])
      .where('kind', '=', kind)
      .where('at', '>', limits.since)
      .where((eb) => eb.or([eb('email', '=', address), eb('ip', '=', ip)]))
      .executeTakeFirstOrThrow();
    if (Number(row.by_pair) >= limits.perAccountAndAddress || Number(row.by_ip) >= limits.perAddress) return null;
    const inserted = await trx
      .insertInto('auth_attempts')
      .values({ kind, email: address, ip })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: inserted.id, byAccount: Number(row.by_email) };
  });
}

/** After a successful login: the attempts of this account from this address no longer count. */
export async function clearAttemptsFrom(db: Db, kind: AttemptKind, email: string, ip: string): Promise<void> {
  await db
    .deleteFrom('auth_attempts')
    .where('kind', '=', kind)
    .where('email', '=', normaliseEmail(email))
    .where('ip', '=', ip)
    .execute();
}

export async function clearAttempts(db: Db, kind: AttemptKind, email: string): Promise<void> {
  await db.deleteFrom('auth_attempts').where('kind', '=', kind).where('email', '=', normaliseEmail(email)).execute();
}

export async function pruneAttempts(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('auth_attempts').where('at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes the sessions that ended before `now`; returns how many. */
export async function pruneSessions(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The users whose address ends in `suffix` (e.g. `@demo.impactmonitor.nl`), in the order they were created. */
export function listUsersByEmailSuffix(db: Db, suffix: string) {
  return db
    .selectFrom('users')
    .select(['email', 'role', 'org_id', 'name'])
    .where('email', 'like', `%${suffix}`)
    .orderBy('id')
    .execute();
}

/** Serialise first-run setups: a transaction-level advisory lock, released at commit. */
export async function lockFirstRun(db: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(4711)`.execute(db);
}
