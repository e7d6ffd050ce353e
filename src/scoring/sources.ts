import type { Executor } from '../core/db/database.js';
import { campaignLeafValues } from '../campaigns/results.js';
import { Invalid } from '../core/errors.js';
import { chinaDate } from '../core/time.js';
import {
  countsFrom,
  LEVELS,
  planBuckets,
  ratingStatistics,
  zeroLevels,
  ZERO_ACTIVITY,
  type ActivityTotals,
  type Level,
  type RatingCounts,
  type RatingStatistics,
} from '../ratings/model.js';
import { parseScopes } from '../ratings/rollups.js';
import * as ratingStore from '../ratings/store.js';
import { leafComponents } from './model.js';
import type {
  ComponentNode,
  GroupUnit,
  RatingStatisticKey,
  SchemeDefinition,
  SourceKind,
  SourceSpec,
  SourceValue,
} from './model.js';
import * as store from './store.js';

/*
 * Where a leaf's raw values come from. One source per kind of SourceSpec, all with the same interface
 * and kept in one registry: a new kind of leaf (campaign results) is one more entry here, and neither
 * the engine nor the run service changes. Every source reads "as of" the run's instant, so that
 * `minping verify result` can collect the same inputs again later.
 */

export interface PeriodInfo {
  id: string;
  name: string;
  startDate: string;
  endDate: string;
}

export interface CollectContext {
  period: PeriodInfo;
  /** The ranking group's members, sorted by code. */
  units: readonly GroupUnit[];
  /** The scheme's leaves whose source is of this source's kind. */
  leaves: readonly ComponentNode[];
  /** The instant the run is computed at (ISO): values entered later, or superseded by then, are left out. */
  asOf: string;
  /**
   * Count rating statistics from the raw ratings, transactions and cases rather than the rollups
   * (verify does, so that the rollups themselves are checked).
   */
  recount: boolean;
  /**
   * The lowest rating level counted as good (the jurisdiction's setting when the run was computed; a
   * run records it, and verify recounts with the recorded one).
   */
  goodFrom: number;
}

/** leaf id → unit id → value. */
export type LeafValues = Record<string, Record<string, SourceValue>>;

export interface ScoreSource {
  kind: SourceKind;
  collect(db: Executor, ctx: CollectContext): Promise<LeafValues>;
}

type SpecOf<K extends SourceKind> = Extract<SourceSpec, { kind: K }>;

function specOf<K extends SourceKind>(leaf: ComponentNode, kind: K): SpecOf<K> {
  const source = leaf.source;
  if (!source || source.kind !== kind) throw new Error(`leaf ${leaf.id} has no ${kind} source`);
  return source as SpecOf<K>;
}

/** A decimal stored as text, as a number (the same on both databases: the text is what was entered). */
export function decimal(text: string): number {
  return Number(text);
}

// --- rating statistics ---------------------------------------------------------------------------

export const STATISTIC_LABELS: Record<RatingStatisticKey, { zh: string; sample: string }> = {
  goodRate: { zh: '好评率', sample: 'ratings' },
  badRate: { zh: '差评率', sample: 'ratings' },
  average: { zh: '平均分', sample: 'ratings' },
  unratedRate: { zh: '未评率', sample: 'transactions' },
  activeGoodRate: { zh: '主动评价好评率', sample: 'active ratings' },
  replyRate: { zh: '差评回复率', sample: 'bad reviews' },
  rectificationRate: { zh: '回访整改率', sample: 'bad reviews' },
  rectificationSatisfactionRate: { zh: '回访整改满意率', sample: 'judged rectifications' },
};

const Z = 1.96;

/** One statistic of a unit's counts as a source value, or null when its sample is empty. */
export function statisticValue(
  statistics: RatingStatistics,
  key: RatingStatisticKey,
  period: PeriodInfo,
): SourceValue | null {
  const label = STATISTIC_LABELS[key];
  const span = `${period.startDate}…${period.endDate}`;
  if (key === 'average') {
    const n = statistics.total;
    const mean = statistics.average;
    if (mean === null || n === 0) return null;
    // Sample standard deviation of the levels; the interval is mean ± 1.96·sd/√n, kept within 1–5.
    let squares = 0;
    for (const level of LEVELS) squares += statistics.byLevel[level] * (level - mean) ** 2;
    const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
    const half = (Z * sd) / Math.sqrt(n);
    return {
      value: mean,
      sampleSize: n,
      low: Math.max(1, mean - half),
      high: Math.min(5, mean + half),
      provenance: `${label.zh} ${mean.toFixed(4)} of ${n} ${label.sample} (ratings ${span})`,
    };
  }
  const p = statistics[key];
  if (p.value === null || p.low === null || p.high === null) return null;
  return {
    value: p.value,
    sampleSize: p.denominator,
    low: p.low,
    high: p.high,
    provenance: `${label.zh} ${p.numerator}/${p.denominator} (${label.sample} ${span})`,
  };
}

