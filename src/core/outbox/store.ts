import type { Dialect, Executor } from '../db/database.js';
import type { OutboxTable } from '../db/schema.js';
import type { OutboxQuery } from './model.js';

/** Adds a message (inside the caller's transaction). */
export async function insertMessage(
  db: Executor,
  row: Omit<OutboxTable, 'lastError' | 'lastAttemptAt' | 'claimedBy' | 'claimedUntil'>,
): Promise<void> {
  await db.insertInto('outbox').values(row).execute();
}

/** The messages matching a query, oldest first, at most `limit`. */
export async function listMessages(db: Executor, query: OutboxQuery, limit: number): Promise<OutboxTable[]> {
  let q = db.selectFrom('outbox').selectAll();
  if (query.unsent) q = q.where('sentAt', 'is', null);
  if (query.relatedType) q = q.where('relatedType', '=', query.relatedType);
  if (query.relatedId) q = q.where('relatedId', '=', query.relatedId);
  return q.orderBy('createdAt').orderBy('id').limit(limit).execute();
}

/**
 * Claims up to `limit` unsent messages that no live claim holds, oldest first, in one statement, so two
 * drains at once never get the same message: on PostgreSQL the rows are locked as they are picked (FOR
 * UPDATE SKIP LOCKED: a drain passes over rows another is claiming instead of waiting for them, and a row
 * claimed meanwhile is re-checked and dropped); SQLite runs one writing statement at a time. The rows
 * come back in no particular order.
 */
export async function claimFree(
  db: Executor,
  dialect: Dialect,
  claim: { claimedBy: string; claimedUntil: string; now: string; limit: number },
): Promise<OutboxTable[]> {
  let free = db
    .selectFrom('outbox')
    .select('id')
    .where('sentAt', 'is', null)
    .where((eb) => eb.or([eb('claimedUntil', 'is', null), eb('claimedUntil', '<=', claim.now)]))
    .orderBy('createdAt')
    .orderBy('id')
    .limit(claim.limit);
  if (dialect === 'postgres') free = free.forUpdate().skipLocked();
  return db
    .updateTable('outbox')
    .set({ claimedBy: claim.claimedBy, claimedUntil: claim.claimedUntil })
    .where('id', 'in', free)
    .returningAll()
    .execute();
}

/** One message, locked until the transaction ends on PostgreSQL (two reports at once both count). */
export async function messageForUpdate(
  db: Executor,
  dialect: Dialect,
  id: string,
): Promise<OutboxTable | undefined> {
  let read = db.selectFrom('outbox').selectAll().where('id', '=', id);
  if (dialect === 'postgres') read = read.forUpdate();
  return read.executeTakeFirst();
}

export async function updateMessage(db: Executor, id: string, changes: Partial<OutboxTable>): Promise<void> {
  await db.updateTable('outbox').set(changes).where('id', '=', id).execute();
}
