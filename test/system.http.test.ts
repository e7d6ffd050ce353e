import { readFileSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  anonymousClient,
  describeEachApp,
  errorBodyProblems,
  expectError,
  expectUnchanged,
  leaksIn,
  openCheckedApp,
  registeredRoutes,
  signInFresh,
  snapshot,
} from './support/checks.js';
import { findNul, jsonDepth } from '../src/http/input.js';
import { makeAccount, makeTree, uniqueCode } from './support/factories.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

interface OpenApi {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<
    string,
    Record<string, { summary?: string; tags?: string[]; responses?: Record<string, unknown> }>
  >;
}

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** The operations an OpenAPI document describes, as "METHOD /path/:param". */
function documentedRoutes(spec: OpenApi): string[] {
  return Object.entries(spec.paths)
    .flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => HTTP_METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    )
    .sort();
}

function expectSecurityHeaders(res: LightMyRequestResponse): void {
  const csp = String(res.headers['content-security-policy'] ?? '');
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(csp.includes("frame-ancestors 'self'") || res.headers['x-frame-options'] === 'SAMEORIGIN').toBe(
    true,
  );
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['x-powered-by']).toBeUndefined();
}

describe('the leak check itself', () => {
  it('flags SQL, driver names, stack frames and paths, and passes a plain refusal', () => {
    expect(leaksIn('SELECT "id" FROM "units" WHERE "code" = $1')).not.toEqual([]);
    expect(leaksIn('SqliteError: no such table: unit_versions')).not.toEqual([]);
    expect(leaksIn('error: relation "units" does not exist')).not.toEqual([]);
    expect(leaksIn('    at Object.<anonymous> (/work/main/src/registry/store.ts:12:3)')).not.toEqual([]);
    expect(leaksIn('at /srv/minping/node_modules/kysely/dist/esm/index.js:1:1')).not.toEqual([]);
    expect(errorBodyProblems('<html>Internal Server Error</html>')).toContain('is not JSON');
    expect(
      errorBodyProblems(
        JSON.stringify({ error: { code: 'not_found', message: 'No unit with id u1.', params: {} } }),
      ),
    ).toEqual([]);
  });
});

