import { Migrator, sql, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDatabase, postgresUrl, TEST_SCRYPT, TestClock } from '../../test/support/db.js';
import { makeTree, type SmallTree } from '../../test/support/factories.js';
import type { Deps } from '../core/context.js';
import { openDatabase } from '../core/db/database.js';
import { migrations } from '../core/db/migrations.js';
import { newId } from '../core/ids.js';
import { runSweep } from '../core/sweeps.js';
import { scopesFor } from './rollups.js';
import { rateTransaction, recordTransaction } from './service.js';
import * as store from './store.js';
import { applyDefaultRatings, ensureRatingPartitions, ratingSweeps } from './sweeps.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

function ratingRow(tree: SmallTree, day: string, transactionId: string | null = null): store.RatingRow {
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
    deviceId: `device-${randomBytes(4).toString('hex')}`,
    addressDigest: 'a',
    isDefault: 0,
    named: 0,
    status: 'counted',
    flags: '[]',
    idempotencyKey: `key-${randomBytes(6).toString('hex')}`,
    requestDigest: '',
    rollupScopes: JSON.stringify(
      scopesFor([tree.windowA1.id, tree.sectionA1.id, tree.deptA.id, tree.city.id], null, null),
    ),
    day,
    createdAt: `${day}T02:00:00.000Z`,
    reviewedBy: null,
    reviewedAt: null,
    reviewNote: null,
    removedAt: null,
    removedReason: null,
  };
}

/** Which table of the partitioned ratings holds each rating (PostgreSQL). */
async function partitionOf(deps: Deps, ids: readonly string[]): Promise<Record<string, string>> {
  const { rows } = await sql<{ id: string; partition: string }>`
    select id, tableoid::regclass::text as partition from ratings where id in (${sql.join(ids)})`.execute(
    deps.database.db,
  );
  return Object.fromEntries(rows.map((r) => [r.id, r.partition.replace(/^.*\./, '')]));
}

