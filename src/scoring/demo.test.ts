import { beforeAll, expect, it } from 'vitest';
import type { Actor } from '../core/auth/model.js';
import type { Deps } from '../core/context.js';
import { loadDemo } from '../cli/demo.js';
import {
  DIALECTS,
  describeEachDatabase,
  openTestDatabase,
  type TestDatabase,
} from '../../test/support/db.js';
import { digestOf } from './model.js';
import { getRun, listRuns, publicResult, publicResults, type RunDetail } from './service.js';
import { verifyResult } from './verify.js';

// A fiftieth of the demo's ratings (as the browser tests load it): the assessments are all there.
const SCALE = 0.02;
const LOAD_TIMEOUT = 240_000;
const READER: Actor = { kind: 'system', label: 'test' };

async function load(deps: Deps): Promise<boolean> {
  const quiet = console.log;
  console.log = () => undefined;
  try {
    return await loadDemo(deps, { quietIfLoaded: true, ratings: { scale: SCALE } });
  } finally {
    console.log = quiet;
  }
}

/** Every run, keyed by scheme code, period code and group. */
async function runsByKey(deps: Deps): Promise<Map<string, RunDetail>> {
  const db = deps.database.db;
  const schemes = new Map(
    (await db.selectFrom('schemes').select(['id', 'code']).execute()).map((s) => [s.id, s.code]),
  );
  const periods = new Map(
    (await db.selectFrom('periods').select(['id', 'code']).execute()).map((p) => [p.id, p.code]),
  );
  const out = new Map<string, RunDetail>();
  for (const run of await listRuns(deps, READER, {})) {
    const key = `${schemes.get(run.schemeId)}/${periods.get(run.periodId)}/${run.groupKey}`;
    out.set(key, await getRun(deps, READER, run.id));
  }
  return out;
}

function run(runs: Map<string, RunDetail>, key: string): RunDetail {
  const found = runs.get(key);
  if (!found) throw new Error(`no run ${key}`);
  return found;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * The digests of a run's stored inputs and outcome with its row ids written as unit codes (and other ids,
 * of vetoes and earlier runs, as '#'): what must come out the same in another database, where every row
 * has another random id.
 */
async function portableDigests(deps: Deps, runId: string): Promise<{ inputs: string; results: string }> {
  const db = deps.database.db;
  const codes = new Map(
    (await db.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.id, u.code]),
  );
  const row = await db
    .selectFrom('scoringRuns')
    .select(['inputs', 'outcome'])
    .where('id', '=', runId)
    .executeTakeFirstOrThrow();
  const portable = (json: string): unknown => JSON.parse(json.replace(UUID, (id) => codes.get(id) ?? '#'));
  return { inputs: digestOf(portable(row.inputs)), results: digestOf(portable(row.outcome)) };
}

