/*
 * Rating ingest under load: the real app on a fresh database, rating distinct transactions through
 * POST /api/public/rate/:token, against a bare Fastify endpoint with the same body schema in the same
 * run. Afterwards every acknowledged (2xx) rating must be stored exactly once.
 *
 *   npm run bench:ingest                      # SQLite (a fresh file in a temp folder)
 *   MINPING_BENCH_PG=1 npm run bench:ingest   # PostgreSQL 127.0.0.1:5432/test, a fresh schema
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=50     # the defaults
 *   BENCH_SQL=1                               # also the database time per rating, by statement
 *   BENCH_KILL=3                              # instead: 3 trials of kill -9 under load, then the check
 *
 * Each server runs in a child process (one core) and autocannon in this one (the other core); all
 * traffic goes to 127.0.0.1 and stops after the set time.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import pg from 'pg';
import { Type } from 'typebox';
import type { Actor } from '../src/core/auth/model.js';
import { boot } from '../src/core/boot.js';
import type { Deps } from '../src/core/context.js';
import { buildApp } from '../src/http/app.js';
import { ingestQueue } from '../src/ratings/ingest.js';
import { PUBLIC_CHANNELS } from '../src/ratings/model.js';
import { recordTransactions, type TransactionInput } from '../src/ratings/service.js';
import { createServiceItem, createStaff, createUnit } from '../src/registry/service.js';

const SYSTEM: Actor = { kind: 'system', label: 'bench' };
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const SELF = fileURLToPath(import.meta.url);

// The body schema of POST /api/public/rate/:token, repeated for the bare endpoint.
const RatingBody = Type.Object(
  {
    level: Type.Integer(),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 30 })),
    dimensions: Type.Optional(
      Type.Record(Type.String({ maxLength: 30 }), Type.Integer(), { maxProperties: 10 }),
    ),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
    channel: Type.Enum([...PUBLIC_CHANNELS]),
    idempotencyKey: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }),
  },
  { additionalProperties: false },
);
const Answer = Type.Object({
  id: Type.String(),
  level: Type.Integer(),
  channel: Type.String(),
  createdAt: Type.String(),
});

// --- child processes: the servers --------------------------------------------------------------

/** Time spent in the database per kind of statement (BENCH_SQL=1): the SQL with its value lists folded. */
const statementTimes = new Map<string, { milliseconds: number; count: number }>();

function timeStatement(text: string, milliseconds: number): void {
  const kind = text
    .replace(/\s+/g, ' ')
    .replace(/\((?:\?|\$\d+)(?:, (?:\?|\$\d+))*\)(?:, \((?:\?|\$\d+)(?:, (?:\?|\$\d+))*\))*/g, '(…)')
    .slice(0, 90);
  const entry = statementTimes.get(kind) ?? { milliseconds: 0, count: 0 };
  entry.milliseconds += milliseconds;
  entry.count += 1;
  statementTimes.set(kind, entry);
}

async function serveApp(): Promise<void> {
  const deps = await boot(
    { databaseUrl: process.env.BENCH_DB_URL ?? '', sessionMinutes: 480 },
    {
      ...(process.env.BENCH_SCHEMA ? { searchPath: process.env.BENCH_SCHEMA, poolSize: 10 } : {}),
      ...(process.env.BENCH_SQL === '1' ? { onQuery: timeStatement } : {}),
    },
  );
  // Behind a proxy, so that each simulated rater has its own address (X-Forwarded-For).
  const app = await buildApp(deps, { webRoot: '/nonexistent', trustProxy: true });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
  process.on('SIGTERM', () => {
    const stats = ingestQueue(deps).stats;
    process.stdout.write(`STATS ${JSON.stringify(stats)}\n`);
    if (statementTimes.size > 0) {
      const rows = [...statementTimes].sort((a, b) => b[1].milliseconds - a[1].milliseconds).slice(0, 12);
      const total = [...statementTimes.values()].reduce((sum, e) => sum + e.milliseconds, 0);
      const perRating = (ms: number) => `${((ms * 1000) / Math.max(1, stats.items)).toFixed(1)} µs`;
      process.stdout.write(`  database time per rating (all statements): ${perRating(total)}\n`);
      for (const [kind, e] of rows) {
        process.stdout.write(
          `  ${perRating(e.milliseconds).padStart(9)}  ${String(e.count).padStart(6)}×  ${kind}\n`,
        );
      }
    }
    void app
      .close()
      .then(() => deps.database.close())
      .then(() => process.exit(0));
  });
}

