import { createHash } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './database.js';

/*
 * `minping copy --from <url> --to <url>`: the whole installation from one database to another — SQLite to
 * PostgreSQL when a city grows into a province, or back (docs/postgresql.md, "Moving from SQLite to
 * PostgreSQL"). Every table is copied row for row (accounts, the audit log with its hash chain, ratings,
 * cases, scores, runs …) except sessions, whose holders sign in again. The target must be migrated and
 * empty. Each table is read in pages in primary-key order and written in multi-row inserts; afterwards
 * every table's row count and a digest of its rows are compared between source and target, and foreign
 * keys are checked at the target. The command line then walks the audit chain and verifies every
 * published result at the target.
 */

/** Tables not carried over: sessions are credentials of the old installation. */
const SKIPPED = new Set(['sessions']);
/** Kysely's bookkeeping: the target's own migrations have written it. */
const BOOKKEEPING = new Set(['kysely_migration', 'kysely_migration_lock']);

export class CopyRefused extends Error {}

interface TableInfo {
  name: string;
  columns: string[];
  key: string[];
}

export interface TableCopy {
  table: string;
  rows: number;
  digest: string;
}

export interface CopyReport {
  tables: TableCopy[];
  skipped: string[];
  rows: number;
}

type Raw = Kysely<unknown>;
type Row = Record<string, unknown>;

const bare = (database: Database): Raw => database.db.withoutPlugins() as unknown as Raw;

async function rows<T>(db: Raw, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

/** The application's tables with their columns (in order) and primary key, without partitions. */
async function tablesOf(database: Database): Promise<TableInfo[]> {
  const db = bare(database);
  const out: TableInfo[] = [];
  if (database.dialect === 'sqlite') {
    const names = await rows(
      db,
      sql<{
        name: string;
      }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`,
    );
    for (const { name } of names) {
      const columns = await rows(
        db,
        sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${name}) order by cid`,
      );
      out.push({
        name,
        columns: columns.map((c) => c.name),
        key: columns
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name),
      });
    }
    return out;
  }
  const names = await rows(
    db,
    sql<{ name: string }>`select c.relname as name from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition
      order by c.relname`,
  );
  for (const { name } of names) {
    const columns = await rows(
      db,
      sql<{ name: string }>`select column_name as name from information_schema.columns
        where table_schema = current_schema() and table_name = ${name} order by ordinal_position`,
    );
    const key = await rows(
      db,
      sql<{ name: string }>`select a.attname as name from pg_catalog.pg_index i
        join pg_catalog.pg_class c on c.oid = i.indrelid
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
        where n.nspname = current_schema() and c.relname = ${name} and i.indisprimary
        order by array_position(i.indkey::int2[], a.attnum)`,
    );
    out.push({ name, columns: columns.map((c) => c.name), key: key.map((k) => k.name) });
  }
  return out;
}

