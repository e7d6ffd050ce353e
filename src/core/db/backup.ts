import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';

/*
 * `minping backup <file>` and `minping restore <file>` for the embedded SQLite database (docs/install.md,
 * "Backups"). A backup is taken with SQLite's online backup API while the server keeps serving: the
 * copy is one consistent snapshot (every rating committed before it began, none half-written), and
 * writers are not blocked meanwhile (WAL mode). PostgreSQL is backed up with pg_dump.
 */

export class BackupRefused extends Error {}

/** The file path of a `sqlite:` URL (or a bare path); null for PostgreSQL or an in-memory database. */
export function sqlitePathOf(url: string): string | null {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return null;
  const path = url.replace(/^sqlite:/, '');
  return path === ':memory:' ? null : resolve(path);
}

/** Sizes in pages and bytes of a finished copy. */
export interface CopyReport {
  file: string;
  pages: number;
  bytes: number;
}

/**
 * Copies the SQLite database at `source` into a new file `target` with the online backup API, in one
 * step (so that another process writing meanwhile cannot make it start over), and checks the copy.
 */
async function onlineCopy(source: string, target: string): Promise<CopyReport> {
  if (!existsSync(source)) throw new BackupRefused(`There is no database at ${source}.`);
  if (existsSync(target)) {
    throw new BackupRefused(`${target} already exists; choose a new file name (nothing was written).`);
  }
  if (!existsSync(dirname(target))) throw new BackupRefused(`The folder ${dirname(target)} does not exist.`);
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    const progress = await db.backup(target, { progress: () => 0x7fffffff });
    checkIntegrity(target);
    return { file: target, pages: progress.totalPages, bytes: statSync(target).size };
  } catch (error) {
    if (!(error instanceof BackupRefused)) rmSync(target, { force: true });
    throw error;
  } finally {
    db.close();
  }
}

/** PRAGMA integrity_check on a database file; throws naming the first problem. */
export function checkIntegrity(file: string): void {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const first = rows[0]?.integrity_check ?? 'no answer';
    if (first !== 'ok') throw new BackupRefused(`${file} is damaged: ${first}`);
  } finally {
    db.close();
  }
}

/** Takes a backup of the running installation's SQLite database into a new file. */
export async function backupSqlite(databaseUrl: string, file: string): Promise<CopyReport> {
  const source = sqlitePathOf(databaseUrl);
  if (source === null) {
    throw new BackupRefused(
      'minping backup copies the embedded SQLite database. For PostgreSQL use pg_dump (docs/postgresql.md, "Backups").',
    );
  }
  return onlineCopy(source, resolve(file));
}

/**
 * Restores a backup file as the installation's SQLite database. The server must be stopped, and the
 * database file must not exist (move the damaged one aside first): a restore never overwrites data.
 */
export async function restoreSqlite(databaseUrl: string, file: string): Promise<CopyReport> {
  const target = sqlitePathOf(databaseUrl);
  if (target === null) {
    throw new BackupRefused(
      'minping restore restores the embedded SQLite database. For PostgreSQL use pg_restore (docs/postgresql.md, "Backups").',
    );
  }
  const backup = resolve(file);
  if (!existsSync(backup)) throw new BackupRefused(`There is no backup at ${backup}.`);
  if (existsSync(target)) {
    throw new BackupRefused(
      `The database ${target} exists. Stop the server and move it (and its -wal and -shm files) aside first: a restore never overwrites a database.`,
    );
  }
  checkIntegrity(backup);
  mkdirSync(dirname(target), { recursive: true });
  for (const leftover of [`${target}-wal`, `${target}-shm`]) {
    if (existsSync(leftover) && !existsSync(target)) rmSync(leftover);
  }
  return onlineCopy(backup, target);
}
