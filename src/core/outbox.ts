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
 * an SMS or mail gateway to drain (claim the unsent ones, send, mark each sent or failed). Nothing in
 * Minping sends them itself, so a message is never lost to a gateway outage and never sent for a change
 * that was rolled back. A claim holds a message for one drain for a lease, so that several gateways
 * (or one on several nodes) never take the same message at once; a message whose claim ran out
 * unreported (a gateway that died mid-batch) is free again.
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
  /** Until when a drain holds the message (null: free); a claim that has run out no longer holds it. */
  claimedUntil: string | null;
}

function present(row: OutboxTable): OutboxView {
  // The claim id stays with the drain that made it: a reader of the list does not need it.
  const { claimedBy: _claimedBy, ...view } = row;
  return { ...view, channel: row.channel as OutboxChannel };
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

export const DEFAULT_LEASE_SECONDS = 300;
export const MAX_CLAIM = 1000;

export interface OutboxClaim {
  /** Names this drain's hold on its messages; sent back with each report to release a failed one. */
  claimId: string;
  claimedUntil: string;
  /** Oldest first; empty when nothing is free to send. */
  messages: OutboxView[];
}

/**
 * Takes up to `limit` unsent messages that no live claim holds, oldest first, for `leaseSeconds`.
 * One statement claims them, so two drains at once never get the same message: on PostgreSQL the rows
 * are locked as they are picked (FOR UPDATE SKIP LOCKED: a drain passes over rows another is claiming
 * instead of waiting for them, and a row claimed meanwhile is re-checked and dropped); SQLite runs one
 * writing statement at a time.
 */
export async function claimOutbox(
  deps: Deps,
  actor: Actor,
  input: { limit?: number | undefined; leaseSeconds?: number | undefined } = {},
): Promise<OutboxClaim> {
  requireOffice(actor);
  const limit = input.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CLAIM) {
    throw new Invalid('invalid_limit', `limit must be a whole number from 1 to ${MAX_CLAIM}.`, {
      field: 'limit',
    });
  }
  const leaseSeconds = input.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < 10 || leaseSeconds > 3600) {
    throw new Invalid('invalid_lease', 'leaseSeconds must be a whole number from 10 to 3600.', {
      field: 'leaseSeconds',
    });
  }
  const { db, dialect } = deps.database;
  const now = deps.clock.now();
  const claimId = newId(now.getTime());
  const claimedUntil = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
  let free = db
    .selectFrom('outbox')
    .select('id')
    .where('sentAt', 'is', null)
    .where((eb) => eb.or([eb('claimedUntil', 'is', null), eb('claimedUntil', '<=', now.toISOString())]))
    .orderBy('createdAt')
    .orderBy('id')
    .limit(limit);
  if (dialect === 'postgres') free = free.forUpdate().skipLocked();
  const rows = await db
    .updateTable('outbox')
    .set({ claimedBy: claimId, claimedUntil })
    .where('id', 'in', free)
    .returningAll()
    .execute();
  // RETURNING gives no order: the gateway sends oldest first.
  rows.sort((a, b) => (a.createdAt === b.createdAt ? cmp(a.id, b.id) : cmp(a.createdAt, b.createdAt)));
  return { claimId, claimedUntil, messages: rows.map(present) };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A gateway reports one attempt: ok marks the message sent (a second report changes nothing), a
 * failure records the error and leaves it unsent. Either way attempts grows by one. A report that
 * names the claim holding the message releases it, so a failed message is free for the next claim; a
 * late report from a drain whose lease ran out leaves the newer claim alone.
 */
export async function markSent(
  deps: Deps,
  actor: Actor,
  id: string,
  report: { ok: boolean; error?: string | undefined; claimId?: string | undefined },
): Promise<OutboxView> {
  requireOffice(actor);
  return inTransaction(deps, actor, async (trx, audit) => {
    let read = trx.selectFrom('outbox').selectAll().where('id', '=', id);
    // Two reports of one message at once (a late one from a drain whose lease ran out) count both attempts.
    if (deps.database.dialect === 'postgres') read = read.forUpdate();
    const before = await read.executeTakeFirst();
    if (!before) throw new NotFound('outbox message', id);
    if (before.sentAt !== null) return present(before);
    const now = isoNow(deps.clock);
    const release =
      report.ok || (report.claimId !== undefined && report.claimId === before.claimedBy)
        ? { claimedBy: null, claimedUntil: null }
        : {};
    const changes = report.ok
      ? { sentAt: now, attempts: before.attempts + 1, lastAttemptAt: now, lastError: null, ...release }
      : {
          attempts: before.attempts + 1,
          lastAttemptAt: now,
          lastError: (report.error ?? '').trim().slice(0, 500) || 'unknown error',
          ...release,
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
