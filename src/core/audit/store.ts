import type { Executor } from '../db/database.js';
import type { AuditEntry } from './model.js';

export async function lastEntry(db: Executor): Promise<{ seq: number; hash: string } | undefined> {
  return db.selectFrom('auditLog').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

export async function insertEntry(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insertInto('auditLog').values(entry).execute();
}

export async function entriesFrom(db: Executor, fromSeq: number, limit: number): Promise<AuditEntry[]> {
  return db
    .selectFrom('auditLog')
    .selectAll()
    .where('seq', '>=', fromSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export interface AuditFilter {
  entityType?: string | undefined;
  entityId?: string | undefined;
  actorId?: string | undefined;
  /** Entries with seq below this one (paging backwards from the newest). */
  beforeSeq?: number | undefined;
  limit: number;
}

export async function listEntries(db: Executor, filter: AuditFilter): Promise<AuditEntry[]> {
  let q = db.selectFrom('auditLog').selectAll();
  if (filter.entityType) q = q.where('entityType', '=', filter.entityType);
  if (filter.entityId) q = q.where('entityId', '=', filter.entityId);
  if (filter.actorId) q = q.where('actorId', '=', filter.actorId);
  if (filter.beforeSeq !== undefined) q = q.where('seq', '<', filter.beforeSeq);
  return q.orderBy('seq', 'desc').limit(filter.limit).execute();
}
