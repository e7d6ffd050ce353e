import { beforeAll, expect, it } from 'vitest';
import { verifyAuditChain } from '../core/audit/service.js';
import type { Deps } from '../core/context.js';
import { describeEachDatabase, openTestDatabase, type TestDatabase } from '../../test/support/db.js';
import { SYSTEM } from '../../test/support/factories.js';
import { loadRegistryDemo } from '../registry/demo.js';
import {
  DEMO_FIRST_DAY,
  DEMO_LAST_DAY,
  DEMO_TRANSACTIONS,
  DEMO_WORSE_WINDOWS,
  loadRatingsDemo,
  type RatingsDemo,
} from './demo.js';
import { LEVELS, zeroLevels, type Level } from './model.js';
import { parseScopes, type ScopeType } from './rollups.js';
import { listHeld } from './service.js';
import { computeStatistics, type StatisticsCounts } from './statistics.js';

// A small scale keeps the test quick; the planted stories (appeals, overdue cases, held ratings) are
// there at every scale. MINPING_TEST_DEMO_FULL=1 also loads the real scale once on SQLite.
const SCALE = 0.06;
const LOAD_TIMEOUT = 240_000;
const PERIOD = { from: DEMO_FIRST_DAY, to: DEMO_LAST_DAY, periodId: null, name: 'demo year' };

async function loadAll(deps: Deps, scale = SCALE): Promise<RatingsDemo> {
  await loadRegistryDemo(deps, SYSTEM);
  return loadRatingsDemo(deps, SYSTEM, { scale });
}