/** Counts of every unit's subtree from the rollups: two batched queries for the whole group. */
async function countsFromRollups(
  db: Executor,
  unitIds: readonly string[],
  period: PeriodInfo,
): Promise<Map<string, RatingCounts>> {
  const plan = planBuckets(period.startDate, period.endDate);
  const rows = await ratingStore.ratingCounts(db, 'subtree', unitIds, plan);
  const activity = await ratingStore.activityTotals(db, 'subtree', unitIds, plan);
  const rowsByUnit = new Map<string, typeof rows>();
  for (const r of rows) {
    const list = rowsByUnit.get(r.scopeId);
    if (list) list.push(r);
    else rowsByUnit.set(r.scopeId, [r]);
  }
  const activityByUnit = new Map(activity.map((a) => [a.scopeId, a]));
  const out = new Map<string, RatingCounts>();
  for (const id of unitIds) {
    out.set(id, countsFrom(rowsByUnit.get(id) ?? [], activityByUnit.get(id) ?? ZERO_ACTIVITY));
  }
  return out;
}

interface RawRating {
  status: string;
  createdAt: string;
  reviewedAt: string | null;
  removedAt: string | null;
}

/**
 * Whether a rating counted in the statistics at an instant: given by then, not held then (a held rating
 * counts from its review), and not removed by then. The rollups follow the same rules as they change.
 */
export function countedAt(r: RawRating, asOf: string): boolean {
  if (r.createdAt > asOf) return false;
  if (r.reviewedAt !== null && r.reviewedAt > asOf) return false;
  if (r.status === 'counted') return true;
  if (r.status === 'removed') return r.removedAt !== null && r.removedAt > asOf;
  return false;
}

const PAGE = 5000;

/**
 * Counts of every unit's subtree recounted from the raw records (ratings, transactions, cases) under
 * the scopes each was counted under at ingest: what the rollups must hold.
 */
export async function countsFromRaw(
  db: Executor,
  unitIds: readonly string[],
  period: PeriodInfo,
  asOf: string,
): Promise<Map<string, RatingCounts>> {
  const wanted = new Set(unitIds);
  const levels = new Map<string, { all: Record<Level, number>; defaults: Record<Level, number> }>();
  const activity = new Map<string, ActivityTotals>();
  const levelsOf = (id: string) => {
    let entry = levels.get(id);
    if (!entry) {
      entry = { all: zeroLevels(), defaults: zeroLevels() };
      levels.set(id, entry);
    }
    return entry;
  };
  const activityOf = (id: string) => {
    let entry = activity.get(id);
    if (!entry) {
      entry = { ...ZERO_ACTIVITY };
      activity.set(id, entry);
    }
    return entry;
  };
  const unitsIn = (scopesJson: string) =>
    parseScopes(scopesJson)
      .filter(([type, id]) => type === 'subtree' && wanted.has(id))
      .map(([, id]) => id);
  const isLevel = (n: number): n is Level => (LEVELS as readonly number[]).includes(n);

  // Ratings of the period's days.
  let last = '';
  for (;;) {
    const page = await store.countedRatingsPage(db, period, last, PAGE);
    for (const r of page) {
      if (!countedAt(r, asOf) || !isLevel(r.level)) continue;
      for (const id of unitsIn(r.rollupScopes)) {
        const entry = levelsOf(id);
        entry.all[r.level] += 1;
        if (r.isDefault === 1) entry.defaults[r.level] += 1;
      }
    }
    if (page.length < PAGE) break;
    last = page[page.length - 1]?.id ?? last;
  }

  // Transactions of the period's days, and whether each was actively rated (by the transaction's day).
  last = '';
  for (;;) {
    const page = await store.transactionsPage(db, period, last, PAGE);
    const rated = page.flatMap((t) => (t.ratingId !== null && t.createdAt <= asOf ? [t.ratingId] : []));
    const ratings = new Map<string, RawRating & { isDefault: number; rollupScopes: string }>();
    for (const r of await store.ratingsByIds(db, rated)) ratings.set(r.id, r);
    for (const t of page) {
      if (t.createdAt > asOf) continue;
      for (const id of unitsIn(t.rollupScopes)) activityOf(id).transactions += 1;
      const rating = t.ratingId === null ? undefined : ratings.get(t.ratingId);
      if (rating && rating.isDefault === 0 && countedAt(rating, asOf)) {
        for (const id of unitsIn(rating.rollupScopes)) activityOf(id).activelyRated += 1;
      }
    }
    if (page.length < PAGE) break;
    last = page[page.length - 1]?.id ?? last;
  }

  // Bad-review cases of ratings given on the period's days, and how far each had got.
  last = '';
  for (;;) {
    const page = await store.casesOfRatingsPage(db, period, last, PAGE);
    for (const c of page) {
      if (c.openedAt > asOf || !countedAt(c, asOf)) continue;
      const replied = c.repliedAt !== null && c.repliedAt <= asOf ? 1 : 0;
      const judged = c.judgement !== null && c.judgedAt !== null && c.judgedAt <= asOf ? 1 : 0;
      const satisfied =
        judged === 1 && (c.judgement === 'satisfied' || c.judgement === 'basically_satisfied') ? 1 : 0;
      for (const id of unitsIn(c.rollupScopes)) {
        const a = activityOf(id);
        a.badCases += 1;
        a.replied += replied;
        a.rectified += replied;
        a.judged += judged;
        a.satisfied += satisfied;
      }
    }
    if (page.length < PAGE) break;
    last = page[page.length - 1]?.id ?? last;
  }

  const out = new Map<string, RatingCounts>();
  for (const id of unitIds) {
    const l = levels.get(id) ?? { all: zeroLevels(), defaults: zeroLevels() };
    const a = activity.get(id) ?? ZERO_ACTIVITY;
    out.set(id, {
      byLevel: l.all,
      defaultByLevel: l.defaults,
      transactions: a.transactions,
      activelyRated: a.activelyRated,
      badCases: a.badCases,
      replied: a.replied,
      calledBackAndRectified: a.rectified,
      judged: a.judged,
      judgedSatisfied: a.satisfied,
    });
  }
  return out;
}

