import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely, type Transaction } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/db.js';
import { openDatabase, type Database } from './db/database.js';
import type { DB } from './db/schema.js';
import { Invalid } from './errors.js';
import { GroupCommit, type Outcome } from './group-commit.js';

interface Item {
  id: string;
  /** 'refuse': the batch function refuses it before writing; 'clash': it writes a duplicate key. */
  kind?: 'refuse' | 'clash';
}

const table = (db: Kysely<DB> | Transaction<DB>) =>
  db as unknown as Kysely<{ gc_items: { id: string; seq: number } }>;

async function createTable(db: Kysely<DB>) {
  await sql`create table if not exists gc_items (id text primary key, seq integer not null)`.execute(db);
}

let seq = 0;
/** Writes each accepted item with a global sequence number; refuses 'refuse' items before writing. */
async function run(trx: Transaction<DB>, items: readonly Item[]): Promise<Outcome<number>[]> {
  const out: Outcome<number>[] = [];
  for (const item of items) {
    if (item.kind === 'refuse') {
      out.push({ ok: false, error: new Invalid('invalid_input', 'refused on purpose') });
      continue;
    }
    seq += 1;
    await table(trx).insertInto('gc_items').values({ id: item.id, seq }).execute();
    out.push({ ok: true, value: seq });
  }
  return out;
}

describeEachDatabase('group commit', (db) => {
  beforeAll(async () => {
    await createTable(db().deps.database.db);
  });

  it('gathers concurrent submissions into few transactions and answers each in order', async () => {
    const database = db().deps.database;
    const gc = new GroupCommit<Item, number>(database.db, { run, maxWaitMs: 5, maxItems: 100 });
    const ids = Array.from({ length: 60 }, (_, i) => `order-${String(i).padStart(2, '0')}`);
    const values = await Promise.all(ids.map((id) => gc.submit({ id })));
    expect(gc.stats.batches).toBeLessThanOrEqual(3);
    expect(gc.stats.items).toBe(60);
    // Each caller got its own item's value, and the items were written in submission order.
    for (let i = 1; i < values.length; i++) expect(values[i]).toBe(values[i - 1]! + 1);
    const rows = await table(database.db)
      .selectFrom('gc_items')
      .select(['id', 'seq'])
      .where('id', 'like', 'order-%')
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.id)).toEqual(ids);
  });

  it('refuses one item without failing the others of its batch', async () => {
    const database = db().deps.database;
    const gc = new GroupCommit<Item, number>(database.db, { run, maxWaitMs: 5 });
    const results = await Promise.allSettled([
      gc.submit({ id: 'iso-1' }),
      gc.submit({ id: 'iso-2', kind: 'refuse' }),
      gc.submit({ id: 'iso-3' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'invalid_input',
      message: 'refused on purpose',
    });
    expect(gc.stats.batches).toBe(1);
    const rows = await table(database.db)
      .selectFrom('gc_items')
      .select('id')
      .where('id', 'like', 'iso-%')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.id)).toEqual(['iso-1', 'iso-3']);
  });

  it('retries each item alone when the batch transaction fails, so only the culprit is refused', async () => {
    const database = db().deps.database;
    await table(database.db).insertInto('gc_items').values({ id: 'race-taken', seq: -1 }).execute();
    const gc = new GroupCommit<Item, number>(database.db, { run, maxWaitMs: 5 });
    const results = await Promise.allSettled([
      gc.submit({ id: 'race-1' }),
      gc.submit({ id: 'race-taken' }), // a unique violation the batch function did not foresee
      gc.submit({ id: 'race-2' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(gc.stats.retriedBatches).toBe(1);
    const rows = await table(database.db)
      .selectFrom('gc_items')
      .select(['id', 'seq'])
      .where('id', 'like', 'race-%')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.id)).toEqual(['race-1', 'race-2', 'race-taken']);
    expect(rows.find((r) => r.id === 'race-taken')?.seq).toBe(-1);
  });

  it('answers only after commit: the row is visible from another connection when the caller hears back', async () => {
    const t = db();
    let other: Database;
    let writer: Database = t.deps.database;
    let dir: string | null = null;
    if (t.postgres) {
      other = openDatabase(t.postgres.url, { searchPath: t.postgres.schema, poolSize: 1 });
    } else {
      // An in-memory database has no second connection: use a file, as production does.
      dir = mkdtempSync(join(tmpdir(), 'minping-gc-'));
      writer = openDatabase(`sqlite:${join(dir, 'gc.db')}`);
      await createTable(writer.db);
      other = openDatabase(`sqlite:${join(dir, 'gc.db')}`);
    }
    try {
      const gc = new GroupCommit<Item, number>(writer.db, { run, maxWaitMs: 1 });
      const seen = await Promise.all(
        ['dur-1', 'dur-2', 'dur-3'].map(async (id) => {
          await gc.submit({ id });
          const row = await table(other.db)
            .selectFrom('gc_items')
            .select('id')
            .where('id', '=', id)
            .executeTakeFirst();
          return row?.id ?? null;
        }),
      );
      expect(seen).toEqual(['dur-1', 'dur-2', 'dur-3']);
    } finally {
      await other.close();
      if (dir) {
        await writer.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('cuts batches at maxItems and runs at most `concurrency` at once', async () => {
    const database = db().deps.database;
    let running = 0;
    let most = 0;
    const gc = new GroupCommit<Item, number>(database.db, {
      maxItems: 10,
      maxWaitMs: 50,
      concurrency: 1,
      run: async (trx, items) => {
        running += 1;
        most = Math.max(most, running);
        try {
          return await run(trx, items);
        } finally {
          running -= 1;
        }
      },
    });
    await Promise.all(Array.from({ length: 35 }, (_, i) => gc.submit({ id: `cut-${i}` })));
    expect(gc.stats.largestBatch).toBe(10);
    expect(gc.stats.batches).toBe(4);
    expect(most).toBe(1);
    await gc.idle();
  });

  it('keeps a batch open while items keep arriving (maxFillMs), and flushes a lone item after maxWaitMs', async () => {
    const database = db().deps.database;
    const gc = new GroupCommit<Item, number>(database.db, { run, maxWaitMs: 40, maxFillMs: 2_000 });
    // Five items 10 ms apart: each arrives within 40 ms of the one before, so all five share one batch.
    const pending: Promise<number>[] = [];
    for (let i = 0; i < 5; i++) {
      pending.push(gc.submit({ id: `fill-${i}` }));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(pending);
    expect(gc.stats.batches).toBe(1);
    expect(gc.stats.largestBatch).toBe(5);
    // A lone item is not held for maxFillMs: nothing else arrives, so it goes after maxWaitMs.
    const started = performance.now();
    await gc.submit({ id: 'fill-alone' });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(gc.stats.batches).toBe(2);
  });

  it('flushes at maxFillMs even when items never stop arriving', async () => {
    const database = db().deps.database;
    const gc = new GroupCommit<Item, number>(database.db, { run, maxWaitMs: 15, maxFillMs: 40 });
    const pending: Promise<number>[] = [];
    for (let i = 0; i < 12; i++) {
      pending.push(gc.submit({ id: `cap-${i}` }));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(pending);
    // 12 items over ~120 ms, a batch closed at most ~40 ms after its first item: never all in one.
    expect(gc.stats.batches).toBeGreaterThanOrEqual(2);
    expect(gc.stats.items).toBe(12);
  });
});

afterAll(() => {
  seq = 0;
});
