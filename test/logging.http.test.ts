import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { prepareCase } from '../src/cases/testing.js';
import { buildApp } from '../src/http/app.js';
import { redactUrl } from '../src/http/redact.js';
import { recordTransaction } from '../src/ratings/service.js';
import { DIALECTS, openTestDatabase } from './support/db.js';
import { makeTree, SYSTEM, uniqueCode } from './support/factories.js';

/*
 * The log at the default level (info) carries every request's URL. Rating links and judgement links
 * are credentials of the people served: a log reader must find none of them.
 */

describe('redactUrl', () => {
  it('replaces the token of every rating and judgement link, and secret query parameters', () => {
    expect(redactUrl('/r/abcDEF123_-xyz')).toBe('/r/[redacted]');
    expect(redactUrl('/j/abc?x=1')).toBe('/j/[redacted]?x=1');
    expect(redactUrl('/api/public/rate/tok123')).toBe('/api/public/rate/[redacted]');
    expect(redactUrl('/api/public/judgements/tok123')).toBe('/api/public/judgements/[redacted]');
    expect(redactUrl('/api/units?token=s3cret&page=2&Password=p')).toBe(
      '/api/units?token=[redacted]&page=2&Password=[redacted]',
    );
    expect(redactUrl('/api/public/units/U1/rate-form')).toBe('/api/public/units/U1/rate-form');
  });
});

for (const dialect of DIALECTS) {
  describe(`request log [${dialect}]`, () => {
    it('holds no rating or judgement token after a rating and a judgement', async () => {
      const database = await openTestDatabase(dialect);
      const lines: string[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      });
      const app = await buildApp(database.deps, {
        webRoot: '/nonexistent',
        logger: { level: 'info', stream },
      });
      try {
        await app.ready();
        const tree = await makeTree(database.deps);
        const view = await recordTransaction(
          database.deps,
          SYSTEM,
          {
            externalNo: uniqueCode('BJ'),
            unitId: tree.windowA1.id,
            mode: 'offline',
            receivedAt: '2026-03-16T09:00:00+08:00',
          },
          { publicUrl: 'http://127.0.0.1:3102', qr: false },
        );
        const ratingToken = view.ratingUrl.split('/r/')[1] ?? '';
        expect(ratingToken.length).toBeGreaterThan(20);
        const page = await app.inject({ method: 'GET', url: `/api/public/rate/${ratingToken}` });
        expect(page.statusCode, page.body).toBe(200);
        const rated = await app.inject({
          method: 'POST',
          url: `/api/public/rate/${ratingToken}?token=${ratingToken}`,
          payload: { level: 5, channel: 'sms_link', idempotencyKey: uniqueCode('idem-key-') },
        });
        expect(rated.statusCode, rated.body).toBe(201);
        const judgementToken =
          (await prepareCase(database.deps, tree.windowA1.id, 'awaiting_judgement')).token ?? '';
        const judged = await app.inject({
          method: 'POST',
          url: `/api/public/judgements/${judgementToken}`,
          payload: { judgement: 'satisfied' },
        });
        expect(judged.statusCode, judged.body).toBe(200);
        // The console's own pages behind the links (no console here: 404, still logged).
        await app.inject({ method: 'GET', url: `/r/${ratingToken}` });
        await app.inject({ method: 'GET', url: `/j/${judgementToken}` });

        const log = lines.join('');
        // The requests were logged (so the check is not vacuous), with their tokens redacted.
        expect(log).toContain('/api/public/rate/[redacted]');
        expect(log).toContain('/api/public/judgements/[redacted]');
        expect(log).toContain('/r/[redacted]');
        expect(log).not.toContain(ratingToken);
        expect(log).not.toContain(judgementToken);
      } finally {
        await app.close();
        await database.close();
      }
    });
  });
}