const ratingStatisticSource: ScoreSource = {
  kind: 'rating_statistic',
  async collect(db, ctx) {
    const out: LeafValues = {};
    if (ctx.leaves.length === 0) return out;
    const ids = ctx.units.map((u) => u.id);
    const counts = ctx.recount
      ? await countsFromRaw(db, ids, ctx.period, ctx.asOf)
      : await countsFromRollups(db, ids, ctx.period);
    const statistics = new Map(
      ctx.units.map((u) => [u.id, ratingStatistics(counts.get(u.id) as RatingCounts, ctx.goodFrom)]),
    );
    for (const leaf of ctx.leaves) {
      const { statistic } = specOf(leaf, 'rating_statistic');
      const values: Record<string, SourceValue> = {};
      for (const unit of ctx.units) {
        const value = statisticValue(statistics.get(unit.id) as RatingStatistics, statistic, ctx.period);
        if (value) values[unit.id] = value;
      }
      out[leaf.id] = values;
    }
    return out;
  },
};

// --- imported scores -----------------------------------------------------------------------------

const importedSource: ScoreSource = {
  kind: 'imported',
  async collect(db, ctx) {
    const out: LeafValues = {};
    const members = new Set(ctx.units.map((u) => u.id));
    const bySeries = new Map<string, Record<string, SourceValue>>();
    for (const leaf of ctx.leaves) {
      const { series } = specOf(leaf, 'imported');
      let values = bySeries.get(series);
      if (!values) {
        values = {};
        // Ordered by unit and time: when two values were in force at once, the later one counts.
        for (const row of await store.scoreValuesAsOf(db, series, ctx.period.id, ctx.asOf)) {
          if (!members.has(row.unitId)) continue;
          values[row.unitId] = {
            value: decimal(row.value),
            provenance: `entered by ${row.enteredByName} from 《${row.document}》 on ${chinaDate(new Date(row.enteredAt))}`,
          };
        }
        bySeries.set(series, values);
      }
      out[leaf.id] = sortedByUnit(values, ctx.units);
    }
    return out;
  },
};

// --- score sheets (联考) --------------------------------------------------------------------------

