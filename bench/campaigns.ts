/*
 * Ballot submission under load: the real app on a fresh SQLite database, evaluators submitting complete
 * ballots (ten key tasks each) through POST /api/public/ballots/submit with distinct one-time tokens,
 * against a bare Fastify endpoint with the same body schema in the same run. Afterwards every
 * acknowledged (2xx) ballot must be stored exactly once and every used token must have cast one.
 *
 *   npm run bench:campaigns
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=20 BENCH_TOKENS=30000    # the defaults
 *
 * Each server runs in a child process and autocannon in this one; all traffic goes to 127.0.0.1.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { Type } from 'typebox';
import { issueInvitations } from '../src/campaigns/invitations.js';
import * as store from '../src/campaigns/store.js';
import { seedKeyTaskCampaign } from '../src/campaigns/testing.js';
import type { Actor } from '../src/core/auth/model.js';
import { boot } from '../src/core/boot.js';
import { buildApp } from '../src/http/app.js';
import { createUnit } from '../src/registry/service.js';

const SYSTEM: Actor = { kind: 'system', label: 'bench' };
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 30_000);
const SELF = fileURLToPath(import.meta.url);

// The body schema of POST /api/public/ballots/submit (src/campaigns/routes.ts), repeated for the bare endpoint.
const SubmitBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200 }),
    answers: Type.Record(
      Type.String({ maxLength: 64 }),
      Type.Record(Type.String({ maxLength: 40 }), Type.Unknown()),
    ),
  },
  { additionalProperties: false },
);

async function serveApp(): Promise<void> {
  const deps = await boot({ databaseUrl: process.env.BENCH_DB_URL ?? '', sessionMinutes: 480 });
  const app = await buildApp(deps, { webRoot: '/nonexistent', trustProxy: true });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
  process.on(
    'SIGTERM',
    () =>
      void app
        .close()
        .then(() => deps.database.close())
        .then(() => process.exit(0)),
  );
}

async function serveBare(): Promise<void> {
  const app = Fastify({ logger: false, trustProxy: true });
  let n = 0;
  app.post(
    '/api/public/ballots/submit',
    { schema: { body: SubmitBody, response: { 200: Type.Object({ receipt: Type.String() }) } } },
    async () => {
      n += 1;
      return { receipt: `BARE-${String(n).padStart(8, '0')}` };
    },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

interface Child {
  process: ChildProcess;
  port: number;
}

function startChild(mode: string, env: Record<string, string>): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SELF, mode], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const m = /PORT (\d+)\n/.exec(buffer);
      if (m) resolve({ process: child, port: Number(m[1]) });
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

let address = 0;

async function load(port: number, tokens: readonly string[], answers: string, seconds: number) {
  let next = 0;
  let acknowledged = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/public/ballots/submit',
        setupRequest: (request) => {
          const token = tokens[next % tokens.length] ?? '';
          next += 1;
          address += 1;
          return {
            ...request,
            headers: {
              'content-type': 'application/json',
              // Each evaluator from their own address (the public routes are rate-limited per address).
              'x-forwarded-for': `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
            },
            body: `{"token":${JSON.stringify(token)},"answers":${answers}}`,
          };
        },
        onResponse: (status) => {
          if (status >= 200 && status < 300) acknowledged += 1;
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    acknowledged,
    sent: next,
  };
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'minping-bench-campaigns-'));
  const url = `sqlite:${join(folder, 'bench.db')}`;
  try {
    const deps = await boot({ databaseUrl: url, sessionMinutes: 480 });
    const leads = [];
    for (let i = 1; i <= 10; i++) {
      leads.push(
        (
          await createUnit(deps, SYSTEM, {
            code: `BK${i}`,
            name: `牵头单位${i}`,
            kind: 'department',
            validFrom: '2020-01-01',
          })
        ).id,
      );
    }
    const fixture = await seedKeyTaskCampaign(deps, SYSTEM, leads, { key: 'bench', mixSize: 20 });
    const started = performance.now();
    const tokens: string[] = [];
    for (let offset = 0; offset < TOKENS; offset += 10_000) {
      const issued = await issueInvitations(deps, SYSTEM, fixture.roundId, {
        stageId: fixture.stageId,
        sendSms: false,
        evaluators: Array.from({ length: Math.min(10_000, TOKENS - offset) }, (_, i) => ({
          name: `评价人${offset + i}`,
          group: i % 2 === 0 ? '人大代表' : '政协委员',
        })),
      });
      tokens.push(...issued.map((x) => x.token));
    }
    console.log(
      `${tokens.length} invitations issued in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const levels = ['satisfied', 'fairly_satisfied', 'basically_satisfied'];
    const answers = JSON.stringify(
      Object.fromEntries(
        fixture.campaign.subjects.map((s, i) => [
          s.id,
          { sat: levels[i % 3], dif: 'hard', advice: i === 0 ? '建议加快进度' : '' },
        ]),
      ),
    );
    await deps.database.close();

    const bare = await startChild('serve-bare', {});
    await load(bare.port, tokens, answers, 2);
    const b = await load(bare.port, tokens, answers, SECONDS);
    await stopChild(bare);

    const app = await startChild('serve-app', { BENCH_DB_URL: url });
    const a = await load(app.port, tokens, answers, SECONDS);
    await stopChild(app);

    const check = await boot({ databaseUrl: url, sessionMinutes: 480 });
    const db = check.database.db;
    const used = (await store.invitationsOfRound(db, fixture.roundId)).filter((i) => i.used === 1).length;
    const stored = await store.countBallots(db, fixture.roundId);
    const pooled = (await store.pooledIds(db, check.database.dialect, fixture.roundId, '')).length;
    await check.database.close();
    const ballots = stored + pooled;

    const line = (name: string, l: typeof b) =>
      `${name.padEnd(8)} ${l.rps.toFixed(0).padStart(6)} req/s  p50 ${l.p50} ms  p99 ${l.p99} ms  2xx ${l.ok}  non-2xx ${l.non2xx}  errors ${l.errors}`;
    console.log(line('bare', b));
    console.log(line('ballots', a));
    console.log(`ratio ballots/bare: ${(a.rps / b.rps).toFixed(3)}`);
    // Requests still in flight when the load stops are stored but not counted as acknowledged (at most one
    // per connection); every used token must have cast exactly one stored ballot.
    const consistent =
      used === ballots && ballots >= a.acknowledged && ballots <= a.acknowledged + CONNECTIONS;
    console.log(
      `check: ${a.acknowledged} acknowledged, ${used} tokens used, ${ballots} ballots stored (${pooled} still pooled, ` +
        `at most ${CONNECTIONS} in flight at the stop) — ${consistent ? 'OK' : 'MISMATCH'}`,
    );
    if (a.sent > tokens.length)
      console.log('note: tokens ran out; later requests were refusals (token_used).');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const mode = process.argv[2];
if (mode === 'serve-app') await serveApp();
else if (mode === 'serve-bare') await serveBare();
else await main();