async function unitId(deps: Deps, code: string): Promise<string> {
  const row = await deps.database.db
    .selectFrom('units')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The counts statistics read from the rollups, recomputed from the raw rows instead: every counted
 * rating, transaction and case whose stored scopes include the scope.
 */
async function countsFromRows(deps: Deps, type: ScopeType, id: string): Promise<StatisticsCounts> {
  const db = deps.database.db;
  const inScope = (json: string) => parseScopes(json).some(([t, s]) => t === type && s === id);
  const ratings = await db
    .selectFrom('ratings')
    .select(['id', 'channel', 'level', 'isDefault', 'rollupScopes', 'transactionId'])
    .where('status', '=', 'counted')
    .execute();
  const counts: StatisticsCounts = {
    byLevel: zeroLevels(),
    defaultByLevel: zeroLevels(),
    byChannel: {},
    transactions: 0,
    activelyRated: 0,
    badCases: 0,
    replied: 0,
    rectified: 0,
    judged: 0,
    satisfied: 0,
  };
  const activeRatings = new Set<string>();
  for (const r of ratings) {
    if (!inScope(r.rollupScopes)) continue;
    const level = r.level as Level;
    counts.byLevel[level] += 1;
    if (r.isDefault === 1) counts.defaultByLevel[level] += 1;
    else activeRatings.add(r.id);
    (counts.byChannel[r.channel] ??= zeroLevels())[level] += 1;
  }
  const transactions = await db.selectFrom('transactions').select(['rollupScopes', 'ratingId']).execute();
  for (const t of transactions) {
    if (!inScope(t.rollupScopes)) continue;
    counts.transactions += 1;
    if (t.ratingId !== null && activeRatings.has(t.ratingId)) counts.activelyRated += 1;
  }
  const cases = await db
    .selectFrom('cases as c')
    .innerJoin('ratings as r', 'r.id', 'c.ratingId')
    .select(['c.state', 'c.repliedAt', 'c.judgement', 'r.rollupScopes'])
    .where('c.state', '!=', 'dismissed')
    .execute();
  for (const c of cases) {
    if (!inScope(c.rollupScopes)) continue;
    counts.badCases += 1;
    if (c.repliedAt !== null) {
      counts.replied += 1;
      counts.rectified += 1;
    }
    if (c.judgement !== null) {
      counts.judged += 1;
      if (c.judgement !== 'not_satisfied') counts.satisfied += 1;
    }
  }
  return counts;
}

async function fromRollups(deps: Deps, type: ScopeType, id: string) {
  return computeStatistics(deps.database.db, { type, id, name: id }, PERIOD, null, 3);
}

/** What must come out the same on every load: counts per unit code. */
async function perUnitCounts(deps: Deps): Promise<string[]> {
  const db = deps.database.db;
  const transactions = await db
    .selectFrom('transactions as t')
    .innerJoin('units as u', 'u.id', 't.unitId')
    .select(['u.code', 't.day', 't.mode', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['u.code', 't.day', 't.mode'])
    .execute();
  const ratings = await db
    .selectFrom('ratings as r')
    .innerJoin('units as u', 'u.id', 'r.unitId')
    .select(['u.code', 'r.day', 'r.status', 'r.channel', 'r.level', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['u.code', 'r.day', 'r.status', 'r.channel', 'r.level'])
    .execute();
  const cases = await db
    .selectFrom('cases as c')
    .innerJoin('units as u', 'u.id', 'c.unitId')
    .select(['u.code', 'c.state', 'c.escalation', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['u.code', 'c.state', 'c.escalation'])
    .execute();
  const rows = (prefix: string, list: readonly Record<string, unknown>[]) =>
    list.map((r) => `${prefix} ${Object.values(r).map(String).join(' ')}`);
  return [...rows('t', transactions), ...rows('r', ratings), ...rows('c', cases)].sort();
}

const badRate = (counts: StatisticsCounts) => {
  const total = LEVELS.reduce((s, l) => s + counts.byLevel[l], 0);
  return (counts.byLevel[1] + counts.byLevel[2]) / total;
};

describeEachDatabase('ratings demo', (db) => {
  let demo: RatingsDemo;

  beforeAll(async () => {
    demo = await loadAll(db().deps);
  }, LOAD_TIMEOUT);

  it('loads a year of transactions, ratings and cases of realistic shape', () => {
    expect(demo.transactions).toBeGreaterThan(DEMO_TRANSACTIONS * SCALE * 0.85);
    expect(demo.transactions).toBeLessThan(DEMO_TRANSACTIONS * SCALE * 1.15);
    // Most transactions are rated; those not rated within 7 days got the default, the last week's wait.
    const unrated = (demo.defaults + demo.unrated) / demo.transactions;
    expect(unrated).toBeGreaterThan(0.1);
    expect(unrated).toBeLessThan(0.2);
    expect(demo.unrated).toBeGreaterThan(0);
    expect(demo.general).toBeGreaterThan(0);
    expect(demo.removed).toBe(1);
  });

  it('keeps the rollups equal to counts recomputed from the raw rows', async () => {
    const { deps } = db();
    const city = await unitId(deps, 'SFS');
    const worse = await unitId(deps, DEMO_WORSE_WINDOWS[0]?.code ?? '');
    const person = await deps.database.db
      .selectFrom('ratings')
      .select(['staffId', (eb) => eb.fn.countAll<number>().as('n')])
      .where('unitId', '=', worse)
      .where('staffId', 'is not', null)
      .groupBy('staffId')
      .orderBy('n', 'desc')
      .orderBy('staffId')
      .executeTakeFirstOrThrow();
    for (const [type, id] of [
      ['subtree', city],
      ['subtree', worse],
      ['staff', person.staffId ?? ''],
    ] as const) {
      const stats = await fromRollups(deps, type, id);
      expect(stats.counts).toEqual(await countsFromRows(deps, type, id));
    }
    const stats = await fromRollups(deps, 'subtree', city);
    expect(stats.counts.badCases).toBeGreaterThan(0);
    expect(stats.counts.replied).toBeGreaterThan(0);
    expect(stats.counts.judged).toBeGreaterThan(0);
  });

  it('shows the worse windows clearly above the city in 差评率', async () => {
    const { deps } = db();
    const city = badRate((await fromRollups(deps, 'subtree', await unitId(deps, 'SFS'))).counts);
    expect(city).toBeGreaterThan(0.003);
    expect(city).toBeLessThan(0.03);
    for (const w of DEMO_WORSE_WINDOWS) {
      const rate = badRate((await fromRollups(deps, 'subtree', await unitId(deps, w.code))).counts);
      expect(rate).toBeGreaterThan(Math.max(0.06, city * 4));
    }
  });

  it('leaves cases in every state, overdue ones warned at all three levels by the sweep at “today”', async () => {
    const { deps } = db();
    for (const state of ['verifying', 'rectifying', 'appealed', 'closed', 'dismissed']) {
      expect(demo.cases.byState[state] ?? 0, state).toBeGreaterThan(0);
    }
    expect(demo.cases.overdue).toBeGreaterThanOrEqual(4);
    const warnings = await deps.database.db
      .selectFrom('caseWarnings')
      .select(['level', 'issuedOn'])
      .where('issuedOn', '=', DEMO_LAST_DAY)
      .execute();
    for (const level of [1, 2, 3])
      expect(
        warnings.some((w) => w.level === level),
        `level ${level}`,
      ).toBe(true);
    const reopened = await deps.database.db
      .selectFrom('cases')
      .select('id')
      .where('reopenCount', '>', 0)
      .execute();
    expect(reopened.length + (demo.cases.byState.closed ?? 0)).toBeGreaterThan(0);
  });

  it('holds a handful of suspicious ratings for review', async () => {
    const { deps } = db();
    const held = await listHeld(deps, SYSTEM, { limit: 100 });
    expect(held.length).toBe(demo.held);
    expect(held.length).toBeGreaterThanOrEqual(5);
    expect(held.length).toBeLessThanOrEqual(20);
    const flags = new Set(held.flatMap((h) => h.flags));
    for (const flag of ['burst_device', 'burst_address', 'repeated_comment', 'outside_hours']) {
      expect(flags.has(flag as never), flag).toBe(true);
    }
  });

  it('keeps the audit chain intact', async () => {
    expect((await verifyAuditChain(db().deps.database)).ok).toBe(true);
  });

  it(
    'comes out the same on a second load',
    async () => {
      const second: TestDatabase = await openTestDatabase(db().dialect);
      try {
        await loadAll(second.deps);
        expect(await perUnitCounts(second.deps)).toEqual(await perUnitCounts(db().deps));
      } finally {
        await second.close();
      }
    },
    LOAD_TIMEOUT,
  );
});

it.runIf(process.env.MINPING_TEST_DEMO_FULL === '1')(
  'loads the real scale on SQLite with rollups equal to the raw rows',
  async () => {
    const test = await openTestDatabase('sqlite');
    try {
      const started = performance.now();
      const demo = await loadAll(test.deps, 1);
      console.log(`full demo: ${Math.round(performance.now() - started)} ms`, demo.timings);
      expect(demo.transactions).toBeGreaterThan(55_000);
      const city = await unitId(test.deps, 'SFS');
      expect((await fromRollups(test.deps, 'subtree', city)).counts).toEqual(
        await countsFromRows(test.deps, 'subtree', city),
      );
    } finally {
      await test.close();
    }
  },
  600_000,
);
