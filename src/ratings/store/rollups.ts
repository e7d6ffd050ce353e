import { sql } from 'kysely';
import type { Executor } from '../../core/db/database.js';
import {
  mergeRatingDeltas,
  mergeActivityDeltas,
  monthOf,
  ACTIVITY_FIELDS,
  ACTIVITY_COLUMNS,
  type RatingDelta,
  type RatingRollupRow,
  type ActivityCounters,
  type RollupScope,
  type ActivityDelta,
  type ActivityRollupRow,
} from '../rollups.js';

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
