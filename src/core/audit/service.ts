import type { Transaction } from 'kysely';
import { actorId, actorLabel, hasPermission, type Actor } from '../auth/model.js';
import { lockForTransaction, type Database, type Dialect } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { canonicalJson, digestOf } from '../digest.js';
import { Forbidden } from '../errors.js';
import { isoNow, type Clock } from '../time.js';
import { chainHash, checkChain, GENESIS_HASH, type AuditEntry, type ChainCheck } from './model.js';
import * as store from './store.js';

const AUDIT_LOCK_KEY = 7_310_001;

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  /** What a reader of the log needs to see; defaults to the fields that differ between before and after. */
  detail?: Record<string, unknown>;
}

/**
 * Appends an entry inside the caller's transaction, so the change and its record commit together.
 * Entries are serialised by a lock because each one carries the hash of the one before.
 */
export async function appendAudit(
  trx: Transaction<DB>,
  dialect: Dialect,
  clock: Clock,
  actor: Actor,
  record: AuditRecord,
): Promise<void> {
  await lockForTransaction(trx, dialect, AUDIT_LOCK_KEY);
  const last = await store.lastEntry(trx);
  const content = {
    seq: (last?.seq ?? 0) + 1,
    at: isoNow(clock),
    actorId: actorId(actor),
    actorLabel: actorLabel(actor),
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId,
    beforeDigest: digestOf(record.before),
    afterDigest: digestOf(record.after),
    detail: canonicalJson(record.detail ?? changedFields(record.before, record.after)),
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await store.insertEntry(trx, { ...content, prevHash, hash: chainHash(prevHash, content) });
}

/** Field → new value for every top-level field that differs (all fields of a creation). */
export function changedFields(before: unknown, after: unknown): Record<string, unknown> {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    // An absent field and a null one are the same to a reader of the log.
    if (canonicalJson(b[key] ?? null) !== canonicalJson(a[key] ?? null)) out[key] = a[key] ?? null;
  }
  return out;
}

/** Walks the whole chain, a page at a time, and reports the first broken link. */
export async function verifyAuditChain(database: Database): Promise<ChainCheck> {
  const pageSize = 2000;
  let state = { expectedPrev: GENESIS_HASH, expectedSeq: 1, checked: 0 };
  for (;;) {
    const page = await store.entriesFrom(database.db, state.expectedSeq, pageSize);
    const { result, state: next } = checkChain(page, state);
    if (result) return result;
    state = next;
    if (page.length < pageSize) return { ok: true, entries: state.checked, lastHash: state.expectedPrev };
  }
}

export async function listAudit(
  deps: { database: Database },
  actor: Actor,
  filter: store.AuditFilter,
): Promise<AuditEntry[]> {
  if (!hasPermission(actor, 'audit:read')) throw new Forbidden();
  return store.listEntries(deps.database.db, filter);
}
