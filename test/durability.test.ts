import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { boot } from '../src/core/boot.js';
import type { Deps } from '../src/core/context.js';
import { backupSqlite, restoreSqlite } from '../src/core/db/backup.js';
import { recordTransactions } from '../src/ratings/service.js';
import { makeTree, SYSTEM, type SmallTree } from './support/factories.js';

/*
 * Durability of acknowledged ratings on the embedded database, with the real command line in child
 * processes (issue 9, items 16 and 17):
 * - a backup (what `minping backup` runs, from a process other than the server's) taken while the server
 *   is under rating load holds every rating acknowledged before it began, and `minping restore` brings
 *   it back with its audit log intact (refusing to overwrite a database);
 * - the server killed with SIGKILL under rating load, twice (restarted on the same file in between),
 *   loses no acknowledged rating and stores none twice; links and rollups agree with the ratings.
 * Not timed: the kill comes after a number of acknowledgements, with requests still in flight.
 * bench/ingest.ts (BENCH_KILL=n) is the long version of the crash trials.
 */

const CLI = ['--import', 'tsx', join(import.meta.dirname, '..', 'src', 'cli', 'main.ts')];
const dir = mkdtempSync(join(tmpdir(), 'minping-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function environment(url: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    MINPING_DATABASE_URL: url,
    MINPING_HOST: '127.0.0.1',
    MINPING_PORT: '0',
    MINPING_TRUST_PROXY: '1',
    MINPING_SWEEP_SECONDS: '0',
    MINPING_LOG_LEVEL: process.env.DEBUG_DURABILITY ? 'warn' : 'error',
  };
}

/** Runs a `minping` command to its end. */
function run(args: string[], url: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], { env: environment(url) });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** Starts `minping serve` and answers once it listens, with its port. */
function serve(url: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, 'serve'], { env: environment(url) });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Console: http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    if (process.env.DEBUG_DURABILITY) {
      child.stdout.on('data', (c: Buffer) => process.stderr.write(`SERVER ${c.toString()}`));
      child.stderr.on('data', (c: Buffer) => process.stderr.write(`SERVER! ${c.toString()}`));
    }
    child.on('exit', (code) => reject(new Error(`minping serve exited with ${code}: ${out}`)));
  });
}

let rater = 0;

/**
 * Rates through the links with `workers` requests in flight until `stop()` says so or the links run
 * out; every 201 adds the rating's id to `acknowledged`. Connection errors (the server killed) end a worker.
 */
function rateUnderLoad(port: number, tokens: string[], acknowledged: string[], workers = 12) {
  let stopped = false;
  let finished = false;
  let lost: unknown = null;
  const worker = async () => {
    while (!stopped) {
      const token = tokens.shift();
      if (token === undefined) return;
      rater += 1;
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/public/rate/${token}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-forwarded-for': `10.9.${(rater >> 8) & 255}.${rater & 255}`,
            cookie: `minping_device=durability-device-${String(rater).padStart(10, '0')}`,
          },
          body: JSON.stringify({
            level: rater % 25 === 0 ? 1 : 5,
            tags: rater % 25 === 0 ? ['多次跑动'] : [],
            channel: 'sms_link',
            idempotencyKey: `durability-${rater}`,
          }),
        });
        const body = (await res.json()) as { id?: string };
        if (res.status === 201 && body.id) acknowledged.push(body.id);
        else throw new Error(`rating answered ${res.status}: ${JSON.stringify(body)}`);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('rating answered')) throw error;
        lost = error;
        return; // the server is gone
      }
    }
  };
  let failure: unknown = null;
  const all = Promise.all(Array.from({ length: workers }, () => worker()))
    .catch((error: unknown) => {
      failure = error;
    })
    .finally(() => {
      finished = true;
    });
  return {
    done: all,
    // A refusal, or every worker gone before the test stopped the load (no link left, or the server lost).
    failed: () => failure ?? (finished ? (lost ?? new Error('the load ended early')) : null),
    stop: () => {
      stopped = true;
    },
  };
}