async function serveBare(): Promise<void> {
  const app = Fastify({ logger: false, trustProxy: true });
  let n = 0;
  app.post(
    '/api/public/rate/:token',
    { schema: { body: RatingBody, response: { 201: Answer } } },
    async (request, reply) => {
      const body = request.body as { level: number; channel: string };
      n += 1;
      return reply.status(201).send({
        id: `bare-${n}`,
        level: body.level,
        channel: body.channel,
        createdAt: new Date().toISOString(),
      });
    },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

// --- the driver --------------------------------------------------------------------------------

interface Child {
  process: ChildProcess;
  port: number;
  output: string[];
}

function startChild(mode: string, env: Record<string, string>): Promise<Child> {
  return new Promise((resolve, reject) => {
    const flags =
      process.env.BENCH_CPU_PROF && mode === 'serve-app' ? ['--cpu-prof', '--cpu-prof-dir=/tmp/w/prof'] : [];
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', SELF, mode], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const output: string[] = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        output.push(line);
        const m = /^PORT (\d+)$/.exec(line);
        if (m) resolve({ process: child, port: Number(m[1]), output });
      }
    });
    child.on('exit', (code) => reject(new Error(`${mode} exited with ${code}`)));
  });
}

function stopChild(child: Child): Promise<void> {
  return new Promise((resolve) => {
    child.process.removeAllListeners('exit');
    child.process.on('exit', () => resolve());
    child.process.kill('SIGTERM');
  });
}

interface Load {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  acknowledged: string[];
  /** CPU seconds used meanwhile by the server process and by this (load-generating) process. */
  serverCpu: number | null;
  loadCpu: number;
}

/** CPU seconds (user + system) a process has used so far, from /proc; null where there is none. */
function processCpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are the 12th and 13th fields after the command name, in clock ticks (100/s).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

let addressCounter = 0;

async function load(server: Child, tokens: readonly string[], seconds: number): Promise<Load> {
  const port = server.port;
  const serverBefore = processCpuSeconds(server.process.pid);
  const loadBefore = process.cpuUsage();
  let next = 0;
  const acknowledged: string[] = [];
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const token = tokens[next % tokens.length] ?? '';
          next += 1;
          addressCounter += 1;
          // 2% bad reviews (each opens a case), the rest good; a new rater (address, device) each time.
          const level = next % 50 === 0 ? 1 : next % 3 === 0 ? 4 : 5;
          return {
            ...request,
            path: `/api/public/rate/${token}`,
            headers: {
              'content-type': 'application/json',
              'x-forwarded-for': `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`,
              cookie: `minping_device=bench-device-${String(addressCounter).padStart(12, '0')}`,
            },
            body: JSON.stringify({
              level,
              tags: level === 1 ? ['多次跑动'] : [],
              channel: 'sms_link',
              idempotencyKey: `bench-${next}-${token.slice(0, 12)}`,
            }),
          };
        },
        onResponse: (status, body) => {
          if (status >= 200 && status < 300) acknowledged.push((JSON.parse(body) as { id: string }).id);
        },
      },
    ],
  });
  const serverAfter = processCpuSeconds(server.process.pid);
  const loadUsed = process.cpuUsage(loadBefore);
  return {
    serverCpu: serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore,
    loadCpu: (loadUsed.user + loadUsed.system) / 1e6,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    acknowledged,
  };
}

/**
 * What the CPU figures allow: a one-threaded server handles at most 1 s / (its CPU per request), and
 * the server and the load generator together at most 2 s / (their sum) on this 2-core machine. The
 * ratio target (0.5 of bare) needs the server's CPU per rating within what that leaves.
 */
function ceiling(bare: Load, app: Load): string {
  if (bare.serverCpu === null || app.serverCpu === null) return 'CPU ceiling: n/a (no /proc)';
  const per = (l: Load, s: number) => s / (l.ok + l.non2xx);
  const cores = 2;
  const bound = (l: Load, server: number) =>
    Math.min(1 / per(l, server), cores / (per(l, server) + per(l, l.loadCpu)));
  const half = bound(bare, bare.serverCpu) / 2;
  // Server CPU per rating that would still allow half of bare's ceiling with this load generator: on
  // one thread, and spread over threads (the two cores then bound the server and the generator together).
  const oneThread = Math.min(1 / half, cores / half - per(app, app.loadCpu));
  const anyThreads = cores / half - per(app, app.loadCpu);
  const us = (seconds: number) => `${(seconds * 1e6).toFixed(0)} µs`;
  return (
    `CPU ceiling (${cores} cores shared with the load generator): bare ${Math.round(bound(bare, bare.serverCpu))} req/s, ` +
    `ingest ${Math.round(bound(app, app.serverCpu))} req/s; half of bare needs ≤ ${us(oneThread)} of server CPU per rating ` +
    `on one thread, ≤ ${us(anyThreads)} spread over threads`
  );
}

