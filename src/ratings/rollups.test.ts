import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/db.js';
import { scopesFor } from './rollups.js';
import { adjustActivity, adjustRatingCounts } from './store.js';

describeEachDatabase('rollups', (db) => {
  it('merges a batch into one row per key at day and month grain, and subtracts on removal', async () => {
    const { deps } = db();
    const scopes = scopesFor(['window', 'section', 'city'], 'staff-1', null);
    const key = { channel: 'qr_code', level: 2, isDefault: false };
    await adjustRatingCounts(deps.database.db, [
      ...scopes.map((scope) => ({ scope, day: '2026-03-16', key, n: 1 })),
      ...scopes.map((scope) => ({ scope, day: '2026-03-16', key, n: 1 })),
      ...scopes.map((scope) => ({ scope, day: '2026-03-17', key, n: 1 })),
    ]);
    await adjustRatingCounts(deps.database.db, [
      { scope: ['subtree', 'city'], day: '2026-03-17', key, n: -1 },
    ]);
    const rows = await deps.database.db
      .selectFrom('ratingRollups')
      .select(['scopeType', 'scopeId', 'grain', 'bucket', 'n'])
      .where('scopeId', 'in', ['city', 'staff-1'])
      .orderBy('scopeId')
      .orderBy('grain')
      .orderBy('bucket')
      .execute();
    expect(rows).toEqual([
      { scopeType: 'subtree', scopeId: 'city', grain: 'day', bucket: '2026-03-16', n: 2 },
      { scopeType: 'subtree', scopeId: 'city', grain: 'day', bucket: '2026-03-17', n: 0 },
      { scopeType: 'subtree', scopeId: 'city', grain: 'month', bucket: '2026-03', n: 2 },
      { scopeType: 'staff', scopeId: 'staff-1', grain: 'day', bucket: '2026-03-16', n: 2 },
      { scopeType: 'staff', scopeId: 'staff-1', grain: 'day', bucket: '2026-03-17', n: 1 },
      { scopeType: 'staff', scopeId: 'staff-1', grain: 'month', bucket: '2026-03', n: 3 },
    ]);
  });

  it('adds activity counters field by field', async () => {
    const { deps } = db();
    const scopes = scopesFor(['w2', 'city2'], null, 'item-9');
    await adjustActivity(deps.database.db, scopes, '2026-04-01', { transactions: 3 });
    await adjustActivity(deps.database.db, scopes, '2026-04-01', { activelyRated: 2, badCases: 1 });
    await adjustActivity(deps.database.db, scopes, '2026-04-02', { transactions: 1, replied: 1 });
    const month = await deps.database.db
      .selectFrom('activityRollups')
      .selectAll()
      .where('scopeId', '=', 'item-9')
      .where('grain', '=', 'month')
      .executeTakeFirstOrThrow();
    expect(month).toMatchObject({
      bucket: '2026-04',
      transactions: 4,
      activelyRated: 2,
      badCases: 1,
      replied: 1,
      judged: 0,
    });
  });
});