/** Waits for a condition; a load that failed (a refusal, not a lost server) fails the wait too. */
async function until(condition: () => boolean, load?: { failed: () => unknown }): Promise<void> {
  while (!condition()) {
    const failure = load?.failed();
    if (failure) throw failure instanceof Error ? failure : new Error('the load failed');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function killed(child: ChildProcess): Promise<void> {
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

async function countIn(deps: Deps, ids: readonly string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const row = await deps.database.db
      .selectFrom('ratings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('id', 'in', ids.slice(i, i + 500))
      .executeTakeFirstOrThrow();
    n += Number(row.n);
  }
  return n;
}

async function totals(deps: Deps, tree: SmallTree) {
  const db = deps.database.db;
  const one = async (q: Promise<{ n: number | string | null }>) => Number((await q).n ?? 0);
  return {
    ratings: await one(
      db
        .selectFrom('ratings')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
    counted: await one(
      db
        .selectFrom('ratings')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'counted')
        .executeTakeFirstOrThrow(),
    ),
    linked: await one(
      db
        .selectFrom('transactions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('ratingId', 'is not', null)
        .executeTakeFirstOrThrow(),
    ),
    rolledUp: await one(
      db
        .selectFrom('ratingRollups')
        .select((eb) => eb.fn.sum<number>('n').as('n'))
        .where('scopeType', '=', 'subtree')
        .where('scopeId', '=', tree.city.id)
        .where('grain', '=', 'month')
        .executeTakeFirstOrThrow(),
    ),
  };
}

it('keeps every acknowledged rating through an online backup and restore, and through kill -9 under load (SQLite)', async () => {
  const url = `sqlite:${join(dir, 'minping.db')}`;
  const setup = await boot({ databaseUrl: url, sessionMinutes: 60 });
  let tree: SmallTree;
  const tokens: string[] = [];
  try {
    tree = await makeTree(setup);
    const now = Date.now();
    for (let i = 0; i < 2400; i += 400) {
      const results = await recordTransactions(
        setup,
        SYSTEM,
        Array.from({ length: 400 }, (_, j) => ({
          externalNo: `DUR${String(i + j).padStart(6, '0')}`,
          unitId: tree.windowA1.id,
          mode: 'offline' as const,
          receivedAt: new Date(now - 3_600_000).toISOString(),
        })),
        { publicUrl: 'http://127.0.0.1:3000', qr: false },
      );
      for (const r of results) if (r.status === 'created') tokens.push(r.transaction.ratingUrl.slice(3));
    }
  } finally {
    await setup.database.close();
  }
  expect(tokens).toHaveLength(2400);

  const acknowledged: string[] = [];
  const backupFile = join(dir, 'backup.db');
  let beforeBackup: string[] = [];

  // Trial 1: under load, a backup is taken from another process; then the server is killed.
  const first = await serve(url);
  const load1 = rateUnderLoad(first.port, tokens, acknowledged);
  await until(() => acknowledged.length >= 150, load1);
  beforeBackup = [...acknowledged];
  // What `minping backup <file>` runs, from this process: not the server's.
  const backup = await backupSqlite(url, backupFile);
  expect(backup.bytes).toBeGreaterThan(0);
  const afterBackup = acknowledged.length;
  await until(() => acknowledged.length >= afterBackup + 150, load1);
  await killed(first.child);
  load1.stop();
  await load1.done;

  // Trial 2: restarted on the same file after the kill, loaded and killed again.
  const second = await serve(url);
  const trial2Start = acknowledged.length;
  const load2 = rateUnderLoad(second.port, tokens, acknowledged);
  await until(() => acknowledged.length >= trial2Start + 200, load2);
  await killed(second.child);
  load2.stop();
  await load2.done;

  // Every acknowledged rating is stored exactly once; links and rollups agree with the ratings.
  expect(new Set(acknowledged).size).toBe(acknowledged.length);
  const check = await boot({ databaseUrl: url, sessionMinutes: 60 });
  try {
    expect(await countIn(check, acknowledged)).toBe(acknowledged.length);
    const t = await totals(check, tree);
    expect(t.ratings).toBeGreaterThanOrEqual(acknowledged.length);
    expect(t.linked).toBe(t.ratings);
    expect(t.rolledUp).toBe(t.counted);
  } finally {
    await check.database.close();
  }

  // The backup restores as a new database: refused over an existing one, then every rating
  // acknowledged before the backup began is there, and the audit log is intact.
  await expect(restoreSqlite(url, backupFile)).rejects.toThrow(/exists/);
  const restoredUrl = `sqlite:${join(dir, 'restored', 'minping.db')}`;
  const restore = await run(['restore', backupFile], restoredUrl);
  expect(restore.code, restore.out).toBe(0);
  expect(restore.out).toMatch(/Audit log intact: \d+ entries/);
  const restored = await boot({ databaseUrl: restoredUrl, sessionMinutes: 60 });
  try {
    expect(await countIn(restored, beforeBackup)).toBe(beforeBackup.length);
    const t = await totals(restored, tree);
    expect(t.linked).toBe(t.ratings);
    expect(t.rolledUp).toBe(t.counted);
  } finally {
    await restored.database.close();
  }
  expect(existsSync(backupFile)).toBe(true);
}, 120_000);