describeEachDatabase('scoring demo', (db) => {
  let runs: Map<string, RunDetail>;

  beforeAll(async () => {
    expect(await load(db().deps)).toBe(true);
    runs = await runsByKey(db().deps);
  }, LOAD_TIMEOUT);

  it('publishes 十佳十差 for both groups, the hardest sections and three quarters of satisfaction', async () => {
    const status = (key: string) => run(runs, key).status;
    expect(status('caidian/2026/sections')).toBe('published');
    expect(status('caidian/2026/stations')).toBe('published');
    expect(status('nanchuan/2026-H1/sections')).toBe('published');
    for (const q of [1, 2, 3]) expect(status(`xian/2026-Q${q}/districts`)).toBe('published');
    // Chuzhou through both of its stages; Tai'an has no stages, so its result stands as computed.
    expect(status('chuzhou/2026/departments')).toBe('approved');
    expect(run(runs, 'chuzhou/2026/departments').reviews).toHaveLength(2);
    expect(status('taian/2026/departments')).toBe('approved');
    expect(run(runs, 'taian/2026/departments').reviews).toHaveLength(0);
    const published = await publicResults(db().deps);
    expect(published).toHaveLength(6);
    expect(run(runs, 'caidian/2026/sections').unitCount).toBe(76);
    expect(run(runs, 'caidian/2026/stations').unitCount).toBe(117);
    expect(run(runs, 'nanchuan/2026-H1/sections').unitCount).toBe(105);
  });

  it('publishes the ten hardest sections with their main problems', async () => {
    const result = await publicResult(db().deps, run(runs, 'nanchuan/2026-H1/sections').id);
    expect(result.kind).toBe('worst_only');
    expect(result.best).toEqual([]);
    expect(result.worst).toHaveLength(10);
    for (const row of result.worst)
      expect(row.problems ?? '').toMatch(/^[冷懒推乱贪]：.+；[冷懒推乱贪]：.+。$/);
    // Worst first: the list runs from the lowest total up.
    const totals = result.worst.map((r) => r.total);
    expect([...totals].sort((a, b) => a - b)).toEqual(totals);
    expect(result.worst[0]?.rank).toBe(105);
  });

  it('shows the rank changes, the largest decline and a decline two quarters running', () => {
    const west = (key: string) => run(runs, key).units.find((u) => u.code === 'SFS-Q02');
    expect(west('xian/2026-Q1/districts')?.rank).toBe(2);
    expect(west('xian/2026-Q2/districts')).toMatchObject({ rank: 4, previousRank: 2, rankChange: -2 });
    expect(west('xian/2026-Q2/districts')?.flags).toContain('largest_decline');
    expect(west('xian/2026-Q3/districts')).toMatchObject({ rank: 5, rankChange: -1 });
    expect(west('xian/2026-Q3/districts')?.flags).toEqual(['largest_decline', 'declined_two_running']);
    const q3 = run(runs, 'xian/2026-Q3/districts');
    expect(q3.declinedTwoRunning).toEqual([west('xian/2026-Q3/districts')?.unitId]);
  });

  it('moves 十佳十差 through all three stages, with one amendment and the vetoed units on the worst lists', () => {
    for (const group of ['sections', 'stations']) {
      const detail = run(runs, `caidian/2026/${group}`);
      expect(detail.reviews.map((r) => [r.body, r.best.length, r.worst.length])).toEqual([
        ['区纪委常委会', 15, 15],
        ['区政府常务会', 10, 10],
        ['区委常委会', 10, 10],
      ]);
      const vetoed = detail.units.filter((u) => u.flags.includes('vetoed')).map((u) => u.unitId);
      expect(vetoed).toHaveLength(1);
      expect(detail.current.worst.slice(0, 1)).toEqual(vetoed);
      expect(detail.current.best).not.toContain(vetoed[0]);
    }
    const amended = run(runs, 'caidian/2026/stations').reviews[1];
    expect(amended?.decision).toBe('amend');
    expect(amended?.reason).toMatch(/调出“十差”名单/);
    const before = run(runs, 'caidian/2026/stations').reviews[0]?.worst ?? [];
    // One unit of the first ten left the list and the eleventh moved up.
    expect(amended?.worst.filter((id) => !before.slice(0, 10).includes(id))).toEqual([before[10]]);
  });

  it('lets the Chuzhou veto beat a promotion, and pays the bonus on the actual score', () => {
    const detail = run(runs, 'chuzhou/2026/departments');
    const byCode = (code: string) => detail.units.find((u) => u.code === code);
    const vetoed = byCode('SFS-D11');
    expect(vetoed?.flags).toContain('vetoed');
    expect(vetoed?.flags).not.toContain('promoted');
    expect(vetoed?.grade).not.toBe('excellent');
    expect(vetoed?.bonusScore).toBe(vetoed?.total);
    // 1st and 3rd in the province on a task: excellent whatever the score.
    expect(byCode('SFS-D28')).toMatchObject({ grade: 'excellent' });
    expect(byCode('SFS-D12')?.flags).toContain('promoted');
  });

  it(
    'recomputes every result identically from the raw records',
    async () => {
      for (const [key, detail] of runs) {
        const verification = await verifyResult(db().deps.database.db, detail.id);
        expect(verification.identical, `${key}: ${verification.identical ? '' : verification.message}`).toBe(
          true,
        );
      }
    },
    LOAD_TIMEOUT,
  );

  it(
    'changes nothing on a second load, and another database (the other kind, when both run) gets the same results',
    async () => {
      expect(await load(db().deps)).toBe(false);
      const again = await runsByKey(db().deps);
      expect([...again.keys()].sort()).toEqual([...runs.keys()].sort());
      for (const [key, detail] of runs) expect(run(again, key).resultsDigest).toBe(detail.resultsDigest);

      const second: TestDatabase = await openTestDatabase(
        DIALECTS.find((d) => d !== db().dialect) ?? db().dialect,
      );
      try {
        expect(await load(second.deps)).toBe(true);
        const other = await runsByKey(second.deps);
        expect([...other.keys()].sort()).toEqual([...runs.keys()].sort());
        for (const [key, detail] of runs) {
          expect(await portableDigests(second.deps, run(other, key).id), key).toEqual(
            await portableDigests(db().deps, detail.id),
          );
        }
      } finally {
        await second.close();
      }
    },
    LOAD_TIMEOUT,
  );
});
