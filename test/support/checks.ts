import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import type { Deps } from '../../src/core/context.js';
import type { Dialect } from '../../src/core/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from './db.js';
import { PASSWORD } from './factories.js';
import type { Client } from './http.js';

/*
 * Shared checks for the HTTP suites: an app that inspects every error body it sends (no SQL, no stack
 * traces, no file paths ever reach a client), clients for each kind of caller, and a snapshot of the
 * database to prove that a refused request changed nothing.
 */

/** Text that must never appear in an error body: SQL, driver names, stack frames, file paths. */
const LEAK_PATTERNS: readonly RegExp[] = [
  /\bSELECT\b/i,
  /\bINSERT\s+INTO\b/i,
  /\bUPDATE\s+"?\w+"?\s+SET\b/i,
  /\bDELETE\s+FROM\b/i,
  /sqlite/i,
  /postgres/i,
  /\bpg_/i,
  /relation "/i,
  /no such (table|column)/i,
  /syntax error/i,
  /constraint/i,
  /at \//,
  /\bat .*\(.*:\d+:\d+\)/,
  /node_modules/,
  /\.[cm]?[jt]s:\d+/,
  /"stack"/,
  /\/work\//,
];

/** The leak patterns a text matches (empty when it is clean). */
export function leaksIn(text: string): string[] {
  return LEAK_PATTERNS.filter((re) => re.test(text)).map(String);
}

interface ErrorBody {
  error: { code: string; message: string; params: Record<string, unknown> };
}

/** Problems with an error body: not the one error shape, or leaking internals. */
export function errorBodyProblems(text: string): string[] {
  const problems = leaksIn(text).map((p) => `leaks ${p}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [...problems, 'is not JSON'];
  }
  const e = (parsed as Partial<ErrorBody> | null)?.error;
  if (
    typeof e !== 'object' ||
    e === null ||
    typeof e.code !== 'string' ||
    typeof e.message !== 'string' ||
    e.message.length === 0 ||
    typeof e.params !== 'object' ||
    e.params === null
  ) {
    problems.push('is not {error: {code, message, params}}');
  }
  return problems;
}

/** Asserts a response is the error named, with the params given (a subset), in the one clean error shape. */
export function expectError(
  res: LightMyRequestResponse,
  status: number,
  code: string,
  params?: Record<string, unknown>,
): ErrorBody['error'] {
  expect({ status: res.statusCode, body: res.body }).toMatchObject({ status });
  expect(errorBodyProblems(res.body)).toEqual([]);
  const error = res.json<ErrorBody>().error;
  expect(error.code).toBe(code);
  if (params) expect(error.params).toMatchObject(params);
  return error;
}

// --- the checked app -------------------------------------------------------------------------

export interface CheckedApp extends TestDatabase {
  app: FastifyInstance;
  /** Error responses the app has sent so far. */
  errorsSeen: number;
  /** Every error body that was not clean, with what was wrong. */
  leaks: string[];
}

/** A fresh database and the real app on it, with a hook that inspects every error body sent. */
export async function openCheckedApp(dialect: Dialect): Promise<CheckedApp> {
  const database = await openTestDatabase(dialect);
  const app = await buildApp(database.deps, { webRoot: '/nonexistent' });
  const checked: CheckedApp = {
    ...database,
    app,
    errorsSeen: 0,
    leaks: [],
    close: async () => {
      await app.close();
      await database.close();
    },
  };
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode >= 400) {
      checked.errorsSeen += 1;
      const text =
        typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
      const problems = errorBodyProblems(text);
      if (problems.length > 0) {
        checked.leaks.push(
          `${request.method} ${request.url} → ${reply.statusCode}: ${problems.join(', ')}: ${text.slice(0, 300)}`,
        );
      }
    }
    return payload;
  });
  await app.ready();
  return checked;
}

/**
 * Runs a block once per database on a checked app; after every test, fails if any error body the app
 * sent leaked internals.
 */
export function describeEachApp(name: string, body: (t: () => CheckedApp) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${name} [${dialect}]`, () => {
      let current: CheckedApp | undefined;
      beforeAll(async () => {
        current = await openCheckedApp(dialect);
      });
      afterEach(() => {
        const leaks = current?.leaks.splice(0) ?? [];
        expect(leaks, 'error bodies that leaked internals').toEqual([]);
      });
      afterAll(async () => {
        await current?.close();
      });
      body(() => {
        if (!current) throw new Error('test app not open');
        return current;
      });
    });
  }
}

// --- callers ---------------------------------------------------------------------------------

