import { sql } from 'kysely';
import type { Executor } from '../core/db/database.js';

/*
 * Rollups kept at ingest: statistics never scan raw ratings. Each rating is counted under a set of
 * scopes — its unit and every ancestor as the tree stood when it was given (scope `subtree`), its staff
 * member and its service item — at two grains, day and month, so that any period is a handful of rows.
 */

export type ScopeType = 'subtree' | 'staff' | 'item';
export type RollupScope = readonly [ScopeType, string];

export interface RatingCountKey {
  channel: string;
  level: number;
  isDefault: boolean;
}

/** The month bucket (YYYY-MM) of a day bucket (YYYY-MM-DD). */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** The scopes a rating is counted under: the unit's ancestry (unit first), then staff and item when known. */
export function scopesFor(
  ancestry: readonly string[],
  staffId: string | null,
  serviceItemId: string | null,
): RollupScope[] {
  const scopes: RollupScope[] = ancestry.map((id) => ['subtree', id] as const);
  if (staffId) scopes.push(['staff', staffId]);
  if (serviceItemId) scopes.push(['item', serviceItemId]);
  return scopes;
}

export interface RatingDelta {
  scope: RollupScope;
  day: string;
  key: RatingCountKey;
  n: number;
}

/** One row of rating_rollups to add (n may be negative). */
export interface RatingRollupRow {
  scopeType: string;
  scopeId: string;
  grain: string;
  bucket: string;
  channel: string;
  level: number;
  isDefault: number;
  n: number;
}

/**
 * Merges rating deltas into rollup rows, one per distinct row key (day and month grain), without the rows
 * that net to zero, in key order: two nodes upserting the same rows lock them in the same order and
 * never deadlock.
 */
export function mergeRatingDeltas(deltas: readonly RatingDelta[]): RatingRollupRow[] {
  const merged = new Map<string, RatingRollupRow>();
  for (const d of deltas) {
    const isDefault = d.key.isDefault ? 1 : 0;
    // The key is built once per delta and completed per grain: ratings of a batch share most of it.
    const tail = `${d.key.channel}|${d.key.level}|${isDefault}`;
    const month = monthOf(d.day);
    for (const [grain, bucket] of [
      ['day', d.day],
      ['month', month],
    ] as const) {
      const key = `${d.scope[0]}|${d.scope[1]}|${grain}|${bucket}|${tail}`;
      const row = merged.get(key);
      if (row) row.n += d.n;
      else
        merged.set(key, {
          scopeType: d.scope[0],
          scopeId: d.scope[1],
          grain,
          bucket,
          channel: d.key.channel,
          level: d.key.level,
          isDefault,
          n: d.n,
        });
    }
  }
  return [...merged.entries()]
    .filter(([, r]) => r.n !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
}

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

/** Everything an activity rollup counts, by the day of the transaction or of the bad review. */
export interface ActivityCounters {
  transactions: number;
  activelyRated: number;
  badCases: number;
  replied: number;
  rectified: number;
  judged: number;
  satisfied: number;
}

/** The activity counters, in column order. */
export const ACTIVITY_FIELDS = [
  'transactions',
  'activelyRated',
  'badCases',
  'replied',
  'rectified',
  'judged',
  'satisfied',
] as const;
/** The column of each activity counter. */
export const ACTIVITY_COLUMNS: Record<(typeof ACTIVITY_FIELDS)[number], string> = {
  transactions: 'transactions',
  activelyRated: 'actively_rated',
  badCases: 'bad_cases',
  replied: 'replied',
  rectified: 'rectified',
  judged: 'judged',
  satisfied: 'satisfied',
};

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

/** Reads the scopes a rating was counted under (stored with the rating at ingest). */
export function parseScopes(json: string): RollupScope[] {
  return (JSON.parse(json) as [ScopeType, string][]).map(([t, id]) => [t, id] as const);
}

/** One activity change: counters added under every scope, on a day. */
export interface ActivityDelta {
  scopes: readonly RollupScope[];
  day: string;
  delta: Partial<ActivityCounters>;
}

/** One row of activity_rollups to add (counters may be negative). */
export type ActivityRollupRow = {
  scopeType: string;
  scopeId: string;
  grain: string;
  bucket: string;
} & ActivityCounters;

/**
 * Merges activity changes into rollup rows, one per distinct row key, without rows that change nothing,
 * in key order (as mergeRatingDeltas).
 */
export function mergeActivityDeltas(deltas: readonly ActivityDelta[]): ActivityRollupRow[] {
  const merged = new Map<string, ActivityRollupRow>();
  for (const d of deltas) {
    const month = monthOf(d.day);
    for (const [scopeType, scopeId] of d.scopes) {
      for (const [grain, bucket] of [
        ['day', d.day],
        ['month', month],
      ] as const) {
        const key = `${scopeType}|${scopeId}|${grain}|${bucket}`;
        let row = merged.get(key);
        if (!row) {
          row = {
            scopeType,
            scopeId,
            grain,
            bucket,
            transactions: 0,
            activelyRated: 0,
            badCases: 0,
            replied: 0,
            rectified: 0,
            judged: 0,
            satisfied: 0,
          };
          merged.set(key, row);
        }
        for (const f of ACTIVITY_FIELDS) row[f] += d.delta[f] ?? 0;
      }
    }
  }
  return [...merged.entries()]
    .filter(([, r]) => ACTIVITY_FIELDS.some((f) => r[f] !== 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
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
