import { sql, type RawBuilder } from 'kysely';
import * as calendarStore from '../core/calendar/store.js';
import type { Dialect, Executor } from '../core/db/database.js';
import type { DevicesTable, RatingsTable, TransactionsTable } from '../core/db/schema.js';
import type SQLite from 'better-sqlite3';
import type { Database } from '../core/db/database.js';
import { preparedOnce } from '../core/db/sqlite-statements.js';
import { getSetting } from '../core/settings/store.js';
import { CONFIG_KEY } from './config.js';
import {
  ACTIVITY_COLUMNS,
  ACTIVITY_FIELDS,
  type ActivityRollupRow,
  type RatingRollupRow,
  mergeRatingDeltas,
  mergeActivityDeltas,
  monthOf,
  type RatingDelta,
  type ActivityCounters,
  type RollupScope,
  type ActivityDelta,
} from './rollups.js';

/*
 * The SQL of instant ratings: transactions (办件), ratings, devices and the reads behind fraud checks
 * and statistics. Functions take the executor they run on (a handle or an open transaction).
 */

export type RatingRow = RatingsTable;
export type TransactionRow = TransactionsTable;

export async function ratingById(db: Executor, id: string): Promise<RatingRow | undefined> {
  return db.selectFrom('ratings').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function transactionById(db: Executor, id: string): Promise<TransactionRow | undefined> {
  return db.selectFrom('transactions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateRating(
  db: Executor,
  id: string,
  changes: Partial<Omit<RatingRow, 'id'>>,
): Promise<void> {
  await db.updateTable('ratings').set(changes).where('id', '=', id).execute();
}

// --- transactions ----------------------------------------------------------------------------

export async function insertTransactions(db: Executor, rows: readonly TransactionRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('transactions')
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

/** The external numbers among `externalNos` already recorded in a jurisdiction, with their ids. */
export async function existingExternalNos(
  db: Executor,
  jurisdictionId: string,
  externalNos: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < externalNos.length; i += 500) {
    const rows = await db
      .selectFrom('transactions')
      .select(['id', 'externalNo'])
      .where('jurisdictionId', '=', jurisdictionId)
      .where('externalNo', 'in', externalNos.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.externalNo, r.id);
  }
  return out;
}

export async function transactionByTokenHash(
  db: Executor,
  tokenHash: string,
): Promise<TransactionRow | undefined> {
  return db.selectFrom('transactions').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();
}

export async function transactionsByTokenHashes(
  db: Executor,
  tokenHashes: readonly string[],
): Promise<TransactionRow[]> {
  if (tokenHashes.length === 0) return [];
  return db.selectFrom('transactions').selectAll().where('tokenHash', 'in', tokenHashes).execute();
}

/**
 * The transaction waiting for a rating at a window's pad: the unit's latest offline transaction
 * recorded since `since`, served on `fromDay` or later, without a rating. A seek on the (unit, day)
 * index: a window's transactions of a day or two, not its whole history.
 */
export async function waitingTransaction(
  db: Executor,
  unitId: string,
  since: string,
  fromDay: string,
): Promise<TransactionRow | undefined> {
  return db
    .selectFrom('transactions')
    .selectAll()
    .where('unitId', '=', unitId)
    .where('day', '>=', fromDay)
    .where('createdAt', '>=', since)
    .where('ratingId', 'is', null)
    .where('mode', '=', 'offline')
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The transactions of a jurisdiction recorded under any of the given external numbers. */
export async function transactionsByExternalNos(
  db: Executor,
  jurisdictionId: string,
  externalNos: readonly string[],
): Promise<TransactionRow[]> {
  if (externalNos.length === 0) return [];
  return db
    .selectFrom('transactions')
    .selectAll()
    .where('jurisdictionId', '=', jurisdictionId)
    .where('externalNo', 'in', externalNos)
    .execute();
}

/**
 * Points each transaction at its new rating, unless it already has one: the guard against two app nodes
 * rating one transaction at the same moment (on PostgreSQL the second waits for the first's row lock and
 * then finds the rating there). Returns the transactions linked; the caller refuses the others.
 */
export async function linkRatings(
  db: Executor,
  links: readonly { transactionId: string; ratingId: string }[],
): Promise<Set<string>> {
  const linked = new Set<string>();
  for (let i = 0; i < links.length; i += 200) {
    const chunk = links.slice(i, i + 200);
    const choices = sql.join(
      chunk.map((l) => sql`when ${l.transactionId} then ${l.ratingId}`),
      sql` `,
    );
    // The transaction keeps a rating it already has; the answer tells which ones took this one. (A
    // `rating_id is null` filter would do the same, but the planner then picks the partial index of
    // unrated transactions and reads all of them.)
    const rows = await db
      .updateTable('transactions')
      .set({
        ratingId: sql<string>`case when ${sql.ref('rating_id')} is null then (case ${sql.ref('id')} ${choices} end) else ${sql.ref('rating_id')} end`,
      })
      .where(
        'id',
        'in',
        chunk.map((l) => l.transactionId),
      )
      .returning(['id', 'ratingId'])
      .execute();
    const proposed = new Map(chunk.map((l) => [l.transactionId, l.ratingId]));
    for (const row of rows) if (row.ratingId === proposed.get(row.id)) linked.add(row.id);
  }
  return linked;
}

/**
 * Changes a rating only if its status is still `from` (a review, a removal); false when another change
 * came first, so that two racing changes apply once.
 */
export async function updateRatingIfStatus(
  db: Executor,
  id: string,
  from: string,
  changes: Partial<
    Pick<RatingRow, 'status' | 'reviewedBy' | 'reviewedAt' | 'reviewNote' | 'removedAt' | 'removedReason'>
  >,
): Promise<boolean> {
  const changed = await db
    .updateTable('ratings')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(changed.numUpdatedRows) === 1;
}

/** Takes back ratings inserted in this transaction whose transaction turned out to be rated already. */
export async function deleteRatings(db: Executor, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .deleteFrom('ratings')
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  }
}

/** Transactions past their default date and still without a rating, oldest first. */
export async function transactionsAwaitingDefault(
  db: Executor,
  now: string,
  limit: number,
): Promise<TransactionRow[]> {
  return db
    .selectFrom('transactions')
    .selectAll()
    .where('ratingId', 'is', null)
    .where('defaultDueAt', '<=', now)
    .orderBy('defaultDueAt')
    .limit(limit)
    .execute();
}

// --- ratings ---------------------------------------------------------------------------------

export async function insertRatings(db: Executor, rows: readonly RatingRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('ratings')
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

export async function ratingsByIdempotencyKeys(
  db: Executor,
  dialect: Dialect,
  keys: readonly string[],
): Promise<RatingRow[]> {
  if (keys.length === 0) return [];
  if (dialect === 'postgres') {
    // One index probe per key in every month's partition. With `in (…)` a table without statistics
    // (a fresh installation, or autovacuum off) is planned as a scan of every partition: the key is
    // unique per day only, so the planner cannot count on one row per key.
    const { rows } = await sql<RatingRow>`
      select r.* from unnest(cast(${[...keys]} as text[])) as k(key)
      cross join lateral (select * from ratings where idempotency_key = k.key order by day limit 1) r`.execute(
      db,
    );
    return rows;
  }
  return db.selectFrom('ratings').selectAll().where('idempotencyKey', 'in', keys).execute();
}

/** One count the fraud checks need: ratings since an instant whose column holds one of the keys. */
export interface RecentCountQuery {
  /** A name for the answer rows (several queries may look at the same column). */
  name: string;
  column: 'device_id' | 'address_digest' | 'comment_fingerprint';
  keys: readonly string[];
  since: string;
  /** Count only ratings given without a transaction's link (poster and web ratings). */
  withoutTransaction?: boolean;
}

export interface RecentCountRow {
  name: string;
  unitId: string;
  key: string;
  n: number;
}

/**
 * Ratings since an instant by unit and key, for several columns at once: one statement for all the
 * fraud and limit counts of an ingest batch (one round trip on PostgreSQL). Each part is a seek per key
 * on the column's (column, created_at) index. On PostgreSQL each key is counted in a LATERAL subquery:
 * that forces one index seek per key even when the ratings table has no statistics yet (a fresh
 * installation, autovacuum not yet run or off), where an IN list or a join of 50 keys is estimated at
 * 0.5% of the table per key and read with a full scan that grows with the table (measured: 7-16 ms per
 * batch at 8,000 ratings instead of 0.4 ms).
 */
export async function recentCounts(
  db: Executor,
  dialect: Dialect,
  queries: readonly RecentCountQuery[],
): Promise<RecentCountRow[]> {
  const query = recentCountsSql(dialect, queries);
  if (!query) return [];
  const { rows } = await query.execute(db);
  return rows.map((r) => ({ name: r.name, unitId: r.unitId, key: r.key, n: Number(r.n) }));
}

/** The statement of recentCounts (columns name, unit_id, key, n), or null when there is nothing to count. */
export function recentCountsSql(
  dialect: Dialect,
  queries: readonly RecentCountQuery[],
): RawBuilder<RecentCountRow> | null {
  const parts = queries
    .filter((q) => q.keys.length > 0)
    .map((q) => {
      const column = sql.ref(`r.${q.column}`);
      const nonEmpty = q.column === 'comment_fingerprint' ? sql` and r.comment_fingerprint != ''` : sql``;
      const unlinked = q.withoutTransaction ? sql` and r.transaction_id is null` : sql``;
      const comment = sql`${nonEmpty}${unlinked}`;
      if (dialect === 'postgres') {
        return sql`select ${q.name} as name, c.unit_id, k.key, c.n
          from unnest(cast(${[...q.keys]} as text[])) as k(key)
          cross join lateral (
            select r.unit_id, count(*) as n from ratings r
             where ${column} = k.key and r.created_at >= ${q.since}${comment}
             group by r.unit_id
          ) c`;
      }
      return sql`select ${q.name} as name, r.unit_id, ${column} as key, count(*) as n
        from ratings r
        where ${column} in (${sql.join(q.keys.map((k) => sql`${k}`))}) and r.created_at >= ${q.since}${comment}
        group by r.unit_id, ${column}`;
    });
  if (parts.length === 0) return null;
  return sql<RecentCountRow>`${sql.join(parts, sql` union all `)}`;
}

export interface HeldQuery {
  unitIds?: readonly string[] | undefined;
  before?: string | undefined;
  limit: number;
}

export type HeldRow = RatingRow & { externalNo: string | null };

export async function heldRatings(db: Executor, query: HeldQuery): Promise<HeldRow[]> {
  let q = db
    .selectFrom('ratings as r')
    .leftJoin('transactions as t', 't.id', 'r.transactionId')
    .selectAll('r')
    .select('t.externalNo')
    .where('r.status', '=', 'held');
  if (query.unitIds) {
    if (query.unitIds.length === 0) return [];
    q = q.where('r.unitId', 'in', query.unitIds);
  }
  if (query.before) q = q.where('r.id', '<', query.before);
  return q.orderBy('r.id', 'desc').limit(query.limit).execute();
}

// --- devices ---------------------------------------------------------------------------------

export type DeviceRow = DevicesTable;

export async function insertDevice(db: Executor, row: DeviceRow): Promise<void> {
  await db.insertInto('devices').values(row).execute();
}

export async function deviceById(db: Executor, id: string): Promise<DeviceRow | undefined> {
  return db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deviceByTokenHash(db: Executor, tokenHash: string): Promise<DeviceRow | undefined> {
  return db.selectFrom('devices').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();
}

export async function listDevices(db: Executor, unitIds?: readonly string[]): Promise<DeviceRow[]> {
  let q = db.selectFrom('devices').selectAll();
  if (unitIds) {
    if (unitIds.length === 0) return [];
    q = q.where('unitId', 'in', unitIds);
  }
  return q.orderBy('createdAt').orderBy('id').execute();
}

export async function revokeDevice(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('devices').set({ revokedAt: at }).where('id', '=', id).execute();
}

// --- failed number lookups at hall terminals ---------------------------------------------------

/** When a device's failed lookups since `since` happened (ISO), oldest first. */
export async function lookupFailuresSince(db: Executor, deviceId: string, since: string): Promise<string[]> {
  const rows = await db
    .selectFrom('kioskLookupFailures')
    .select('at')
    .where('deviceId', '=', deviceId)
    .where('at', '>', since)
    .orderBy('at')
    .execute();
  return rows.map((r) => r.at);
}

/** Records one failed lookup and forgets the device's failures from before `forgetBefore`. */
export async function recordLookupFailure(
  db: Executor,
  failure: { id: string; deviceId: string; at: string },
  forgetBefore: string,
): Promise<void> {
  await db.insertInto('kioskLookupFailures').values(failure).execute();
  await db
    .deleteFrom('kioskLookupFailures')
    .where('deviceId', '=', failure.deviceId)
    .where('at', '<=', forgetBefore)
    .execute();
}

// --- rollup reads ----------------------------------------------------------------------------

export interface BucketRanges {
  months: { from: string; to: string } | null;
  days: { from: string; to: string }[];
}

/** The rollup rows of a period: whole months at month grain, the partial edges at day grain. */
function inBuckets(plan: BucketRanges) {
  const parts = [
    ...(plan.months
      ? [sql`(grain = 'month' and bucket >= ${plan.months.from} and bucket <= ${plan.months.to})`]
      : []),
    ...plan.days.map((d) => sql`(grain = 'day' and bucket >= ${d.from} and bucket <= ${d.to})`),
  ];
  return parts.length > 0 ? sql<boolean>`(${sql.join(parts, sql` or `)})` : sql<boolean>`1 = 0`;
}

export interface RollupCountRow {
  scopeId: string;
  channel: string;
  level: number;
  isDefault: number;
  n: number;
}

/** Rating counts of scopes over a period, by scope, channel, level and default flag. */
export async function ratingCounts(
  db: Executor,
  scopeType: string,
  scopeIds: readonly string[],
  plan: BucketRanges,
): Promise<RollupCountRow[]> {
  const out: RollupCountRow[] = [];
  for (let i = 0; i < scopeIds.length; i += 500) {
    const rows = await db
      .selectFrom('ratingRollups')
      .select(['scopeId', 'channel', 'level', 'isDefault', (eb) => eb.fn.sum<number>('n').as('n')])
      .where('scopeType', '=', scopeType)
      .where('scopeId', 'in', scopeIds.slice(i, i + 500))
      .where(inBuckets(plan))
      .groupBy(['scopeId', 'channel', 'level', 'isDefault'])
      .execute();
    for (const r of rows) out.push({ ...r, n: Number(r.n) });
  }
  return out;
}

/**
 * Rating totals of scopes over a period, by scope: all ratings and those at the given (bad) levels,
 * optionally of one channel. Summed in the database: a breakdown of a whole jurisdiction over a year
 * reads one row per scope instead of one per scope, channel, level and default flag.
 */
export async function ratingTotals(
  db: Executor,
  scopeType: string,
  scopeIds: readonly string[],
  plan: BucketRanges,
  badLevels: readonly number[],
  channel: string | null,
): Promise<{ scopeId: string; total: number; bad: number }[]> {
  const out: { scopeId: string; total: number; bad: number }[] = [];
  for (let i = 0; i < scopeIds.length; i += 500) {
    let q = db
      .selectFrom('ratingRollups')
      .select((eb) => [
        'scopeId',
        eb.fn.sum<number>('n').as('total'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when('level', 'in', [...badLevels])
              .then(eb.ref('n'))
              .else(0)
              .end(),
          )
          .as('bad'),
      ])
      .where('scopeType', '=', scopeType)
      .where('scopeId', 'in', scopeIds.slice(i, i + 500))
      .where(inBuckets(plan));
    if (channel !== null) q = q.where('channel', '=', channel);
    const rows = await q.groupBy('scopeId').execute();
    for (const r of rows) out.push({ scopeId: r.scopeId, total: Number(r.total), bad: Number(r.bad) });
  }
  return out;
}

export interface ActivityRow {
  scopeId: string;
  transactions: number;
  activelyRated: number;
  badCases: number;
  replied: number;
  rectified: number;
  judged: number;
  satisfied: number;
}

/** Activity totals of scopes over a period, by scope. */
export async function activityTotals(
  db: Executor,
  scopeType: string,
  scopeIds: readonly string[],
  plan: BucketRanges,
): Promise<ActivityRow[]> {
  const out: ActivityRow[] = [];
  for (let i = 0; i < scopeIds.length; i += 500) {
    const rows = await db
      .selectFrom('activityRollups')
      .select((eb) => [
        'scopeId',
        eb.fn.sum<number>('transactions').as('transactions'),
        eb.fn.sum<number>('activelyRated').as('activelyRated'),
        eb.fn.sum<number>('badCases').as('badCases'),
        eb.fn.sum<number>('replied').as('replied'),
        eb.fn.sum<number>('rectified').as('rectified'),
        eb.fn.sum<number>('judged').as('judged'),
        eb.fn.sum<number>('satisfied').as('satisfied'),
      ])
      .where('scopeType', '=', scopeType)
      .where('scopeId', 'in', scopeIds.slice(i, i + 500))
      .where(inBuckets(plan))
      .groupBy('scopeId')
      .execute();
    for (const r of rows) {
      out.push({
        scopeId: r.scopeId,
        transactions: Number(r.transactions),
        activelyRated: Number(r.activelyRated),
        badCases: Number(r.badCases),
        replied: Number(r.replied),
        rectified: Number(r.rectified),
        judged: Number(r.judged),
        satisfied: Number(r.satisfied),
      });
    }
  }
  return out;
}

/** Rating counts of one scope per bucket (for trends), at one grain within a bucket range. */
export async function ratingCountsByBucket(
  db: Executor,
  scopeType: string,
  scopeId: string,
  plan: BucketRanges,
): Promise<
  { grain: string; bucket: string; channel: string; level: number; isDefault: number; n: number }[]
> {
  const rows = await db
    .selectFrom('ratingRollups')
    .select(['grain', 'bucket', 'channel', 'level', 'isDefault', 'n'])
    .where('scopeType', '=', scopeType)
    .where('scopeId', '=', scopeId)
    .where(inBuckets(plan))
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

// --- monthly partitions of ratings (PostgreSQL) ----------------------------------------------------

/**
 * Makes sure a month has its own partition of ratings (PostgreSQL). Ratings of a month without one
 * wait in ratings_default; they are moved into the new partition before it is attached, so creating a
 * month late never fails. Returns whether a partition was created.
 */
export async function ensureMonthPartition(
  db: Executor,
  month: { name: string; from: string; to: string },
): Promise<boolean> {
  const { rows } = await sql<{ present: number }>`
    select 1 as present from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'ratings'::regclass and c.relname = ${month.name}`.execute(db);
  if (rows.length > 0) return false;
  const table = sql.id(month.name);
  await sql`create table ${table} (like ratings including defaults)`.execute(db);
  await sql`
    with moved as (delete from ratings_default where day >= ${month.from} and day < ${month.to} returning *)
    insert into ${table} select * from moved`.execute(db);
  await sql`alter table ratings attach partition ${table} for values from (${sql.lit(month.from)}) to (${sql.lit(month.to)})`.execute(
    db,
  );
  return true;
}

/** The partitions of ratings with their row counts (PostgreSQL; for tests and the operator). */
export async function ratingPartitions(db: Executor): Promise<{ name: string; rows: number }[]> {
  const { rows } = await sql<{ name: string; rows: string | number }>`
    select c.relname as name, (select count(*) from ratings r where r.tableoid = c.oid) as rows
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'ratings'::regclass order by c.relname`.execute(db);
  return rows.map((r) => ({ name: r.name, rows: Number(r.rows) }));
}

/**
 * Counted ratings with a written comment on days from–to, oldest first (for the ledger's comment inbox):
 * only what the inbox keeps — never the rater's device, address or name.
 */
export async function commentedRatings(
  db: Executor,
  from: string,
  to: string,
  limit: number,
): Promise<{ id: string; unitId: string; day: string; level: number; comment: string }[]> {
  return db
    .selectFrom('ratings')
    .select(['id', 'unitId', 'day', 'level', 'comment'])
    .where('day', '>=', from)
    .where('day', '<=', to)
    .where('status', '=', 'counted')
    .where('comment', '<>', '')
    .orderBy('day')
    .orderBy('id')
    .limit(limit)
    .execute();
}

// --- one ingest batch, set-wise ------------------------------------------------------------------

/*
 * The SQL of one ingest batch, set-wise: what a batch reads before it decides (its transactions, the
 * earlier answers to its idempotency keys, the fraud counts, the configuration and the calendar day) and
 * what it writes after (its ratings, the links from their transactions, the rollups).
 *
 * On PostgreSQL each side is ONE statement, so a batch costs four round trips (begin, read, write,
 * commit) whatever its size, plus the statements of any bad-review case: with the event loop busy
 * answering HTTP, every round trip waits its turn, and it was the round trips (eleven per batch), not the
 * server's work, that bounded ingest. The values travel as arrays (`unnest`), so each statement has the
 * same text and the same few parameters for every batch size. On SQLite, where a statement is a function
 * call, the reads stay separate statements.
 */

/** What a batch reads before it decides. */
export interface BatchReads {
  /** The stored ratings configuration (settings `ratings.config`), undefined when never set. */
  configText: string | undefined;
  transactions: TransactionRow[];
  /** Ratings stored earlier under the batch's idempotency keys. */
  earlier: RatingRow[];
  counts: RecentCountRow[];
  /** The calendar's kind of `today` (holiday, workday) when asked for, else null. */
  calendarKind: string | null;
}

export interface BatchReadQuery {
  tokenHashes: readonly string[];
  idempotencyKeys: readonly string[];
  counts: readonly RecentCountQuery[];
  /** The day whose calendar kind is wanted, or null when no rating of the batch needs it. */
  calendarDay: string | null;
}

/** Reads what a batch needs to decide (one statement on PostgreSQL). */
export async function readBatch(db: Executor, dialect: Dialect, q: BatchReadQuery): Promise<BatchReads> {
  if (dialect === 'postgres') return readBatchPostgres(db, q);
  return {
    configText: await getSetting(db, CONFIG_KEY),
    transactions: await transactionsByTokenHashes(db, q.tokenHashes),
    earlier: await ratingsByIdempotencyKeys(db, dialect, q.idempotencyKeys),
    counts: await recentCounts(db, dialect, q.counts),
    calendarKind:
      q.calendarDay === null ? null : ((await calendarStore.dayOf(db, q.calendarDay))?.kind ?? null),
  };
}

/**
 * snake_case keys (rows aggregated as JSON) to the camelCase of Kysely's rows. Kysely's CamelCasePlugin
 * converts nested keys too; this makes the result the same with or without it.
 */
function camelRow<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row))
    out[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v;
  return out as T;
}

async function readBatchPostgres(db: Executor, q: BatchReadQuery): Promise<BatchReads> {
  const counts = recentCountsSql('postgres', q.counts);
  // Each list is aggregated as JSON, so that rows of different shapes come back in one row. The
  // idempotency lookup and the counts seek per key (see ratingsByIdempotencyKeys and recentCounts).
  const { rows } = await sql<{
    config: string | null;
    calendarKind: string | null;
    transactions: Record<string, unknown>[];
    earlier: Record<string, unknown>[];
    counts: Record<string, unknown>[];
  }>`
    select
      (select value from settings where key = ${CONFIG_KEY}) as config,
      (select kind from calendar_days where date = ${q.calendarDay}) as calendar_kind,
      (select coalesce(json_agg(t), '[]'::json) from transactions t
        where t.token_hash = any(cast(${[...q.tokenHashes]} as text[]))) as transactions,
      (select coalesce(json_agg(r), '[]'::json) from unnest(cast(${[...q.idempotencyKeys]} as text[])) as k(key)
        cross join lateral (select * from ratings where idempotency_key = k.key order by day limit 1) r) as earlier,
      ${counts ? sql`(select coalesce(json_agg(c), '[]'::json) from (${counts}) c)` : sql`'[]'::json`} as counts`.execute(
    db,
  );
  const row = rows[0];
  if (!row) throw new Error('ingest: the batch read returned no row');
  return {
    configText: row.config ?? undefined,
    calendarKind: row.calendarKind,
    transactions: row.transactions.map((t) => camelRow<TransactionRow>(t)),
    earlier: row.earlier.map((r) => camelRow<RatingRow>(r)),
    counts: row.counts.map((c) => {
      const r = camelRow<RecentCountRow>(c);
      return { name: r.name, unitId: r.unitId, key: r.key, n: Number(r.n) };
    }),
  };
}

/** What a batch writes after it decided. */
export interface BatchWrites {
  ratings: readonly RatingRow[];
  links: readonly { transactionId: string; ratingId: string }[];
  ratingRollups: readonly RatingRollupRow[];
  activityRollups: readonly ActivityRollupRow[];
}

/**
 * Writes a batch's ratings, links their transactions (unless a transaction has a rating already: the guard
 * against two app nodes rating one transaction at once) and adds the rollups. Returns the transactions
 * that took the batch's rating; the caller refuses the batch if any did not.
 */
export async function writeBatch(db: Executor, database: Database, w: BatchWrites): Promise<Set<string>> {
  if (database.dialect === 'postgres') return writeBatchPostgres(db, w);
  if (database.sqlite) return writeBatchSqlite(database.sqlite, w);
  await insertRatings(db, w.ratings);
  const linked = await linkRatings(db, w.links);
  await upsertRatingRollups(db, w.ratingRollups);
  await upsertActivityRollups(db, w.activityRollups);
  return linked;
}

/** The columns of ratings in the order the PostgreSQL insert passes them, with their array types. */
const RATING_COLUMNS: readonly (readonly [keyof RatingRow, string, 'text' | 'int'])[] = [
  ['id', 'id', 'text'],
  ['transactionId', 'transaction_id', 'text'],
  ['unitId', 'unit_id', 'text'],
  ['serviceItemId', 'service_item_id', 'text'],
  ['staffId', 'staff_id', 'text'],
  ['mode', 'mode', 'text'],
  ['level', 'level', 'int'],
  ['tags', 'tags', 'text'],
  ['dimensions', 'dimensions', 'text'],
  ['comment', 'comment', 'text'],
  ['commentFingerprint', 'comment_fingerprint', 'text'],
  ['channel', 'channel', 'text'],
  ['deviceId', 'device_id', 'text'],
  ['addressDigest', 'address_digest', 'text'],
  ['isDefault', 'is_default', 'int'],
  ['named', 'named', 'int'],
  ['status', 'status', 'text'],
  ['flags', 'flags', 'text'],
  ['idempotencyKey', 'idempotency_key', 'text'],
  ['requestDigest', 'request_digest', 'text'],
  ['rollupScopes', 'rollup_scopes', 'text'],
  ['day', 'day', 'text'],
  ['createdAt', 'created_at', 'text'],
  ['reviewedBy', 'reviewed_by', 'text'],
  ['reviewedAt', 'reviewed_at', 'text'],
  ['reviewNote', 'review_note', 'text'],
  ['removedAt', 'removed_at', 'text'],
  ['removedReason', 'removed_reason', 'text'],
];

/** `unnest(cast($1 as text[]), cast($2 as int[]), …)` over the given columns of the rows. */
function unnestOf<R>(rows: readonly R[], columns: readonly (readonly [keyof R, string, 'text' | 'int'])[]) {
  return sql`unnest(${sql.join(
    columns.map(([field, , type]) => {
      const values = rows.map((r) => r[field]);
      return type === 'int' ? sql`cast(${values} as int[])` : sql`cast(${values} as text[])`;
    }),
  )})`;
}

const RATING_ROLLUP_COLUMNS: readonly (readonly [keyof RatingRollupRow, string, 'text' | 'int'])[] = [
  ['scopeType', 'scope_type', 'text'],
  ['scopeId', 'scope_id', 'text'],
  ['grain', 'grain', 'text'],
  ['bucket', 'bucket', 'text'],
  ['channel', 'channel', 'text'],
  ['level', 'level', 'int'],
  ['isDefault', 'is_default', 'int'],
  ['n', 'n', 'int'],
];

const ACTIVITY_ROLLUP_COLUMNS: readonly (readonly [keyof ActivityRollupRow, string, 'text' | 'int'])[] = [
  ['scopeType', 'scope_type', 'text'],
  ['scopeId', 'scope_id', 'text'],
  ['grain', 'grain', 'text'],
  ['bucket', 'bucket', 'text'],
  ...ACTIVITY_FIELDS.map((f) => [f, ACTIVITY_COLUMNS[f], 'int'] as const),
];

const names = (columns: readonly (readonly [unknown, string, unknown])[]) =>
  sql.raw(columns.map(([, column]) => column).join(', '));

async function writeBatchPostgres(db: Executor, w: BatchWrites): Promise<Set<string>> {
  // Data-modifying CTEs all run, referenced or not; the statement's answer is the links that took.
  // The link keeps a rating a transaction already has (coalesce) and reports what the row holds now.
  const activityUpdates = sql.raw(
    ACTIVITY_FIELDS.map(
      (f) =>
        `${ACTIVITY_COLUMNS[f]} = activity_rollups.${ACTIVITY_COLUMNS[f]} + excluded.${ACTIVITY_COLUMNS[f]}`,
    ).join(', '),
  );
  const { rows } = await sql<{ id: string; ratingId: string | null }>`
    with new_ratings as (
      insert into ratings (${names(RATING_COLUMNS)}) select * from ${unnestOf(w.ratings, RATING_COLUMNS)}
    ), linked as (
      update transactions t set rating_id = coalesce(t.rating_id, l.rating_id)
        from unnest(cast(${w.links.map((l) => l.transactionId)} as text[]), cast(${w.links.map((l) => l.ratingId)} as text[])) as l(transaction_id, rating_id)
       where t.id = l.transaction_id
      returning t.id, t.rating_id
    ), rating_counts as (
      insert into rating_rollups (${names(RATING_ROLLUP_COLUMNS)})
      select * from ${unnestOf(w.ratingRollups, RATING_ROLLUP_COLUMNS)}
      on conflict (scope_type, scope_id, grain, bucket, channel, level, is_default)
      do update set n = rating_rollups.n + excluded.n
    ), activity as (
      insert into activity_rollups (${names(ACTIVITY_ROLLUP_COLUMNS)})
      select * from ${unnestOf(w.activityRollups, ACTIVITY_ROLLUP_COLUMNS)}
      on conflict (scope_type, scope_id, grain, bucket) do update set ${activityUpdates}
    )
    select id, rating_id from linked`.execute(db);
  const proposed = new Map(w.links.map((l) => [l.transactionId, l.ratingId]));
  return new Set(rows.filter((r) => r.ratingId === proposed.get(r.id)).map((r) => r.id));
}

/*
 * On SQLite the writes are statements of fixed text, prepared once per connection and run once per row
 * on the connection Kysely's transaction holds: a statement run is a function call there, so one row at a
 * time costs less than building, compiling and preparing a multi-row statement whose text changes with
 * every batch size.
 */
const SQLITE_INSERT_RATING = `insert into ratings (${RATING_COLUMNS.map(([, c]) => c).join(', ')}) values (${RATING_COLUMNS.map(() => '?').join(', ')})`;
const SQLITE_LINK = 'update transactions set rating_id = ? where id = ? and rating_id is null';
const SQLITE_RATING_ROLLUP = `insert into rating_rollups (${RATING_ROLLUP_COLUMNS.map(([, c]) => c).join(', ')})
  values (?, ?, ?, ?, ?, ?, ?, ?)
  on conflict (scope_type, scope_id, grain, bucket, channel, level, is_default) do update set n = rating_rollups.n + excluded.n`;
const SQLITE_ACTIVITY_ROLLUP = `insert into activity_rollups (${ACTIVITY_ROLLUP_COLUMNS.map(([, c]) => c).join(', ')})
  values (${ACTIVITY_ROLLUP_COLUMNS.map(() => '?').join(', ')})
  on conflict (scope_type, scope_id, grain, bucket) do update set ${ACTIVITY_FIELDS.map(
    (f) =>
      `${ACTIVITY_COLUMNS[f]} = activity_rollups.${ACTIVITY_COLUMNS[f]} + excluded.${ACTIVITY_COLUMNS[f]}`,
  ).join(', ')}`;

function writeBatchSqlite(connection: SQLite.Database, w: BatchWrites): Set<string> {
  const insert = preparedOnce(connection, SQLITE_INSERT_RATING);
  for (const r of w.ratings) insert.run(RATING_COLUMNS.map(([field]) => r[field]));
  const link = preparedOnce(connection, SQLITE_LINK);
  const linked = new Set<string>();
  for (const l of w.links)
    if (link.run(l.ratingId, l.transactionId).changes === 1) linked.add(l.transactionId);
  const ratingRollup = preparedOnce(connection, SQLITE_RATING_ROLLUP);
  for (const r of w.ratingRollups) {
    ratingRollup.run(r.scopeType, r.scopeId, r.grain, r.bucket, r.channel, r.level, r.isDefault, r.n);
  }
  const activity = preparedOnce(connection, SQLITE_ACTIVITY_ROLLUP);
  for (const r of w.activityRollups) activity.run(ACTIVITY_ROLLUP_COLUMNS.map(([field]) => r[field]));
  return linked;
}

// --- rollups -------------------------------------------------------------------------------------

/* The rollup writers (rating_rollups, activity_rollups): what ratings/rollups.ts decides, written here. */

/**
 * Adds (or, with negative n, subtracts) rating counts. Deltas with the same row key are merged first, so a
 * batch of ratings costs one upsert per distinct row, not one per rating.
 */
export async function adjustRatingCounts(db: Executor, deltas: readonly RatingDelta[]): Promise<void> {
  await upsertRatingRollups(db, mergeRatingDeltas(deltas));
}

/** Adds merged rollup rows (mergeRatingDeltas) to rating_rollups. */
export async function upsertRatingRollups(db: Executor, rows: readonly RatingRollupRow[]): Promise<void> {
  // Chunks keep each statement well under SQLite's bound-parameter limit.
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('ratingRollups')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc
          .columns(['scopeType', 'scopeId', 'grain', 'bucket', 'channel', 'level', 'isDefault'])
          .doUpdateSet({ n: sql<number>`rating_rollups.n + excluded.n` }),
      )
      .execute();
  }
}

/** Adds the given counters (negative to subtract) under every scope, at day and month grain. */
export async function adjustActivity(
  db: Executor,
  scopes: readonly RollupScope[],
  day: string,
  delta: Partial<ActivityCounters>,
): Promise<void> {
  const fields = ACTIVITY_FIELDS.filter((f) => (delta[f] ?? 0) !== 0);
  if (fields.length === 0 || scopes.length === 0) return;
  const rows = scopes.flatMap(([scopeType, scopeId]) =>
    (
      [
        ['day', day],
        ['month', monthOf(day)],
      ] as const
    ).map(([grain, bucket]) => ({
      scopeType,
      scopeId,
      grain,
      bucket,
      transactions: delta.transactions ?? 0,
      activelyRated: delta.activelyRated ?? 0,
      badCases: delta.badCases ?? 0,
      replied: delta.replied ?? 0,
      rectified: delta.rectified ?? 0,
      judged: delta.judged ?? 0,
      satisfied: delta.satisfied ?? 0,
    })),
  );
  const updates = Object.fromEntries(
    fields.map((f) => [
      f,
      sql<number>`${sql.ref(`activity_rollups.${ACTIVITY_COLUMNS[f]}`)} + ${sql.ref(`excluded.${ACTIVITY_COLUMNS[f]}`)}`,
    ]),
  );
  await db
    .insertInto('activityRollups')
    .values(rows)
    .onConflict((oc) => oc.columns(['scopeType', 'scopeId', 'grain', 'bucket']).doUpdateSet(updates))
    .execute();
}

/**
 * Adds many activity changes at once: rows with the same key are merged first, so a batch of
 * transactions or ratings costs one upsert per distinct row (as adjustRatingCounts does).
 */
export async function adjustActivityMany(db: Executor, deltas: readonly ActivityDelta[]): Promise<void> {
  await upsertActivityRollups(db, mergeActivityDeltas(deltas));
}

/** Adds merged activity rows (mergeActivityDeltas) to activity_rollups. */
export async function upsertActivityRollups(db: Executor, rows: readonly ActivityRollupRow[]): Promise<void> {
  if (rows.length === 0) return;
  const updates = Object.fromEntries(
    ACTIVITY_FIELDS.map((f) => [
      f,
      sql<number>`${sql.ref(`activity_rollups.${ACTIVITY_COLUMNS[f]}`)} + ${sql.ref(`excluded.${ACTIVITY_COLUMNS[f]}`)}`,
    ]),
  );
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('activityRollups')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['scopeType', 'scopeId', 'grain', 'bucket']).doUpdateSet(updates))
      .execute();
  }
}