const scoreSheetSource: ScoreSource = {
  kind: 'score_sheet',
  async collect(db, ctx) {
    const out: LeafValues = {};
    const members = new Set(ctx.units.map((u) => u.id));
    for (const leaf of ctx.leaves) {
      const { task: key } = specOf(leaf, 'score_sheet');
      const task = await store.taskByKey(db, key);
      if (!task) {
        throw new Invalid(
          'unknown_task',
          `Component “${leaf.name}” reads the score sheets of task “${key}”, which does not exist. Create the task first.`,
          { component: leaf.id, task: key },
        );
      }
      const rows = await store.sheetScoresAsOf(db, task.id, ctx.period.id, ctx.asOf);
      const scorers = await store.unitNames(
        db,
        rows.map((r) => r.scorerUnitId),
      );
      const values: Record<string, SourceValue> = {};
      for (const row of rows) {
        if (!members.has(row.unitId)) continue;
        const scorer = scorers.get(row.scorerUnitId)?.name ?? row.scorerUnitId;
        values[row.unitId] = {
          value: decimal(row.value),
          provenance: `scored by ${scorer}; entered by ${row.enteredByName} from 《${row.document}》 on ${chinaDate(new Date(row.enteredAt))}`,
        };
      }
      out[leaf.id] = sortedByUnit(values, ctx.units);
    }
    return out;
  },
};

// --- campaign results (专项评价) -------------------------------------------------------------------

const campaignSource: ScoreSource = {
  kind: 'campaign',
  async collect(db, ctx) {
    const out: LeafValues = {};
    const ids = ctx.units.map((u) => u.id);
    for (const leaf of ctx.leaves) {
      const spec = specOf(leaf, 'campaign');
      // A run reads the results stored when each round was computed; verify recounts them from the ballots.
      const values = await campaignLeafValues(db, spec, ids, ctx.asOf, ctx.recount);
      const ordered: Record<string, SourceValue> = {};
      for (const unit of ctx.units) {
        const v = values.get(unit.id);
        if (v) ordered[unit.id] = v;
      }
      out[leaf.id] = ordered;
    }
    return out;
  },
};

/** Every source by kind: the one place a new kind of leaf is added. */
export const SOURCES: { readonly [K in SourceKind]: ScoreSource & { kind: K } } = {
  rating_statistic: { ...ratingStatisticSource, kind: 'rating_statistic' },
  imported: { ...importedSource, kind: 'imported' },
  score_sheet: { ...scoreSheetSource, kind: 'score_sheet' },
  campaign: { ...campaignSource, kind: 'campaign' },
};

function sortedByUnit(
  values: Record<string, SourceValue>,
  units: readonly GroupUnit[],
): Record<string, SourceValue> {
  const out: Record<string, SourceValue> = {};
  for (const unit of units) {
    const value = values[unit.id];
    if (value) out[unit.id] = value;
  }
  return out;
}

/** Collects every leaf's values through the source of its kind. */
export async function collectValues(
  db: Executor,
  scheme: SchemeDefinition,
  ctx: Omit<CollectContext, 'leaves'>,
): Promise<LeafValues> {
  const leaves = leafComponents(scheme);
  const out: LeafValues = {};
  for (const kind of Object.keys(SOURCES) as SourceKind[]) {
    const mine = leaves.filter((l) => l.source?.kind === kind);
    if (mine.length === 0) continue;
    Object.assign(out, await SOURCES[kind].collect(db, { ...ctx, leaves: mine }));
  }
  // Leaf order, whatever order the sources answered in.
  const ordered: LeafValues = {};
  for (const leaf of leaves) ordered[leaf.id] = out[leaf.id] ?? {};
  assertRanksArePlaces(scheme, leaves, ordered, ctx.units);
  return ordered;
}

/**
 * A value read as a rank (a rank_rule leaf, or a leaf a promotion rule names) must be a place: a positive
 * whole number. Rank −5, 0 or 5.5 would otherwise earn full or fractional points.
 */
function assertRanksArePlaces(
  scheme: SchemeDefinition,
  leaves: readonly ComponentNode[],
  values: LeafValues,
  units: readonly GroupUnit[],
): void {
  const promoted = new Set(scheme.promotions.flatMap((rule) => rule.leaves));
  for (const leaf of leaves) {
    if (leaf.mapping?.kind !== 'rank_rule' && !promoted.has(leaf.id)) continue;
    for (const unit of units) {
      const value = values[leaf.id]?.[unit.id]?.value;
      if (value === undefined || (Number.isInteger(value) && value >= 1)) continue;
      throw new Invalid(
        'invalid_rank',
        `Component “${leaf.name}” reads ranks, but ${unit.name} (${unit.code}) has ${value}: a rank is a whole number from 1 up. Correct the value and compute again.`,
        { component: leaf.id, unitCode: unit.code, value },
      );
    }
  }
}
