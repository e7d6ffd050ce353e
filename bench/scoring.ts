/*
 * A ranking over ten million ratings: the demo registry (示范市), a year (2025) of instant ratings across
 * its service points (bench/support/rating-year.ts writes the rollups ingest would have produced), and
 * the Caidian 十佳十差 scheme (its nine leaves: three rating statistics, six imported series) over one
 * ranking group of the template's two categories — sections with approval powers (76) and grassroots
 * stations (117) — plus the service windows (158): 351 units, the nearest the demo city comes to Caidian's
 * 330 grassroots units. Then, repeated after a warm-up:
 *
 *   (a) computing the year's run through computeRun, the function behind POST /api/runs (collect every
 *       source, the engine, storing the run with its digests and audit entry, the answer);
 *   (b) the baseline: reading the rollups alone for the same units and year — the two batched queries
 *       the rating_statistic source makes (rating counts and activity totals of every unit's subtree).
 *
 *   npm run bench:scoring                         # SQLite (a fresh file in a temp folder)
 *   MINPING_BENCH_PG=1 npm run bench:scoring      # PostgreSQL 127.0.0.1:5432/test, a fresh schema
 *   BENCH_RATINGS=10000000 BENCH_REPS=20          # the defaults
 *
 * Before timing, the run's good rate (好评率) and its sample size for a few units are checked against the
 * staging table the rollups were generated from, and its imported values against what was imported.
 */
import { loadavg } from 'node:os';
import type { Kysely } from 'kysely';
import type { DB } from '../src/core/db/schema.js';
import { roundTo } from '../src/core/stats.js';
import { loadRatingsConfig } from '../src/ratings/config.js';
import { LEVELS, planBuckets } from '../src/ratings/model.js';
import * as ratingStore from '../src/ratings/store.js';
import { seededRandom } from '../src/registry/demo.js';
import { computeRanking, leafComponents, type ComponentResult, type Mapping } from '../src/scoring/model.js';
import {
  collectInput,
  computeRun,
  createScheme,
  getRunUnit,
  groupMembers,
  storeScores,
} from '../src/scoring/service.js';
import type { PeriodInfo } from '../src/scoring/sources.js';
import { schemeTemplate } from '../src/scoring/templates.js';
import {
  buildRatingYear,
  drawnLevels,
  openBenchDatabase,
  percentile,
  seconds,
  SYSTEM,
  YEAR_END,
  YEAR_START,
} from './support/rating-year.js';

const TARGET = Number(process.env.BENCH_RATINGS ?? 10_000_000);
const REPS = Number(process.env.BENCH_REPS ?? 20);
const WARMUP = 2;
const LIMIT_MS = 2000;
const GROUP = 'grassroots';
const GOOD_RATE_LEAF = 'internet_rating';

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');

/** The year 2025 as the registry's assessment period. */
async function yearPeriod(db: Kysely<DB>): Promise<PeriodInfo> {
  const row = await db
    .selectFrom('periods')
    .select(['id', 'name', 'startDate', 'endDate'])
    .where('startDate', '=', YEAR_START)
    .where('endDate', '=', YEAR_END)
    .executeTakeFirst();
  if (!row) throw new Error('the demo registry has no period for 2025');
  return row;
}

/** A plausible imported value for a leaf's mapping: 60–100% of the way along its scale, one decimal. */
function importedValue(mapping: Mapping | undefined, maxPoints: number, r: number): number {
  const share = 0.6 + 0.4 * r;
  const value =
    mapping?.kind === 'linear' ? mapping.from + (mapping.to - mapping.from) * share : maxPoints * share;
  return Math.round(value * 10) / 10;
}

