// express-session store in the database, so any app instance can serve any user
// (the web tier keeps no state of its own).
import session from 'express-session';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../foundation/db/schema';

type Callback = (err?: unknown, value?: session.SessionData | null) => void;

export class DatabaseSessionStore extends session.Store {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly defaultTtlMs: number,
  ) {
    super();
  }

  private expiry(sess: session.SessionData): Date {
    const cookieExpiry = sess.cookie?.expires ? new Date(sess.cookie.expires) : null;
    return cookieExpiry && !Number.isNaN(cookieExpiry.getTime())
      ? cookieExpiry
      : new Date(Date.now() + this.defaultTtlMs);
  }

  override get(sid: string, callback: Callback): void {
    this.db
      .selectFrom('sessions')
      .select('sess')
      .where('sid', '=', sid)
      .where('expires_at', '>', new Date())
      .executeTakeFirst()
      .then(
        (row) => callback(null, row ? (typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess) : null),
        callback,
      );
  }

  override set(sid: string, sess: session.SessionData, callback?: Callback): void {
    const values = { sid, sess: JSON.stringify(sess), expires_at: this.expiry(sess) };
    this.db
      .insertInto('sessions')
      .values(values)
      .onConflict((oc) => oc.column('sid').doUpdateSet({ sess: values.sess, expires_at: values.expires_at }))
      .execute()
      .then(
        () => callback?.(null),
        (err) => callback?.(err),
      );
  }

  override destroy(sid: string, callback?: Callback): void {
    this.db
      .deleteFrom('sessions')
      .where('sid', '=', sid)
      .execute()
      .then(
        () => callback?.(null),
        (err) => callback?.(err),
      );
  }

  override touch(sid: string, sess: session.SessionData, callback?: Callback): void {
    this.db
      .updateTable('sessions')
      .set({ expires_at: this.expiry(sess) })
      .where('sid', '=', sid)
      .execute()
      .then(
        () => callback?.(null),
        (err) => callback?.(err),
      );
  }

  async prune(): Promise<void> {
    await sql`delete from sessions where expires_at < now()`.execute(this.db);
  }
}
