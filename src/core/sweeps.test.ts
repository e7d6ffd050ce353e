import { expect, it } from 'vitest';
import { describeEachDatabase, DIALECTS, openTestDatabase, TEST_SCRYPT } from '../../test/support/db.js';
import { boot } from './boot.js';
import { runSweep } from './sweeps.js';

describeEachDatabase('sweeps', (db) => {
  it('runs the work in a transaction and reports its counts', async () => {
    const { deps } = db();
    const result = await runSweep(deps, 'test-sweep', async () => ({ done: 3 }));
    expect(result).toEqual({ name: 'test-sweep', ran: true, counts: { done: 3 } });
  });

  it('skips a round while the same sweep is still running in this process', async () => {
    const { deps } = db();
    let release: () => void = () => undefined;
    const first = runSweep(deps, 'slow', () => new Promise((resolve) => (release = () => resolve({ n: 1 }))));
    await new Promise((r) => setTimeout(r, 20));
    expect(await runSweep(deps, 'slow', async () => ({ n: 2 }))).toEqual({
      name: 'slow',
      ran: false,
      counts: {},
    });
    release();
    expect(await first).toMatchObject({ ran: true, counts: { n: 1 } });
  });
});

it.runIf(DIALECTS.includes('postgres'))(
  'on PostgreSQL, a second app node skips a sweep while the first holds its lock, and runs it after',
  async () => {
    const nodeA = await openTestDatabase('postgres');
    const pgInfo = nodeA.postgres;
    if (!pgInfo) throw new Error('expected PostgreSQL details');
    const nodeB = await boot(
      { databaseUrl: pgInfo.url, sessionMinutes: 60 },
      { searchPath: pgInfo.schema, scryptCost: TEST_SCRYPT, poolSize: 2 },
    );
    try {
      let release: () => void = () => undefined;
      const first = runSweep(
        nodeA.deps,
        'shared',
        () => new Promise((resolve) => (release = () => resolve({ n: 1 }))),
      );
      await new Promise((r) => setTimeout(r, 100));
      expect(await runSweep(nodeB, 'shared', async () => ({ n: 2 }))).toEqual({
        name: 'shared',
        ran: false,
        counts: {},
      });
      release();
      await first;
      expect(await runSweep(nodeB, 'shared', async () => ({ n: 2 }))).toEqual({
        name: 'shared',
        ran: true,
        counts: { n: 2 },
      });
    } finally {
      await nodeB.database.close();
      await nodeA.close();
    }
  },
);

it.runIf(DIALECTS.includes('postgres'))(
  'on PostgreSQL, another installation in the same database never makes this one skip a sweep',
  async () => {
    // Two schemas of one database (two installations, or two test runs): each sweeps its own rows.
    const mine = await openTestDatabase('postgres');
    const theirs = await openTestDatabase('postgres');
    let release: () => void = () => undefined;
    const held = runSweep(
      theirs.deps,
      'shared',
      () => new Promise((resolve) => (release = () => resolve({ n: 1 }))),
    );
    try {
      await new Promise((r) => setTimeout(r, 100));
      expect(await runSweep(mine.deps, 'shared', async () => ({ n: 2 }))).toEqual({
        name: 'shared',
        ran: true,
        counts: { n: 2 },
      });
    } finally {
      release();
      await held;
      await theirs.close();
      await mine.close();
    }
  },
);
