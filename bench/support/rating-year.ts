/*
 * A year of instant ratings for benchmarks: the demo registry (示范市) and the rollups that ingest would
 * have produced for a chosen number of ratings in 2025 across its service points, plus the database the
 * benchmark runs on (a fresh SQLite file in a temp folder, or with MINPING_BENCH_PG=1 a fresh schema of
 * the local PostgreSQL server, dropped afterwards).
 *
 * The ratings themselves are not inserted one by one: the generator draws, per service point and day,
 * how many ratings arrived per channel, level and default flag (with the staff member and service item
 * each group went to), keeps those counts in a staging table (bench_base, with each unit's ancestry by
 * day in bench_ancestry), and fans them out with INSERT … SELECT … GROUP BY into exactly the rows
 * adjustRatingCounts and adjustActivity write: every ancestor of the unit as the tree stood that day
 * (scope subtree), the staff member and the item, at day grain and month grain. The staging tables stay
 * in the database as the ground truth that benchmarks check their results against.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Actor } from '../../src/core/auth/model.js';
import { boot } from '../../src/core/boot.js';
import type { Deps } from '../../src/core/context.js';
import type { DB } from '../../src/core/db/schema.js';
import { addDays } from '../../src/core/time.js';
import { LEVELS, type Level } from '../../src/ratings/model.js';
import { loadRegistryDemo, seededRandom } from '../../src/registry/demo.js';

export const SYSTEM: Actor = { kind: 'system', label: 'bench' };
export const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const YEAR_START = '2025-01-01';
export const YEAR_END = '2025-12-31';
export const DAYS = 365;

const CHANNEL_SHARES: [string, number][] = [
  ['window_device', 0.35],
  ['qr_code', 0.2],
  ['sms_link', 0.2],
  ['mobile_h5', 0.1],
  ['web', 0.08],
  ['self_service', 0.05],
  ['hotline', 0.02],
];
const LEVEL_SHARES: [number, number][] = [
  [5, 0.7],
  [4, 0.18],
  [3, 0.07],
  [2, 0.03],
  [1, 0.02],
];
const DEFAULT_SHARE = 0.15;

/** Seconds since a `performance.now()` instant, one decimal. */
export const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

/** The p-th percentile of an ascending list (nearest rank, rounded down). */
export const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export interface BenchDatabase {
  deps: Deps;
  onPg: boolean;
  /** Closes the database and removes it (the temp folder, or the schema). */
  close(): Promise<void>;
}

