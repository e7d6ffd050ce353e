import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { startCheckpointer } from './sqlite-checkpoint.js';
import { cachingStatements } from './sqlite-statements.js';
import {
  CamelCasePlugin,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  PostgresIntrospector,
  SqliteDialect,
  sql,
  type DatabaseIntrospector,
  type KyselyConfig,
  type DatabaseMetadata,
  type DatabaseMetadataOptions,
  type DialectAdapter,
  type TableMetadata,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/** A Kysely handle or an open transaction: what every store function runs on. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /** Human-readable location without credentials, for logs. */
  readonly location: string;
  /**
   * SQLite only: the connection itself, for the few hot statements that run prepared once with fixed
   * text (rating ingest), inside a transaction Kysely opened on this same connection.
   */
  readonly sqlite?: SQLite.Database;
  close(): Promise<void>;
}

// COUNT(*) and other int8 values would otherwise arrive from pg as strings.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));

export interface DatabaseOptions {
  /** PostgreSQL only: the schema every connection uses (tests give each file its own). */
  searchPath?: string;
  poolSize?: number;
  /** PostgreSQL only: give up waiting for a row or table lock after this long (tests: never hang a run). */
  lockTimeoutMs?: number;
  /** Called after every query with its SQL and how long the driver took (benchmarks use it). */
  onQuery?: (sql: string, milliseconds: number) => void;
}

/*
 * Kysely's own PostgreSQL migration lock is one lock for the whole database, waited on for up to an hour:
 * a stuck process migrating any other schema (another installation, a test run left behind) would stall
 * every start. Minping locks per schema and gives up after two minutes with an error that says so.
 */
const MIGRATION_LOCK_KEY = sql`hashtext('minping:migrate:' || current_schema())`;

class SchemaMigrationLockAdapter extends PostgresAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>): Promise<void> {
    // One statement, so that the local lock_timeout applies to the wait and to nothing after it.
    await sql`
      with set_timeout as (select set_config('lock_timeout', '120000', true) as config_val)
      select pg_advisory_lock(${MIGRATION_LOCK_KEY}) from set_timeout`.execute(db);
  }

  override async releaseMigrationLock(db: Kysely<unknown>): Promise<void> {
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(db);
  }
}

/*
 * Kysely's migrator asks whether its bookkeeping tables exist by listing the tables of EVERY schema, with
 * a function that resolves each table's name: when another schema is dropped meanwhile (another
 * installation, a finished test run), that fails with "schema … does not exist". Minping only ever looks
 * at its own schema.
 */
class OwnSchemaIntrospector extends PostgresIntrospector {
  constructor(private readonly kysely: Kysely<unknown>) {
    super(kysely);
  }

  override async getTables(options?: DatabaseMetadataOptions): Promise<TableMetadata[]> {
    void options;
    const { rows } = await sql<{ name: string; schema: string; kind: string }>`
      select c.relname as name, ns.nspname as schema, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
      where ns.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm')
      order by c.relname`.execute(this.kysely);
    const columns = await sql<{
      table: string;
      name: string;
      type: string;
      nullable: string;
      hasDefault: boolean;
      serial: boolean;
    }>`
      select table_name as "table", column_name as name, data_type as type, is_nullable as nullable,
        column_default is not null as "hasDefault", coalesce(column_default like 'nextval(%', false) as serial
      from information_schema.columns
      where table_schema = current_schema()
      order by table_name, ordinal_position`.execute(this.kysely);
    return rows.map((r) => ({
      name: r.name,
      schema: r.schema,
      isView: r.kind === 'v' || r.kind === 'm',
      columns: columns.rows
        .filter((c) => c.table === r.name)
        .map((c) => ({
          name: c.name,
          dataType: c.type,
          isNullable: c.nullable === 'YES',
          hasDefaultValue: c.hasDefault,
          isAutoIncrementing: c.serial,
        })),
    }));
  }

  override async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}

class MinpingPostgresDialect extends PostgresDialect {
  override createAdapter(): DialectAdapter {
    return new SchemaMigrationLockAdapter();
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new OwnSchemaIntrospector(db);
  }
}

/**
 * Opens the database a URL names: `sqlite:<path>` (or a bare path, or `sqlite::memory:`) for the
 * embedded default, `postgres://…` for PostgreSQL.
 */
