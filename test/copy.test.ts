import { expect, it } from 'vitest';
import { DEMO_PASSWORD, loadDemo } from '../src/cli/demo.js';
import { verifyAuditChain } from '../src/core/audit/service.js';
import { copyDatabase, CopyRefused } from '../src/core/db/copy.js';
import { publishedRunIds } from '../src/scoring/store.js';
import { verifyResult } from '../src/scoring/verify.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from './support/db.js';
import { signInFresh } from './support/checks.js';
import { buildApp } from '../src/http/app.js';

/*
 * `minping copy` (issue 9 item 15): the demo installation copied whole from SQLite to PostgreSQL and back
 * (SQLite to SQLite where PostgreSQL is not configured). Every table but sessions arrives with the same
 * rows (the copy compares counts and digests itself), foreign keys hold, the audit chain is intact,
 * every published result verifies at the target, and an account signs in there with its password. A
 * target that holds anything is refused untouched.
 */

async function counts(database: TestDatabase): Promise<Record<string, number>> {
  const db = database.deps.database.db;
  const n = async (table: 'ratings' | 'cases' | 'auditLog' | 'accounts' | 'scoringRuns' | 'sessions') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    ratings: await n('ratings'),
    cases: await n('cases'),
    auditLog: await n('auditLog'),
    accounts: await n('accounts'),
    scoringRuns: await n('scoringRuns'),
  };
}

it('copies the demo whole from SQLite to PostgreSQL and back, verified at each end; refuses a non-empty target', async () => {
  const other = DIALECTS.includes('postgres') ? 'postgres' : 'sqlite';
  const source = await openTestDatabase('sqlite');
  const middle = await openTestDatabase(other);
  const back = await openTestDatabase('sqlite');
  try {
    expect(await loadDemo(source.deps, { quietIfLoaded: true, ratings: { scale: 0.02 } })).toBe(true);
    const before = await counts(source);
    expect(before.ratings).toBeGreaterThan(100);
    expect(before.scoringRuns).toBeGreaterThan(0);

    for (const [from, to] of [
      [source, middle],
      [middle, back],
    ] as const) {
      const report = await copyDatabase(from.deps.database, to.deps.database);
      expect(report.skipped).toEqual(['sessions']);
      expect(report.tables.find((t) => t.table === 'ratings')?.rows).toBe(before.ratings);
      expect(await counts(to)).toEqual(before);
      const chain = await verifyAuditChain(to.deps.database);
      expect(chain).toMatchObject({ ok: true, entries: before.auditLog });
      const runs = await publishedRunIds(to.deps.database.db);
      expect(runs.length).toBeGreaterThan(0);
      for (const id of runs) {
        expect(await verifyResult(to.deps.database.db, id), id).toMatchObject({ identical: true });
      }
    }

    // An account of the demo signs in at the far end with its password.
    const served = await buildApp(back.deps, { webRoot: '/nonexistent' });
    try {
      const office = await signInFresh(served, 'office', DEMO_PASSWORD);
      expect((await office.get('/api/auth/session')).statusCode).toBe(200);
    } finally {
      await served.close();
    }

    // A target that holds anything is refused, and left as it was.
    await expect(copyDatabase(source.deps.database, back.deps.database)).rejects.toBeInstanceOf(CopyRefused);
    expect(await counts(back)).toEqual(before);
  } finally {
    await source.close();
    await middle.close();
    await back.close();
  }
}, 240_000);
