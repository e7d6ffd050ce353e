/*
 * The demo's year of instant ratings (政务服务即时评) over 示范市: service transactions (办件) at its
 * windows, stations and online sections from DEMO_FIRST_DAY to DEMO_LAST_DAY, in business hours on the
 * working days of the official 2026 calendar (more on Mondays and after holidays), each with its service
 * item and staff member, a phone for a share of them, and — for most — a rating through a realistic mix
 * of channels. Four named windows are clearly worse than the rest, and one got better after mid-year.
 *
 * It is written in bulk but exactly as the real paths write it: rows built as prepareTransaction and the
 * ingest build them (same columns, scopes, digests, fraud checks and statuses), rollups merged in memory
 * through adjustRatingCounts / adjustActivityMany as recordTransactions and countRatings add them, default
 * ratings by the default sweep's own work, and every bad review counted at its moment by countRatings
 * itself, which opens its case (see cases/demo.ts for the walk through the case services and the sweeps).
 * The sweeps run every Monday morning rather than every minute, so a default rating is stamped up to a
 * week after it fell due (it counts on the day it fell due, as always). Everything random comes from a
 * seeded generator, so every load has the same numbers.
 */
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Actor } from '../core/auth/model.js';
import { actorLabel } from '../core/auth/model.js';
import { isWorkingDay, weekday, type WorkingCalendar } from '../core/calendar/model.js';
import { importOfficial } from '../core/calendar/service.js';
import { loadCalendar } from '../core/calendar/store.js';
import type { Deps } from '../core/context.js';
import type { DB } from '../core/db/schema.js';
import { canonicalJson, sha256Hex } from '../core/digest.js';
import { newId, randomUUID } from '../core/ids.js';
import { runAllSweeps } from '../core/sweeps.js';
import { addDays, chinaDate } from '../core/time.js';
import {
  caseCounts,
  caseStories,
  chinaInstant,
  depsAt,
  sweepTicks,
  walkDemoCases,
  type CaseStory,
  type DemoBadRating,
  type StoryKind,
} from '../cases/demo.js';
import { loadCasesConfig } from '../cases/service.js';
import { caseSweeps } from '../cases/sweeps.js';
import { seededRandom } from '../registry/demo.js';
import {
  GIVEN_FEMALE,
  GIVEN_FIRST_FEMALE,
  GIVEN_FIRST_MALE,
  GIVEN_MALE,
  SURNAMES,
} from '../registry/demo-names.js';
import * as registryTree from '../registry/tree.js';
import { addressDigest, addressSalt, loadRatingsConfig } from './config.js';
import {
  AT_WINDOW_CHANNELS,
  chinaMinuteOfDay,
  commentFingerprint,
  fraudFlags,
  isBadLevel,
  monthStartsBetween,
  ratingProblems,
  type Channel,
  type Level,
  type RatingsSettings,
  settingsForUnit,
  type ServiceMode,
} from './model.js';
import { parseScopes, scopesFor, type ActivityDelta } from './rollups.js';
import { adjustActivityMany, adjustRatingCounts } from './store.js';
import { createDevice } from './service.js';
import * as store from './store.js';
import { applyDefaultRatings, ensureRatingPartitions, ratingSweeps } from './sweeps.js';

/** The demo year: transactions from the first day to the last, and “today” at 18:00 China time on the last. */
export const DEMO_FIRST_DAY = '2025-12-01';
export const DEMO_LAST_DAY = '2026-11-20';
export const DEMO_NOW = '2026-11-20T10:00:00.000Z';

/** Transactions in the demo year at scale 1. */
export const DEMO_TRANSACTIONS = 60_000;

const DEMO_SEED = 20_261_120;

/** The windows the public rates clearly worse, with the bad-review options their raters pick most. */
export const DEMO_WORSE_WINDOWS: readonly { code: string; typical: readonly string[] }[] = [
  { code: 'SFS-D37-S01-W02', typical: ['多次跑动', '未一次性告知', '推诿扯皮（推）'] },
  { code: 'SFS-D06-S04-Z01-W01', typical: ['推诿扯皮（推）', '等候时间过长', '多次跑动'] },
  { code: 'SFS-Q04-Z01-W02', typical: ['态度冷漠（冷）', '推诿扯皮（推）', '等候时间过长'] },
  { code: 'SFS-D22-S01-W04', typical: ['多次跑动', '重复提交材料', '态度冷漠（冷）'] },
];

/** A window that was as bad until the end of June 2026 and then put things right. */
export const DEMO_IMPROVED_WINDOW = 'SFS-D10-S02-W03';
const IMPROVED_FROM = '2026-07-01';

export interface RatingsDemoOptions {
  /** Multiplies the volume of transactions and ratings (1: about 60,000 transactions); the planted stories stay. */
  scale?: number;
}

export interface RatingsDemo {
  from: string;
  to: string;
  now: string;
  servicePoints: number;
  devices: number;
  /** The windows rated clearly worse, as 'station or section · window'. */
  worseWindows: string[];
  transactions: number;
  /** Every stored rating: counted (active and default), held for review, and removed on appeal. */
  ratings: number;
  active: number;
  defaults: number;
  /** Ratings without a transaction (码上评 posters and the web form). */
  general: number;
  held: number;
  removed: number;
  /** Transactions without any rating yet (recent ones, still within the days before a default). */
  unrated: number;
  cases: {
    total: number;
    open: number;
    closed: number;
    dismissed: number;
    overdue: number;
    byState: Record<string, number>;
  };
  warnings: Record<1 | 2 | 3, number>;
  /** Seconds spent in each phase. */
  timings: Record<string, number>;
}

// --- randomness ---------------------------------------------------------------------------------

class Dice {
  constructor(readonly rng: () => number) {}

  int(min: number, max: number): number {
    return min + Math.floor(this.rng() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.rng() < p;
  }

  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new Error('pick from an empty list');
    return list[Math.floor(this.rng() * list.length)] as T;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.rng() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (!last) throw new Error('weighted pick from an empty list');
    return last[0];
  }

  /** Poisson-distributed count (Knuth; the means here are small). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.rng();
    while (p > limit) {
      k += 1;
      p *= this.rng();
    }
    return k;
  }

  /** Log-uniform between two positive numbers: many short delays, a few long ones. */
  logUniform(min: number, max: number): number {
    return Math.exp(Math.log(min) + this.rng() * (Math.log(max) - Math.log(min)));
  }