/** A fresh, migrated database: SQLite in a temp folder, or a new PostgreSQL schema with MINPING_BENCH_PG=1. */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  const onPg = process.env.MINPING_BENCH_PG === '1';
  let dir: string | null = null;
  let schema: string | null = null;
  let url: string;
  if (onPg) {
    schema = `bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    url = PG_URL;
  } else {
    dir = mkdtempSync(join(tmpdir(), 'minping-bench-'));
    url = `sqlite:${join(dir, 'bench.db')}`;
  }
  const remove = async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (schema) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  };
  let deps: Deps;
  try {
    deps = await boot(
      { databaseUrl: url, sessionMinutes: 480 },
      schema ? { searchPath: schema, poolSize: 4 } : {},
    );
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    deps,
    onPg,
    async close() {
      try {
        await deps.database.close();
      } finally {
        await remove();
      }
    },
  };
}

interface Version {
  unitId: string;
  parentId: string | null;
  validFrom: string;
  validTo: string | null;
}

export interface Segment {
  from: string;
  to: string;
  /** Each unit in force over the segment → itself and its ancestors, nearest first. */
  ancestry: Map<string, string[]>;
  /** The units without children over the segment: the service points ratings arrive at. */
  leaves: string[];
}

/** Day ranges in 2025 over which the tree does not change, with each unit's ancestry in each. */
function ancestrySegments(versions: readonly Version[]): Segment[] {
  const cuts = new Set<string>([YEAR_START]);
  for (const v of versions) {
    for (const d of [v.validFrom, v.validTo]) if (d && d > YEAR_START && d <= YEAR_END) cuts.add(d);
  }
  const starts = [...cuts].sort();
  return starts.map((from, i) => {
    const to = i + 1 < starts.length ? addDays(starts[i + 1]!, -1) : YEAR_END;
    const inForce = versions.filter((v) => v.validFrom <= from && (v.validTo === null || v.validTo > from));
    const parents = new Map(inForce.map((v) => [v.unitId, v.parentId]));
    const ancestry = new Map<string, string[]>();
    for (const unitId of parents.keys()) {
      const chain: string[] = [];
      for (let u: string | null | undefined = unitId; u && !chain.includes(u); u = parents.get(u))
        chain.push(u);
      ancestry.set(unitId, chain);
    }
    const hasChildren = new Set([...parents.values()].filter((p): p is string => p !== null));
    return { from, to, ancestry, leaves: [...parents.keys()].filter((u) => !hasChildren.has(u)) };
  });
}

export interface RatingYear {
  /** Ratings drawn (close to the target: each group's count is rounded). */
  total: number;
  segments: Segment[];
}

/** Writes the staging tables and the rollups of about `target` ratings in 2025 (the registry must be loaded). */
export async function generateRatingYear(db: Kysely<DB>, target: number): Promise<RatingYear> {
  const started = performance.now();
  const versions = await db
    .selectFrom('unitVersions')
    .select(['unitId', 'parentId', 'validFrom', 'validTo'])
    .execute();
  const segments = ancestrySegments(versions);
  const staff = await db.selectFrom('staff').select(['id', 'unitId']).execute();
  const items = await db.selectFrom('serviceItems').select(['id', 'unitId']).execute();
  const staffOf = new Map<string, string[]>();
  for (const s of staff) staffOf.set(s.unitId, [...(staffOf.get(s.unitId) ?? []), s.id]);
  const itemsOf = new Map<string, string[]>();
  for (const it of items) itemsOf.set(it.unitId, [...(itemsOf.get(it.unitId) ?? []), it.id]);

  await sql`create table bench_ancestry (unit_id text not null, ancestor_id text not null,
    day_from text not null, day_to text not null)`.execute(db);
  // Per service point and day: how many ratings arrived, and a random seed for the split below.
  await sql`create table bench_day (unit_id text not null, day text not null, total integer not null,
    seed integer not null, staff_count integer not null, item_count integer not null)`.execute(db);
  // Each rating group's share of a day's ratings, in millionths: 15% defaults (★3), the rest by channel × level.
  await sql`create table bench_combo (k integer not null, channel text not null, level integer not null,
    is_default integer not null, share integer not null)`.execute(db);
  await sql`create table bench_pick (unit_id text not null, kind text not null, idx integer not null, id text not null)`.execute(
    db,
  );

  const combos = [
    { channel: 'default', level: 3, isDefault: 1, share: DEFAULT_SHARE },
    ...CHANNEL_SHARES.flatMap(([channel, cs]) =>
      LEVEL_SHARES.map(([level, ls]) => ({
        channel,
        level,
        isDefault: 0,
        share: (1 - DEFAULT_SHARE) * cs * ls,
      })),
    ),
  ];
  await sql`insert into bench_combo (k, channel, level, is_default, share) values ${sql.join(
    combos.map(
      (c, k) => sql`(${k}, ${c.channel}, ${c.level}, ${c.isDefault}, ${Math.round(c.share * 1_000_000)})`,
    ),
  )}`.execute(db);
  const picks = [
    ...[...staffOf.entries()].flatMap(([unitId, ids]) =>
      ids.map((id, idx) => sql`(${unitId}, 'staff', ${idx}, ${id})`),
    ),
    ...[...itemsOf.entries()].flatMap(([unitId, ids]) =>
      ids.map((id, idx) => sql`(${unitId}, 'item', ${idx}, ${id})`),
    ),
  ];
  for (let i = 0; i < picks.length; i += 500) {
    await sql`insert into bench_pick (unit_id, kind, idx, id) values ${sql.join(picks.slice(i, i + 500))}`.execute(
      db,
    );
  }

  const rng = seededRandom(20_250_101);
  const leafDays = segments.reduce((sum, seg) => {
    const days =
      (new Date(`${seg.to}T00:00:00Z`).getTime() - new Date(`${seg.from}T00:00:00Z`).getTime()) / 86_400_000 +
      1;
    return sum + days * seg.leaves.length;
  }, 0);
  const perLeafDay = target / leafDays;
  const weights = new Map<string, number>();
  const weightOf = (u: string) => {
    let w = weights.get(u);
    if (w === undefined) {
      w = 0.3 + rng() * 1.4;
      weights.set(u, w);
    }
    return w;
  };
  let pending: ReturnType<typeof sql>[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    await sql`insert into bench_day (unit_id, day, total, seed, staff_count, item_count) values ${sql.join(pending)}`.execute(
      db,
    );
    pending = [];
  };
  for (const seg of segments) {
    const ancestryRows = [...seg.ancestry.entries()].flatMap(([unitId, chain]) =>
      chain.map((a) => sql`(${unitId}, ${a}, ${seg.from}, ${seg.to})`),
    );
    for (let i = 0; i < ancestryRows.length; i += 500) {
      await sql`insert into bench_ancestry (unit_id, ancestor_id, day_from, day_to) values ${sql.join(
        ancestryRows.slice(i, i + 500),
      )}`.execute(db);
    }
    for (let day = seg.from; day <= seg.to; day = addDays(day, 1)) {
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      const dayFactor = weekday === 0 || weekday === 6 ? 0.35 : 1.26;
      for (const unitId of seg.leaves) {
        const expected = perLeafDay * weightOf(unitId) * dayFactor * (0.8 + rng() * 0.4);
        pending.push(
          sql`(${unitId}, ${day}, ${Math.round(expected)}, ${Math.floor(rng() * 1_000_000)}, ${staffOf.get(unitId)?.length ?? 0}, ${itemsOf.get(unitId)?.length ?? 0})`,
        );
        if (pending.length >= 400) await flush();
      }
    }
  }
  await flush();
  await sql`create index bench_pick_key on bench_pick (unit_id, kind, idx)`.execute(db);
  // Split each day into its groups: share × total, the fraction rounded up or down by the seed (integer
  // arithmetic only, so that both databases draw the same), each group to one staff member and one item.
  await sql`create table bench_base as
    select d.unit_id, sp.id as staff_id, ip.id as item_id, d.day, c.channel, c.level, c.is_default,
           (d.total * c.share + ((d.seed + c.k * 7919) % 1000) * 1000) / 1000000 as n
      from bench_day d cross join bench_combo c
      left join bench_pick sp on sp.unit_id = d.unit_id and sp.kind = 'staff'
                             and sp.idx = (d.seed + c.k) % (case when d.staff_count = 0 then 1 else d.staff_count end)
      left join bench_pick ip on ip.unit_id = d.unit_id and ip.kind = 'item'
                             and ip.idx = (d.seed / 7 + c.k) % (case when d.item_count = 0 then 1 else d.item_count end)`.execute(
    db,
  );
  await sql`delete from bench_base where n <= 0`.execute(db);
  await sql`create index bench_base_unit_day on bench_base (unit_id, day)`.execute(db);
  await sql`create index bench_ancestry_ancestor on bench_ancestry (ancestor_id)`.execute(db);
  const drawn = await sql<{
    n: number;
    groups: number;
  }>`select sum(n) as n, count(*) as groups from bench_base`.execute(db);
  const total = Number(drawn.rows[0]?.n ?? 0);
  console.log(
    `  drew ${total.toLocaleString('en')} ratings as ${Number(drawn.rows[0]?.groups ?? 0).toLocaleString('en')} groups in ${seconds(started)} s`,
  );

  const t = performance.now();
  // The rows adjustRatingCounts writes: every scope of every rating, day grain…
  await sql`insert into rating_rollups (scope_type, scope_id, grain, bucket, channel, level, is_default, n)
    select 'subtree', a.ancestor_id, 'day', b.day, b.channel, b.level, b.is_default, sum(b.n)
      from bench_base b join bench_ancestry a on a.unit_id = b.unit_id and b.day between a.day_from and a.day_to
     group by a.ancestor_id, b.day, b.channel, b.level, b.is_default`.execute(db);
  for (const [type, column] of [
    ['staff', 'staff_id'],
    ['item', 'item_id'],
  ] as const) {
    await sql`insert into rating_rollups (scope_type, scope_id, grain, bucket, channel, level, is_default, n)
      select ${type}, ${sql.ref(column)}, 'day', day, channel, level, is_default, sum(n) from bench_base
       where ${sql.ref(column)} is not null group by ${sql.ref(column)}, day, channel, level, is_default`.execute(
      db,
    );
  }
  // …and month grain.
  await sql`insert into rating_rollups (scope_type, scope_id, grain, bucket, channel, level, is_default, n)
    select scope_type, scope_id, 'month', substr(bucket, 1, 7), channel, level, is_default, sum(n)
      from rating_rollups where grain = 'day'
     group by scope_type, scope_id, substr(bucket, 1, 7), channel, level, is_default`.execute(db);
  // Activity: every rating is a transaction's; actively rated unless default; cases for active ★1–2, most
  // of them replied and rectified, some judged.
  await sql`create table bench_activity as
    select unit_id, staff_id, item_id, day, sum(n) as transactions,
           sum(case when is_default = 0 then n else 0 end) as actively_rated,
           sum(case when is_default = 0 and level <= 2 then n else 0 end) as bad_cases
      from bench_base group by unit_id, staff_id, item_id, day`.execute(db);
  const activityColumns = sql`transactions, actively_rated, bad_cases, replied, rectified, judged, satisfied`;
  const activitySums = sql`sum(transactions), sum(actively_rated), sum(bad_cases), sum(bad_cases * 9 / 10),
    sum(bad_cases * 8 / 10), sum(bad_cases * 6 / 10), sum(bad_cases * 5 / 10)`;
  await sql`insert into activity_rollups (scope_type, scope_id, grain, bucket, ${activityColumns})
    select 'subtree', a.ancestor_id, 'day', b.day, ${activitySums}
      from bench_activity b join bench_ancestry a on a.unit_id = b.unit_id and b.day between a.day_from and a.day_to
     group by a.ancestor_id, b.day`.execute(db);
  for (const [type, column] of [
    ['staff', 'staff_id'],
    ['item', 'item_id'],
  ] as const) {
    await sql`insert into activity_rollups (scope_type, scope_id, grain, bucket, ${activityColumns})
      select ${type}, ${sql.ref(column)}, 'day', day, ${activitySums} from bench_activity
       where ${sql.ref(column)} is not null group by ${sql.ref(column)}, day`.execute(db);
  }
  await sql`insert into activity_rollups (scope_type, scope_id, grain, bucket, ${activityColumns})
    select scope_type, scope_id, 'month', substr(bucket, 1, 7), sum(transactions), sum(actively_rated),
           sum(bad_cases), sum(replied), sum(rectified), sum(judged), sum(satisfied)
      from activity_rollups where grain = 'day' group by scope_type, scope_id, substr(bucket, 1, 7)`.execute(
    db,
  );
  // Fresh planner statistics, as a database that grew by ingest would have (autovacuum, ANALYZE).
  await sql`analyze`.execute(db);
  const rollupRows = await db
    .selectFrom('ratingRollups')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(
    `  wrote ${Number(rollupRows.n).toLocaleString('en')} rating rollup rows (and the activity rollups) in ${seconds(t)} s`,
  );
  return { total, segments };
}

/** Loads the demo registry into an empty database and generates the year's ratings over it. */
export async function buildRatingYear(deps: Deps, target: number): Promise<RatingYear> {
  const t = performance.now();
  const demo = await loadRegistryDemo(deps, SYSTEM);
  console.log(
    `  demo registry: ${demo.units} units, ${demo.staff} staff, ${demo.serviceItems} items (${seconds(t)} s)`,
  );
  return generateRatingYear(deps.database.db, target);
}

/**
 * The ground truth: ratings by level of a unit's subtree (as the tree stood each day) over a day range,
 * summed from the staging table the rollups were generated from.
 */
export async function drawnLevels(
  db: Kysely<DB>,
  unitId: string,
  period: { from: string; to: string },
): Promise<Record<Level, number>> {
  const rows = await sql<{ level: number; n: number }>`
    select b.level, sum(b.n) as n from bench_base b
      join bench_ancestry a on a.unit_id = b.unit_id and b.day between a.day_from and a.day_to
     where a.ancestor_id = ${unitId} and b.day between ${period.from} and ${period.to}
     group by b.level`.execute(db);
  const out = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
  for (const r of rows.rows) {
    const level = Number(r.level);
    if ((LEVELS as readonly number[]).includes(level)) out[level as Level] = Number(r.n);
  }
  return out;
}
