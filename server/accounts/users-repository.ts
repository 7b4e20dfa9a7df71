// All SQL on users, tokens and authentication attempts.
import { type Kysely, sql } from 'kysely';
import type { AttemptKind, Database, NewUser, Role, TokenKind, User } from '../db/schema';

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

export async function recordAttempt(db: Db, kind: AttemptKind, email: string, ip: string): Promise<void> {
  await db
    .insertInto('auth_attempts')
    .values({ kind, email: normaliseEmail(email), ip })
    .execute();
}

/** Failed attempts within the window, per account and per IP address. */
export async function countRecentAttempts(db: Db, kind: AttemptKind, email: string, ip: string, since: Date) {
  const row = await db
    .selectFrom('auth_attempts')
    .select([
      sql<number>`count(*) filter (where email = ${normaliseEmail(email)})::int`.as('by_email'),
      sql<number>`count(*) filter (where ip = ${ip})::int`.as('by_ip'),
    ])
    .where('kind', '=', kind)
    .where('at', '>', since)
    .where((eb) => eb.or([eb('email', '=', normaliseEmail(email)), eb('ip', '=', ip)]))
    .executeTakeFirstOrThrow();
  return { byEmail: Number(row.by_email), byIp: Number(row.by_ip) };
}

export async function clearAttempts(db: Db, kind: AttemptKind, email: string): Promise<void> {
  await db.deleteFrom('auth_attempts').where('kind', '=', kind).where('email', '=', normaliseEmail(email)).execute();
}

export async function pruneAttempts(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('auth_attempts').where('at', '<', before).execute();
}
