import ExcelJS from 'exceljs';
import { hasPermission, type Actor } from '../core/auth/model.js';
import type { Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import { Forbidden, Invalid, NotFound } from '../core/errors.js';
import { proportion, type Proportion } from '../core/stats.js';
import { addDays, chinaDate, isValidDate } from '../core/time.js';
import { subtreeOf } from '../registry/model.js';
import { assertAncestryInScope, scopeRootOf } from '../registry/scope.js';
import * as registryStore from '../registry/store.js';
import * as registryTree from '../registry/tree.js';
import { loadRatingsConfig } from './config.js';
import {
  CHANNEL_NAMES,
  CHANNELS,
  countsByChannel,
  countsFrom,
  isBadLevel,
  LEVELS,
  planBuckets,
  ratingStatistics,
  zeroLevels,
  ZERO_ACTIVITY,
  type BucketPlan,
  type Channel,
  type Level,
  type RatingStatistics,
} from './model.js';
import { monthOf, type ScopeType } from './rollups.js';
import * as store from './store.js';
import type {
  BreakdownQuery,
  BreakdownView,
  PeriodQuery,
  PeriodRange,
  PublicStatisticsView,
  RankedScope,
  StatisticsQuery,
  StatisticsView,
  TrendPoint,
} from './types.js';

// Declared in types.ts (shared with web/); re-exported for the callers that import them from here.
export type { StatisticsCounts } from './types.js';

/*
 * Statistics for a unit (with its subtree), a staff member or a service item over a period, read only
 * from the rollups kept at ingest: whole months at month grain, the partial months at the edges at day
 * grain — a few dozen rows whatever the number of ratings.
 */

/** Longest period a query may span (ten years of day rows would still be cheap, but nobody needs more). */
const MAX_SPAN_DAYS = 3700;

/** The dates a query covers: a period by id, from–to, or else this year to date. */
export async function resolvePeriod(db: Executor, query: PeriodQuery, today: string): Promise<PeriodRange> {
  if (query.periodId) {
    const period = await registryStore.periodById(db, query.periodId);
    if (!period)
      throw new Invalid('unknown_period', 'The chosen period does not exist.', { field: 'periodId' });
    return { from: period.startDate, to: period.endDate, periodId: period.id, name: period.name };
  }
  if (query.from || query.to) {
    const from = query.from ?? '';
    const to = query.to ?? '';
    for (const [field, value] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (!isValidDate(value)) {
        throw new Invalid(
          'invalid_date',
          `${field} must be a date written as YYYY-MM-DD (give both from and to).`,
          {
            field,
          },
        );
      }
    }
    if (to < from) throw new Invalid('invalid_range', 'The period ends before it starts.', { field: 'to' });
    if (addDays(from, MAX_SPAN_DAYS) < to) {
      throw new Invalid('invalid_range', 'A period spans at most ten years.', { field: 'to' });
    }
    return { from, to, periodId: null, name: `${from} – ${to}` };
  }
  const from = `${today.slice(0, 4)}-01-01`;
  return { from, to: today, periodId: null, name: `${today.slice(0, 4)} 年初至今` };
}

export interface ScopeInfo {
  type: ScopeType;
  id: string;
  name: string;
  /** The unit the scope belongs to (the unit itself, or the unit of the staff member or item). */
  unitId: string;
}

/** Finds the scope and refuses callers confined to another subtree. */
export async function authorizeScope(
  db: Executor,
  actor: Actor | null,
  type: ScopeType,
  id: string,
  today: string,
): Promise<ScopeInfo> {
  let info: ScopeInfo;
  switch (type) {
    case 'subtree': {
      const name = (await registryTree.namesOn(db, [id], today)).get(id);
      if (name === undefined) throw new NotFound('unit', id);
      info = { type, id, name, unitId: id };
      break;
    }
    case 'staff': {
      const row = await registryStore.staffById(db, id);
      if (!row) throw new NotFound('staff member', id);
      info = { type, id, name: `${row.name}（${row.staffNo}）`, unitId: row.unitId };
      break;
    }
    case 'item': {
      const row = await registryStore.serviceItemById(db, id);
      if (!row) throw new NotFound('service item', id);
      info = { type, id, name: row.name, unitId: row.unitId };
      break;
    }
  }
  if (scopeRootOf(actor) !== null) {
    assertAncestryInScope(actor, info.unitId, await registryTree.ancestryInForce(db, info.unitId, today));
  }
  return info;
}

/** Reads the counts of one scope and period from the rollups and computes every statistic. */
export async function computeStatistics(
  db: Executor,
  scope: { type: ScopeType; id: string; name: string },
  period: PeriodRange,
  channel: Channel | null,
  goodFrom: number,
): Promise<StatisticsView> {
  const plan = planBuckets(period.from, period.to);
  const rows = await store.ratingCounts(db, scope.type, [scope.id], plan);
  const [activity] = await store.activityTotals(db, scope.type, [scope.id], plan);
  const totals = activity ?? { ...ZERO_ACTIVITY, scopeId: scope.id };
  const counts = countsFrom(rows, totals, channel);
  const byChannel = countsByChannel(rows);
  const statistics = ratingStatistics(counts, goodFrom);
  return {
    scope: { type: scope.type, id: scope.id, name: scope.name },
    period,
    channel,
    goodFrom,
    sampleSize: statistics.total,
    counts: {
      byLevel: counts.byLevel,
      defaultByLevel: counts.defaultByLevel,
      byChannel: channel ? { [channel]: byChannel[channel] ?? zeroLevels() } : byChannel,
      transactions: totals.transactions,
      activelyRated: totals.activelyRated,
      badCases: totals.badCases,
      replied: totals.replied,
      rectified: totals.rectified,
      judged: totals.judged,
      satisfied: totals.satisfied,
    },
    statistics,
  };
}

function requireRead(actor: Actor): void {
  if (!hasPermission(actor, 'ratings:read')) throw new Forbidden();
}

/** GET /api/statistics: one scope and period for the console. */
export async function getStatistics(
  deps: Deps,
  actor: Actor,
  query: StatisticsQuery,
): Promise<StatisticsView> {
  requireRead(actor);
  const db = deps.database.db;
  const today = chinaDate(deps.clock.now());
  const scope = await authorizeScope(db, actor, query.scopeType, query.scopeId, today);
  const period = await resolvePeriod(db, query, today);
  const config = await loadRatingsConfig(db);
  return computeStatistics(db, scope, period, query.channel ?? null, config.goodFrom);
}

// --- breakdown for the dashboard -----------------------------------------------------------------

const sumLevels = (levels: Record<Level, number>) => LEVELS.reduce((s, l) => s + levels[l], 0);

function point(bucket: string, byLevel: Record<Level, number>, goodFrom: number): TrendPoint {
  const stats = ratingStatistics(
    {
      byLevel,
      defaultByLevel: zeroLevels(),
      transactions: 0,
      activelyRated: 0,
      badCases: 0,
      replied: 0,
      calledBackAndRectified: 0,
      judged: 0,
      judgedSatisfied: 0,
    },
    goodFrom,
  );
  return {
    bucket,
    total: stats.total,
    byLevel,
    average: stats.average,
    goodRate: stats.goodRate.value,
    badRate: stats.badRate.value,
  };
}

async function ranked(
  db: Executor,
  type: ScopeType,
  entries: readonly { id: string; name: string; detail: string }[],
  plan: BucketPlan,
  channel: Channel | null,
  limit: number,
): Promise<RankedScope[]> {
  if (entries.length === 0) return [];
  const rows = await store.ratingTotals(
    db,
    type,
    entries.map((e) => e.id),
    plan,
    LEVELS.filter(isBadLevel),
    channel,
  );
  const totals = new Map(rows.map((r) => [r.scopeId, r]));
  return entries
    .map((e) => {
      const t = totals.get(e.id) ?? { total: 0, bad: 0 };
      return { ...e, total: t.total, bad: t.bad, badRate: proportion(t.bad, t.total) };
    })
    .filter((e) => e.total > 0)
    .sort(
      (a, b) =>
        b.bad - a.bad || (b.badRate.value ?? 0) - (a.badRate.value ?? 0) || a.name.localeCompare(b.name),
    )
    .slice(0, limit);
}

/** GET /api/statistics/breakdown: the trend, the channels, and where the bad reviews are. */
export async function getBreakdown(deps: Deps, actor: Actor, query: BreakdownQuery): Promise<BreakdownView> {
  requireRead(actor);
  const db = deps.database.db;
  const today = chinaDate(deps.clock.now());
  const scope = await authorizeScope(db, actor, query.scopeType, query.scopeId, today);
  const period = await resolvePeriod(db, query, today);
  const config = await loadRatingsConfig(db);
  const channel = query.channel ?? null;
  const grain = query.grain ?? 'month';
  if (grain === 'day' && addDays(period.from, 400) < period.to) {
    throw new Invalid('invalid_range', 'A daily trend covers at most 400 days; choose the monthly trend.', {
      field: 'grain',
    });
  }
  const plan = planBuckets(period.from, period.to);
  const trendPlan: BucketPlan =
    grain === 'day' ? { months: null, days: [{ from: period.from, to: period.to }] } : plan;
  const trendRows = await store.ratingCountsByBucket(db, scope.type, scope.id, trendPlan);
  const byBucket = new Map<string, Record<Level, number>>();
  const byChannel = new Map<string, Record<Level, number>>();
  for (const r of trendRows) {
    if (!(LEVELS as readonly number[]).includes(r.level)) continue;
    const channelLevels = byChannel.get(r.channel) ?? zeroLevels();
    channelLevels[r.level as Level] += r.n;
    byChannel.set(r.channel, channelLevels);
    if (channel && r.channel !== channel) continue;
    const bucket = grain === 'month' ? monthOf(r.bucket) : r.bucket;
    const levels = byBucket.get(bucket) ?? zeroLevels();
    levels[r.level as Level] += r.n;
    byBucket.set(bucket, levels);
  }
  const trend = [...byBucket.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([bucket, levels]) => point(bucket, levels, config.goodFrom));
  const channels = CHANNELS.filter((c) => byChannel.has(c)).map((c) => {
    const levels = byChannel.get(c) ?? zeroLevels();
    return { channel: c, name: CHANNEL_NAMES[c], total: sumLevels(levels), byLevel: levels };
  });
  const limit = query.limit ?? 10;
  let children: RankedScope[] = [];
  let windows: RankedScope[] = [];
  let staff: RankedScope[] = [];
  if (scope.type === 'subtree') {
    // The tree of the period's last day (today for a period still running), as statistics count it.
    const treeDay = period.to < today ? period.to : today;
    const units = new Map((await registryTree.treeOn(db, treeDay)).inForce().map((u) => [u.unitId, u]));
    const parents = new Map([...units.values()].map((u) => [u.unitId, u.parentId]));
    const subtree = subtreeOf(parents, scope.id);
    const entry = (u: registryTree.TreeUnit) => ({ id: u.unitId, name: u.name, detail: u.kind });
    const inSubtree = [...units.values()].filter((u) => subtree.has(u.unitId) && u.unitId !== scope.id);
    children = await ranked(
      db,
      'subtree',
      inSubtree.filter((u) => u.parentId === scope.id).map(entry),
      plan,
      channel,
      Number.MAX_SAFE_INTEGER,
    );
    windows = await ranked(
      db,
      'subtree',
      inSubtree.filter((u) => u.kind === 'window').map(entry),
      plan,
      channel,
      limit,
    );
    const people = await registryStore.listStaff(db, [...subtree]);
    staff = await ranked(
      db,
      'staff',
      people.map((p) => ({ id: p.id, name: p.name, detail: p.staffNo })),
      plan,
      channel,
      limit,
    );
  }
  return {
    scope: { type: scope.type, id: scope.id, name: scope.name },
    period,
    channel,
    grain,
    trend,
    channels,
    children,
    windows,
    staff,
  };
}

// --- spreadsheet export ----------------------------------------------------------------------------

const RATE_LABELS: [keyof RatingStatistics, string][] = [
  ['goodRate', '好评率'],
  ['badRate', '差评率'],
  ['unratedRate', '未评率'],
  ['activeGoodRate', '主动评价好评率'],
  ['replyRate', '差评回复率'],
  ['rectificationRate', '回访整改率'],
  ['rectificationSatisfactionRate', '回访整改满意率'],
];

/** GET /api/statistics/export.xlsx: the statistics and the breakdown as a workbook. */
export async function exportStatistics(deps: Deps, actor: Actor, query: BreakdownQuery): Promise<Buffer> {
  const stats = await getStatistics(deps, actor, query);
  const breakdown = await getBreakdown(deps, actor, { ...query, limit: query.limit ?? 50 });
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Minping';
  const summary = workbook.addWorksheet('概况');
  summary.columns = [
    { header: '指标', width: 22 },
    { header: '数值', width: 12 },
    { header: '分子', width: 10 },
    { header: '分母', width: 10 },
    { header: '95% 下限', width: 12 },
    { header: '95% 上限', width: 12 },
  ];
  summary.addRow(['范围', stats.scope.name]);
  summary.addRow(['期间', `${stats.period.from} – ${stats.period.to}`]);
  summary.addRow(['渠道', stats.channel ? CHANNEL_NAMES[stats.channel] : '全部']);
  summary.addRow(['样本量（计入的评价）', stats.sampleSize]);
  summary.addRow(['主动评价', stats.statistics.active]);
  summary.addRow(['默认评价', stats.statistics.defaults]);
  summary.addRow(['平均分', stats.statistics.average]);
  for (const level of LEVELS) summary.addRow([`★${level}`, stats.counts.byLevel[level]]);
  for (const [key, label] of RATE_LABELS) {
    const p = stats.statistics[key] as Proportion;
    summary.addRow([label, p.value, p.numerator, p.denominator, p.low, p.high]);
  }
  const trend = workbook.addWorksheet('趋势');
  trend.addRow(['期间', '评价数', '★5', '★4', '★3', '★2', '★1', '平均分', '好评率', '差评率']);
  for (const p of breakdown.trend) {
    trend.addRow([p.bucket, p.total, ...LEVELS.map((l) => p.byLevel[l]), p.average, p.goodRate, p.badRate]);
  }
  const channels = workbook.addWorksheet('渠道');
  channels.addRow(['渠道', '评价数', '★5', '★4', '★3', '★2', '★1']);
  for (const c of breakdown.channels) channels.addRow([c.name, c.total, ...LEVELS.map((l) => c.byLevel[l])]);
  for (const [title, list] of [
    ['下级单位', breakdown.children],
    ['窗口', breakdown.windows],
    ['人员', breakdown.staff],
  ] as const) {
    const sheet = workbook.addWorksheet(title);
    sheet.addRow(['名称', '类别/工号', '评价数', '差评数', '差评率']);
    for (const r of list) sheet.addRow([r.name, r.detail, r.total, r.bad, r.badRate.value]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// --- public ----------------------------------------------------------------------------------------

/** GET /api/public/units/:code/statistics: a unit's published figures; nothing about persons. */
export async function publicStatistics(
  deps: Deps,
  code: string,
  query: PeriodQuery,
): Promise<PublicStatisticsView> {
  const db = deps.database.db;
  const unit = await registryTree.unitByCodeOn(db, code, chinaDate(deps.clock.now()));
  if (!unit) throw new NotFound('unit', code);
  const today = chinaDate(deps.clock.now());
  const period = await resolvePeriod(db, query, today);
  const config = await loadRatingsConfig(db);
  const view = await computeStatistics(
    db,
    { type: 'subtree', id: unit.unitId, name: unit.name },
    period,
    null,
    config.goodFrom,
  );
  return {
    unit: { code: unit.code, name: unit.name },
    period: view.period,
    goodFrom: view.goodFrom,
    sampleSize: view.sampleSize,
    counts: view.counts,
    statistics: view.statistics,
  };
}
