import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/db.js';
import { makeTree, type SmallTree } from '../../test/support/factories.js';
import { sha256Hex } from '../core/digest.js';
import { newId } from '../core/ids.js';
import { readBatch, writeBatch } from './store.js';
import { mergeActivityDeltas, mergeRatingDeltas, scopesFor } from './rollups.js';
import { recordTransaction } from './service.js';
import * as store from './store.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

function ratingRow(tree: SmallTree, transactionId: string, key: string): store.RatingRow {
  return {
    id: newId(),
    transactionId,
    unitId: tree.windowA1.id,
    serviceItemId: null,
    staffId: null,
    mode: 'offline',
    level: 5,
    tags: '[]',
    dimensions: '{}',
    comment: '',
    commentFingerprint: '',
    channel: 'sms_link',
    deviceId: 'device-1',
    addressDigest: 'address-1',
    isDefault: 0,
    named: 0,
    status: 'counted',
    flags: '[]',
    idempotencyKey: key,
    requestDigest: 'digest',
    rollupScopes: JSON.stringify(scopesFor([tree.windowA1.id, tree.city.id], null, null)),
    day: '2026-03-16',
    createdAt: '2026-03-16T02:00:00.000Z',
    reviewedBy: null,
    reviewedAt: null,
    reviewNote: null,
    removedAt: null,
    removedReason: null,
  };
}

describeEachDatabase('ingest batch statements', (db) => {
  it('writes ratings, links and rollups of a batch, keeps a rating a transaction already has, and reads them back', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    const views = [];
    for (const n of [1, 2]) {
      views.push(
        await recordTransaction(
          deps,
          SYSTEM,
          {
            externalNo: `BATCH-${n}-${randomBytes(3).toString('hex')}`,
            unitId: tree.windowA1.id,
            mode: 'offline',
            receivedAt: '2026-03-16T09:00:00+08:00',
          },
          { publicUrl: 'http://127.0.0.1:3000', qr: false },
        ),
      );
    }
    const [free, taken] = views as [(typeof views)[0], (typeof views)[0]];
    const first = ratingRow(tree, free.id, `k-${randomBytes(4).toString('hex')}`);
    const scopes = scopesFor([tree.windowA1.id, tree.city.id], null, null);
    const key = { channel: 'sms_link', level: 5, isDefault: false };
    const rollups = {
      ratingRollups: mergeRatingDeltas(scopes.map((scope) => ({ scope, day: '2026-03-16', key, n: 1 }))),
      activityRollups: mergeActivityDeltas([{ scopes, day: '2026-03-16', delta: { activelyRated: 1 } }]),
    };
    await deps.database.db.transaction().execute(async (trx) => {
      const linked = await writeBatch(trx, deps.database, {
        ratings: [first],
        links: [{ transactionId: free.id, ratingId: first.id }],
        ...rollups,
      });
      expect([...linked]).toEqual([free.id]);
    });
    // A second batch: one transaction is already rated (by `first`), the other is not.
    const second = ratingRow(tree, taken.id, `k-${randomBytes(4).toString('hex')}`);
    const late = ratingRow(tree, free.id, `k-${randomBytes(4).toString('hex')}`);
    late.transactionId = null; // stored without a transaction, but its link below must not take
    await deps.database.db.transaction().execute(async (trx) => {
      const linked = await writeBatch(trx, deps.database, {
        ratings: [second, late],
        links: [
          { transactionId: taken.id, ratingId: second.id },
          { transactionId: free.id, ratingId: late.id },
        ],
        ...rollups,
      });
      expect([...linked]).toEqual([taken.id]);
    });
    expect((await store.transactionById(deps.database.db, free.id))?.ratingId).toBe(first.id);
    expect((await store.transactionById(deps.database.db, taken.id))?.ratingId).toBe(second.id);
    // Three ratings counted twice each (the window and the city), at day and month grain.
    const counts = await deps.database.db
      .selectFrom('ratingRollups')
      .select(['grain', 'n'])
      .where('scopeId', '=', tree.city.id)
      .where('channel', '=', 'sms_link')
      .orderBy('grain')
      .execute();
    expect(counts.map((c) => [c.grain, Number(c.n)])).toEqual([
      ['day', 2],
      ['month', 2],
    ]);
    const activity = await deps.database.db
      .selectFrom('activityRollups')
      .select(['grain', 'activelyRated'])
      .where('scopeId', '=', tree.windowA1.id)
      .orderBy('grain')
      .execute();
    expect(activity.map((a) => [a.grain, Number(a.activelyRated)])).toEqual([
      ['day', 2],
      ['month', 2],
    ]);

    const reads = await deps.database.db.transaction().execute((trx) =>
      readBatch(trx, deps.database.dialect, {
        tokenHashes: [sha256Hex(free.ratingUrl.slice(3)), 'no-such-hash'],
        idempotencyKeys: [first.idempotencyKey ?? '', 'unknown-key'],
        counts: [
          {
            name: 'device',
            column: 'device_id',
            keys: ['device-1', 'device-2'],
            since: '2026-03-16T00:00:00.000Z',
          },
        ],
        calendarDay: '2026-03-16',
      }),
    );
    // Rows as the other reads give them: the same fields, names and types.
    expect(reads.earlier).toEqual([await store.ratingById(deps.database.db, first.id)]);
    expect(reads.counts).toEqual([{ name: 'device', unitId: tree.windowA1.id, key: 'device-1', n: 3 }]);
    expect(reads.transactions).toEqual([await store.transactionById(deps.database.db, free.id)]);
    expect(reads.calendarKind).toBeNull();
  });
});
