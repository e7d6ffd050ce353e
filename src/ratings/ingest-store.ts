import { sql } from 'kysely';
import type SQLite from 'better-sqlite3';
import type { Database, Dialect, Executor } from '../core/db/database.js';
import { preparedOnce } from '../core/db/sqlite-statements.js';
import { getSetting } from '../core/settings.js';
import { CONFIG_KEY } from './config.js';
import {
  ACTIVITY_COLUMNS,
  ACTIVITY_FIELDS,
  upsertActivityRollups,
  upsertRatingRollups,
  type ActivityRollupRow,
  type RatingRollupRow,
} from './rollups.js';
import * as store from './store.js';

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
  transactions: store.TransactionRow[];
  /** Ratings stored earlier under the batch's idempotency keys. */
  earlier: store.RatingRow[];
  counts: store.RecentCountRow[];
  /** The calendar's kind of `today` (holiday, workday) when asked for, else null. */
  calendarKind: string | null;
}

export interface BatchReadQuery {
  tokenHashes: readonly string[];
  idempotencyKeys: readonly string[];
  counts: readonly store.RecentCountQuery[];
  /** The day whose calendar kind is wanted, or null when no rating of the batch needs it. */
  calendarDay: string | null;
}

/** Reads what a batch needs to decide (one statement on PostgreSQL). */
export async function readBatch(db: Executor, dialect: Dialect, q: BatchReadQuery): Promise<BatchReads> {
  if (dialect === 'postgres') return readBatchPostgres(db, q);
  return {
    configText: await getSetting(db, CONFIG_KEY),
    transactions: await store.transactionsByTokenHashes(db, q.tokenHashes),
    earlier: await store.ratingsByIdempotencyKeys(db, dialect, q.idempotencyKeys),
    counts: await store.recentCounts(db, dialect, q.counts),
    calendarKind: q.calendarDay === null ? null : await store.calendarKindOf(db, q.calendarDay),
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
  const counts = store.recentCountsSql('postgres', q.counts);
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
    transactions: row.transactions.map((t) => camelRow<store.TransactionRow>(t)),
    earlier: row.earlier.map((r) => camelRow<store.RatingRow>(r)),
    counts: row.counts.map((c) => {
      const r = camelRow<store.RecentCountRow>(c);
      return { name: r.name, unitId: r.unitId, key: r.key, n: Number(r.n) };
    }),
  };
}

/** What a batch writes after it decided. */
export interface BatchWrites {
  ratings: readonly store.RatingRow[];
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
  await store.insertRatings(db, w.ratings);
  const linked = await store.linkRatings(db, w.links);
  await upsertRatingRollups(db, w.ratingRollups);
  await upsertActivityRollups(db, w.activityRollups);
  return linked;
}

/** The columns of ratings in the order the PostgreSQL insert passes them, with their array types. */
const RATING_COLUMNS: readonly (readonly [keyof store.RatingRow, string, 'text' | 'int'])[] = [
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
