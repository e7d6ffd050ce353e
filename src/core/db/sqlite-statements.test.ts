import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { cachingStatements } from './sqlite-statements.js';

interface Tables {
  t: { id: number; name: string };
}

function open(capacity?: number) {
  const raw = new SQLite(':memory:');
  let prepared = 0;
  const counting = new Proxy(raw, {
    get(target, property, receiver) {
      if (property === 'prepare') {
        return (text: string) => {
          prepared += 1;
          return target.prepare(text);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const db = new Kysely<Tables>({
    dialect: new SqliteDialect({ database: cachingStatements(counting, capacity) }),
  });
  return { db, prepared: () => prepared };
}

describe('cached SQLite statements', () => {
  it('prepares a statement once and answers every later run with fresh parameters', async () => {
    const { db, prepared } = open();
    await sql`create table t (id integer primary key, name text not null)`.execute(db);
    for (let i = 1; i <= 5; i++)
      await db
        .insertInto('t')
        .values({ id: i, name: `n${i}` })
        .execute();
    const before = prepared();
    for (let i = 1; i <= 5; i++) {
      const row = await db.selectFrom('t').select('name').where('id', '=', i).executeTakeFirstOrThrow();
      expect(row.name).toBe(`n${i}`);
    }
    expect(prepared() - before).toBe(1);
    await db.destroy();
  });

  it('sees a column added after the statement was cached', async () => {
    const { db } = open();
    await sql`create table t (id integer primary key, name text not null)`.execute(db);
    await db.insertInto('t').values({ id: 1, name: 'a' }).execute();
    const all = () => sql<Record<string, unknown>>`select * from t`.execute(db);
    expect(Object.keys((await all()).rows[0] ?? {})).toEqual(['id', 'name']);
    await sql`alter table t add column extra text default 'x'`.execute(db);
    expect((await all()).rows[0]).toEqual({ id: 1, name: 'a', extra: 'x' });
    await db.destroy();
  });

  it('lets a query run while a stream of the same text is still open', () => {
    const raw = new SQLite(':memory:');
    raw.exec('create table t (id integer primary key, name text not null)');
    raw.exec("insert into t values (1, 'n1'), (2, 'n2'), (3, 'n3')");
    const cached = cachingStatements(raw);
    const text = 'select name from t order by id';
    const seen: unknown[] = [];
    for (const row of cached.prepare(text).iterate([])) {
      seen.push((row as { name: string }).name);
      // The same text, run to completion while the stream still reads.
      expect(cached.prepare(text).all([])).toHaveLength(3);
    }
    expect(seen).toEqual(['n1', 'n2', 'n3']);
    cached.close();
  });

  it('keeps at most `capacity` statements and prepares an evicted one again', async () => {
    const { db, prepared } = open(2);
    await sql`create table t (id integer primary key, name text not null)`.execute(db);
    const q = (column: 'id' | 'name') => db.selectFrom('t').select(column).execute();
    await q('id');
    await q('name');
    const before = prepared();
    await q('id'); // cached
    expect(prepared()).toBe(before);
    await sql`select 1`.execute(db); // evicts the least recently used: select name
    await q('name');
    expect(prepared() - before).toBe(2);
    await db.destroy();
  });
});
