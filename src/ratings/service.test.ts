import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/db.js';
import { makeTree } from '../../test/support/factories.js';
import type { Deps } from '../core/context.js';
import { openDatabase } from '../core/db/database.js';
import type { RatingsTable } from '../core/db/schema.js';
import { newId } from '../core/ids.js';
import { scopesFor } from './rollups.js';
import { adjustActivity, adjustRatingCounts } from './store.js';
import { rateTransaction, recordTransaction, removeRating } from './service.js';

describeEachDatabase('removeRating', (db) => {
  it('subtracts a counted active rating from its stored scopes once, and frees nothing else', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    const scopes = scopesFor([tree.windowA1.id, tree.sectionA1.id, tree.deptA.id, tree.city.id], null, null);
    const txId = newId();
    await deps.database.db
      .insertInto('transactions')
      .values({
        id: txId,
        externalNo: 'RM-1',
        jurisdictionId: tree.city.id,
        unitId: tree.windowA1.id,
        serviceItemId: null,
        staffId: null,
        mode: 'offline',
        receivedAt: '2026-03-10T01:00:00.000Z',
        completedAt: '2026-03-10T02:00:00.000Z',
        day: '2026-03-10',
        contactName: '',
        contactPhone: '',
        tokenHash: `hash-${txId}`,
        tokenExpiresAt: '2026-04-09T02:00:00.000Z',
        defaultDueAt: '2026-03-17T02:00:00.000Z',
        ratingId: null,
        source: 'test',
        createdAt: '2026-03-10T02:00:00.000Z',
        rollupScopes: JSON.stringify(scopes),
      })
      .execute();
    const rating: RatingsTable = {
      id: newId(),
      transactionId: txId,
      unitId: tree.windowA1.id,
      serviceItemId: null,
      staffId: null,
      mode: 'offline',
      level: 1,
      tags: '[]',
      dimensions: '{}',
      comment: '',
      commentFingerprint: '',
      channel: 'sms_link',
      deviceId: 'd1',
      addressDigest: 'a1',
      isDefault: 0,
      named: 0,
      status: 'counted',
      flags: '[]',
      idempotencyKey: null,
      requestDigest: '',
      rollupScopes: JSON.stringify(scopes),
      day: '2026-03-12',
      createdAt: '2026-03-12T03:00:00.000Z',
      reviewedBy: null,
      reviewedAt: null,
      reviewNote: null,
      removedAt: null,
      removedReason: null,
    };
    await deps.database.db.insertInto('ratings').values(rating).execute();
    const key = { channel: 'sms_link', level: 1, isDefault: false };
    await adjustRatingCounts(
      deps.database.db,
      scopes.map((scope) => ({ scope, day: '2026-03-12', key, n: 1 })),
    );
    await adjustActivity(deps.database.db, scopes, '2026-03-10', { transactions: 1, activelyRated: 1 });

    for (let i = 0; i < 2; i++) {
      await deps.database.db
        .transaction()
        .execute((trx) => removeRating(trx, deps, rating.id, 'appeal upheld'));
    }

    const counts = await deps.database.db
      .selectFrom('ratingRollups')
      .select(['scopeId', 'grain', 'n'])
      .where('scopeId', '=', tree.city.id)
      .orderBy('grain')
      .execute();
    expect(counts).toEqual([
      { scopeId: tree.city.id, grain: 'day', n: 0 },
      { scopeId: tree.city.id, grain: 'month', n: 0 },
    ]);
    const activity = await deps.database.db
      .selectFrom('activityRollups')
      .select(['grain', 'bucket', 'transactions', 'activelyRated'])
      .where('scopeId', '=', tree.windowA1.id)
      .orderBy('grain')
      .execute();
    expect(activity).toEqual([
      { grain: 'day', bucket: '2026-03-10', transactions: 1, activelyRated: 0 },
      { grain: 'month', bucket: '2026-03', transactions: 1, activelyRated: 0 },
    ]);
    const stored = await deps.database.db
      .selectFrom('ratings')
      .select(['status', 'removedReason'])
      .where('id', '=', rating.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'removed', removedReason: 'appeal upheld' });
  });

  it('only changes the status of a held rating (it was never counted)', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    const id = newId();
    await deps.database.db
      .insertInto('ratings')
      .values({
        id,
        transactionId: null,
        unitId: tree.deptB.id,
        serviceItemId: null,
        staffId: null,
        mode: 'offline',
        level: 2,
        tags: '[]',
        dimensions: '{}',
        comment: '',
        commentFingerprint: '',
        channel: 'qr_code',
        deviceId: 'd',
        addressDigest: 'a',
        isDefault: 0,
        named: 0,
        status: 'held',
        flags: '["burst_device"]',
        idempotencyKey: null,
        requestDigest: '',
        rollupScopes: JSON.stringify(scopesFor([tree.deptB.id, tree.city.id], null, null)),
        day: '2026-03-12',
        createdAt: '2026-03-12T03:00:00.000Z',
        reviewedBy: null,
        reviewedAt: null,
        reviewNote: null,
        removedAt: null,
        removedReason: null,
      })
      .execute();
    await deps.database.db.transaction().execute((trx) => removeRating(trx, deps, id, 'x'));
    const rollups = await deps.database.db
      .selectFrom('ratingRollups')
      .select('n')
      .where('scopeId', '=', tree.deptB.id)
      .execute();
    expect(rollups).toEqual([]);
    await expect(
      deps.database.db.transaction().execute((trx) => removeRating(trx, deps, newId(), 'x')),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});

describeEachDatabase('ingest across two app nodes', (db) => {
  it('stores one rating when two nodes rate the same transaction at once; the other hears already_rated', async () => {
    const t = db();
    const { deps } = t;
    const tree = await makeTree(deps);
    const view = await recordTransaction(
      deps,
      { kind: 'system', label: 'test' },
      {
        externalNo: 'NODES-1',
        unitId: tree.windowA1.id,
        mode: 'offline',
        receivedAt: '2026-03-16T09:00:00+08:00',
      },
      { publicUrl: 'http://127.0.0.1:3000', qr: false },
    );
    const token = view.ratingUrl.slice(3);
    // A second node: its own connection pool and its own group-commit queue (SQLite: the same handle,
    // which still gives two separate submissions racing in one queue).
    const other: Deps = t.postgres
      ? { ...deps, database: openDatabase(t.postgres.url, { searchPath: t.postgres.schema, poolSize: 2 }) }
      : deps;
    const caller = (n: number) => ({
      signedIn: false,
      address: `10.0.0.${n}`,
      deviceCookie: `node-test-device-000000000${n}`,
      deviceToken: null,
    });
    const body = (key: string) => ({
      level: 5,
      tags: [],
      dimensions: {},
      comment: '',
      channel: 'sms_link' as const,
      idempotencyKey: key,
    });
    try {
      const results = await Promise.allSettled([
        rateTransaction(deps, token, body('node-one-key-1'), caller(1)),
        rateTransaction(other, token, body('node-two-key-2'), caller(2)),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused?.reason).toMatchObject({ code: 'already_rated' });
      const rows = await deps.database.db
        .selectFrom('ratings')
        .select('id')
        .where('transactionId', '=', view.id)
        .execute();
      expect(rows.length).toBe(1);
      const city = await deps.database.db
        .selectFrom('ratingRollups')
        .select('n')
        .where('scopeId', '=', tree.city.id)
        .where('grain', '=', 'month')
        .execute();
      expect(city.reduce((s, r) => s + r.n, 0)).toBe(1);
    } finally {
      if (other !== deps) await other.database.close();
    }
  });
});