async function setUp(deps: Deps, count: number): Promise<string[]> {
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
    for (let s = 1; s <= 3; s++) {
      const section = await createUnit(deps, SYSTEM, {
        code: `BD${d}S${s}`,
        name: `科室${d}-${s}`,
        kind: 'section',
        parentId: dept.id,
        validFrom,
      });
      for (let w = 1; w <= 2; w++) {
        const window = await createUnit(deps, SYSTEM, {
          code: `BD${d}S${s}W${w}`,
          name: `窗口${d}-${s}-${w}`,
          kind: 'window',
          parentId: section.id,
          validFrom,
        });
        const staff = await createStaff(deps, SYSTEM, {
          staffNo: `BSF${d}${s}${w}`,
          name: `工作人员${d}${s}${w}`,
          unitId: window.id,
        });
        const item = await createServiceItem(deps, SYSTEM, {
          code: `BIT${d}${s}${w}`,
          name: `事项${d}${s}${w}`,
          unitId: window.id,
          mode: 'both',
        });
        windows.push({ unitId: window.id, staffId: staff.id, itemId: item.id });
      }
    }
  }
  const tokens: string[] = [];
  const started = performance.now();
  const now = Date.now();
  for (let i = 0; i < count; i += 500) {
    const batch: TransactionInput[] = [];
    for (let j = i; j < Math.min(count, i + 500); j++) {
      const w = windows[j % windows.length]!;
      batch.push({
        externalNo: `BJ${String(j).padStart(9, '0')}`,
        unitId: w.unitId,
        serviceItemId: w.itemId,
        staffId: w.staffId,
        mode: 'offline',
        receivedAt: new Date(now - 3600_000).toISOString(),
        contactPhone: j % 4 === 0 ? '13800000000' : '',
      });
    }
    const results = await recordTransactions(deps, SYSTEM, batch, {
      publicUrl: 'http://127.0.0.1:3000',
      qr: false,
    });
    for (const r of results) if (r.status === 'created') tokens.push(r.transaction.ratingUrl.slice(3));
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `  recorded ${tokens.length} transactions through recordTransactions in batches of 500: ${Math.round(tokens.length / seconds)} per second`,
  );
  return tokens;
}

