import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database as SqliteDb } from 'better-sqlite3';

/*
 * WAL checkpoints off the commit path. By default SQLite checkpoints inside the commit that pushes the
 * WAL past 1,000 pages: that commit, and every reply waiting on it, also copies the WAL into the
 * database file and syncs it, on the event loop. Instead a worker thread with its own connection runs a
 * PASSIVE checkpoint a few times a second: it copies what it can without ever blocking the writer,
 * while the event loop goes on answering requests. Durability is unchanged — a commit is durable once
 * its WAL frames are synced (synchronous = FULL), checkpointed or not.
 *
 * Under a long burst of writes (the demo loader, a bulk import) a PASSIVE checkpoint may fall behind:
 * past BACKSTOP_PAGES of WAL the connection checkpoints in its own commit again, as SQLite does by
 * default (PASSIVE too; it skips a round while the worker is checkpointing). Nothing here ever makes the
 * writer wait: a RESTART checkpoint from the worker did, and a bulk load under a loaded disk then failed
 * with "database is locked".
 */

const INTERVAL_MS = 250;
/** About 64 MB of WAL with 4 KiB pages. */
const BACKSTOP_PAGES = 16_384;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
let stopped = false;
function tick() {
  if (stopped) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
  setTimeout(tick, workerData.intervalMs);
}
parentPort.on('message', (m) => {
  if (m === 'stop') { stopped = true; db.close(); parentPort.close(); }
});
setTimeout(tick, workerData.intervalMs);
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Leaves the connection's automatic checkpoints only as a backstop and checkpoints the database file at
 * `path` from a worker thread instead. If the worker cannot run, the connection checkpoints by itself again.
 */
export function startCheckpointer(connection: SqliteDb, path: string): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  connection.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { driver, path, intervalMs: INTERVAL_MS },
  });
  worker.unref();
  let running = true;
  const fallBack = () => {
    if (running && connection.open) connection.pragma('wal_autocheckpoint = 1000');
    running = false;
  };
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (!running) return resolve();
        running = false;
        // Unreferenced, the worker would not keep this process alive while it closes its connection.
        worker.ref();
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      }),
  };
}