/** A value as both drivers agree on it, for the digest. */
function normal(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/** A value as the target's driver takes it. */
function writable(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}

/** An order-independent digest of a table's rows: the sum of their SHA-256 prefixes, with the count. */
class TableDigest {
  private sum = 0n;
  rows = 0;
  add(columns: readonly string[], row: Row): void {
    const hash = createHash('sha256')
      .update(JSON.stringify(columns.map((c) => normal(row[c]))))
      .digest();
    this.sum = (this.sum + hash.readBigUInt64BE(0) * 2n ** 64n + hash.readBigUInt64BE(8)) % 2n ** 128n;
    this.rows += 1;
  }
  get value(): string {
    return `${this.rows}:${this.sum.toString(16).padStart(32, '0')}`;
  }
}

const PAGE = 2000;

/** Reads a table in pages in key order, handing each page on. */
async function readPages(
  database: Database,
  table: TableInfo,
  page: (rows: Row[]) => Promise<void>,
): Promise<void> {
  const db = bare(database);
  const cols = sql.join(table.columns.map((c) => sql.id(c)));
  const key = table.key.length > 0 ? table.key : table.columns;
  const keyList = sql.join(key.map((c) => sql.id(c)));
  let after: unknown[] | null = null;
  for (;;) {
    const where: RawBuilder<unknown> =
      after === null ? sql`` : sql`where (${keyList}) > (${sql.join(after.map((v) => sql`${v}`))})`;
    const batch: Row[] = await rows(
      db,
      sql<Row>`select ${cols} from ${sql.id(table.name)} ${where} order by ${keyList} limit ${PAGE}`,
    );
    if (batch.length === 0) return;
    await page(batch);
    if (batch.length < PAGE) return;
    const last = batch[batch.length - 1] as Row;
    after = key.map((c) => last[c]);
  }
}

async function countRows(database: Database, table: string): Promise<number> {
  const [row] = await rows(
    bare(database),
    sql<{ n: number | string }>`select count(*) as n from ${sql.id(table)}`,
  );
  return Number(row?.n ?? 0);
}

interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

/** PostgreSQL: the target's foreign keys, dropped for the copy and added again (and so checked) after it. */
async function foreignKeysOf(target: Database): Promise<ForeignKey[]> {
  return rows(
    bare(target),
    sql<ForeignKey>`select c.relname as "table", k.conname as name, pg_get_constraintdef(k.oid) as definition
      from pg_catalog.pg_constraint k
      join pg_catalog.pg_class c on c.oid = k.conrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and k.contype = 'f' and k.conparentid = 0 and not c.relispartition
      order by c.relname, k.conname`,
  );
}

/**
 * Copies every table of `source` into `target` (both migrated to the same version). Refuses a target
 * that holds any row. `progress` hears a line per table and every 50,000 rows of a large one.
 */
export async function copyDatabase(
  source: Database,
  target: Database,
  progress: (line: string) => void = () => {},
): Promise<CopyReport> {
  const from = await tablesOf(source);
  const to = new Map((await tablesOf(target)).map((t) => [t.name, t]));
  const tables = from.filter((t) => !BOOKKEEPING.has(t.name) && !SKIPPED.has(t.name));
  for (const t of tables) {
    const other = to.get(t.name);
    if (!other || other.columns.join(',') !== t.columns.join(',')) {
      throw new CopyRefused(
        `The target's table ${t.name} differs from the source's: run the same version of Minping on both (minping migrate).`,
      );
    }
  }
  for (const name of to.keys()) {
    if (BOOKKEEPING.has(name)) continue;
    const n = await countRows(target, name);
    if (n > 0) {
      throw new CopyRefused(
        `The target is not empty (${name} holds ${n} rows). Copy into a new, empty database; nothing was written.`,
      );
    }
  }

  const writer = bare(target);
  const foreignKeys = target.dialect === 'postgres' ? await foreignKeysOf(target) : [];
  if (target.dialect === 'sqlite') {
    await sql`pragma foreign_keys = off`.execute(writer);
  } else {
    for (const fk of foreignKeys) {
      await sql`alter table ${sql.id(fk.table)} drop constraint ${sql.id(fk.name)}`.execute(writer);
    }
  }
  const copied: TableCopy[] = [];
  let total = 0;
  try {
    for (const table of tables) {
      const digest = new TableDigest();
      // Both drivers bind at most some tens of thousands of parameters per statement.
      const perInsert = Math.max(1, Math.floor(30_000 / table.columns.length));
      const cols = sql.join(table.columns.map((c) => sql.id(c)));
      await readPages(source, table, async (batch) => {
        for (const row of batch) digest.add(table.columns, row);
        await writer.transaction().execute(async (trx) => {
          for (let i = 0; i < batch.length; i += perInsert) {
            const values = batch
              .slice(i, i + perInsert)
              .map((row) => sql`(${sql.join(table.columns.map((c) => sql`${writable(row[c])}`))})`);
            await sql`insert into ${sql.id(table.name)} (${cols}) values ${sql.join(values)}`.execute(trx);
          }
        });
        if (digest.rows % 50_000 < batch.length && digest.rows >= 50_000) {
          progress(`  ${table.name}: ${digest.rows} rows…`);
        }
      });
      copied.push({ table: table.name, rows: digest.rows, digest: digest.value });
      total += digest.rows;
      progress(`${table.name}: ${digest.rows} rows`);
    }
  } finally {
    if (target.dialect === 'sqlite') {
      await sql`pragma foreign_keys = on`.execute(writer);
    } else {
      for (const fk of foreignKeys) {
        await sql`alter table ${sql.id(fk.table)} add constraint ${sql.id(fk.name)} ${sql.raw(fk.definition)}`.execute(
          writer,
        );
      }
    }
  }
  if (target.dialect === 'sqlite') {
    const broken = await rows(writer, sql<{ table: string }>`select "table" from pragma_foreign_key_check`);
    if (broken.length > 0) {
      throw new CopyRefused(
        `The copy has rows whose references are missing (in ${broken[0]?.table ?? '?'}).`,
      );
    }
  }

  // Read the target back: the same rows, table by table.
  for (const c of copied) {
    const table = tables.find((t) => t.name === c.table) as TableInfo;
    const digest = new TableDigest();
    await readPages(target, table, async (batch) => {
      for (const row of batch) digest.add(table.columns, row);
    });
    if (digest.value !== c.digest) {
      throw new CopyRefused(
        `The copy of ${c.table} differs from the source (source ${c.digest}, target ${digest.value}).`,
      );
    }
  }
  return { tables: copied, skipped: [...SKIPPED], rows: total };
}