async function verify(deps: Deps, acknowledged: readonly string[]): Promise<string> {
  const db = deps.database.db;
  let stored = 0;
  for (let i = 0; i < acknowledged.length; i += 500) {
    const rows = await db
      .selectFrom('ratings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('id', 'in', acknowledged.slice(i, i + 500))
      .executeTakeFirstOrThrow();
    stored += Number(rows.n);
  }
  const all = await db
    .selectFrom('ratings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const linked = await db
    .selectFrom('transactions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ratingId', 'is not', null)
    .executeTakeFirstOrThrow();
  const counted = await db
    .selectFrom('ratings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'counted')
    .executeTakeFirstOrThrow();
  const city = await db
    .selectFrom('ratingRollups as r')
    .innerJoin('units as u', 'u.id', 'r.scopeId')
    .select((eb) => eb.fn.sum<number>('r.n').as('n'))
    .where('u.code', '=', 'BCITY')
    .where('r.grain', '=', 'month')
    .executeTakeFirstOrThrow();
  const unique = new Set(acknowledged).size;
  const problems: string[] = [];
  if (unique !== acknowledged.length) problems.push(`${acknowledged.length - unique} ids acknowledged twice`);
  if (stored !== unique) problems.push(`${unique - stored} acknowledged ratings missing`);
  if (Number(linked.n) !== Number(all.n)) problems.push('transactions and ratings disagree');
  if (Number(city.n) !== Number(counted.n))
    problems.push(`rollups count ${city.n}, counted ratings ${counted.n}`);
  return problems.length === 0
    ? `OK: ${unique} acknowledged ratings stored exactly once (${all.n} rows; ${counted.n} counted, rollups agree)`
    : `FAILED: ${problems.join('; ')}`;
}

/**
 * Crash trials (BENCH_KILL=n): n times, the app is loaded for BENCH_SECONDS and killed with SIGKILL one
 * second before the load ends, in the middle of its batches; the next trial starts it again on the same
 * database with links not used yet. Afterwards every rating acknowledged in any trial must be stored
 * exactly once, each transaction linked to its rating, and the rollups must agree with the ratings.
 */
async function killTrials(
  env: Record<string, string>,
  tokens: readonly string[],
  trials: number,
  url: string,
  options: { searchPath?: string; poolSize?: number },
): Promise<void> {
  const acknowledged: string[] = [];
  const slice = Math.floor(tokens.length / trials);
  for (let t = 0; t < trials; t++) {
    const server = await startChild('serve-app', env);
    const killAt = Math.max(1, SECONDS - 1) * 1000;
    const timer = setTimeout(() => server.process.kill('SIGKILL'), killAt);
    server.process.removeAllListeners('exit');
    const result = await load(server, tokens.slice(t * slice, (t + 1) * slice), SECONDS);
    clearTimeout(timer);
    acknowledged.push(...result.acknowledged);
    console.log(
      `  trial ${t + 1}: killed with SIGKILL after ${killAt / 1000} s; ${result.ok} acknowledged, ${result.errors} connection errors after the kill`,
    );
  }
  const check = await boot({ databaseUrl: url, sessionMinutes: 480 }, options);
  console.log(`  after ${trials} kill -9 trials: ${await verify(check, acknowledged)}`);
  await check.database.close();
}

async function driver(): Promise<void> {
  const onPg = process.env.MINPING_BENCH_PG === '1';
  let dir: string | null = null;
  let url: string;
  let schema: string | undefined;
  if (onPg) {
    schema = `bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    url = PG_URL;
  } else {
    dir = mkdtempSync(join(tmpdir(), 'minping-bench-'));
    url = `sqlite:${join(dir, 'bench.db')}`;
  }
  const options = schema ? { searchPath: schema, poolSize: 10 } : {};
  console.log(
    `ingest benchmark on ${onPg ? 'PostgreSQL' : 'SQLite'}: ${CONNECTIONS} connections, ${SECONDS} s each`,
  );
  try {
    const setup = await boot({ databaseUrl: url, sessionMinutes: 480 }, options);
    const tokens = await setUp(setup, Number(process.env.BENCH_TRANSACTIONS ?? (onPg ? 120_000 : 200_000)));
    await setup.database.close();

    const env: Record<string, string> = { BENCH_DB_URL: url, ...(schema ? { BENCH_SCHEMA: schema } : {}) };
    const trials = Number(process.env.BENCH_KILL ?? 0);
    if (trials > 0) {
      await killTrials(env, tokens, trials, url, options);
      return;
    }
    const bare = await startChild('serve-bare', {});
    await load(bare, tokens, 2); // warm-up
    const bareLoad = await load(bare, tokens, SECONDS);
    await stopChild(bare);

    const server = await startChild('serve-app', env);
    // Warm-up on the first 5% of the links; the measured run uses the rest, all distinct.
    const warm = Math.floor(tokens.length * 0.05);
    const warmLoad = await load(server, tokens.slice(0, warm), 2);
    const appLoad = await load(server, tokens.slice(warm), SECONDS);
    await stopChild(server);
    const stats = server.output.find((l) => l.startsWith('STATS '))?.slice(6) ?? '{}';
    const statementLines = server.output.filter((l) => l.startsWith('  '));

    const row = (name: string, l: Load) =>
      `  ${name.padEnd(28)} ${Math.round(l.requestsPerSecond).toString().padStart(7)} req/s   p50 ${String(l.p50).padStart(4)} ms   p99 ${String(l.p99).padStart(4)} ms   2xx ${l.ok}  non-2xx ${l.non2xx}  errors ${l.errors}`;
    // CPU per answered request, of the server and of the load generator: on two cores shared by both,
    // this is what bounds the rate each side can reach.
    const cpu = (name: string, l: Load) => {
      const answered = l.ok + l.non2xx;
      const perRequest = (s: number | null) =>
        s === null ? 'n/a' : `${((s / answered) * 1e6).toFixed(0)} µs`;
      return `  ${name.padEnd(28)} CPU per request: server ${perRequest(l.serverCpu)}, load generator ${perRequest(l.loadCpu)} (${l.serverCpu?.toFixed(1) ?? '?'} s and ${l.loadCpu.toFixed(1)} s of CPU in ${SECONDS} s)`;
    };
    console.log(row('bare Fastify (same schema)', bareLoad));
    console.log(row('Minping rating ingest', appLoad));
    console.log(cpu('bare Fastify', bareLoad));
    console.log(cpu('Minping rating ingest', appLoad));
    console.log(`  ${ceiling(bareLoad, appLoad)}`);
    console.log(
      `  ratio ingest / bare: ${(appLoad.requestsPerSecond / bareLoad.requestsPerSecond).toFixed(2)}`,
    );
    const gc = JSON.parse(stats) as {
      batches?: number;
      items?: number;
      largestBatch?: number;
      retriedBatches?: number;
    };
    if (gc.batches) {
      console.log(
        `  group commit: ${gc.items} items in ${gc.batches} transactions (mean ${((gc.items ?? 0) / gc.batches).toFixed(1)}, largest ${gc.largestBatch}, retried ${gc.retriedBatches})`,
      );
    }
    for (const line of statementLines) console.log(line);
    const check = await boot({ databaseUrl: url, sessionMinutes: 480 }, options);
    console.log(`  ${await verify(check, [...warmLoad.acknowledged, ...appLoad.acknowledged])}`);
    await check.database.close();
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (schema) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  }
}

const mode = process.argv[2];
if (mode === 'serve-app') await serveApp();
else if (mode === 'serve-bare') await serveBare();
else await driver();
