import type { Actor } from '../auth/model.js';
import { hasPermission } from '../auth/model.js';
import { inTransaction, type Deps } from '../context.js';
import type { Executor } from '../db/database.js';
import { Forbidden, Invalid, NotFound } from '../errors.js';
import { newId } from '../ids.js';
import { isoNow, type Clock } from '../time.js';
import {
  attemptChanges,
  DEFAULT_LEASE_SECONDS,
  MAX_CLAIM,
  oldestFirst,
  present,
  type AttemptReport,
  type OutboxClaim,
  type OutboxMessage,
  type OutboxQuery,
  type OutboxView,
} from './model.js';
import * as store from './store.js';

/** Queues a message inside the caller's transaction. */
export async function enqueue(db: Executor, clock: Clock, message: OutboxMessage): Promise<string> {
  const id = newId(clock.now().getTime());
  await store.insertMessage(db, { id, createdAt: isoNow(clock), ...message, sentAt: null, attempts: 0 });
  return id;
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
  return (await store.listMessages(deps.database.db, query, limit)).map(present);
}

/** Takes up to `limit` unsent messages that no live claim holds, oldest first, for `leaseSeconds`. */
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
  const now = deps.clock.now();
  const claimId = newId(now.getTime());
  const claimedUntil = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
  const rows = await store.claimFree(deps.database.db, deps.database.dialect, {
    claimedBy: claimId,
    claimedUntil,
    now: now.toISOString(),
    limit,
  });
  return { claimId, claimedUntil, messages: rows.sort(oldestFirst).map(present) };
}

/** A gateway reports one attempt (see attemptChanges); a second report of a sent message changes nothing. */
export async function markSent(
  deps: Deps,
  actor: Actor,
  id: string,
  report: AttemptReport,
): Promise<OutboxView> {
  requireOffice(actor);
  return inTransaction(deps, actor, async (trx, audit) => {
    const before = await store.messageForUpdate(trx, deps.database.dialect, id);
    if (!before) throw new NotFound('outbox message', id);
    if (before.sentAt !== null) return present(before);
    const changes = attemptChanges(before, report, isoNow(deps.clock));
    await store.updateMessage(trx, id, changes);
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
