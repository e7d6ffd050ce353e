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
