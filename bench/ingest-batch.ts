/*
 * The database side of rating ingest without HTTP: ratings submitted straight to the ingest queue
 * (`ingestQueue(deps).submit`), 50 at a time as 50 waiting clients would, on a fresh database with the
 * transactions of bench:ingest. Prints the wall time and this process's CPU time per rating. Each
 * submission is a distinct transaction; 2% are bad reviews (each opens a case).
 *
 *   npx tsx bench/ingest-batch.ts                      # SQLite (a fresh file in a temp folder)
 *   MINPING_BENCH_PG=1 npx tsx bench/ingest-batch.ts   # PostgreSQL, a fresh schema
 *   BENCH_RATINGS=6000 BENCH_CLIENTS=50
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Actor } from '../src/core/auth/model.js';
import { boot } from '../src/core/boot.js';
import { sha256Hex } from '../src/core/digest.js';
import { registerAreaSteps } from '../src/areas.js';
import { ingestQueue, type Submission } from '../src/ratings/ingest.js';
import { recordTransactions, type TransactionInput } from '../src/ratings/service.js';
import { createServiceItem, createStaff, createUnit } from '../src/registry/service.js';

const SYSTEM: Actor = { kind: 'system', label: 'bench' };
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const RATINGS = Number(process.env.BENCH_RATINGS ?? 6000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);

const onPg = process.env.MINPING_BENCH_PG === '1';
let dir: string | null = null;
let schema: string | null = null;
let url: string;
if (onPg) {
  schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  url = PG_URL;
} else {
  dir = mkdtempSync(join(tmpdir(), 'minping-batch-'));
  url = `sqlite:${join(dir, 'bench.db')}`;
}
// BENCH_SQL=1: the time per kind of statement (its first 60 characters), printed at the end.
const statements = new Map<string, { ms: number; count: number }>();
const onQuery = (text: string, ms: number) => {
  const kind = text.replace(/\s+/g, ' ').trim().slice(0, 60);
  const e = statements.get(kind) ?? { ms: 0, count: 0 };
  e.ms += ms;
  e.count += 1;
  statements.set(kind, e);
};
registerAreaSteps();
const deps = await boot(
  { databaseUrl: url, sessionMinutes: 480 },
  {
    ...(schema ? { searchPath: schema, poolSize: 10 } : {}),
    ...(process.env.BENCH_SQL === '1' ? { onQuery } : {}),
  },
);
try {
  const validFrom = '2020-01-01';
  const city = await createUnit(deps, SYSTEM, {
    code: 'BCITY',
    name: '示范市',
    kind: 'jurisdiction',
    validFrom,
  });
  const windows: { unitId: string; staffId: string; itemId: string }[] = [];
  for (let d = 1; d <= 4; d++) {
    const dept = await createUnit(deps, SYSTEM, {
      code: `BD${d}`,
      name: `部门${d}`,
      kind: 'department',
      parentId: city.id,
      validFrom,
    });
    for (let w = 1; w <= 6; w++) {
      const window = await createUnit(deps, SYSTEM, {
        code: `BD${d}W${w}`,
        name: `窗口${d}-${w}`,
        kind: 'window',
        parentId: dept.id,
        validFrom,
      });
      const staff = await createStaff(deps, SYSTEM, {
        staffNo: `BSF${d}${w}`,
        name: `工作人员${d}${w}`,
        unitId: window.id,
      });
      const item = await createServiceItem(deps, SYSTEM, {
        code: `BIT${d}${w}`,
        name: `事项${d}${w}`,
        unitId: window.id,
        mode: 'both',
      });
      windows.push({ unitId: window.id, staffId: staff.id, itemId: item.id });
    }
  }
  const tokens: string[] = [];
  for (let i = 0; i < RATINGS; i += 500) {
    const batch: TransactionInput[] = [];
    for (let j = i; j < Math.min(RATINGS, i + 500); j++) {
      const w = windows[j % windows.length]!;
      batch.push({
        externalNo: `BJ${String(j).padStart(9, '0')}`,
        unitId: w.unitId,
        serviceItemId: w.itemId,
        staffId: w.staffId,
        mode: 'offline',
        receivedAt: new Date(Date.now() - 3600_000).toISOString(),
      });
    }
    const results = await recordTransactions(deps, SYSTEM, batch, {
      publicUrl: 'http://127.0.0.1',
      qr: false,
    });
    for (const r of results) if (r.status === 'created') tokens.push(r.transaction.ratingUrl.slice(3));
  }
  const submission = (i: number): Submission => {
    const level = i % 50 === 0 ? 1 : i % 3 === 0 ? 4 : 5;
    return {
      kind: 'transaction',
      tokenHash: sha256Hex(tokens[i]!),
      content: { level, tags: level === 1 ? ['多次跑动'] : [], dimensions: {}, comment: '' },
      source: {
        channel: 'sms_link',
        deviceId: `bench-device-${i}`,
        registeredDevice: false,
        addressDigest: sha256Hex(`address-${i}`),
        idempotencyKey: `bench-${i}`,
        requestDigest: sha256Hex(`request-${i}`),
      },
    };
  };
  const queue = ingestQueue(deps);
  // Warm-up: the first 5%.
  const warm = Math.floor(tokens.length * 0.05);
  await Promise.all(Array.from({ length: warm }, (_, i) => queue.submit(submission(i))));
  const load = () => process.cpuUsage();
  const cpu0 = load();
  const t0 = performance.now();
  let next = warm;
  const client = async () => {
    while (next < tokens.length) await queue.submit(submission(next++));
  };
  const before = { ...queue.stats };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = load();
  const n = tokens.length - warm;
  const used = (cpu.user - cpu0.user + cpu.system - cpu0.system) / 1e6;
  const batches = queue.stats.batches - before.batches;
  console.log(
    `${onPg ? 'PostgreSQL' : 'SQLite'}: ${n} ratings in ${seconds.toFixed(2)} s = ${Math.round(n / seconds)} ratings/s; ` +
      `wall ${((seconds / n) * 1e6).toFixed(0)} µs and Node CPU ${((used / n) * 1e6).toFixed(0)} µs per rating; ` +
      `${batches} batches (mean ${(n / batches).toFixed(1)})`,
  );
  for (const [kind, e] of [...statements].sort((a, b) => b[1].ms - a[1].ms).slice(0, 10)) {
    console.log(
      `  ${((e.ms * 1000) / n).toFixed(1).padStart(8)} µs per rating ${String(e.count).padStart(6)}×  ${kind}`,
    );
  }
} finally {
  await deps.database.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (schema) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}