const waitUntil = async (condition: () => Promise<boolean>) => {
  for (let i = 0; i < 200; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not met within 5 s');
};

/** True once some backend of the test database waits for a lock (the race under test is set up). */
async function someoneWaitsForALock(deps: Deps): Promise<boolean> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from pg_locks where not granted`.execute(
    deps.database.db,
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

describeEachDatabase('ratings partitioned by month', (db) => {
  it('keeps each month in its own partition on PostgreSQL; a month created late takes its ratings from the default partition', async () => {
    const t = db();
    const { deps } = t;
    const tree = await makeTree(deps);
    const march = ratingRow(tree, '2026-03-10');
    const april = ratingRow(tree, '2026-04-02');
    await store.insertRatings(deps.database.db, [march, april]);
    if (t.dialect === 'sqlite') {
      // One table on SQLite: the sweep has nothing to do.
      expect(
        await deps.database.db
          .transaction()
          .execute((trx) => ensureRatingPartitions(trx, deps, ['2026-03-01'])),
      ).toEqual({ partitionsCreated: 0 });
      return;
    }
    // No partition for spring 2026 yet (the migration made the months around the real date): both wait
    // in the default partition.
    expect(await partitionOf(deps, [march.id, april.id])).toEqual({
      [march.id]: 'ratings_default',
      [april.id]: 'ratings_default',
    });
    t.clock.set('2026-04-15T02:00:00.000Z');
    const partitions = ratingSweeps.find((s) => s.name === 'ratings.partitions');
    const first = await runSweep(deps, 'ratings.partitions', partitions!.work);
    // March (the previous month), April, May and June.
    expect(first.counts).toEqual({ partitionsCreated: 4 });
    expect(await partitionOf(deps, [march.id, april.id])).toEqual({
      [march.id]: 'ratings_y2026m03',
      [april.id]: 'ratings_y2026m04',
    });
    const all = await store.ratingPartitions(deps.database.db);
    expect(all.find((p) => p.name === 'ratings_default')?.rows).toBe(0);
    expect(all.filter((p) => ['ratings_y2026m05', 'ratings_y2026m06'].includes(p.name))).toHaveLength(2);
    // Again: nothing to create, nothing moved.
    expect((await runSweep(deps, 'ratings.partitions', partitions!.work)).counts).toEqual({
      partitionsCreated: 0,
    });
    // A rating of April now goes straight to April's partition; lookups by id find every one.
    const later = ratingRow(tree, '2026-04-20');
    await store.insertRatings(deps.database.db, [later]);
    expect(await partitionOf(deps, [later.id])).toEqual({ [later.id]: 'ratings_y2026m04' });
    expect((await store.ratingById(deps.database.db, march.id))?.day).toBe('2026-03-10');
  });

  it('refuses a second rating of a transaction that another node rated while this batch was deciding', async () => {
    const t = db();
    if (!t.postgres) return; // One SQLite writer: batches never interleave.
    const { deps } = t;
    const tree = await makeTree(deps);
    const view = await recordTransaction(
      deps,
      SYSTEM,
      {
        externalNo: 'RACE-INGEST',
        unitId: tree.windowA1.id,
        mode: 'offline',
        receivedAt: '2026-03-16T09:00:00+08:00',
      },
      { publicUrl: 'http://127.0.0.1:3000', qr: false },
    );
    const other = openDatabase(t.postgres.url, { searchPath: t.postgres.schema, poolSize: 2 });
    try {
      const theirs = ratingRow(tree, '2026-03-16', view.id);
      let rated: Promise<unknown> | undefined;
      await other.db.transaction().execute(async (trx) => {
        // The other node has stored its rating and linked the transaction, and not committed yet.
        await store.insertRatings(trx, [theirs]);
        await store.linkRatings(trx, [{ transactionId: view.id, ratingId: theirs.id }]);
        rated = rateTransaction(
          deps,
          view.ratingUrl.slice(3),
          {
            level: 1,
            tags: [],
            dimensions: {},
            comment: '',
            channel: 'sms_link',
            idempotencyKey: 'race-ingest-1',
          },
          {
            signedIn: false,
            address: '10.1.1.1',
            deviceCookie: 'race-device-00000000001',
            deviceToken: null,
          },
        ).catch((error: unknown) => error);
        // This node read the transaction as unrated and now waits on its row to link its own rating.
        await waitUntil(() => someoneWaitsForALock(deps));
      });
      expect(await rated).toMatchObject({ code: 'already_rated' });
      const stored = await deps.database.db
        .selectFrom('ratings')
        .select('id')
        .where('transactionId', '=', view.id)
        .execute();
      expect(stored).toEqual([{ id: theirs.id }]);
      // The refused rating left no case and nothing in the rollups (the other node's trx wrote none).
      expect(await deps.database.db.selectFrom('cases').select('id').execute()).toEqual([]);
      expect(
        await deps.database.db
          .selectFrom('ratingRollups')
          .select('n')
          .where('scopeId', '=', tree.city.id)
          .execute(),
      ).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('takes back a default when a person rated the transaction on another node meanwhile', async () => {
    const t = db();
    if (!t.postgres) return;
    const { deps } = t;
    const tree = await makeTree(deps);
    t.clock.set('2026-03-02T02:00:00.000Z');
    const views = [];
    for (const n of [1, 2]) {
      views.push(
        await recordTransaction(
          deps,
          SYSTEM,
          {
            externalNo: `RACE-DEFAULT-${n}`,
            unitId: tree.windowA1.id,
            mode: 'offline',
            receivedAt: '2026-03-02T09:00:00+08:00',
          },
          { publicUrl: 'http://127.0.0.1:3000', qr: false },
        ),
      );
    }
    const [rated, unrated] = views as [(typeof views)[0], (typeof views)[0]];
    t.clock.set('2026-03-20T02:00:00.000Z'); // both are past their default date
    const other = openDatabase(t.postgres.url, { searchPath: t.postgres.schema, poolSize: 2 });
    try {
      const theirs = ratingRow(tree, '2026-03-20', rated.id);
      let sweep: Promise<Record<string, number>> | undefined;
      await other.db.transaction().execute(async (trx) => {
        await store.insertRatings(trx, [theirs]);
        await store.linkRatings(trx, [{ transactionId: rated.id, ratingId: theirs.id }]);
        sweep = deps.database.db.transaction().execute((sweepTrx) => applyDefaultRatings(sweepTrx, deps));
        await waitUntil(() => someoneWaitsForALock(deps));
      });
      expect(await sweep).toEqual({ defaulted: 1 });
      const byTransaction = await deps.database.db
        .selectFrom('ratings')
        .select(['transactionId', 'isDefault', 'id'])
        .where('transactionId', 'in', [rated.id, unrated.id])
        .execute();
      expect(byTransaction.filter((r) => r.transactionId === rated.id)).toEqual([
        { transactionId: rated.id, isDefault: 0, id: theirs.id },
      ]);
      expect(byTransaction.filter((r) => r.transactionId === unrated.id).map((r) => r.isDefault)).toEqual([
        1,
      ]);
      // Only the default that stayed is counted.
      const city = await deps.database.db
        .selectFrom('ratingRollups')
        .select((eb) => eb.fn.sum<number>('n').as('n'))
        .where('scopeId', '=', tree.city.id)
        .where('grain', '=', 'month')
        .executeTakeFirstOrThrow();
      expect(Number(city.n)).toBe(1);
    } finally {
      await other.close();
    }
  });
});

it.runIf(postgresUrl() !== null)(
  'migration 005 moves the ratings of an existing installation into monthly partitions',
  async () => {
    const url = postgresUrl() ?? '';
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const database = openDatabase(url, { searchPath: schema, poolSize: 2 });
    const migrate = (target: string) => {
      const provider: MigrationProvider = {
        getMigrations: () => Promise.resolve(migrations),
      };
      return new Migrator({
        db: database.db,
        provider,
        migrationTableSchema: schema,
      }).migrateTo(target);
    };
    try {
      expect((await migrate('004_kiosk_lookups')).error).toBeUndefined();
      const deps: Deps = { database, clock: new TestClock(), scryptCost: TEST_SCRYPT, sessionMinutes: 480 };
      const tree = await makeTree(deps);
      const rows = [
        ratingRow(tree, '2025-12-31'),
        ratingRow(tree, '2026-01-01'),
        ratingRow(tree, '2026-01-31'),
      ];
      await store.insertRatings(database.db, rows);
      expect((await migrate('005_ratings_partitions')).error).toBeUndefined();
      expect(
        await partitionOf(
          deps,
          rows.map((r) => r.id),
        ),
      ).toEqual({
        [rows[0]!.id]: 'ratings_y2025m12',
        [rows[1]!.id]: 'ratings_y2026m01',
        [rows[2]!.id]: 'ratings_y2026m01',
      });
      const stored = await database.db.selectFrom('ratings').selectAll().orderBy('day').execute();
      expect(stored).toEqual(rows);
    } finally {
      await database.close();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    }
  },
);
