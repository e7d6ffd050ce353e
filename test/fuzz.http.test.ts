import type { InjectOptions } from 'fastify';
import { expect, it } from 'vitest';
import { describeEachApp, leaksIn, signInFresh } from './support/checks.js';
import { makeAccount } from './support/factories.js';
import type { Client } from './support/http.js';

/*
 * A fuzz test of the whole API (issue 9 item 18): every operation in /api/openapi.json gets generated bad
 * requests from a fixed seed — wrong types, huge strings, deep nesting, odd unicode, broken JSON, bad
 * path and query parameters — from an administrator's session and from nobody. No answer may be a 5xx,
 * and no error body may name SQL, a driver, a file path or a stack (the checked app inspects every error
 * body; see support/checks.ts). A failure names the request, so that it can be replayed.
 */

const PER_OPERATION = 20;
const SEED = 20_260_915;

interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string }[];
  body: Schema | null;
}

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
}

/** mulberry32: a small seeded generator, so that a failure comes back on the next run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202e\u202dRTL',
  '💩🏳️‍🌈𝕏',
  '\ud800',
  '../../../../etc/passwd',
  "' OR 1=1 --",
  '"; drop table units; --',
  '%00%2e%2e%2f',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '0x7fffffff',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '9999-99-99',
  '2026-02-30',
  '１２３',
  '\t\n\r',
  'é'.repeat(300),
];

function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)] as T;
}

function deep(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** A value of the wrong kind, or of the right kind but absurd. */
function badValue(rng: () => number, schema: Schema | undefined, level = 0): unknown {
  const r = rng();
  if (r < 0.12) return pick(rng, ODD_STRINGS);
  if (r < 0.18) return 'x'.repeat(Math.floor(rng() * 200_000));
  if (r < 0.24) return pick(rng, [null, true, false, 0, -1, -0, 1.5, 1e308, -1e308, 2 ** 53 + 1]);
  if (r < 0.28) return deep(50 + Math.floor(rng() * 2000), rng() < 0.5 ? 'array' : 'object');
  if (r < 0.34) return [];
  if (r < 0.4) return {};
  if (r < 0.46) return Array.from({ length: 1 + Math.floor(rng() * 5) }, () => pick(rng, ODD_STRINGS));
  if (schema?.enum && r < 0.55) return pick(rng, schema.enum);
  if (schema?.properties && level < 3) return badObject(rng, schema, level + 1);
  if (schema?.items && level < 3) return [badValue(rng, schema.items, level + 1)];
  return pick(rng, ODD_STRINGS);
}

function badObject(rng: () => number, schema: Schema, level = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (rng() < 0.3) continue; // missing
    out[name] = rng() < 0.3 && property.enum ? pick(rng, property.enum) : badValue(rng, property, level);
  }
  if (rng() < 0.2)
    out[pick(rng, ['__proto__', 'constructor', 'extra', '', '💩'])] = badValue(rng, undefined, 3);
  return out;
}

/** A raw body that is not (good) JSON. */
function badText(rng: () => number): string {
  const n = 1000 + Math.floor(rng() * 20_000);
  return pick(rng, [
    '['.repeat(n) + ']'.repeat(n),
    '{"a":'.repeat(n) + '1' + '}'.repeat(n),
    '{"a":1',
    '{"a":1}}',
    "{'a':1}",
    '\ufeff{}',
    '\u0000',
    'null',
    '"string"',
    '12',
    `{"a":"${'\\u0000'.repeat(50)}"}`,
    '{"a":1e999999}',
  ]);
}

/** Percent-encoded; a lone surrogate becomes the bytes of one (not valid UTF-8 either). */
function encoded(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

function badPathValue(rng: () => number): string {
  return encoded(
    pick(rng, [
      ...ODD_STRINGS.filter((s) => s !== ''),
      'x'.repeat(5000),
      '00000000-0000-0000-0000-000000000000',
      '01a252e1-1a4d-7000-b4ae-53ac2a8f8050',
      '123',
      '-1',
      '1.5',
    ]),
  );
}

function request(rng: () => number, op: Operation): InjectOptions {
  const url =
    op.path.replace(/\{(\w+)\}/g, () => badPathValue(rng)) +
    (op.parameters.some((p) => p.in === 'query') || rng() < 0.2
      ? `?${op.parameters
          .filter((p) => p.in === 'query')
          .concat(rng() < 0.3 ? [{ name: 'unknown', in: 'query' }] : [])
          .filter(() => rng() < 0.8)
          .map((p) => `${encoded(p.name)}=${badPathValue(rng)}`)
          .join('&')}`
      : '');
  const method = op.method.toUpperCase() as InjectOptions['method'];
  if (method === 'GET' || method === 'HEAD' || method === 'DELETE') {
    return rng() < 0.15
      ? { method, url, payload: badText(rng), headers: { 'content-type': 'application/json' } }
      : { method, url };
  }
  const r = rng();
  if (r < 0.25)
    return { method, url, payload: badText(rng), headers: { 'content-type': 'application/json' } };
  if (r < 0.3) return { method, url, payload: 'a=1&b=2', headers: { 'content-type': 'text/plain' } };
  const payload = op.body?.properties ? badObject(rng, op.body) : badValue(rng, op.body ?? undefined);
  return { method, url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } };
}

/** A request's url or body, short, for a failure message. */
const shown = (value: unknown): string =>
  (typeof value === 'string' ? value : (JSON.stringify(value) ?? '')).slice(0, 120);

describeEachApp('fuzzed bad requests to every operation in the OpenAPI document', (t) => {
  it('never answer 5xx nor leak internals', async () => {
    const { app, deps } = t();
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string; in: string }[];
            requestBody?: { content?: Record<string, { schema?: Schema }> };
          }
        >
      >;
    }>();
    const operations: Operation[] = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map(([method, op]) => ({
          method,
          path,
          parameters: op.parameters ?? [],
          body: op.requestBody?.content?.['application/json']?.schema ?? null,
        })),
    );
    expect(operations.length).toBeGreaterThan(100);

    const admin = await makeAccount(deps, 'admin');
    let session: Client = await signInFresh(app, admin.username);
    const anonymous = { request: (o: InjectOptions) => app.inject(o) };
    const rng = random(SEED);
    const failures: string[] = [];
    let sent = 0;
    for (const op of operations) {
      // Signing out or changing the password would end the session the rest of the run uses.
      const ownSession = /\/api\/auth\/(logout|password)/.test(op.path);
      for (let i = 0; i < PER_OPERATION; i++) {
        const options = request(rng, op);
        const caller = ownSession || rng() < 0.2 ? anonymous : session;
        const res = await caller.request(options);
        sent += 1;
        if (res.statusCode >= 500) {
          failures.push(
            `${op.method.toUpperCase()} ${op.path} #${i} → ${res.statusCode} ${res.body.slice(0, 200)} (url ${shown(options.url)}, body ${shown(options.payload)})`,
          );
        } else if (res.statusCode >= 400 && leaksIn(res.body).length > 0) {
          failures.push(`${op.method.toUpperCase()} ${op.path} #${i} leaks: ${res.body.slice(0, 200)}`);
        }
        // A request that happened to sign the session out: sign in again and go on.
        if (caller === session && res.statusCode === 401) session = await signInFresh(app, admin.username);
      }
    }
    expect(sent).toBe(operations.length * PER_OPERATION);
    expect(failures).toEqual([]);
  }, 120_000);
});
