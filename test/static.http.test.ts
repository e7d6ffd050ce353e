/*
 * How the console's files are served: hashed assets compressed (brotli or gzip, chosen by the browser's
 * Accept-Encoding) and cached for a year as immutable; index.html revalidated on every load (also when it
 * answers a console route), so a new build reaches everyone at their next load.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { openTestDatabase, type TestDatabase } from './support/db.js';

const SCRIPT = `console.log(${JSON.stringify('民评'.repeat(400))});\n`;
const INDEX =
  '<!doctype html><html lang="zh-CN"><head><title>民评</title></head><body><div id="root"></div></body></html>';

describe('the console’s static files', () => {
  let root: string;
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'minping-static-'));
    await mkdir(join(root, 'assets'));
    const script = join(root, 'assets', 'main-Ab12Cd34.js');
    await writeFile(script, SCRIPT);
    await writeFile(`${script}.br`, brotliCompressSync(SCRIPT));
    await writeFile(`${script}.gz`, gzipSync(SCRIPT));
    await writeFile(join(root, 'index.html'), INDEX);
    database = await openTestDatabase('sqlite');
    app = await buildApp(database.deps, { webRoot: root });
  });

  afterAll(async () => {
    await app.close();
    await database.close();
    await rm(root, { recursive: true, force: true });
  });

  const get = (url: string, encoding?: string) =>
    app.inject({ method: 'GET', url, headers: encoding ? { 'accept-encoding': encoding } : {} });

  it('sends a hashed asset as brotli when accepted, else gzip, else plain; cached a year, immutable', async () => {
    const br = await get('/assets/main-Ab12Cd34.js', 'gzip, deflate, br');
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(SCRIPT);
    expect(br.rawPayload.length).toBeLessThan(Buffer.byteLength(SCRIPT) / 4);

    const gz = await get('/assets/main-Ab12Cd34.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(SCRIPT);

    const plain = await get('/assets/main-Ab12Cd34.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('asks the browser to revalidate index.html, at / and at a console route alike', async () => {
    for (const url of ['/', '/cases/some-case']) {
      const page = await get(url, 'gzip, br');
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.headers['cache-control'], url).toBe('no-cache');
      expect(page.body).toContain('<div id="root">');
    }
  });

  it('keeps API answers out of every cache', async () => {
    const health = await get('/api/health');
    expect(health.statusCode).toBe(200);
    expect(health.headers['cache-control']).toBe('no-store');
  });
});