function findComponent(node: ComponentResult, id: string): ComponentResult | undefined {
  if (node.id === id) return node;
  for (const child of node.children ?? []) {
    const found = findComponent(child, id);
    if (found) return found;
  }
  return undefined;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const summary = (sorted: readonly number[]) =>
  `p50 ${ms(percentile(sorted, 50))}, p95 ${ms(percentile(sorted, 95))}, max ${ms(sorted.at(-1) ?? 0)}`;

async function run(): Promise<void> {
  const bench = await openBenchDatabase();
  console.log(
    `scoring benchmark on ${bench.onPg ? 'PostgreSQL' : 'SQLite'}: ${TARGET.toLocaleString('en')} ratings in 2025`,
  );
  const deps = bench.deps;
  const db = deps.database.db;
  try {
    const { total } = await buildRatingYear(deps, TARGET);
    const period = await yearPeriod(db);

    // The Caidian scheme as the template has it, plus one group of its two categories and the windows.
    const template = schemeTemplate('caidian');
    if (!template) throw new Error('the caidian template is missing');
    const definition = structuredClone(template.definition);
    definition.groups.push({
      key: GROUP,
      name: '机关科室、基层站所和服务窗口',
      categoryCodes: ['APPROVAL', 'GRASSROOTS', 'SERVICE'],
    });
    const t = performance.now();
    const scheme = await createScheme(deps, SYSTEM, {
      code: 'bench_caidian',
      name: template.name,
      definition,
      note: 'bench',
    });
    const units = await groupMembers(db, definition, GROUP, period);
    const leaves = leafComponents(definition);
    const ratingLeaves = leaves.filter((l) => l.source?.kind === 'rating_statistic');
    const importedLeaves = leaves.filter((l) => l.source?.kind === 'imported');
    const rng = seededRandom(330);
    const imported = new Map<string, Map<string, number>>();
    for (const leaf of importedLeaves) {
      if (leaf.source?.kind !== 'imported') continue;
      const values = units.map((u) => ({
        unitCode: u.code,
        value: importedValue(leaf.mapping, leaf.maxPoints, rng()),
      }));
      await storeScores(deps, SYSTEM, {
        series: leaf.source.series,
        periodId: period.id,
        document: `${leaf.name}（基准测试）`,
        values,
      });
      imported.set(leaf.id, new Map(values.map((v, i) => [units[i]?.id ?? '', v.value])));
    }
    console.log(
      `  scheme ${template.key} (${leaves.length} leaves: ${ratingLeaves.length} rating statistics ` +
        `[${ratingLeaves.map((l) => (l.source?.kind === 'rating_statistic' ? l.source.statistic : '')).join(', ')}], ` +
        `${importedLeaves.length} imported series), group “${GROUP}”: ${units.length} units; ` +
        `${(importedLeaves.length * units.length).toLocaleString('en')} values imported (${seconds(t)} s)`,
    );

    const compute = () =>
      computeRun(deps, SYSTEM, { schemeId: scheme.id, periodId: period.id, groupKey: GROUP });
    const ids = units.map((u) => u.id);
    const plan = planBuckets(period.startDate, period.endDate);
    const readRollups = async () => {
      const counts = await ratingStore.ratingCounts(db, 'subtree', ids, plan);
      const activity = await ratingStore.activityTotals(db, 'subtree', ids, plan);
      return counts.length + activity.length;
    };

    // Correctness once: the run against the staging table and the imported values.
    const first = await compute();
    if (first.units.length !== units.length) {
      throw new Error(`the run ranks ${first.units.length} units, the group has ${units.length}`);
    }
    const { goodFrom } = await loadRatingsConfig(db);
    const pick = seededRandom(11);
    const sample = [
      units[0],
      units[units.length - 1],
      ...Array.from({ length: 6 }, () => units[Math.floor(pick() * units.length)]),
    ];
    let checked = 0;
    for (const unit of sample) {
      if (!unit) continue;
      const result = await getRunUnit(deps, SYSTEM, first.id, unit.id);
      const truth = await drawnLevels(db, unit.id, { from: period.startDate, to: period.endDate });
      const n = LEVELS.reduce((s, l) => s + truth[l], 0);
      const good = LEVELS.filter((l) => l >= goodFrom).reduce((s, l) => s + truth[l], 0);
      const component = findComponent(result.explanation, GOOD_RATE_LEAF);
      const value = component?.recordedValue ?? component?.value ?? null;
      // The engine keeps a source's value to six decimals.
      const expected = n > 0 ? roundTo(good / n, 6) + 0 : null;
      if (value !== expected || (n > 0 && component?.sampleSize !== n)) {
        throw new Error(
          `${unit.code}: the run's good rate is ${String(value)} of ${String(component?.sampleSize)} ratings, ` +
            `the drawn ratings give ${good}/${n}`,
        );
      }
      for (const leaf of importedLeaves) {
        const got = findComponent(result.explanation, leaf.id)?.value;
        const want = imported.get(leaf.id)?.get(unit.id);
        if (got !== want) {
          throw new Error(
            `${unit.code}: ${leaf.id} is ${String(got)} in the run, ${String(want)} was imported`,
          );
        }
      }
      checked += 1;
    }
    const firstGood = findComponent(
      (await getRunUnit(deps, SYSTEM, first.id, ids[0] ?? '')).explanation,
      GOOD_RATE_LEAF,
    );
    console.log(
      `  ${checked} units' good rate (好评率) and sample size match the drawn ratings, and their imported values ` +
        `what was imported (e.g. ${units[0]?.code}: ${firstGood?.value?.toFixed(6) ?? '—'} of ${firstGood?.sampleSize?.toLocaleString('en') ?? 0})`,
    );

    // Warm-up, then the repetitions: each runs (a) and (b) back to back, then the run's steps apart —
    // collecting the inputs and the engine — to show where (a)'s time goes.
    for (let i = 0; i < WARMUP; i++) {
      await compute();
      await readRollups();
    }
    const runs: number[] = [];
    const reads: number[] = [];
    const collects: number[] = [];
    const engines: number[] = [];
    let rowsRead = 0;
    const loadBefore = load();
    for (let i = 0; i < REPS; i++) {
      const t0 = performance.now();
      await compute();
      runs.push(performance.now() - t0);
      const t1 = performance.now();
      rowsRead = await readRollups();
      reads.push(performance.now() - t1);
      const t2 = performance.now();
      const input = await collectInput(db, {
        schemeId: scheme.id,
        definition,
        groupKey: GROUP,
        period,
        asOf: new Date().toISOString(),
        recount: false,
      });
      collects.push(performance.now() - t2);
      const t3 = performance.now();
      computeRanking(input);
      engines.push(performance.now() - t3);
    }
    const loadAfter = load();
    for (const list of [runs, reads, collects, engines]) list.sort((a, b) => a - b);
    const p50 = percentile(runs, 50);
    const p95 = percentile(runs, 95);
    console.log(
      `  ${REPS} repetitions after ${WARMUP} warm-up; load average (1/5/15 min) ${loadBefore} before, ${loadAfter} after`,
    );
    console.log(`  (a) computeRun, ${units.length} units:           ${summary(runs)}`);
    console.log(`  (b) rollups alone (${rowsRead.toLocaleString('en')} rows, 2 queries): ${summary(reads)}`);
    console.log(
      `  ratio (a)/(b): p50 ${(p50 / percentile(reads, 50)).toFixed(1)}×, p95 ${(p95 / percentile(reads, 95)).toFixed(1)}×  (${total.toLocaleString('en')} ratings)`,
    );
    console.log(
      `  where (a) goes, p50: collecting the inputs ${ms(percentile(collects, 50))}, engine ${ms(percentile(engines, 50))}, ` +
        `the rest (storing the run with its digests and audit entry, the answer) ≈ ${ms(Math.max(0, p50 - percentile(collects, 50) - percentile(engines, 50)))}`,
    );
    console.log(
      `  target: a ranking of ${units.length} units in < ${LIMIT_MS / 1000} s — ${p95 < LIMIT_MS ? 'met' : 'NOT met'} (p95 ${ms(p95)})`,
    );
  } finally {
    await bench.close();
  }
}

await run();