let addressCounter = 0;
/** A client address no other call in this process has used (login throttling and rate limits are per address). */
export function freshAddress(): string {
  addressCounter += 1;
  return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

function clientWith(
  app: FastifyInstance,
  base: Record<string, string>,
  cookie: string,
  csrf: string,
): Client {
  const request = (options: InjectOptions) =>
    app.inject({ ...options, headers: { ...base, ...(options.headers ?? {}) } });
  return {
    cookie,
    csrf,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, payload) =>
      request({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as object }) }),
    patch: (url, payload) => request({ method: 'PATCH', url, payload: payload as object }),
  };
}

/** POST /api/auth/login from a given (by default fresh) address. */
export function login(
  app: FastifyInstance,
  username: string,
  password = PASSWORD,
  address = freshAddress(),
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    remoteAddress: address,
  });
}

/** The session cookie (name=value) a login response set. */
export function sessionCookieOf(res: LightMyRequestResponse): string {
  const setCookie = res.headers['set-cookie'];
  const raw = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  return (raw ?? '').split(';')[0] ?? '';
}

/** Signs in like a browser (from a fresh address, so that throttling never interferes). */
export async function signInFresh(
  app: FastifyInstance,
  username: string,
  password = PASSWORD,
): Promise<Client> {
  const res = await login(app, username, password);
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = sessionCookieOf(res);
  const csrf = res.json<{ csrfToken: string }>().csrfToken;
  return clientWith(app, { cookie, 'x-csrf-token': csrf }, cookie, csrf);
}

/** A service system calling with `Authorization: Bearer …` (no cookie, no CSRF token). */
export function bearerClient(app: FastifyInstance, token: string): Client {
  return clientWith(app, { authorization: `Bearer ${token}` }, '', '');
}

/** Nobody signed in. */
export function anonymousClient(app: FastifyInstance): Client {
  return clientWith(app, {}, '', '');
}

// --- nothing changed -------------------------------------------------------------------------

const SNAPSHOT_TABLES = [
  'settings',
  'accounts',
  'sessions',
  'api_tokens',
  'audit_log',
  'unit_categories',
  'units',
  'unit_versions',
  'service_items',
  'staff',
  'periods',
  'imports',
  'schemes',
  'scheme_versions',
  'score_values',
  'scoring_tasks',
  'sheet_scores',
  'vetoes',
  'scoring_runs',
  'run_reviews',
  'run_problems',
  'panel_groups',
  'evaluators',
  'panel_imports',
  'panel_draws',
  'panel_draw_members',
  'panel_supplements',
] as const;

/** Columns that reads legitimately touch (sliding session expiry, a token's last use). */
const VOLATILE: Record<string, readonly string[]> = {
  sessions: ['lastSeenAt', 'expiresAt'],
  api_tokens: ['lastUsedAt'],
};

export type Snapshot = Record<string, string[]>;

/** Every row of every table a request could change (sign-in attempts aside), in a stable order. */
export async function snapshot(deps: Deps): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const table of SNAPSHOT_TABLES) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
      deps.database.db,
    );
    const drop = VOLATILE[table] ?? [];
    out[table] = rows
      .map((row) => {
        const kept = Object.fromEntries(Object.entries(row).filter(([k]) => !drop.includes(k)));
        return JSON.stringify(kept);
      })
      .sort();
  }
  return out;
}

/** Asserts the database holds exactly what it held at `before`. */
export async function expectUnchanged(deps: Deps, before: Snapshot): Promise<void> {
  expect(await snapshot(deps)).toEqual(before);
}

export async function auditCount(deps: Deps): Promise<number> {
  const row = await deps.database.db
    .selectFrom('auditLog')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The last audit entries, newest first. */
export async function lastAudit(deps: Deps, n = 1) {
  return deps.database.db.selectFrom('auditLog').selectAll().orderBy('seq', 'desc').limit(n).execute();
}

// --- routes ----------------------------------------------------------------------------------

/**
 * Every route the app serves, as "METHOD /path/:param", read from app.printRoutes(). HEAD routes that
 * Fastify adds for each GET are left out (they answer as the GET does).
 */
export function registeredRoutes(app: FastifyInstance): string[] {
  const text = app.printRoutes({ commonPrefix: false });
  const segments: string[] = [];
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^([│├└─\s]*)(\S.*?)(?: \(([^)]*)\))?\s*$/u.exec(line);
    if (!m?.[2]) continue;
    const depth = Math.round((m[1] ?? '').length / 4);
    segments.length = depth;
    segments[depth] = m[2];
    const path = segments.join('').replace(/\/{2,}/g, '/');
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) {
      if (method && method !== 'HEAD') out.add(`${method} ${path}`);
    }
  }
  return [...out].sort();
}
