import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'minping-checkpoint-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('WAL checkpoints from a worker thread (SQLite file databases)', () => {
  it('copies committed pages into the database file without a checkpoint in any commit', async () => {
    const path = join(tempDir(), 'test.db');
    const database = openDatabase(`sqlite:${path}`);
    const connection = database.sqlite;
    if (!connection) throw new Error('no SQLite connection');
    // A commit checkpoints only as a backstop, past 64 MB of WAL.
    expect(connection.pragma('wal_autocheckpoint', { simple: true })).toBe(16_384);
    connection.exec('create table t (x text)');
    const insert = connection.prepare('insert into t values (?)');
    connection.transaction(() => {
      for (let i = 0; i < 5000; i++) insert.run(`row ${i} ${'x'.repeat(100)}`);
    })();
    const before = statSync(path).size;
    // The worker looks every 250 ms; give it time on a loaded machine.
    let after = before;
    for (let i = 0; i < 100 && after <= before; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = statSync(path).size;
    }
    expect(after).toBeGreaterThan(before + 500_000);
    await database.close();
  });

  it('lets a process that closed its database exit (the worker does not keep it waiting)', () => {
    const dir = tempDir();
    const script = join(dir, 'close.mts');
    const databaseModule = fileURLToPath(new URL('./database.ts', import.meta.url));
    writeFileSync(
      script,
      `import { openDatabase } from ${JSON.stringify(databaseModule)};
const d = openDatabase(${JSON.stringify(`sqlite:${join(dir, 'x.db')}`)});
d.sqlite.exec('create table t (x)');
await d.close();
console.log('closed');
`,
    );
    // Exit code 13 would mean the process ended while still waiting for the close.
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 25_000,
    });
    expect(out.trim()).toBe('closed');
  });
});
