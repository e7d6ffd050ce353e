import type { OutboxTable } from '../db/schema.js';

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

/** A message as the list and the claim show it. */
export function present(row: OutboxTable): OutboxView {
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

export const DEFAULT_LEASE_SECONDS = 300;
export const MAX_CLAIM = 1000;

export interface OutboxClaim {
  /** Names this drain's hold on its messages; sent back with each report to release a failed one. */
  claimId: string;
  claimedUntil: string;
  /** Oldest first; empty when nothing is free to send. */
  messages: OutboxView[];
}

export interface AttemptReport {
  ok: boolean;
  error?: string | undefined;
  claimId?: string | undefined;
}

/**
 * What one reported attempt changes: ok marks the message sent, a failure records the error and leaves it
 * unsent; attempts grows by one either way. A report that names the claim holding the message releases
 * it (a failed message is free for the next claim); a late report from a drain whose lease ran out
 * leaves the newer claim alone.
 */
export function attemptChanges(
  before: Pick<OutboxTable, 'attempts' | 'claimedBy'>,
  report: AttemptReport,
  now: string,
): Partial<OutboxTable> {
  const release =
    report.ok || (report.claimId !== undefined && report.claimId === before.claimedBy)
      ? { claimedBy: null, claimedUntil: null }
      : {};
  return report.ok
    ? { sentAt: now, attempts: before.attempts + 1, lastAttemptAt: now, lastError: null, ...release }
    : {
        attempts: before.attempts + 1,
        lastAttemptAt: now,
        lastError: (report.error ?? '').trim().slice(0, 500) || 'unknown error',
        ...release,
      };
}

/** Oldest first (what a gateway sends next), ties by id. */
export function oldestFirst(a: OutboxTable, b: OutboxTable): number {
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return a.createdAt === b.createdAt ? cmp(a.id, b.id) : cmp(a.createdAt, b.createdAt);
}
