// SQL for the staff home: what was mailed for the open waves, and the accounts.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../foundation/db/schema';

type Db = Kysely<Database>;

export interface WaveMailCounts {
  wave_id: number;
  invitations: number;
  reminders: number;
  failed: number;
  last_reminder_at: Date | null;
  queued: number;
}

/** Per wave: invitations and reminders sent (the mail log), failures, the last reminder, what is still queued. */
export async function mailCountsOfWaves(db: Db, waveIds: readonly number[]): Promise<WaveMailCounts[]> {
  if (waveIds.length === 0) return [];
  const [logged, queued] = await Promise.all([
    db
      .selectFrom('mail_messages')
      .select([
        'related_wave_id as wave_id',
        sql<number>`count(*) filter (where kind = 'invitation' and error is null)::int`.as('invitations'),
        sql<number>`count(*) filter (where kind = 'reminder' and error is null)::int`.as('reminders'),
        sql<number>`count(*) filter (where error is not null)::int`.as('failed'),
        sql<Date | null>`max(created_at) filter (where kind = 'reminder' and error is null)`.as('last_reminder_at'),
      ])
      .where('related_wave_id', 'in', [...waveIds])
      .groupBy('related_wave_id')
      .execute(),
    db
      .selectFrom('mail_queue')
      .select(['related_wave_id as wave_id', sql<number>`count(*)::int`.as('n')])
      .where('related_wave_id', 'in', [...waveIds])
      .where('status', 'in', ['queued', 'sending'])
      .groupBy('related_wave_id')
      .execute(),
  ]);
  return waveIds.map((id) => {
    const l = logged.find((r) => r.wave_id === id);
    const q = queued.find((r) => r.wave_id === id);
    return {
      wave_id: id,
      invitations: Number(l?.invitations ?? 0),
      reminders: Number(l?.reminders ?? 0),
      failed: Number(l?.failed ?? 0),
      last_reminder_at: l?.last_reminder_at ? new Date(l.last_reminder_at) : null,
      queued: Number(q?.n ?? 0),
    };
  });
}

/** How many accounts there are per role. */
export async function accountsByRole(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('users')
    .select(['role', sql<number>`count(*)::int`.as('n')])
    .where('active', '=', true)
    .groupBy('role')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.role, Number(row.n)]));
}