describeEachApp('system routes, documentation, headers and errors', (t) => {
  it('GET /api/health answers {status, database, version} to anyone', async () => {
    const { app, dialect } = t();
    const res = await anonymousClient(app).get('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: dialect, version: VERSION });
    expect((await app.inject({ method: 'HEAD', url: '/api/health' })).statusCode).toBe(200);
  });

  it('marks in the OpenAPI document exactly the routes that answer without a sign-in as public', async () => {
    const { app } = t();
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    }>();
    const publicOps = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(
          ([m, op]) => HTTP_METHODS.includes(m) && Array.isArray(op.security) && op.security.length === 0,
        )
        .map(([m]) => `${m.toUpperCase()} ${path}`),
    );
    for (const op of ['POST /api/auth/login', 'POST /api/auth/logout', 'GET /api/auth/demo-accounts']) {
      expect(publicOps).toContain(op);
    }
    // Every route marked public answers an anonymous caller without asking for a sign-in.
    for (const op of publicOps) {
      const [method, path] = op.split(' ') as [string, string];
      const url = path.replace(/\{(\w+)\}/g, 'x'.repeat(30));
      const res = await app.inject({ method: method as 'GET', url });
      expect(
        res.statusCode === 401 && res.json<{ error: { code: string } }>().error.code,
        `${op}: ${res.body}`,
      ).not.toBe('not_signed_in');
    }
    expect(await app.inject({ method: 'POST', url: '/api/auth/logout' })).toMatchObject({ statusCode: 200 });
  });

  it('/api/openapi.json documents every API route the app serves, and only those', async () => {
    const { app } = t();
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const spec = res.json<OpenApi>();
    expect(spec.openapi).toMatch(/^3\./);
    expect(spec.info).toMatchObject({ title: 'Minping API', version: VERSION });
    const served = registeredRoutes(app).filter(
      (r) => / \/api\//.test(r) && !/ \/api\/docs/.test(r) && r !== 'GET /api/openapi.json',
    );
    expect(served.length).toBeGreaterThan(30);
    expect(documentedRoutes(spec)).toEqual(served);
    const undescribed = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([m, op]) => HTTP_METHODS.includes(m) && (!op.summary || !op.tags?.length || !op.responses))
        .map(([m]) => `${m} ${path}`),
    );
    expect(undescribed, 'operations without summary, tags or responses').toEqual([]);
  });

  it('/api/docs serves the browsable docs, with scripts the security policy allows', async () => {
    const { app } = t();
    const page = await app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('swagger-ui');
    // script-src 'self': an inline script would be blocked and the page would stay blank.
    const scripts = [...page.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = '', content = ''] of scripts) {
      expect(attributes).toMatch(/\bsrc="(\.\/|\/api\/docs\/)[^"]+"/);
      expect(content.trim()).toBe('');
    }
    for (const [, src = ''] of page.body.matchAll(/\bsrc="([^"]+)"/g)) {
      const url = src.startsWith('./') ? `/api/docs/${src.slice(2)}` : src;
      const asset = await app.inject({ method: 'GET', url });
      expect(asset.statusCode, url).toBe(200);
    }
    const json = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(json.statusCode).toBe(200);
    const openapi = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(documentedRoutes(json.json<OpenApi>())).toEqual(documentedRoutes(openapi.json<OpenApi>()));
  });

  it('sends the security headers on every kind of response', async () => {
    const { app, deps } = t();
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const responses = [
      await app.inject({ method: 'GET', url: '/api/health' }),
      await app.inject({ method: 'GET', url: '/api/docs' }),
      await app.inject({ method: 'GET', url: '/' }),
      await app.inject({ method: 'GET', url: '/api/no-such-route' }),
      await app.inject({ method: 'GET', url: '/api/units' }),
      await office.get('/api/units'),
      await office.post('/api/units', { code: 1 }),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 404, 401, 200, 400]);
    for (const res of responses) expectSecurityHeaders(res);
  });

  it('limits JSON bodies to 1 MB: 413 body_too_large, before anyone has signed in', async () => {
    const { app, deps } = t();
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const before = await snapshot(deps);
    const big = JSON.stringify({ username: 'x', password: 'y'.repeat(1024 * 1024) });
    expectError(
      await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: big,
        headers: { 'content-type': 'application/json' },
      }),
      413,
      'body_too_large',
    );
    // Just under the limit the body is read, and refused for what it says.
    const almost = await office.post('/api/categories', {
      code: uniqueCode('C'),
      name: 'x',
      description: 'd'.repeat(1000 * 1000),
    });
    expectError(almost, 400, 'invalid_input', { field: 'description' });
    await expectUnchanged(deps, before);
  });

  it('refuses text with NUL characters (which PostgreSQL cannot store) as 400 naming the field, never 500', async () => {
    const { app, deps } = t();
    const tree = await makeTree(deps);
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const before = await snapshot(deps);
    const unit = { code: uniqueCode('NUL'), name: '窗口', kind: 'window', parentId: tree.sectionA1.id };
    expectError(await office.post('/api/units', { ...unit, name: '窗\u0000口' }), 400, 'invalid_input', {
      field: 'name',
      reason: 'nul_character',
    });
    expectError(
      await office.post('/api/units', { ...unit, tags: ['重点', 'x\u0000'] }),
      400,
      'invalid_input',
      { field: 'tags.1' },
    );
    expectError(await office.get('/api/units/%00'), 400, 'invalid_input', { field: 'id' });
    expectError(await office.patch(`/api/units/${tree.deptA.id}%00`, { name: 'x' }), 400, 'invalid_input', {
      field: 'id',
    });
    expectError(await office.get('/api/service-items?unitId=a%00b'), 400, 'invalid_input', {
      field: 'unitId',
    });
    expectError(await office.get('/api/audit?entityType=unit%00'), 400, 'invalid_input', {
      field: 'entityType',
    });
    expectError(
      await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin\u0000', password: 'x' },
      }),
      400,
      'invalid_input',
      { field: 'username' },
    );
    await expectUnchanged(deps, before);
  });

  it('refuses deeply nested JSON as 400 too_deep, signed in or not, on every kind of route, never 500', async () => {
    const { app, deps } = t();
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const before = await snapshot(deps);
    const brackets = '['.repeat(4000) + ']'.repeat(4000);
    let nested = '1';
    for (let i = 0; i < 20_000; i++) nested = `{"a":${nested}}`;
    const raw = (url: string, payload: string, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url,
        payload,
        headers: { 'content-type': 'application/json', ...headers },
      });
    for (const payload of [brackets, nested]) {
      expectError(await raw('/api/auth/login', payload), 400, 'too_deep', { limit: 64 });
      expectError(await raw(`/api/public/rate/${'t'.repeat(43)}`, payload), 400, 'too_deep');
      expectError(
        await raw('/api/units', payload, { cookie: office.cookie, 'x-csrf-token': office.csrf }),
        400,
        'too_deep',
      );
    }
    // Brackets inside strings are text, not nesting: such a body is read and refused for what it says.
    const inString = JSON.stringify({ username: '[{'.repeat(40), password: '['.repeat(200) });
    expectError(await raw('/api/auth/login', inString), 401, 'bad_credentials');
    // 64 levels are read (and refused for their content, naming the field).
    const sixtyFour = `{"username":"x","password":"y","extra":${'['.repeat(63)}${']'.repeat(63)}}`;
    expectError(await raw('/api/auth/login', sixtyFour), 400, 'invalid_input', { field: 'extra' });
    await expectUnchanged(deps, before);
  });

  it('looks for NUL characters without recursion, at any depth', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(findNul(deep)?.split('.').length).toBe(100_000);
    expect(findNul({ a: ['ok', { b: 'no\u0000' }] })).toBe('a.1.b');
    expect(findNul({ a: ['ok'] })).toBeNull();
    expect(jsonDepth('{"a":[1,{"b":"[[[["}]}')).toBe(3);
  });

  it('refuses numbers too large for the database as 400, never 500', async () => {
    const { app, deps } = t();
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    expectError(await office.get('/api/audit?beforeSeq=99999999999'), 400, 'invalid_input', {
      field: 'beforeSeq',
    });
    expect((await office.get('/api/audit?beforeSeq=2147483647')).statusCode).toBe(200);
  });

  it('answers an internal failure with 500 internal_error, with no SQL, stack or path in it', async () => {
    const { dialect } = t();
    const broken = await openCheckedApp(dialect);
    try {
      await makeAccount(broken.deps, 'office', { username: 'office-broken' });
      const office = await signInFresh(broken.app, 'office-broken');
      await sql`drop table unit_versions`.execute(broken.deps.database.db);
      const failed = await office.get('/api/units');
      const error = expectError(failed, 500, 'internal_error');
      expect(error.params).toEqual({});
      expect(failed.body).not.toMatch(/unit_versions|versions|store|kysely/i);
      expectSecurityHeaders(failed);

      await broken.deps.database.close();
      for (const res of [
        await broken.app.inject({ method: 'GET', url: '/api/health' }),
        await office.get('/api/units'),
        await broken.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'x', password: 'y' },
        }),
      ]) {
        expectError(res, 500, 'internal_error');
        expect(res.body).not.toMatch(/destroy|driver|pool|closed/i);
      }
      expect(broken.leaks).toEqual([]);
      expect(broken.errorsSeen).toBe(4);
    } finally {
      await broken.close();
    }
  });

  it('checks every error body this app has sent (so the check is not vacuous)', () => {
    expect(t().errorsSeen).toBeGreaterThanOrEqual(12);
  });
});