  hex(bytes: number): string {
    let out = '';
    for (let i = 0; i < bytes; i++)
      out += Math.floor(this.rng() * 256)
        .toString(16)
        .padStart(2, '0');
    return out;
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const dayNames = new Map<number, string>();

/** The China date of an instant (ms) as chinaDate gives it, remembered per day: the generator asks often. */
function chinaDay(ms: number): string {
  const index = Math.floor((ms + 8 * HOUR) / DAY);
  let name = dayNames.get(index);
  if (name === undefined) {
    name = chinaDate(new Date(ms));
    dayNames.set(index, name);
  }
  return name;
}

// --- the registry as the demo uses it ------------------------------------------------------------

type Profile = 'good' | 'fair' | 'worse' | 'improved';

interface Point {
  unitId: string;
  code: string;
  name: string;
  mode: ServiceMode;
  chain: string[];
  weight: number;
  items: { id: string; name: string }[];
  staff: { id: string; name: string }[];
  device: { id: string; channel: 'window_device' | 'self_service' } | null;
  profile: Profile;
  typical: readonly string[];
  rateShare: number;
}

/** How busy a counter is, by the kind of its name. */
const WEIGHTS: readonly [RegExp, number][] = [
  [/综合受理窗口/, 3.2],
  [/不动产登记窗口|房产交易窗口|登记窗口$/, 2.6],
  [/机动车登记|驾驶证/, 2.6],
  [/社保经办|医保经办|养老保险|公积金业务|办税服务厅/, 2.4],
  [/出入境/, 2.2],
  [/企业开办专窗|企业登记窗口/, 2.2],
  [/营业厅窗口|营业所窗口|公交卡/, 2.0],
  [/户籍窗口/, 1.8],
  [/自助/, 1.5],
  [/便民服务中心$/, 1.4],
  [/税务分局$/, 1.2],
  [/婚姻|结婚|离婚/, 1.1],
  [/市场监管所$/, 0.8],
  [/派出所$/, 0.5],
  [/殡|救助/, 0.3],
  [/社区服务站$|村便民服务站$/, 0.35],
  [/执法|监察/, 0.15],
];

function weightOf(name: string): number {
  return WEIGHTS.find(([re]) => re.test(name))?.[1] ?? 0.9;
}

const HEAD = /负责人|长$|主任$/;

async function loadPoints(
  deps: Deps,
  dice: Dice,
): Promise<{ points: Point[]; byCode: Map<string, Point>; names: Map<string, string> }> {
  const db = deps.database.db;
  // The tree must stand still over the demo year: ancestry is taken once per unit.
  const changed = await db
    .selectFrom('unitVersions')
    .select('id')
    .where('validFrom', '>', DEMO_FIRST_DAY)
    .where('validFrom', '<=', DEMO_LAST_DAY)
    .limit(1)
    .execute();
  if (changed.length > 0) throw new Error('demo ratings: the registry changes within the demo year');
  const units = (await registryTree.treeOn(db, DEMO_FIRST_DAY))
    .inForce()
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  const withWindows = new Set(units.filter((u) => u.kind === 'window').map((u) => u.parentId));
  const items = await db
    .selectFrom('serviceItems')
    .select(['id', 'unitId', 'name', 'mode'])
    .where('active', '=', 1)
    .orderBy('code')
    .execute();
  const staff = await db
    .selectFrom('staff')
    .select(['id', 'unitId', 'name', 'position'])
    .where('active', '=', 1)
    .orderBy('staffNo')
    .execute();
  const itemsOf = new Map<string, typeof items>();
  for (const i of items) itemsOf.set(i.unitId, [...(itemsOf.get(i.unitId) ?? []), i]);
  const staffOf = new Map<string, typeof staff>();
  for (const s of staff) staffOf.set(s.unitId, [...(staffOf.get(s.unitId) ?? []), s]);
  const worse = new Map(DEMO_WORSE_WINDOWS.map((w) => [w.code, w.typical]));

  const points: Point[] = [];
  for (const u of units) {
    const offline = u.kind === 'window' || (u.kind === 'station' && !withWindows.has(u.unitId));
    const onlineItems = (itemsOf.get(u.unitId) ?? []).filter((i) => i.mode !== 'offline');
    const online = u.kind === 'section' && onlineItems.length > 0;
    if (!offline && !online) continue;
    const chain = await registryTree.ancestryInForce(db, u.unitId, DEMO_FIRST_DAY);
    if (chain.length === 0) continue;
    let candidates: { id: string; name: string }[] = [];
    if (online) candidates = onlineItems;
    else {
      for (const unitId of chain.slice(0, 3)) {
        candidates = (itemsOf.get(unitId) ?? []).filter((i) => i.mode !== 'online');
        if (candidates.length > 0) break;
      }
    }
    const people = staffOf.get(u.unitId) ?? [];
    const workers = people.filter((p) => !HEAD.test(p.position));
    const profile: Profile = worse.has(u.code)
      ? 'worse'
      : u.code === DEMO_IMPROVED_WINDOW
        ? 'improved'
        : dice.chance(0.1)
          ? 'fair'
          : 'good';
    points.push({
      unitId: u.unitId,
      code: u.code,
      name: u.name,
      mode: online ? 'online' : 'offline',
      chain,
      weight: online ? 0.6 + dice.rng() * 1.2 : weightOf(u.name) * (0.75 + dice.rng() * 0.5),
      items: candidates.map((i) => ({ id: i.id, name: i.name })),
      staff: (workers.length > 0 ? workers : people).map((p) => ({ id: p.id, name: p.name })),
      device: null,
      profile,
      typical: worse.get(u.code) ?? (profile === 'improved' ? ['等候时间过长', '态度冷漠（冷）'] : []),
      rateShare: /社区服务站$|村便民服务站$/.test(u.name) ? 0.76 : online ? 0.8 : 0.86,
    });
  }
  for (const code of [...worse.keys(), DEMO_IMPROVED_WINDOW]) {
    if (!points.some((p) => p.code === code)) throw new Error(`demo ratings: window ${code} missing`);
  }
  return {
    points,
    byCode: new Map(points.map((p) => [p.code, p])),
    names: new Map(units.map((u) => [u.unitId, u.name])),
  };
}

/** Rating devices at the counters (self-service terminals in the self-service areas), registered by the office. */
async function registerDevices(deps: Deps, actor: Actor, points: readonly Point[]): Promise<number> {
  let n = 0;
  for (const p of points) {
    if (p.mode !== 'offline' || /社区服务站$|村便民服务站$|执法|监察/.test(p.name)) continue;
    const selfService = p.name.includes('自助');
    const at = depsAt(deps, Date.parse('2025-11-24T01:00:00.000Z') + n * 37_000);
    const { device } = await createDevice(at, actor, {
      unitId: p.unitId,
      kind: selfService ? 'self_service' : 'rating_device',
      name: `${p.name}${selfService ? '自助终端' : '评价器'}`,
    });
    p.device = { id: device.id, channel: selfService ? 'self_service' : 'window_device' };
    n += 1;
  }
  return n;
}

// --- what people write ------------------------------------------------------------------------------

const GOOD_OFFLINE_CORES = [
  '工作人员很耐心，一次就办好了',
  '材料齐全十分钟就办完，效率很高',
  '{staff}讲解很清楚',
  '不用跑第二趟',
  '提前网上预约，到现场直接办理，很方便',
  '环境整洁，引导员主动帮忙取号',
  '办理{item}比想象中快多了',
  '帮办代办服务很贴心，老人家也能办',
  '午休时间也有人值班',
  '一窗受理，省心省力',
  '工作人员态度热情，解答耐心细致',
  '{staff}主动帮我把材料补齐',
  '排队不到十分钟',
];
const GOOD_ONLINE_CORES = [
  '全程网办，没跑一次腿',
  '线上提交后两天就审核通过了',
  '页面指引清楚，操作简单',
  '{item}在手机上就办好了',
  '材料上传后很快就有人审核',
  '进度随时能查，很透明',
];
const GOOD_ONLINE_PREFIXES = ['', '', '', '在网上办{item}，', '第一次在网上办事，', '用手机办的，'];
const GOOD_PREFIXES = [
  '',
  '',
  '',
  '今天来办{item}，',
  '第一次来办事，',
  '带父母来办业务，',
  '上午请假来办，',
];
const GOOD_SUFFIXES = ['', '', '，点赞！', '，谢谢！', '，给个好评。', '，值得表扬。', '，服务越来越好了。'];
const BASIC_CORES = [
  '等候时间有点长，排了四十多分钟',
  '整体还行，就是叫号系统不太准',
  '需要的材料清单网上写得不够清楚',
  '停车不方便',
  '办是办好了，流程还能再简化',
  '窗口开得少，人多的时候要等',
  '办事指南和窗口说法有点出入',
];
const BASIC_ONLINE_CORES = ['系统有点卡，提交了两次才成功', '办事指南写得不够详细', '上传照片老是失败'];
const BAD_CORES: Record<string, string[]> = {
  '推诿扯皮（推）': [
    '问了三个窗口，都说不归他们管，来回推',
    '窗口说要找科室，科室又让回窗口，推来推去',
    '同一件事被支去两个部门，没人负责',
  ],
  多次跑动: [
    '材料一次没说清楚，已经跑了三趟了',
    '第一次说缺户口本，第二次又说要证明，跑了好几次',
    '网上说可以一次办好，结果还要再跑一趟',
  ],
  '态度冷漠（冷）': [
    '工作人员一直玩手机，问话爱答不理',
    '态度很差，问两句就不耐烦',
    '说话很冲，让人很不舒服',
  ],
  等候时间过长: ['排了两个多小时，只开了一个窗口', '中午没人值班，白等一个小时'],
  '办事拖拉（懒）': ['说好三个工作日办结，半个月了还没消息'],
  重复提交材料: ['同样的材料交了两遍，系统里明明有'],
  未一次性告知: ['没有一次性告知需要哪些材料'],
  '收费不规范（乱）': ['说是免费的，结果让去旁边打印店花钱复印'],
  系统不稳定: ['系统老是提示错误，打电话也没人接'],
  材料反复退回: ['材料被退回三次，每次理由都不一样'],
  需线下跑动: ['网上办到最后还是要去现场'],
  审核慢: ['提交一周了还在审核中'],
  咨询无人回复: ['在线咨询两天没人回复'],
};
const BAD_GENERIC = ['办事太难了', '体验很差，希望改进', '办个{item}折腾了一上午'];
const BAD_PREFIXES = ['', '', '办{item}，', '今天来办事，', '第二次来了，'];
const BAD_ONLINE_PREFIXES = ['', '', '网上办{item}，', '第二次提交了，'];
const BAD_SUFFIXES = ['', '。', '！', '，希望改进。', '，太让人失望了。', '，请领导重视。'];

// --- the generator -------------------------------------------------------------------------------

/** Five-minute slots of the opening hours, with how busy each is. */
const COUNTER_SLOTS: readonly (readonly [number, number])[] = [
  ...Array.from({ length: 42 }, (_, i) => 8 * 60 + 30 + i * 5).map(
    (m) => [m, m >= 9 * 60 && m < 10 * 60 + 30 ? 1.7 : 1.25] as const,
  ),
  ...Array.from({ length: 48 }, (_, i) => 13 * 60 + 30 + i * 5).map(
    (m) => [m, m >= 14 * 60 + 30 && m < 16 * 60 ? 1.2 : 0.95] as const,
  ),
];

/** The address a hall's registered terminals send from (their network, one per station or section). */
function hallAddress(p: Point): string {
  return `hall:${p.chain[1] ?? p.unitId}`;
}

interface TransactionDraft {
  point: Point;
  item: { id: string; name: string } | null;
  staff: { id: string; name: string } | null;
  receivedAt: number;
  completedAt: number;
  createdAt: number;
  contactName: string;
  contactPhone: string;
  row: store.TransactionRow | null;
}

interface RatingDraft {
  at: number;
  point: Point;
  transaction: TransactionDraft | null;
  mode: ServiceMode;
  level: Level;
  tags: string[];
  dimensions: Record<string, number>;
  comment: string;
  channel: Exclude<Channel, 'default'>;
  deviceId: string;
  registered: boolean;
  /** The client address as the server sees it: a carrier address, or the hall's network for its terminals. */
  address: string;
  flags: string[];
  story: CaseStory | null;
  row: store.RatingRow | null;
}

/** Level probabilities (★5 … ★1) per profile. */
const LEVEL_ODDS: Record<Exclude<Profile, 'improved'>, readonly number[]> = {
  good: [0.759, 0.182, 0.0555, 0.0024, 0.0011],
  fair: [0.7, 0.2, 0.088, 0.0078, 0.0042],
  worse: [0.44, 0.22, 0.19, 0.085, 0.065],
};

class Generator {
  readonly transactions: TransactionDraft[] = [];
  readonly ratings: RatingDraft[] = [];
  private readonly offline: Point[];
  private readonly online: Point[];

  constructor(
    readonly dice: Dice,
    readonly points: readonly Point[],
    readonly calendar: WorkingCalendar,
    readonly config: RatingsSettings,
    readonly now: number,
  ) {
    this.offline = points.filter((p) => p.mode === 'offline');
    this.online = points.filter((p) => p.mode === 'online');
  }

  // --- days ---

  /** How busy a working day is: Mondays, the days after a break, the weeks before the Spring Festival. */
  dayFactor(day: string): number {
    if (!isWorkingDay(day, this.calendar)) return 0;
    const dow = weekday(day);
    let f = [0.8, 1.32, 1.1, 1.0, 0.95, 0.88, 0.8][dow] ?? 1;
    let off = 0;
    for (let d = addDays(day, -1); !isWorkingDay(d, this.calendar) && off < 10; d = addDays(d, -1)) off += 1;
    if (off >= 3) f *= 1.55;
    else if (off === 0) {
      let prevOff = 0;
      const prev = addDays(day, -1);
      for (let d = addDays(prev, -1); !isWorkingDay(d, this.calendar) && prevOff < 10; d = addDays(d, -1))
        prevOff += 1;
      if (prevOff >= 3) f *= 1.2;
    }
    const month = Number(day.slice(5, 7));
    f *= [1.08, 0.92, 1.12, 1.0, 1.0, 1.04, 0.94, 0.9, 1.02, 0.98, 1.0, 1.05][month - 1] ?? 1;
    return f;
  }

  // --- people ---

  personName(): string {
    const surname = SURNAMES[Math.floor(Math.pow(this.dice.rng(), 1.8) * SURNAMES.length)] ?? '王';
    const female = this.dice.chance(0.5);
    if (this.dice.chance(0.45)) return surname + (female ? '女士' : '先生');
    const last = this.dice.pick(female ? GIVEN_FEMALE : GIVEN_MALE);
    if (this.dice.chance(0.3)) return surname + last;
    return surname + this.dice.pick(female ? GIVEN_FIRST_FEMALE : GIVEN_FIRST_MALE) + last;
  }

  /** A fictional mobile number in the 138 range. */
  phone(): string {
    return `138${String(this.dice.int(0, 99_999_999)).padStart(8, '0')}`;
  }

  /** A browser cookie (what the rating page sets) and a carrier address. */
  visitor(): { deviceId: string; ip: string } {
    const ip = `${this.dice.pick([112, 113, 115, 117, 183, 223, 36, 39])}.${this.dice.int(0, 255)}.${this.dice.int(0, 255)}.${this.dice.int(1, 254)}`;
    return { deviceId: Buffer.from(this.dice.hex(32), 'hex').toString('base64url'), ip };
  }

  // --- transactions ---

  /** Completion minutes of `n` transactions at one counter: 5-minute slots, busier mid-morning and mid-afternoon. */
  counterMinutes(n: number): number[] {
    if (n === 0) return [];
    const slots = COUNTER_SLOTS.map(([m, w]) => [m, w] as [number, number]);
    const chosen: number[] = [];
    for (let i = 0; i < n && slots.length > 0; i++) {
      const total = slots.reduce((s, [, w]) => s + w, 0);
      let r = this.dice.rng() * total;
      let index = slots.length - 1;
      for (let j = 0; j < slots.length; j++) {
        r -= (slots[j] as [number, number])[1];
        if (r < 0) {
          index = j;
          break;
        }
      }
      const [minute] = slots.splice(index, 1)[0] as [number, number];
      chosen.push(minute + this.dice.int(0, 4));
    }
    return chosen.sort((a, b) => a - b);
  }

  run(scale: number): void {
    const days: string[] = [];
    for (let d = DEMO_FIRST_DAY; d <= DEMO_LAST_DAY; d = addDays(d, 1)) days.push(d);
    const factors = days.map((d) => this.dayFactor(d));
    const factorSum = factors.reduce((s, f) => s + f, 0);
    const perDay = (DEMO_TRANSACTIONS * scale) / factorSum;
    const offlineWeight = this.offline.reduce((s, p) => s + p.weight, 0);
    const onlineWeight = this.online.reduce((s, p) => s + p.weight, 0);
    for (const [i, day] of days.entries()) {
      const factor = factors[i] ?? 0;
      if (factor === 0) continue;
      for (const p of this.offline) {
        const n = this.dice.poisson((perDay * factor * 0.82 * p.weight) / offlineWeight);
        if (n === 0) continue;
        const onDuty = this.onDuty(p);
        for (const minute of this.counterMinutes(n)) this.transaction(p, day, minute, onDuty);
      }
      for (const p of this.online) {
        const n = this.dice.poisson((perDay * factor * 0.18 * p.weight) / onlineWeight);
        if (n === 0) continue;
        const onDuty = this.onDuty(p);
        for (let k = 0; k < n; k++) this.transaction(p, day, 8 * 60 + 40 + this.dice.int(0, 550), onDuty);
      }
    }
    this.general(Math.round(DEMO_TRANSACTIONS * scale * 0.025));
  }

  /** The staff member who serves at a counter (or handles a section's online applications) on a day. */
  onDuty(p: Point): { id: string; name: string } | null {
    return p.staff.length > 0 ? this.dice.pick(p.staff) : null;
  }

  transaction(
    p: Point,
    day: string,
    minute: number,
    onDuty: { id: string; name: string } | null,
    story?: CaseStory,
  ): TransactionDraft {
    const completedAt = chinaInstant(day, minute).getTime();
    const named = story ? story.named : this.dice.chance(p.mode === 'online' ? 0.6 : 0.28);
    const t: TransactionDraft = {
      point: p,
      item: p.items.length > 0 && this.dice.chance(0.93) ? this.dice.pick(p.items) : null,
      // Mostly whoever is on duty that day; a colleague stands in now and then.
      staff: onDuty && this.dice.chance(0.8) ? onDuty : this.onDuty(p),
      receivedAt:
        p.mode === 'online'
          ? completedAt - this.dice.int(6 * 60, 5 * 24 * 60) * MINUTE
          : completedAt - this.dice.int(3, 25) * MINUTE,
      completedAt,
      // The hall's system records it a few seconds after completion (online: within minutes).
      createdAt: completedAt + (p.mode === 'online' ? this.dice.int(60, 600) : this.dice.int(5, 40)) * 1000,
      contactName: named ? this.personName() : '',
      contactPhone: named ? this.phone() : '',
      row: null,
    };
    this.transactions.push(t);
    if (story) this.storyRating(t, story);
    else if (this.dice.chance(p.rateShare)) this.rate(t);
    return t;
  }

  private channelFor(t: TransactionDraft): Exclude<Channel, 'default'> {
    const p = t.point;
    let channel: Exclude<Channel, 'default'>;
    if (p.mode === 'online') {
      channel = this.dice.weighted([
        ['web', 0.42],
        ['mobile_h5', 0.4],
        ['sms_link', 0.18],
      ] as const);
    } else if (p.device) {
      channel = this.dice.weighted([
        [p.device.channel, p.device.channel === 'self_service' ? 0.58 : 0.52],
        ['qr_code', 0.12],
        ['sms_link', 0.16],
        ['mobile_h5', 0.13],
        ['web', 0.07],
      ] as const);
    } else {
      channel = this.dice.weighted([
        ['qr_code', 0.42],
        ['sms_link', 0.26],
        ['mobile_h5', 0.24],
        ['web', 0.08],
      ] as const);
    }
    // The rating SMS goes to the phone left with the transaction.
    if (channel === 'sms_link' && t.contactPhone === '') channel = 'mobile_h5';
    return channel;
  }

  /** When the rating comes after the service, by channel (minutes). */
  private delay(channel: Channel): number {
    switch (channel) {
      case 'window_device':
      case 'self_service':
        return this.dice.int(20, 240) / 60;
      case 'qr_code':
        return this.dice.int(1, 20);
      case 'mobile_h5':
        return this.dice.logUniform(5, 30 * 60);
      case 'sms_link':
        return this.dice.logUniform(3, 72 * 60);
      case 'web':
      case 'hotline':
      case 'default':
        return this.dice.logUniform(30, 120 * 60);
    }
  }

  rate(t: TransactionDraft): void {
    const channel = this.channelFor(t);
    let at = t.completedAt + this.delay(channel) * MINUTE;
    // Late ratings come in waking hours.
    const minute = chinaMinuteOfDay(new Date(at));
    if (minute < 7 * 60) at += (7 * 60 - minute + this.dice.int(0, 120)) * MINUTE;
    at = Math.max(at, t.createdAt + this.dice.int(5, 60) * 1000);
    const due = t.createdAt + this.config.defaultAfterDays * DAY;
    if (at >= due - 10 * MINUTE || at > this.now) return;
    const day = chinaDay(at);
    const level = this.level(t.point, day, channel);
    const visitor = this.visitor();
    const registered = channel === 'window_device' || channel === 'self_service';
    this.ratings.push({
      at,
      point: t.point,
      transaction: t,
      mode: t.point.mode,
      level,
      ...this.content(t.point, t.point.mode, level, t.item?.name ?? null, t.staff?.name ?? null),
      channel,
      deviceId: registered && t.point.device ? t.point.device.id : visitor.deviceId,
      registered,
      address: registered ? hallAddress(t.point) : visitor.ip,
      flags: [],
      story: null,
      row: null,
    });
  }

  private storyRating(t: TransactionDraft, story: CaseStory): void {
    const visitor = this.visitor();
    this.ratings.push({
      at: chinaInstant(story.day, story.minute).getTime(),
      point: t.point,
      transaction: t,
      mode: 'offline',
      level: story.level,
      tags: [...story.tags],
      dimensions: {},
      comment: story.comment,
      channel: story.named ? 'sms_link' : 'mobile_h5',
      deviceId: visitor.deviceId,
      registered: false,
      address: visitor.ip,
      flags: [],
      story,
      row: null,
    });
  }

  level(p: Point, day: string, channel: Channel): Level {
    const profile: Exclude<Profile, 'improved'> =
      p.profile === 'improved'
        ? day < IMPROVED_FROM
          ? 'worse'
          : day < '2026-08-01'
            ? 'fair'
            : 'good'
        : p.profile;
    const odds = [...LEVEL_ODDS[profile]];
    // People are less outspoken in front of the clerk than on their phone at home.
    const candour =
      channel === 'window_device' || channel === 'self_service' ? 0.75 : channel === 'qr_code' ? 1 : 1.25;
    odds[3] = (odds[3] ?? 0) * candour;
    odds[4] = (odds[4] ?? 0) * candour;
    odds[0] = 1 - (odds[1] ?? 0) - (odds[2] ?? 0) - (odds[3] ?? 0) - (odds[4] ?? 0);
    return this.dice.weighted(([5, 4, 3, 2, 1] as const).map((l, i) => [l, odds[i] ?? 0] as const));
  }

  content(
    p: Point,
    mode: ServiceMode,
    level: Level,
    item: string | null,
    staff: string | null,
  ): { tags: string[]; dimensions: Record<string, number>; comment: string } {
    const d = this.dice;
    const catalogue = settingsForUnit(this.config, p.chain).tags[mode][level];
    const tags: string[] = [];
    if (isBadLevel(level)) {
      const typical = p.typical.filter((t) => catalogue.includes(t));
      const n = d.chance(0.92)
        ? d.weighted([
            [1, 0.55],
            [2, 0.35],
            [3, 0.1],
          ] as const)
        : 0;
      while (tags.length < n) {
        const tag = typical.length > 0 && d.chance(0.75) ? d.pick(typical) : d.pick(catalogue);
        if (!tags.includes(tag)) tags.push(tag);
      }
    } else if (d.chance(level === 3 ? 0.62 : 0.55)) {
      const n = level === 3 || d.chance(0.7) ? 1 : 2;
      while (tags.length < Math.min(n, catalogue.length)) {
        const tag = d.pick(catalogue);
        if (!tags.includes(tag)) tags.push(tag);
      }
    }
    const dimensions: Record<string, number> = {};
    if (d.chance(0.3)) {
      const keys =
        mode === 'online'
          ? ['attitude', 'efficiency', 'guidance']
          : ['attitude', 'efficiency', 'guidance', 'environment'];
      for (const k of keys) dimensions[k] = Math.min(5, Math.max(1, level + d.pick([-1, 0, 0, 0, 0, 1])));
    }
    const fill = (text: string) =>
      text
        .replaceAll('{item}', item ?? '业务')
        .replaceAll('{staff}', staff ? `窗口的${[...staff][0] ?? ''}老师` : '窗口工作人员');
    let comment = '';
    if (isBadLevel(level)) {
      if (d.chance(0.78)) {
        const tag = tags.find((t) => BAD_CORES[t]);
        const core = tag ? d.pick(BAD_CORES[tag] ?? BAD_GENERIC) : d.pick(BAD_GENERIC);
        const prefix = d.pick(mode === 'online' ? BAD_ONLINE_PREFIXES : BAD_PREFIXES);
        comment = fill(prefix + core + d.pick(BAD_SUFFIXES));
      }
    } else if (level === 3) {
      if (d.chance(0.35)) comment = fill(d.pick(mode === 'online' ? BASIC_ONLINE_CORES : BASIC_CORES));
    } else if (d.chance(level === 5 ? 0.2 : 0.16)) {
      const core = d.pick(mode === 'online' ? GOOD_ONLINE_CORES : GOOD_OFFLINE_CORES);
      const prefix = d.pick(mode === 'online' ? GOOD_ONLINE_PREFIXES : GOOD_PREFIXES);
      comment = fill(prefix + core + d.pick(GOOD_SUFFIXES));
    }
    return { tags, dimensions, comment };
  }

  // --- ratings without a transaction ---

  /** 码上评 posters (QR code, at the window in opening hours) and the web form, at the counters. */
  general(n: number): void {
    const counters = this.offline.filter((p) => p.device !== null);
    const weights = counters.map((p) => [p, p.weight] as const);
    const first = chinaInstant(DEMO_FIRST_DAY, 0).getTime();
    for (let i = 0; i < n; i++) {
      const p = this.dice.weighted(weights);
      const poster = this.dice.chance(0.6);
      let at: number;
      if (poster) {
        let day = addDays(DEMO_FIRST_DAY, this.dice.int(0, 354));
        while (!isWorkingDay(day, this.calendar)) day = addDays(day, 1);
        at = chinaInstant(day, this.dice.pick(this.counterMinutes(1))).getTime();
      } else {
        at = first + this.dice.int(0, 354) * DAY + this.dice.int(8 * 60, 22 * 60 + 50) * MINUTE;
      }
      if (at > this.now) continue;
      const channel = poster ? 'qr_code' : 'web';
      const level = this.level(p, chinaDay(at), channel);
      this.unitRating(p, at, channel, level, this.content(p, 'offline', level, null, null));
    }
  }

  unitRating(
    p: Point,
    at: number,
    channel: Exclude<Channel, 'default'>,
    level: Level,
    content: { tags: string[]; dimensions: Record<string, number>; comment: string },
    who?: { deviceId: string; ip: string },
  ): void {
    const registered = channel === 'window_device' || channel === 'self_service';
    const visitor = who ?? this.visitor();
    this.ratings.push({
      at,
      point: p,
      transaction: null,
      mode: 'offline',
      level,
      ...content,
      channel,
      deviceId: registered && p.device ? p.device.id : visitor.deviceId,
      registered,
      address: registered ? hallAddress(p) : visitor.ip,
      flags: [],
      story: null,
      row: null,
    });
  }

  /** Attempts the fraud checks are there for; the ingest's rules hold most of them for review. */
  suspicious(byCode: ReadonlyMap<string, Point>): void {
    const point = (code: string) => {
      const p = byCode.get(code);
      if (!p) throw new Error(`demo ratings: unit ${code} missing`);
      return p;
    };
    const nextDay = (from: string, working: boolean) => {
      let day = from;
      while (isWorkingDay(day, this.calendar) !== working) day = addDays(day, 1);
      return day;
    };
    const plain = { tags: ['服务态度热情'], dimensions: {}, comment: '' };
    // A counter pads its score on its own rating device: eight 5-star ratings in seven minutes.
    const padded = point('SFS-D28-Z01-W03');
    const padDay = nextDay('2026-09-08', true);
    for (let i = 0; i < 8; i++) {
      this.unitRating(
        padded,
        chinaInstant(padDay, 16 * 60 + 51).getTime() + i * 55_000,
        padded.device?.channel ?? 'window_device',
        5,
        plain,
      );
    }
    // The same praise, word for word, from four phones on one day.
    const praised = point('SFS-D32-S01-W01');
    const praiseDay = nextDay('2026-07-16', true);
    for (let i = 0; i < 4; i++) {
      this.unitRating(praised, chinaInstant(praiseDay, 10 * 60 + i * 83).getTime(), 'web', 5, {
        tags: ['办事效率高'],
        dimensions: {},
        comment: '窗口人员服务态度好，效率高，点赞！',
      });
    }
    // Poster ratings from home at night on a weekend, long after the hall closed.
    const poster = point('SFS-Q01-Z01-W01');
    const sat = nextDay('2026-10-17', false);
    this.unitRating(poster, chinaInstant(sat, 22 * 60 + 41).getTime(), 'qr_code', 1, {
      tags: ['等候时间过长'],
      dimensions: {},
      comment: '周末来了大门紧闭，网上也没写清楚',
    });
    this.unitRating(
      poster,
      chinaInstant(nextDay('2026-11-08', false), 23 * 60 + 5).getTime(),
      'qr_code',
      5,
      plain,
    );
    // Seven 5-star web ratings for a window with a poor record, from one address within eight minutes.
    const worse = point('SFS-D22-S01-W04');
    const office = this.visitor().ip;
    for (let i = 0; i < 7; i++) {
      this.unitRating(
        worse,
        chinaInstant('2026-11-18', 20 * 60 + 10).getTime() + i * 70_000,
        'web',
        5,
        plain,
        {
          deviceId: this.visitor().deviceId,
          ip: office,
        },
      );
    }
  }
}

// --- rows --------------------------------------------------------------------------------------------

/** Decides each rating's fraud flags in time order, with the counts the ingest reads for each batch. */
function applyFraudChecks(ratings: RatingDraft[], config: RatingsSettings, calendar: WorkingCalendar): void {
  const rules = config.fraud;
  const windowMs = rules.burstWindowMinutes * MINUTE;
  const byDevice = new Map<string, number[]>();
  const byAddress = new Map<string, number[]>();
  const byComment = new Map<string, number>();
  const recent = (times: readonly number[] | undefined, since: number) => {
    if (!times) return 0;
    let n = 0;
    for (let i = times.length - 1; i >= 0 && (times[i] ?? 0) >= since; i--) n += 1;
    return n;
  };
  const push = (map: Map<string, number[]>, key: string, at: number) => {
    const list = map.get(key);
    if (list) list.push(at);
    else map.set(key, [at]);
  };
  for (const r of ratings) {
    const unit = r.point.unitId;
    const day = chinaDay(r.at);
    const fingerprint = commentFingerprint(r.comment);
    const deviceKey = `${unit}\u0000${r.deviceId}`;
    const addressKey = `${unit}\u0000${r.address}`;
    const commentKey = `${unit}\u0000${fingerprint}\u0000${day}`;
    const flags = fraudFlags(
      r.comment,
      {
        recentFromDevice: recent(byDevice.get(deviceKey), r.at - windowMs),
        recentFromAddress: r.registered ? 0 : recent(byAddress.get(addressKey), r.at - windowMs),
        sameCommentToday: fingerprint.length >= rules.minCommentLength ? (byComment.get(commentKey) ?? 0) : 0,
        openingHours: AT_WINDOW_CHANNELS.includes(r.channel)
          ? settingsForUnit(config, r.point.chain).openingHours
          : null,
        workingDay: isWorkingDay(day, calendar),
        minuteOfDay: chinaMinuteOfDay(new Date(r.at)),
      },
      rules,
    );
    push(byDevice, deviceKey, r.at);
    push(byAddress, addressKey, r.at);
    if (fingerprint.length > 0) byComment.set(commentKey, (byComment.get(commentKey) ?? 0) + 1);
    r.flags = flags;
  }
}

/** Rating-link secrets as newSecret makes them (32 random bytes, URL-safe), drawn from the system's randomness in blocks. */
class Secrets {
  private block = Buffer.alloc(0);
  private offset = 0;

  next(): string {
    if (this.offset >= this.block.length) {
      this.block = randomBytes(32 * 1024);
      this.offset = 0;
    }
    const secret = this.block.subarray(this.offset, this.offset + 32).toString('base64url');
    this.offset += 32;
    return secret;
  }
}

function transactionRows(drafts: TransactionDraft[], config: RatingsSettings, source: string): void {
  drafts.sort((a, b) => a.createdAt - b.createdAt);
  const tokens = new Secrets();
  const seqByDay = new Map<string, number>();
  for (const t of drafts) {
    const day = chinaDay(t.completedAt);
    const seq = (seqByDay.get(day) ?? 0) + 1;
    seqByDay.set(day, seq);
    const chain = t.point.chain;
    const created = new Date(t.createdAt);
    t.row = {
      id: newId(),
      externalNo: `SF${day.replace(/-/g, '')}${String(seq).padStart(5, '0')}`,
      jurisdictionId: chain[chain.length - 1] ?? t.point.unitId,
      unitId: t.point.unitId,
      serviceItemId: t.item?.id ?? null,
      staffId: t.staff?.id ?? null,
      mode: t.point.mode,
      receivedAt: new Date(t.receivedAt).toISOString(),
      completedAt: new Date(t.completedAt).toISOString(),
      day,
      contactName: t.contactName,
      contactPhone: t.contactPhone,
      tokenHash: sha256Hex(tokens.next()),
      tokenExpiresAt: new Date(t.createdAt + config.linkValidDays * DAY).toISOString(),
      defaultDueAt: new Date(
        Math.max(t.completedAt, t.createdAt) + config.defaultAfterDays * DAY,
      ).toISOString(),
      ratingId: null,
      source,
      createdAt: created.toISOString(),
      rollupScopes: JSON.stringify(scopesFor(chain, t.staff?.id ?? null, t.item?.id ?? null)),
    };
  }
}

/**
 * Gives every rating its id first, so a transaction's row can name its rating before either is inserted
 * (ratingRows then builds the rating rows a chunk at a time).
 */
function assignRatingIds(drafts: readonly RatingDraft[]): Map<RatingDraft, string> {
  const ids = new Map<RatingDraft, string>();
  for (const r of drafts) {
    const id = newId();
    ids.set(r, id);
    if (r.transaction?.row) r.transaction.row.ratingId = id;
  }
  return ids;
}

function ratingRows(
  drafts: readonly RatingDraft[],
  config: RatingsSettings,
  salt: string,
  ids: ReadonlyMap<RatingDraft, string>,
  digests: Map<string, string>,
): void {
  const digestOf = (address: string) => {
    let digest = digests.get(address);
    if (digest === undefined) {
      digest = addressDigest(salt, address);
      digests.set(address, digest);
    }
    return digest;
  };
  for (const r of drafts) {
    const t = r.transaction?.row;
    const problems = ratingProblems(
      { level: r.level, tags: r.tags, dimensions: r.dimensions, comment: r.comment },
      r.mode,
      settingsForUnit(config, r.point.chain).tags,
    );
    if (problems.length > 0) throw new Error(`demo rating refused: ${problems[0]?.message ?? ''}`);
    const target = t ? `transaction:${t.tokenHash}` : `unit:${r.point.unitId}`;
    const content = { level: r.level, tags: r.tags, dimensions: r.dimensions, comment: r.comment };
    const flags = r.flags;
    const createdAt = new Date(r.at);
    r.row = {
      id: ids.get(r) ?? newId(),
      transactionId: t?.id ?? null,
      unitId: r.point.unitId,
      serviceItemId: t?.serviceItemId ?? null,
      staffId: t?.staffId ?? null,
      mode: r.mode,
      level: r.level,
      tags: JSON.stringify(r.tags),
      dimensions: JSON.stringify(r.dimensions),
      comment: r.comment,
      commentFingerprint: commentFingerprint(r.comment),
      channel: r.channel,
      deviceId: r.deviceId,
      addressDigest: digestOf(r.address),
      isDefault: 0,
      named: t && t.contactPhone !== '' ? 1 : 0,
      status: flags.length > 0 ? 'held' : 'counted',
      flags: JSON.stringify(flags),
      idempotencyKey: randomUUID(),
      requestDigest: sha256Hex(
        canonicalJson({ target, mode: t ? null : r.mode, channel: r.channel, ...content }),
      ),
      rollupScopes: t ? t.rollupScopes : JSON.stringify(scopesFor(r.point.chain, null, null)),
      day: chinaDay(r.at),
      createdAt: createdAt.toISOString(),
      reviewedBy: null,
      reviewedAt: null,
      reviewNote: null,
      removedAt: null,
      removedReason: null,
    };
  }
}

/**
 * The rollups of counted ratings other than the bad reviews, as the ingest's countRatings adds them — each
 * rating under its scopes on its day by channel, level and default flag — merged in memory into one upsert
 * per rollup row. Called per chunk of ratings: rollups add up, so chunks keep memory flat. Bad reviews are
 * left to countRatings itself, at their moment.
 */
async function countRatingsInBulk(trx: Transaction<DB>, ratings: readonly RatingDraft[]): Promise<void> {
  // One delta per scope, day, channel, level and default flag, with its count.
  const counts = new Map<string, Parameters<typeof adjustRatingCounts>[1][number]>();
  for (const r of ratings) {
    const row = r.row;
    if (!row || row.status !== 'counted' || isBadLevel(row.level)) continue;
    const key = { channel: row.channel, level: row.level, isDefault: row.isDefault === 1 };
    for (const scope of parseScopes(row.rollupScopes)) {
      const id = `${scope[0]}|${scope[1]}|${row.day}|${row.channel}|${row.level}|${row.isDefault}`;
      const delta = counts.get(id);
      if (delta) delta.n += 1;
      else counts.set(id, { scope, day: row.day, key, n: 1 });
    }
  }
  await adjustRatingCounts(trx, [...counts.values()]);
}

/** Whether a rating makes its transaction actively rated in the bulk rollups (a counted, not bad, rating). */
function activelyRates(r: RatingDraft): boolean {
  return r.transaction !== null && r.flags.length === 0 && !isBadLevel(r.level);
}

/**
 * The activity rollups of a chunk of transactions, as recordTransactions adds them — one transaction under
 * each of its scopes on its day, actively rated on that day when its rating says so.
 */
async function countTransactionsInBulk(
  trx: Transaction<DB>,
  transactions: readonly TransactionDraft[],
  activelyRated: ReadonlySet<TransactionDraft>,
): Promise<void> {
  const activity: ActivityDelta[] = [];
  for (const t of transactions) {
    if (!t.row) continue;
    activity.push({
      scopes: parseScopes(t.row.rollupScopes),
      day: t.row.day,
      delta: activelyRated.has(t) ? { transactions: 1, activelyRated: 1 } : { transactions: 1 },
    });
  }
  await adjustActivityMany(trx, activity);
}

/** Rows are built, inserted and counted this many at a time, so the year is never all in memory as rows. */
const DEMO_CHUNK = 5000;

// --- the loader --------------------------------------------------------------------------------------

/**
 * Loads the demo year of transactions, ratings and cases into a registry holding the demo jurisdiction
 * (registry/demo.ts): the official 2026 holidays, rating devices at the counters, the transactions, ratings
 * and default ratings in one bulk transaction, then the bad reviews counted one by one and their cases
 * walked through the case services with the case sweeps every Monday, and all the server's sweeps run once
 * more at DEMO_NOW.
 */
export async function loadRatingsDemo(
  deps: Deps,
  actor: Actor,
  options: RatingsDemoOptions = {},
): Promise<RatingsDemo> {
  const scale = options.scale ?? 1;
  const timings: Record<string, number> = {};
  let started = performance.now();
  const lap = (name: string) => {
    const t = performance.now();
    timings[name] = Math.round(t - started) / 1000;
    started = t;
  };
  const db = deps.database.db;
  const dice = new Dice(seededRandom(DEMO_SEED));
  const now = Date.parse(DEMO_NOW);

  // The office imports the State Council's arrangement for 2026 when it is published.
  await importOfficial(depsAt(deps, '2025-11-25T02:00:00.000Z'), actor, 2026);
  const calendar = await loadCalendar(db);
  const config = await loadRatingsConfig(db);
  const rules = (await loadCasesConfig(db)).rules;
  const { points, byCode, names } = await loadPoints(deps, dice);
  const devices = await registerDevices(deps, actor, points);
  lap('setup');

  const generator = new Generator(dice, points, calendar, config, now);
  generator.run(scale);
  generator.suspicious(byCode);
  const stories = caseStories(DEMO_NOW, DEMO_FIRST_DAY, rules, calendar);
  for (const story of stories) {
    const p = byCode.get(story.unitCode);
    if (!p) throw new Error(`demo ratings: unit ${story.unitCode} missing`);
    generator.transaction(p, story.day, story.minute - dice.int(8, 30), generator.onDuty(p), story);
  }
  const ratings = generator.ratings.sort((a, b) => a.at - b.at);
  applyFraudChecks(ratings, config, calendar);
  for (const r of ratings) {
    if (r.story && r.flags.length > 0) {
      throw new Error(`demo ratings: the ${r.story.kind} story was held by a fraud check`);
    }
  }
  transactionRows(generator.transactions, config, actorLabel(actor));
  const ids = assignRatingIds(ratings);
  const salt = await addressSalt(db, deps.database);
  lap('generate');

  const transactions = generator.transactions;
  const transactionCount = transactions.length;
  const activelyRated = new Set(ratings.filter(activelyRates).map((r) => r.transaction as TransactionDraft));
  const bad: DemoBadRating[] = [];
  const digests = new Map<string, string>();
  await db.transaction().execute(async (trx) => {
    // On PostgreSQL each month of the year loaded gets its partition before its ratings arrive.
    await ensureRatingPartitions(trx, deps, monthStartsBetween(DEMO_FIRST_DAY, DEMO_NOW.slice(0, 10)));
    for (let i = 0; i < transactions.length; i += DEMO_CHUNK) {
      const chunk = transactions.slice(i, i + DEMO_CHUNK);
      await store.insertTransactions(
        trx,
        chunk.map((t) => t.row as store.TransactionRow),
      );
      await countTransactionsInBulk(trx, chunk, activelyRated);
    }
    lap('transactions');
    for (let i = 0; i < ratings.length; i += DEMO_CHUNK) {
      const chunk = ratings.slice(i, i + DEMO_CHUNK);
      ratingRows(chunk, config, salt, ids, digests);
      await store.insertRatings(
        trx,
        chunk.map((r) => r.row as store.RatingRow),
      );
      await countRatingsInBulk(trx, chunk);
      for (const r of chunk) {
        const row = r.row as store.RatingRow;
        if (row.status === 'counted' && isBadLevel(row.level)) {
          const story: StoryKind | undefined = r.story?.kind;
          bad.push({
            row,
            transactionDay: r.transaction?.row?.day ?? null,
            unitName: r.point.name,
            worse: r.point.profile === 'worse' || (r.point.profile === 'improved' && row.day < IMPROVED_FROM),
            ...(story ? { story } : {}),
          });
        }
        // The row is in the database now; only the bad reviews' rows are walked on.
        r.row = null;
      }
    }
    lap('ratings');
    // The drafts are not needed past this point: let them go before the cases are walked.
    for (const t of transactions) t.row = null;
    transactions.length = 0;
    ratings.length = 0;
    // Default ratings by the default sweep's own work, run every Monday morning as the case sweeps are.
    for (const tick of sweepTicks(DEMO_FIRST_DAY, DEMO_NOW)) {
      await applyDefaultRatings(trx, depsAt(deps, tick), { chunk: 5000, chunks: 10 });
    }
    lap('defaults');
  });

  await walkDemoCases(deps, bad, {
    now: DEMO_NOW,
    firstDay: DEMO_FIRST_DAY,
    rng: seededRandom(DEMO_SEED + 1),
    calendar,
    rules,
    sweeps: caseSweeps,
  });
  lap('cases');
  // “Today”: the sweeps the server runs every minute (default ratings, deadlines and warnings, unjudged).
  await runAllSweeps(depsAt(deps, DEMO_NOW), [...ratingSweeps, ...caseSweeps]);
  lap('sweeps');

  const today = chinaDate(new Date(now));
  const statuses = await db
    .selectFrom('ratings')
    .select([
      'status',
      'isDefault',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.count<number>('transactionId').as('withTx'),
    ])
    .groupBy(['status', 'isDefault'])
    .execute();
  const count = (pick: (s: (typeof statuses)[number]) => boolean, field: 'n' | 'withTx' = 'n') =>
    statuses.filter(pick).reduce((sum, s) => sum + Number(s[field]), 0);
  const unrated = await db
    .selectFrom('transactions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ratingId', 'is', null)
    .executeTakeFirst();
  const cases = await caseCounts(deps, today);
  const byState = cases.byState as Record<string, number>;
  const total = Object.values(byState).reduce((s, n) => s + n, 0);
  const closed = byState.closed ?? 0;
  const dismissed = byState.dismissed ?? 0;
  lap('summary');
  return {
    from: DEMO_FIRST_DAY,
    to: DEMO_LAST_DAY,
    now: DEMO_NOW,
    servicePoints: points.length,
    devices,
    worseWindows: DEMO_WORSE_WINDOWS.map((w) => {
      const p = byCode.get(w.code);
      return p ? `${names.get(p.chain[1] ?? '') ?? ''} · ${p.name}` : w.code;
    }),
    transactions: transactionCount,
    ratings: count(() => true),
    active: count((s) => s.status === 'counted' && s.isDefault === 0),
    defaults: count((s) => s.isDefault === 1),
    general: count(() => true) - count(() => true, 'withTx'),
    held: count((s) => s.status === 'held'),
    removed: count((s) => s.status === 'removed'),
    unrated: Number(unrated?.n ?? 0),
    cases: { total, open: total - closed - dismissed, closed, dismissed, overdue: cases.overdue, byState },
    warnings: cases.warnings,
    timings,
  };
}