function queryLog(options: DatabaseOptions): Pick<KyselyConfig, 'log'> {
  const onQuery = options.onQuery;
  if (!onQuery) return {};
  return { log: (event) => onQuery(event.query.sql, event.queryDurationMillis) };
}

export function openDatabase(url: string, options: DatabaseOptions = {}): Database {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const connectionOptions = [
      ...(options.searchPath ? [`-c search_path=${options.searchPath}`] : []),
      ...(options.lockTimeoutMs ? [`-c lock_timeout=${options.lockTimeoutMs}`] : []),
    ];
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      ...(connectionOptions.length > 0 ? { options: connectionOptions.join(' ') } : {}),
    });
    const db = new Kysely<DB>({
      dialect: new MinpingPostgresDialect({ pool }),
      plugins: [new CamelCasePlugin()],
      ...queryLog(options),
    });
    const parsed = new URL(url);
    return {
      db,
      dialect: 'postgres',
      location: `postgres://${parsed.host}${parsed.pathname}`,
      close: () => db.destroy(),
    };
  }
  const path = url.replace(/^sqlite:/, '');
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before Minping answers, so an acknowledged rating survives a power cut too.
  // Group commit keeps this to one sync per batch of ratings.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Statement journals and temporary indexes in memory: a multi-row statement inside a transaction
  // otherwise creates, writes and unlinks a temporary file (bench/README.md).
  sqlite.pragma('temp_store = MEMORY');
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: cachingStatements(sqlite) }),
    plugins: [new CamelCasePlugin()],
    ...queryLog(options),
  });
  // A file database checkpoints its WAL from a worker thread, not inside commits (sqlite-checkpoint.ts).
  const checkpointer = path === ':memory:' ? null : startCheckpointer(sqlite, resolve(path));
  return {
    db,
    dialect: 'sqlite',
    location: path === ':memory:' ? 'sqlite::memory:' : resolve(path),
    sqlite,
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/**
 * Serialises writers of one kind across app nodes (PostgreSQL advisory lock, keyed by schema so that other
 * installations in the same database do not wait on it; SQLite has one writer anyway).
 */
export async function lockForTransaction(trx: Transaction<DB>, dialect: Dialect, key: number): Promise<void> {
  if (dialect === 'postgres') {
    await sql`select pg_advisory_xact_lock(hashtext(current_schema()), ${key})`.execute(trx);
  }
}

/**
 * Like lockForTransaction, but gives up at once: false when another node holds the lock (PostgreSQL);
 * always true on SQLite, whose single writer already serialises.
 */
export async function tryLockForTransaction(
  trx: Transaction<DB>,
  dialect: Dialect,
  key: number,
): Promise<boolean> {
  if (dialect !== 'postgres') return true;
  const { rows } = await sql<{
    locked: boolean;
  }>`select pg_try_advisory_xact_lock(hashtext(current_schema()), ${key}) as locked`.execute(trx);
  return rows[0]?.locked === true;
}

/** Answers only when the database answers a query (the health check). */
export async function pingDatabase(db: Executor): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Reads whether an error from either driver is a unique-constraint violation, and which column it names. */
export function uniqueViolation(error: unknown): { column: string | null } | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { code?: unknown; message?: unknown; detail?: unknown; constraint?: unknown };
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: units.code"
    const m = /failed: [\w]+\.(\w+)/.exec(typeof e.message === 'string' ? e.message : '');
    return { column: m?.[1] ?? null };
  }
  if (e.code === '23505') {
    // "Key (code)=(X) already exists."
    const m = /Key \(([\w, ]+)\)=/.exec(typeof e.detail === 'string' ? e.detail : '');
    return { column: m?.[1]?.split(',').pop()?.trim() ?? null };
  }
  return null;
}

/** Foreign-key violations (a row names something that does not exist). */
export function foreignKeyViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

/**
 * PostgreSQL refusing a value itself — a number out of its column's range (a path parameter of 1e309
 * read as Infinity), text it cannot read as the column's type, a NUL character: bad input, not a fault.
 */
export function unstorableValue(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === 'string' && ['22003', '22P02', '22007', '22008', '22001', '22021', '54000'].includes(code)
  );
}
