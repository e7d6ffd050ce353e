import type { Actor } from './auth/model.js';
import { hasPermission } from './auth/model.js';
import { inTransaction, type Deps } from './context.js';
import type { Executor } from './db/database.js';
import type { OutboxTable } from './db/schema.js';
import { Forbidden, Invalid, NotFound } from './errors.js';
import { newId } from './ids.js';
import { isoNow, type Clock } from './time.js';

/*
 * The notification outbox: messages written in the same transaction as the change they announce, for
 * an SMS or mail gateway to drain (poll the unsent ones, send, mark each sent or failed). Nothing in
 * Minping sends them itself, so a message is never lost to a gateway outage and never sent for a change
 * that was rolled back.
 */

export const OUTBOX_CHANNELS = ['sms', 'mail', 'console'] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

export interface OutboxMessage {
  channel: OutboxChannel;
  /** A phone number (sms), an address (mail), or `unit:<code>` / `office` when no person is known. */
  recipient: string;
  subject: string;
  body: string;
  /** What the message is about, e.g. case / its id. */
  relatedType: string;
  relatedId: string;
}

/** Queues a message inside the caller's transaction. */
export async function enqueue(db: Executor, clock: Clock, message: OutboxMessage): Promise<string> {
  const id = newId(clock.now().getTime());
  await db
    .insertInto('outbox')
    .values({ id, createdAt: isoNow(clock), ...message, sentAt: null, attempts: 0 })
    .execute();
  return id;
}

export interface OutboxView {
  id: string;
  createdAt: string;
  channel: OutboxChannel;
  recipient: string;
  subject: string;
  body: string;
  relatedType: string;
  relatedId: string;
  sentAt: string | null;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
}

function present(row: OutboxTable): OutboxView {
  return { ...row, channel: row.channel as OutboxChannel };
}

export interface OutboxQuery {
  unsent?: boolean | undefined;
  relatedType?: string | undefined;
  relatedId?: string | undefined;
  limit?: number | undefined;
}

function requireOffice(actor: Actor): void {
  // The outbox holds raters' phone numbers: only the office, the administrator and the gateway's token see it.
  if (!hasPermission(actor, 'outbox:drain')) throw new Forbidden();
}

/** The messages, oldest first (what a gateway should send next), at most `limit`. */
export async function listOutbox(deps: Deps, actor: Actor, query: OutboxQuery = {}): Promise<OutboxView[]> {
  requireOffice(actor);
  const limit = query.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new Invalid('invalid_limit', 'limit must be a whole number from 1 to 1000.', { field: 'limit' });
  }
  let q = deps.database.db.selectFrom('outbox').selectAll();
  if (query.unsent) q = q.where('sentAt', 'is', null);
  if (query.relatedType) q = q.where('relatedType', '=', query.relatedType);
  if (query.relatedId) q = q.where('relatedId', '=', query.relatedId);
  const rows = await q.orderBy('createdAt').orderBy('id').limit(limit).execute();
  return rows.map(present);
}

/**
 * A gateway reports one attempt: ok marks the message sent (a second report changes nothing), a
 * failure records the error and leaves it unsent for the next poll. Either way attempts grows by one.
 */
export async function markSent(
  deps: Deps,
  actor: Actor,
  id: string,
  report: { ok: boolean; error?: string | undefined },
): Promise<OutboxView> {
  requireOffice(actor);
  return inTransaction(deps, actor, async (trx, audit) => {
    const before = await trx.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw new NotFound('outbox message', id);
    if (before.sentAt !== null) return present(before);
    const now = isoNow(deps.clock);
    const changes = report.ok
      ? { sentAt: now, attempts: before.attempts + 1, lastAttemptAt: now, lastError: null }
      : {
          attempts: before.attempts + 1,
          lastAttemptAt: now,
          lastError: (report.error ?? '').trim().slice(0, 500) || 'unknown error',
        };
    await trx.updateTable('outbox').set(changes).where('id', '=', id).execute();
    const after = { ...before, ...changes };
    await audit({
      action: report.ok ? 'outbox.sent' : 'outbox.failed',
      entityType: 'outbox',
      entityId: id,
      before: { sentAt: before.sentAt, attempts: before.attempts },
      after: { sentAt: after.sentAt, attempts: after.attempts },
      detail: { ok: report.ok, attempts: after.attempts, ...(report.ok ? {} : { error: after.lastError }) },
    });
    return present(after);
  });
}
