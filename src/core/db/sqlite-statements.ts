import type { Database as SqliteDb, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/*
 * Kysely's SQLite driver prepares every statement it runs. Preparing is parsing and planning: under
 * rating ingest it was ~5% of the server's CPU, for the same few dozen statements over and over
 * (bench/README.md). This wraps the better-sqlite3 connection so that a statement seen recently is
 * prepared once and reused. SQLite re-prepares a cached statement by itself after a schema change.
 */

/** Statements kept; the least recently used goes first. Enough for every statement of a busy server. */
const DEFAULT_CAPACITY = 500;

export function cachingStatements(db: SqliteDb, capacity: number = DEFAULT_CAPACITY): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  const wrap = (sql: string, statement: Statement): SqliteStatement => ({
    reader: statement.reader,
    all: (parameters) => statement.all(...parameters),
    run: (parameters) => statement.run(...parameters),
    // A statement being iterated is busy until the iteration ends, and another query with the same
    // text may run meanwhile: a stream gets a statement of its own.
    iterate: (parameters) => db.prepare(sql).iterate(...parameters),
  });
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement) {
        // Re-inserting moves it to the end: the Map's order is the recency order.
        cache.delete(sql);
      } else {
        statement = wrap(sql, db.prepare(sql));
        if (cache.size >= capacity) {
          const oldest = cache.keys().next();
          if (!oldest.done) cache.delete(oldest.value);
        }
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

const fixed = new WeakMap<SqliteDb, Map<string, Statement>>();

/**
 * A statement of fixed text prepared once per connection and kept for its life (the hot path of rating
 * ingest runs a few of these per rating: no SQL is built, compiled or parsed per batch).
 */
export function preparedOnce(db: SqliteDb, sql: string): Statement {
  let statements = fixed.get(db);
  if (!statements) {
    statements = new Map();
    fixed.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}
