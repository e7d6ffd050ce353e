import type { Transaction } from 'kysely';
import type { Deps } from '../core/context.js';
import type { DB } from '../core/db/schema.js';
import type { Sweep } from '../core/sweeps.js';
import { newId } from '../core/ids.js';
import { chinaDate, isoNow } from '../core/time.js';
import { loadRatingsConfig } from './config.js';
import { countRatings } from './ingest.js';
import { monthPartitionName, nextMonthStart, partitionMonthsAround } from './model.js';
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
    // Insert, then link where the transaction is still unrated: a rating given through the link on
    // another node meanwhile wins, and its transaction's default is taken back.
    await store.insertRatings(trx, rows);
    const linked = await store.linkRatings(
      trx,
      rows.map((r) => ({ transactionId: r.transactionId ?? '', ratingId: r.id })),
    );
    const done = rows.filter((r) => linked.has(r.transactionId ?? ''));
    await store.deleteRatings(
      trx,
      rows.filter((r) => !linked.has(r.transactionId ?? '')).map((r) => r.id),
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

/**
 * PostgreSQL: gives each month from `fromDay`'s to `toDay`'s its partition of ratings (ratings of a
 * month without one wait in ratings_default and are moved in). Nothing to do on SQLite.
 */
export async function ensureRatingPartitions(
  trx: Transaction<DB>,
  deps: Deps,
  months: readonly string[],
): Promise<Record<string, number>> {
  if (deps.database.dialect !== 'postgres') return { partitionsCreated: 0 };
  let created = 0;
  for (const from of months) {
    const month = { name: monthPartitionName(from), from, to: nextMonthStart(from) };
    if (await store.ensureMonthPartition(trx, month)) created += 1;
  }
  return { partitionsCreated: created };
}

export const ratingSweeps: Sweep[] = [
  { name: 'ratings.defaults', work: (trx, deps) => applyDefaultRatings(trx, deps) },
  // The previous month to two months ahead, so that a month's partition exists before its first rating.
  {
    name: 'ratings.partitions',
    work: (trx, deps) =>
      ensureRatingPartitions(trx, deps, partitionMonthsAround(chinaDate(deps.clock.now()))),
  },
];
