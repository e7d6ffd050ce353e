import type { Transaction } from 'kysely';
import type { Deps } from '../core/context.js';
import type { DB } from '../core/db/schema.js';
import type { Sweep } from '../core/sweeps.js';
import { newId } from '../core/ids.js';
import { chinaDate, isoNow } from '../core/time.js';
import { loadRatingsConfig } from './config.js';
import { countRatings } from './ingest.js';
import * as store from './store.js';

/*
 * Default ratings: a transaction not rated within the configured days gets the configured level
 * (基本满意 by default), channel `default`, is_default 1. A default counts in the level counts and
 * the averages but not as an active rating (未评), and never opens a case.
 */

/** Transactions defaulted per chunk, and chunks per sweep run (the rest waits for the next run). */
export const DEFAULT_CHUNK = 500;
export const DEFAULT_CHUNKS_PER_RUN = 20;

/**
 * Gives every overdue unrated transaction its default rating, chunk by chunk, inside the sweep's
 * transaction. Idempotent: only transactions without a rating are picked, and a rating a person gave
 * at the same moment on another node wins (the default is then skipped).
 */
export async function applyDefaultRatings(
  trx: Transaction<DB>,
  deps: Deps,
  options: { chunk?: number; chunks?: number } = {},
): Promise<Record<string, number>> {
  const config = await loadRatingsConfig(trx);
  const chunk = options.chunk ?? DEFAULT_CHUNK;
  const now = isoNow(deps.clock);
  let defaulted = 0;
  for (let round = 0; round < (options.chunks ?? DEFAULT_CHUNKS_PER_RUN); round++) {
    const due = await store.transactionsAwaitingDefault(trx, now, chunk);
    if (due.length === 0) break;
    const rows: store.RatingRow[] = due.map((t) => ({
      id: newId(),
      transactionId: t.id,
      unitId: t.unitId,
      serviceItemId: t.serviceItemId,
      staffId: t.staffId,
      mode: t.mode,
      level: config.defaultLevel,
      tags: '[]',
      dimensions: '{}',
      comment: '',
      commentFingerprint: '',
      channel: 'default',
      deviceId: '',
      addressDigest: '',
      isDefault: 1,
      named: t.contactPhone !== '' ? 1 : 0,
      status: 'counted',
      flags: '[]',
      idempotencyKey: null,
      requestDigest: '',
      rollupScopes: t.rollupScopes,
      // The rating is given when it falls due, whenever the sweep gets to it.
      day: chinaDate(new Date(t.defaultDueAt)),
      createdAt: now,
      reviewedBy: null,
      reviewedAt: null,
      reviewNote: null,
      removedAt: null,
      removedReason: null,
    }));
    const inserted = await store.insertRatingsIfAbsent(trx, rows);
    const done = rows.filter((r) => inserted.has(r.id));
    // Link every picked transaction to its rating, the default or the one that won the race.
    await store.linkRatings(
      trx,
      due.map((t) => t.id),
    );
    await countRatings(
      trx,
      deps,
      done.map((row) => ({ row, transactionDay: null })),
    );
    defaulted += done.length;
    if (due.length < chunk) break;
  }
  return { defaulted };
}

export const ratingSweeps: Sweep[] = [
  { name: 'ratings.defaults', work: (trx, deps) => applyDefaultRatings(trx, deps) },
];
