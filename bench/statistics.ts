/*
 * Statistics over ten million ratings: the demo registry (示范市), a year (2025) of ratings across its
 * service points, and then the subtree statistics of random units over random periods, timed, against a
 * trivial indexed lookup in the same run.
 *
 *   npm run bench:statistics                      # SQLite (a fresh file in a temp folder)
 *   MINPING_BENCH_PG=1 npm run bench:statistics   # PostgreSQL 127.0.0.1:5432/test, a fresh schema
 *   BENCH_RATINGS=10000000 BENCH_QUERIES=1000     # the defaults
 *
 * The ratings themselves are not inserted one by one: bench/support/rating-year.ts writes the rollups
 * that ingest would have produced for them, from counts drawn per service point and day and kept in a
 * staging table. A sample of statistics is checked against the staging table, the ground truth.
 */
import { addDays } from '../src/core/time.js';
import { LEVELS } from '../src/ratings/model.js';
import { computeStatistics, exportStatistics, getBreakdown } from '../src/ratings/statistics.js';
import { seededRandom } from '../src/registry/demo.js';
import {
  buildRatingYear,
  DAYS,
  drawnLevels,
  openBenchDatabase,
  percentile,
  SYSTEM,
  YEAR_START,
} from './support/rating-year.js';

const TARGET = Number(process.env.BENCH_RATINGS ?? 10_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1000);
const BREAKDOWNS = Number(process.env.BENCH_BREAKDOWNS ?? 20);

async function run(): Promise<void> {
  const bench = await openBenchDatabase();
  console.log(
    `statistics benchmark on ${bench.onPg ? 'PostgreSQL' : 'SQLite'}: ${TARGET.toLocaleString('en')} ratings in 2025`,
  );
  const deps = bench.deps;
  try {
    const { total, segments } = await buildRatingYear(deps, TARGET);
    const db = deps.database.db;

    // Every unit that existed in 2025 (the subtree of each is what a console asks for).
    const units = [...new Set(segments.flatMap((s) => [...s.ancestry.keys()]))];
    const names = new Map(
      (await db.selectFrom('unitVersions').select(['unitId', 'name']).execute()).map((r) => [
        r.unitId,
        r.name,
      ]),
    );
    const rng = seededRandom(7);
    const randomPeriod = (): { from: string; to: string } => {
      const kind = rng();
      if (kind < 0.2) return { from: YEAR_START, to: '2025-12-31' }; // the year
      if (kind < 0.4) {
        const q = Math.floor(rng() * 4);
        const from = `2025-${String(q * 3 + 1).padStart(2, '0')}-01`;
        return {
          from,
          to: addDays(q === 3 ? '2026-01-01' : `2025-${String(q * 3 + 4).padStart(2, '0')}-01`, -1),
        };
      }
      if (kind < 0.55) {
        const m = 1 + Math.floor(rng() * 12);
        const from = `2025-${String(m).padStart(2, '0')}-01`;
        return {
          from,
          to: addDays(m === 12 ? '2026-01-01' : `2025-${String(m + 1).padStart(2, '0')}-01`, -1),
        };
      }
      // Any two days: partial months at both edges.
      const a = addDays(YEAR_START, Math.floor(rng() * DAYS));
      const b = addDays(YEAR_START, Math.floor(rng() * DAYS));
      return a <= b ? { from: a, to: b } : { from: b, to: a };
    };

    // Correctness first: a sample against the staging table.
    let checked = 0;
    for (let i = 0; i < 20; i++) {
      const unitId = units[Math.floor(rng() * units.length)]!;
      const period = randomPeriod();
      const view = await computeStatistics(
        db,
        { type: 'subtree', id: unitId, name: names.get(unitId) ?? '' },
        { ...period, periodId: null, name: '' },
        null,
        3,
      );
      const truth = await drawnLevels(db, unitId, period);
      for (const level of LEVELS) {
        const expected = truth[level];
        if (view.counts.byLevel[level] !== expected) {
          throw new Error(
            `statistics disagree with the ratings for ${unitId} ${period.from}…${period.to} ★${level}`,
          );
        }
      }
      checked += 1;
    }
    console.log(`  ${checked} random statistics match the ratings they were drawn from`);

    const timings: number[] = [];
    const lookups: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const unitId = units[Math.floor(rng() * units.length)]!;
      const period = randomPeriod();
      const t0 = performance.now();
      await computeStatistics(
        db,
        { type: 'subtree', id: unitId, name: names.get(unitId) ?? '' },
        { ...period, periodId: null, name: '' },
        null,
        3,
      );
      timings.push(performance.now() - t0);
      const t1 = performance.now();
      await db.selectFrom('units').select('code').where('id', '=', unitId).executeTakeFirst();
      lookups.push(performance.now() - t1);
    }
    timings.sort((a, b) => a - b);
    lookups.sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
    console.log(
      `  subtree statistics (${QUERIES} random units and periods): p50 ${fmt(percentile(timings, 50))}, p95 ${fmt(percentile(timings, 95))}, max ${fmt(timings.at(-1) ?? 0)}`,
    );
    console.log(
      `  trivial indexed lookup (units by id):                 p50 ${fmt(percentile(lookups, 50))}, p95 ${fmt(percentile(lookups, 95))}`,
    );
    console.log(
      `  ratio statistics / lookup: p50 ${(percentile(timings, 50) / percentile(lookups, 50)).toFixed(1)}×, p95 ${(percentile(timings, 95) / percentile(lookups, 95)).toFixed(1)}×  (${total.toLocaleString('en')} ratings)`,
    );

    // The dashboard's breakdown of the whole jurisdiction by month over the year, and its .xlsx export.
    const root = await db
      .selectFrom('unitVersions')
      .select('unitId')
      .where('parentId', 'is', null)
      .executeTakeFirstOrThrow();
    const query = {
      scopeType: 'subtree' as const,
      scopeId: root.unitId,
      from: YEAR_START,
      to: addDays(YEAR_START, DAYS - 1),
      grain: 'month' as const,
    };
    const breakdowns: number[] = [];
    const exports: number[] = [];
    for (let i = 0; i < BREAKDOWNS + 2; i++) {
      const t0 = performance.now();
      await getBreakdown(deps, SYSTEM, query);
      const t1 = performance.now();
      await exportStatistics(deps, SYSTEM, query);
      // The first two of each are warm-up.
      if (i >= 2) {
        breakdowns.push(t1 - t0);
        exports.push(performance.now() - t1);
      }
    }
    breakdowns.sort((a, b) => a - b);
    exports.sort((a, b) => a - b);
    console.log(
      `  breakdown of the jurisdiction by month over the year (${BREAKDOWNS}×): p50 ${fmt(percentile(breakdowns, 50))}, p95 ${fmt(percentile(breakdowns, 95))}; its .xlsx export p50 ${fmt(percentile(exports, 50))}, p95 ${fmt(percentile(exports, 95))}`,
    );
  } finally {
    await bench.close();
  }
}

await run();
