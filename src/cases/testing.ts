import { sql } from 'kysely';
import type { Deps } from '../core/context.js';
import type { RatingsTable } from '../core/db/schema.js';
import { newId } from '../core/ids.js';
import { scopesFor } from '../ratings/rollups.js';
import { adjustActivity, adjustRatingCounts } from '../ratings/store.js';
import { treeOn } from '../registry/tree.js';
import {
  appealCase,
  openCaseForRating,
  recordCallback,
  recordRectification,
  replyToCase,
  verifyCase,
} from './service.js';

/*
 * For tests and demo data only: a transaction and its counted rating written straight into the tables,
 * as the ratings ingest would write them, and the case it opens. Real ratings come through the ingest.
 */

export interface BadRatingOptions {
  unitId: string;
  level?: number;
  /** Contact details left with the transaction; a phone makes the review named. */
  contactName?: string;
  contactPhone?: string;
  comment?: string;
  tags?: string[];
  day?: string;
  isDefault?: boolean;
  /** Open the case as the ingest does (default true). */
  open?: boolean;
}

export async function insertBadRating(deps: Deps, options: BadRatingOptions): Promise<RatingsTable> {
  const db = deps.database.db;
  const now = deps.clock.now();
  const day = options.day ?? new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const chain = (await treeOn(db, day)).ancestry(options.unitId);
  const scopes = scopesFor(chain, null, null);
  const txId = newId(now.getTime());
  const phone = options.contactPhone ?? '';
  await db
    .insertInto('transactions')
    .values({
      id: txId,
      externalNo: `T-${txId}`,
      jurisdictionId: chain[chain.length - 1] ?? options.unitId,
      unitId: options.unitId,
      serviceItemId: null,
      staffId: null,
      mode: 'offline',
      receivedAt: now.toISOString(),
      completedAt: now.toISOString(),
      day,
      contactName: options.contactName ?? '',
      contactPhone: phone,
      tokenHash: `test-${txId}`,
      tokenExpiresAt: now.toISOString(),
      defaultDueAt: now.toISOString(),
      ratingId: null,
      source: 'test',
      createdAt: now.toISOString(),
      rollupScopes: JSON.stringify(scopes),
    })
    .execute();
  const rating: RatingsTable = {
    id: newId(now.getTime()),
    transactionId: txId,
    unitId: options.unitId,
    serviceItemId: null,
    staffId: null,
    mode: 'offline',
    level: options.level ?? 1,
    tags: JSON.stringify(options.tags ?? ['办事效率低']),
    dimensions: '{}',
    comment: options.comment ?? '等了两个小时没人管',
    commentFingerprint: '',
    channel: 'window_device',
    deviceId: 'test-device',
    addressDigest: 'test-address',
    isDefault: options.isDefault ? 1 : 0,
    named: phone !== '' ? 1 : 0,
    status: 'counted',
    flags: '[]',
    idempotencyKey: null,
    requestDigest: '',
    rollupScopes: JSON.stringify(scopes),
    day,
    createdAt: now.toISOString(),
    reviewedBy: null,
    reviewedAt: null,
    reviewNote: null,
    removedAt: null,
    removedReason: null,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('ratings').values(rating).execute();
    await trx.updateTable('transactions').set({ ratingId: rating.id }).where('id', '=', txId).execute();
    await adjustRatingCounts(trx, [
      ...scopes.map((scope) => ({
        scope,
        day,
        key: { channel: rating.channel, level: rating.level, isDefault: rating.isDefault === 1 },
        n: 1,
      })),
    ]);
    await adjustActivity(trx, scopes, day, { transactions: 1, activelyRated: rating.isDefault ? 0 : 1 });
    if (options.open !== false) await openCaseForRating(trx, deps, rating);
  });
  return rating;
}

/** The one-time judgement token of the latest reply SMS of a case (what the rater's phone received). */
export async function judgementTokenOf(deps: Deps, caseId: string): Promise<string | null> {
  const rows = await deps.database.db
    .selectFrom('outbox')
    .select(['body', 'createdAt', 'id'])
    .where('relatedType', '=', 'case')
    .where('relatedId', '=', caseId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
  for (const row of rows) {
    const m = /\/j\/([A-Za-z0-9_-]+)/.exec(row.body);
    if (m?.[1]) return m[1];
  }
  return null;
}

/** The case a rating opened. */
export async function caseOfRating(deps: Deps, ratingId: string) {
  return deps.database.db
    .selectFrom('cases')
    .selectAll()
    .where('ratingId', '=', ratingId)
    .executeTakeFirstOrThrow();
}

const CASE_TABLES = [
  'settings',
  'audit_log',
  'calendar_days',
  'ratings',
  'rating_rollups',
  'activity_rollups',
  'cases',
  'case_events',
  'case_warnings',
  'outbox',
] as const;

/** Every row of the tables the closed loop writes, in a stable order: proof that a refusal changed nothing. */
export async function casesSnapshot(deps: Deps): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of CASE_TABLES) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
      deps.database.db,
    );
    out[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return out;
}

export type PreparedState = 'verifying' | 'appealed' | 'rectifying' | 'ready_to_reply' | 'awaiting_judgement';

/**
 * A fresh named case of a unit, moved by the system to the state asked for (`ready_to_reply`: rectifying,
 * called back and rectified). For awaiting_judgement, the rater's one-time token comes with it.
 */
export async function prepareCase(
  deps: Deps,
  unitId: string,
  state: PreparedState,
): Promise<{ caseId: string; token: string | null }> {
  const rating = await insertBadRating(deps, { unitId, contactName: '测试', contactPhone: '13700000000' });
  const { id } = await caseOfRating(deps, rating.id);
  const system = { kind: 'system', label: 'test' } as const;
  if (state === 'appealed') {
    await appealCase(deps, system, id, { reason: 'mistaken', text: '误评' });
  } else if (state !== 'verifying') {
    await verifyCase(deps, system, id, { genuine: true });
    if (state !== 'rectifying') {
      await recordCallback(deps, system, id, {
        at: deps.clock.now().toISOString(),
        method: 'phone',
        summary: '已回访',
      });
      await recordRectification(deps, system, id, { text: '已整改' });
      if (state === 'awaiting_judgement') await replyToCase(deps, system, id, { text: '已答复' });
    }
  }
  return { caseId: id, token: state === 'awaiting_judgement' ? await judgementTokenOf(deps, id) : null };
}
