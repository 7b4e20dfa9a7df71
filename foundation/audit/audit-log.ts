import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface AuditEntry {
  actorUserId: number | null;
  action: string;
  entity: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
}

/** Record a change; call it inside the transaction that makes the change. */
export async function recordAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_user_id: entry.actorUserId,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId == null ? null : String(entry.entityId),
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export async function listAudit(
  db: Kysely<Database>,
  filter: { entity?: string; entityId?: string; limit?: number } = {},
) {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
    .select([
      'audit_log.id',
      'audit_log.at',
      'audit_log.action',
      'audit_log.entity',
      'audit_log.entity_id',
      'audit_log.details',
      'users.email as actor_email',
    ])
    .orderBy('audit_log.id', 'desc')
    .limit(filter.limit ?? 200);
  if (filter.entity) query = query.where('audit_log.entity', '=', filter.entity);
  if (filter.entityId) query = query.where('audit_log.entity_id', '=', filter.entityId);
  return query.execute();
}
