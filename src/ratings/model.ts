import type { ErrorCode } from '../core/error-codes.js';
import { nearestSetting } from '../registry/model.js';
import { proportion } from '../core/stats.js';
import { chinaDate } from '../core/time.js';
import {
  CHANNELS,
  COMMENT_MAX,
  DIMENSIONS,
  LEVELS,
  type Channel,
  type DeviceKind,
  type Dimension,
  type FraudFlag,
  type FraudRules,
  type Level,
  type OpeningHours,
  type OpeningSpan,
  type RatingContent,
  type RatingsConfig,
  type RatingStatistics,
  type ServiceMode,
  type TagCatalogue,
  type UnitRatingsOverride,
} from './types.js';

// The shared shapes (levels, channels, devices, settings, statistics) are declared in types.ts for web/.
export { CHANNELS, COMMENT_MAX, DEVICE_KINDS, DIMENSIONS, FRAUD_FLAGS, LEVELS } from './types.js';
export type {
  Channel,
  Dimension,
  DeviceKind,
  FraudFlag,
  FraudRules,
  Level,
  OpeningHours,
  OpeningSpan,
  RatingContent,
  RatingsConfig,
  RatingsSettings,
  RatingStatistics,
  ServiceMode,
  TagCatalogue,
  UnitRatingsOverride,
} from './types.js';

/*
 * Instant service ratings (政务服务即时评): the five levels, their option tags, channels, the
 * statistics computed from rollup counts, and the fraud rules. Pure: no I/O.
 */

export const LEVEL_NAMES: Record<Level, { zh: string; en: string }> = {
  5: { zh: '非常满意', en: 'Very satisfied' },
  4: { zh: '满意', en: 'Satisfied' },
  3: { zh: '基本满意', en: 'Basically satisfied' },
  2: { zh: '不满意', en: 'Dissatisfied' },
  1: { zh: '非常不满意', en: 'Very dissatisfied' },
};

/** ★1–2 are bad reviews (差评): each opens a rectification case. */
export function isBadLevel(level: number): boolean {
  return level <= 2;
}

export const CHANNEL_NAMES: Record<Channel, string> = {
  window_device: '窗口评价器',
  self_service: '自助终端',
  qr_code: '二维码（码上评）',
  web: '网页',
  mobile_h5: '移动端',
  sms_link: '短信链接',
  hotline: '热线',
  default: '超期默认评价',
};

/** Channels a person can use; `default` is written only by the sweep that applies default ratings. */
export const PUBLIC_CHANNELS = CHANNELS.filter((c): c is Exclude<Channel, 'default'> => c !== 'default');

const GOOD_OFFLINE = ['服务态度热情', '办事效率高', '一次办好', '指引清晰', '材料精简', '环境舒适'];
const BASIC_OFFLINE = ['等候时间较长', '指引不够清晰', '环境一般', '流程有待简化'];
const BAD_OFFLINE = [
  '态度冷漠（冷）',
  '办事拖拉（懒）',
  '推诿扯皮（推）',
  '多次跑动',
  '重复提交材料',
  '未一次性告知',
  '收费不规范（乱）',
  '吃拿卡要（贪）',
  '等候时间过长',
];
const GOOD_ONLINE = ['操作便捷', '页面清晰', '办理进度透明', '全程网办', '审核快'];
const BASIC_ONLINE = ['操作较复杂', '响应较慢', '办事指南不够详细'];
const BAD_ONLINE = [
  '系统不稳定',
  '操作繁琐',
  '办事指南不清晰',
  '审核慢',
  '材料反复退回',
  '需线下跑动',
  '咨询无人回复',
];

/** The national defaults shipped with Minping; a jurisdiction may replace them. */
export const DEFAULT_TAGS: TagCatalogue = {
  offline: { 5: GOOD_OFFLINE, 4: GOOD_OFFLINE, 3: BASIC_OFFLINE, 2: BAD_OFFLINE, 1: BAD_OFFLINE },
  online: { 5: GOOD_ONLINE, 4: GOOD_ONLINE, 3: BASIC_ONLINE, 2: BAD_ONLINE, 1: BAD_ONLINE },
};

export const DIMENSION_NAMES: Record<Dimension, string> = {
  attitude: '服务态度',
  efficiency: '办事效率',
  guidance: '指引清晰',
  environment: '服务环境',
};

export interface FieldProblem {
  field: string;
  code: ErrorCode;
  message: string;
}

/** What is wrong with a rating's content for a service mode, or an empty list. */
export function ratingProblems(
  content: RatingContent,
  mode: ServiceMode,
  tags: TagCatalogue = DEFAULT_TAGS,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!Number.isInteger(content.level) || content.level < 1 || content.level > 5) {
    problems.push({
      field: 'level',
      code: 'invalid_level',
      message: 'Choose a level from 1 (非常不满意) to 5 (非常满意).',
    });
    return problems;
  }
  const allowed = new Set(tags[mode][content.level as Level]);
  const foreign = content.tags.filter((t) => !allowed.has(t));
  if (foreign.length > 0) {
    problems.push({
      field: 'tags',
      code: 'tag_not_for_level',
      message: `These options do not belong to the chosen level: ${foreign.join('、')}.`,
    });
  }
  if (new Set(content.tags).size !== content.tags.length) {
    problems.push({ field: 'tags', code: 'duplicate_tag', message: 'An option was chosen twice.' });
  }
  for (const [name, value] of Object.entries(content.dimensions)) {
    if (!(DIMENSIONS as readonly string[]).includes(name)) {
      problems.push({
        field: `dimensions.${name}`,
        code: 'unknown_dimension',
        message: `There is no dimension “${name}”.`,
      });
    } else if (value === undefined || !Number.isInteger(value) || value < 1 || value > 5) {
      problems.push({
        field: `dimensions.${name}`,
        code: 'invalid_level',
        message: 'Rate each dimension from 1 to 5.',
      });
    }
  }
  if (content.comment.length > COMMENT_MAX) {
    problems.push({
      field: 'comment',
      code: 'comment_too_long',
      message: `A comment has at most ${COMMENT_MAX} characters.`,
    });
  }
  return problems;
}

// --- statistics ------------------------------------------------------------------------------

/** Counts read from the rollups for one scope and period. */
export interface RatingCounts {
  /** Counted ratings per level, active and default together. */
  byLevel: Record<Level, number>;
  /** Of those, default ratings per level (applied when a transaction was not rated in time). */
  defaultByLevel: Record<Level, number>;
  /** Service transactions received in the period, and how many of them were actively rated. */
  transactions: number;
  activelyRated: number;
  /** Bad-review cases opened in the period and how far they got. */
  badCases: number;
  replied: number;
  calledBackAndRectified: number;
  judged: number;
  judgedSatisfied: number;
}

const sumLevels = (counts: Record<Level, number>, pick: (level: Level) => boolean = () => true) =>
  LEVELS.reduce((sum, level) => sum + (pick(level) ? counts[level] : 0), 0);

/** Empty per-level counts. */
export function zeroLevels(): Record<Level, number> {
  return { 5: 0, 4: 0, 3: 0, 2: 0, 1: 0 };
}

/** Every published rating statistic from the counts; `goodFrom` is the lowest good level (3 or 4). */
export function ratingStatistics(counts: RatingCounts, goodFrom = 3): RatingStatistics {
  const total = sumLevels(counts.byLevel);
  const defaults = sumLevels(counts.defaultByLevel);
  const good = sumLevels(counts.byLevel, (l) => l >= goodFrom);
  const bad = sumLevels(counts.byLevel, (l) => isBadLevel(l));
  const activeByLevel = (l: Level) => counts.byLevel[l] - counts.defaultByLevel[l];
  const active = total - defaults;
  const activeGood = LEVELS.filter((l) => l >= goodFrom).reduce((s, l) => s + activeByLevel(l), 0);
  const levelSum = LEVELS.reduce((s, l) => s + l * counts.byLevel[l], 0);
  return {
    total,
    active,
    defaults,
    byLevel: { ...counts.byLevel },
    average: total > 0 ? levelSum / total : null,
    goodRate: proportion(good, total),
    badRate: proportion(bad, total),
    unratedRate: proportion(Math.max(0, counts.transactions - counts.activelyRated), counts.transactions),
    activeGoodRate: proportion(activeGood, active),
    replyRate: proportion(counts.replied, counts.badCases),
    rectificationRate: proportion(counts.calledBackAndRectified, counts.badCases),
    rectificationSatisfactionRate: proportion(counts.judgedSatisfied, counts.judged),
  };
}

// --- fraud checks ----------------------------------------------------------------------------

export const DEFAULT_FRAUD_RULES: FraudRules = {
  burstLimit: 5,
  burstWindowMinutes: 10,
  repeatedCommentLimit: 3,
  minCommentLength: 4,
  openingGraceMinutes: 30,
};

/** 8:30–12:00 and 13:30–17:30 on working days, closed otherwise: the usual hall hours. */
export const DEFAULT_OPENING_HOURS: OpeningHours = {
  workingDays: [
    { from: 8 * 60 + 30, to: 12 * 60 },
    { from: 13 * 60 + 30, to: 17 * 60 + 30 },
  ],
  otherDays: [],
};

export interface FraudContext {
  /** Earlier ratings of the same unit within the burst window from the same device / address. */
  recentFromDevice: number;
  recentFromAddress: number;
  /** Earlier ratings of the same unit today with the same normalised comment. */
  sameCommentToday: number;
  /** Only for ratings given at the window (device, terminal, poster): its opening hours, else null. */
  openingHours: OpeningHours | null;
  /** When the rating was given, China time: whether that day is a working day, and minutes after midnight. */
  workingDay: boolean;
  minuteOfDay: number;
}

/** Normalises a comment for the repeated-comment check: NFKC, no spaces or punctuation, lower case. */
export function commentFingerprint(comment: string): string {
  return comment
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** The fraud flags a new rating raises; a flagged rating is held out of statistics until the office reviews it. */
export function fraudFlags(
  comment: string,
  context: FraudContext,
  rules: FraudRules = DEFAULT_FRAUD_RULES,
): FraudFlag[] {
  const flags: FraudFlag[] = [];
  if (context.recentFromDevice >= rules.burstLimit) flags.push('burst_device');
  if (context.recentFromAddress >= rules.burstLimit) flags.push('burst_address');
  if (
    commentFingerprint(comment).length >= rules.minCommentLength &&
    context.sameCommentToday + 1 >= rules.repeatedCommentLimit
  ) {
    flags.push('repeated_comment');
  }
  if (context.openingHours) {
    const spans = context.workingDay ? context.openingHours.workingDays : context.openingHours.otherDays;
    const open = spans.some(
      (s) =>
        context.minuteOfDay >= s.from - rules.openingGraceMinutes &&
        context.minuteOfDay <= s.to + rules.openingGraceMinutes,
    );
    if (!open) flags.push('outside_hours');
  }
  return flags;
}

// --- configuration ---------------------------------------------------------------------------

export const DEFAULT_RATINGS_CONFIG: RatingsConfig = {
  defaultAfterDays: 7,
  defaultLevel: 3,
  goodFrom: 3,
  linkValidDays: 30,
  tags: DEFAULT_TAGS,
  fraud: DEFAULT_FRAUD_RULES,
  openingHours: DEFAULT_OPENING_HOURS,
  generalDailyLimit: 3,
  kioskWindowMinutes: 15,
};

export const TAG_MAX_LENGTH = 30;
export const TAGS_PER_LEVEL_MAX = 30;

const intIn = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/** What is wrong with a ratings configuration, by field, or an empty list. */
export function configProblems(config: RatingsConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const need = (ok: boolean, field: string, message: string) => {
    if (!ok) problems.push({ field, code: 'invalid_setting', message });
  };
  need(
    intIn(config.defaultAfterDays, 1, 90),
    'defaultAfterDays',
    'Give the days before a default as 1 to 90.',
  );
  need(
    intIn(config.defaultLevel, 3, 5),
    'defaultLevel',
    'The default level is 3 (基本满意), 4 or 5: a default never counts as a bad review.',
  );
  need(intIn(config.goodFrom, 3, 4), 'goodFrom', '好评率 counts ★3–5 (3) or ★4–5 (4).');
  need(intIn(config.linkValidDays, 1, 365), 'linkValidDays', 'A rating link is valid for 1 to 365 days.');
  // A transaction whose link expires before its default is due could be neither rated nor defaulted.
  if (intIn(config.defaultAfterDays, 1, 90) && intIn(config.linkValidDays, 1, 365)) {
    need(
      config.defaultAfterDays <= config.linkValidDays,
      'defaultAfterDays',
      `The default comes while the rating link still works: give at most ${config.linkValidDays} days (the days a link is valid), or make links valid longer.`,
    );
  }
  need(
    intIn(config.generalDailyLimit, 1, 100),
    'generalDailyLimit',
    'The daily limit per device is 1 to 100 ratings.',
  );
  need(
    intIn(config.kioskWindowMinutes, 1, 240),
    'kioskWindowMinutes',
    'A window pad offers a transaction for 1 to 240 minutes after it is recorded.',
  );
  for (const mode of ['online', 'offline'] as const) {
    problems.push(...tagLevelProblems(config.tags[mode], `tags.${mode}`, mode));
  }
  const f = config.fraud;
  need(intIn(f.burstLimit, 1, 1000), 'fraud.burstLimit', 'The burst limit is 1 to 1000 ratings.');
  need(
    intIn(f.burstWindowMinutes, 1, 1440),
    'fraud.burstWindowMinutes',
    'The burst window is 1 to 1440 minutes.',
  );
  need(
    intIn(f.repeatedCommentLimit, 2, 1000),
    'fraud.repeatedCommentLimit',
    'The repeated-comment limit is 2 to 1000.',
  );
  need(
    intIn(f.minCommentLength, 1, 100),
    'fraud.minCommentLength',
    'The comment length is 1 to 100 characters.',
  );
  need(
    intIn(f.openingGraceMinutes, 0, 240),
    'fraud.openingGraceMinutes',
    'The grace around opening hours is 0 to 240 minutes.',
  );
  problems.push(...openingHoursProblems(config.openingHours, 'openingHours'));
  return problems;
}

/** What is wrong with one mode's options per level (under `field`, e.g. tags.online), or an empty list. */
export function tagLevelProblems(
  levels: Record<Level, readonly string[]>,
  field: string,
  mode: ServiceMode,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const level of LEVELS) {
    const tags = levels[level];
    const at = `${field}.${level}`;
    if (tags.length === 0) {
      problems.push({
        field: at,
        code: 'level_without_tags',
        message: `Give ★${level} (${mode}) at least one option.`,
      });
      continue;
    }
    if (tags.length > TAGS_PER_LEVEL_MAX) {
      problems.push({
        field: at,
        code: 'invalid_setting',
        message: `At most ${TAGS_PER_LEVEL_MAX} options per level.`,
      });
    }
    if (!tags.every((t) => t.trim() === t && t.length >= 1 && t.length <= TAG_MAX_LENGTH)) {
      problems.push({
        field: at,
        code: 'invalid_setting',
        message: `An option has 1 to ${TAG_MAX_LENGTH} characters and no spaces around it.`,
      });
    }
    if (new Set(tags).size !== tags.length) {
      problems.push({
        field: at,
        code: 'duplicate_tag',
        message: 'An option is listed twice for one level.',
      });
    }
  }
  return problems;
}

/** What is wrong with opening hours (under `field`, e.g. openingHours), or an empty list. */
export function openingHoursProblems(hours: OpeningHours, field: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const kind of ['workingDays', 'otherDays'] as const) {
    const spans = hours[kind];
    spans.forEach((s, i) => {
      const ok =
        intIn(s.from, 0, 1440) &&
        intIn(s.to, 0, 1440) &&
        s.from < s.to &&
        (i === 0 || s.from >= spans[i - 1]!.to);
      if (!ok) {
        problems.push({
          field: `${field}.${kind}.${i}`,
          code: 'invalid_setting',
          message:
            'Opening spans are minutes after midnight (0–1440), each ending after it starts, in order, not overlapping.',
        });
      }
    });
  }
  return problems;
}

// --- settings per unit: a jurisdiction's options, a hall's or window's opening hours --------------

/** The settings that apply to ratings of one unit. */
export interface UnitRatingsSettings {
  tags: TagCatalogue;
  openingHours: OpeningHours;
}

/**
 * The options and opening hours for a unit, given its ancestry (the unit first, then the units above
 * it): for the offline options, the online options and the opening hours each, the nearest unit that
 * sets them wins; where none does, the installation-wide setting applies.
 */
export function settingsForUnit(
  settings: RatingsConfig & { byUnit: Record<string, UnitRatingsOverride> },
  ancestry: readonly string[],
): UnitRatingsSettings {
  const nearest = <T>(part: (override: UnitRatingsOverride) => T | undefined): T | undefined =>
    nearestSetting(ancestry, (unitId) => {
      const override = settings.byUnit[unitId];
      return override ? part(override) : undefined;
    });
  return {
    tags: {
      offline: nearest((o) => o.tags?.offline) ?? settings.tags.offline,
      online: nearest((o) => o.tags?.online) ?? settings.tags.online,
    },
    openingHours: nearest((o) => o.openingHours) ?? settings.openingHours,
  };
}

/** What is wrong with one unit's override (under `field`, e.g. byUnit.0), or an empty list. */
export function overrideProblems(override: UnitRatingsOverride, field: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { tags, openingHours } = override;
  if (!tags?.offline && !tags?.online && !openingHours) {
    problems.push({
      field,
      code: 'empty_override',
      message: 'Give the unit its own options or opening hours, or remove it from the list.',
    });
  }
  for (const mode of ['offline', 'online'] as const) {
    const levels = tags?.[mode];
    if (levels) problems.push(...tagLevelProblems(levels, `${field}.tags.${mode}`, mode));
  }
  if (openingHours) problems.push(...openingHoursProblems(openingHours, `${field}.openingHours`));
  return problems;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isTagLevels = (value: unknown): value is Record<Level, string[]> =>
  isRecord(value) &&
  LEVELS.every((l) => Array.isArray(value[l]) && (value[l] as unknown[]).every((t) => typeof t === 'string'));

const isSpans = (value: unknown): value is OpeningSpan[] =>
  Array.isArray(value) && value.every((s) => isRecord(s) && intIn(s.from, 0, 1440) && intIn(s.to, 0, 1440));

/** Reads stored overrides; a part that is unreadable or no longer valid is left out (the wider setting applies). */
export function parseOverrides(raw: unknown): Record<string, UnitRatingsOverride> {
  const out: Record<string, UnitRatingsOverride> = {};
  if (!isRecord(raw)) return out;
  for (const [unitId, entry] of Object.entries(raw)) {
    if (!isRecord(entry)) continue;
    const override: UnitRatingsOverride = {};
    const tags = isRecord(entry.tags) ? entry.tags : {};
    for (const mode of ['offline', 'online'] as const) {
      const levels = tags[mode];
      if (isTagLevels(levels) && tagLevelProblems(levels, 'tags', mode).length === 0) {
        override.tags = { ...override.tags, [mode]: levels };
      }
    }
    const hours = entry.openingHours;
    if (isRecord(hours) && isSpans(hours.workingDays) && isSpans(hours.otherDays)) {
      const parsed = { workingDays: hours.workingDays, otherDays: hours.otherDays };
      if (openingHoursProblems(parsed, 'openingHours').length === 0) override.openingHours = parsed;
    }
    if (override.tags || override.openingHours) out[unitId] = override;
  }
  return out;
}

// --- people, devices and time ----------------------------------------------------------------

const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '令狐',
];

/** How a rater sees a staff member: the surname and the staff number (工号), never the full name. */
export function staffDisplay(name: string, staffNo: string): string {
  const trimmed = name.trim();
  const surname = COMPOUND_SURNAMES.find((s) => trimmed.startsWith(s)) ?? [...trimmed][0] ?? '';
  return `${surname}（工号 ${staffNo}）`;
}

/** The channel a registered device's ratings are recorded with, or null when the device may not rate. */
export function channelOfDevice(kind: DeviceKind): Channel | null {
  switch (kind) {
    case 'rating_device':
      return 'window_device';
    case 'self_service':
      return 'self_service';
    case 'hotline':
      return 'hotline';
    case 'staff':
      return null;
  }
}

// --- the window pad (评价器) and the transaction waiting at it -----------------------------------

/**
 * Minutes a person has, after the waiting period, to finish a rating the pad offered: a form opened at
 * the last moment of the period can still be sent.
 */
export const KIOSK_GRACE_MINUTES = 10;

/**
 * Where a window's pad looks for the transaction waiting for a rating: recorded at or after `since`
 * (the waiting period back from now) and served (completed, or received when no completion was given)
 * on `fromDay` or later — a transaction recorded late for an earlier day is not the person at the
 * window now. `fromDay` also keeps the lookup on the (unit, day) index.
 */
export function kioskLookback(now: Date, windowMinutes: number): { since: string; fromDay: string } {
  const since = new Date(now.getTime() - windowMinutes * 60_000);
  return { since: since.toISOString(), fromDay: chinaDate(since) };
}

/** What a pad needs to know of a transaction to decide whether it may rate it. */
export interface KioskCandidate {
  unitId: string;
  mode: string;
  createdAt: string;
  day: string;
  ratingId: string | null;
}

export type KioskRefusal = 'device_other_unit' | 'not_at_window' | 'no_longer_waiting';

/**
 * Why a window's pad (registered at `deviceUnitId`) may not rate a transaction, or null when it may:
 * only a transaction of its own unit, handled at the window (offline), recorded within the waiting
 * period plus the grace for finishing the form. A transaction already rated passes the time check, so
 * that a retried submission is answered as the first was (ingest refuses any other second rating).
 */
export function kioskRefusal(
  transaction: KioskCandidate,
  deviceUnitId: string,
  now: Date,
  windowMinutes: number,
): KioskRefusal | null {
  if (transaction.unitId !== deviceUnitId) return 'device_other_unit';
  if (transaction.mode !== 'offline') return 'not_at_window';
  if (transaction.ratingId !== null) return null;
  const { since, fromDay } = kioskLookback(now, windowMinutes + KIOSK_GRACE_MINUTES);
  if (transaction.createdAt < since || transaction.day < fromDay) return 'no_longer_waiting';
  return null;
}

// --- the hall terminal: a transaction found by its number (办件编号) ----------------------------------

/**
 * A terminal in a service hall serves whoever walks up, so it does not offer "the latest transaction":
 * the person types the number on their receipt (and the last four digits of their phone). Failed
 * lookups are limited per device, so that nobody can try numbers until one fits.
 */
export const KIOSK_LOOKUP_LIMIT = 10;
export const KIOSK_LOOKUP_WINDOW_MINUTES = 10;

/**
 * The forms of a typed external number to look for: as typed, and in capitals (a receipt's letters
 * are usually capitals; a tablet's keyboard starts in lower case). NFKC turns full-width characters
 * from a Chinese input method into ASCII; spaces are dropped (receipts print numbers in groups).
 */
export function externalNoCandidates(typed: string): string[] {
  const plain = typed.normalize('NFKC').replace(/\s+/g, '');
  if (plain === '') return [];
  return [...new Set([plain, plain.toUpperCase()])];
}

/** Whether typed digits are the last four of a contact phone; a transaction without a phone needs none. */
export function phoneDigitsMatch(contactPhone: string, typed: string): boolean {
  const digits = contactPhone.replace(/\D/g, '');
  if (digits === '') return true;
  return typed.normalize('NFKC') === digits.slice(-4);
}

/** What a hall terminal needs to know of a transaction found by its number. */
export interface HallCandidate {
  /** The transaction's unit and the units above it, as the tree stands today (empty: not in force). */
  ancestry: readonly string[];
  mode: string;
  contactPhone: string;
  tokenExpiresAt: string;
  /** Its rating, when it has one. */
  rating: { isDefault: boolean; idempotencyKey: string | null } | null;
}

export type HallRefusal = 'transaction_not_found' | 'not_at_window' | 'already_rated' | 'transaction_expired';

/**
 * Why a hall terminal (registered at `deviceUnitId`) may not rate a transaction found by its number, or
 * null when it may. Outside the hall's subtree and wrong phone digits are refused exactly as an unknown
 * number is, so that the answer never tells which of them was wrong. A rated transaction passes only for
 * the retry of the rating that rated it (`idempotencyKey`), which ingest answers as the first time; a
 * default rating means the time to rate it is over.
 */
export function hallRefusal(
  candidate: HallCandidate | undefined,
  deviceUnitId: string,
  phoneDigits: string,
  now: Date,
  idempotencyKey: string | null,
): HallRefusal | null {
  if (
    !candidate ||
    !candidate.ancestry.includes(deviceUnitId) ||
    !phoneDigitsMatch(candidate.contactPhone, phoneDigits)
  ) {
    return 'transaction_not_found';
  }
  if (candidate.mode !== 'offline') return 'not_at_window';
  if (candidate.rating) {
    if (candidate.rating.isDefault) return 'transaction_expired';
    const retry = idempotencyKey !== null && candidate.rating.idempotencyKey === idempotencyKey;
    return retry ? null : 'already_rated';
  }
  if (candidate.tokenExpiresAt <= now.toISOString()) return 'transaction_expired';
  return null;
}

/** The failed lookups of a device still inside the limit's window at `now`, oldest first, at most `limit`. */
export function recentLookupFailures(
  failures: readonly string[],
  now: Date,
  limit = KIOSK_LOOKUP_LIMIT,
  windowMinutes = KIOSK_LOOKUP_WINDOW_MINUTES,
): string[] {
  const since = new Date(now.getTime() - windowMinutes * 60_000).toISOString();
  return failures
    .filter((at) => at > since)
    .sort()
    .slice(-limit);
}

/**
 * When a device that failed `limit` lookups within the window may look up again (ISO), or null when it
 * may now: the oldest of those failures has to leave the window.
 */
export function lookupBlockedUntil(
  failures: readonly string[],
  now: Date,
  limit = KIOSK_LOOKUP_LIMIT,
  windowMinutes = KIOSK_LOOKUP_WINDOW_MINUTES,
): string | null {
  const recent = recentLookupFailures(failures, now, limit, windowMinutes);
  const oldest = recent[0];
  if (recent.length < limit || oldest === undefined) return null;
  return new Date(new Date(oldest).getTime() + windowMinutes * 60_000).toISOString();
}

/** Channels at which a rating is given at the window itself, so opening hours apply. */
export const AT_WINDOW_CHANNELS: readonly Channel[] = ['window_device', 'self_service', 'qr_code'];

/** Minutes after midnight, China time, of an instant. */
export function chinaMinuteOfDay(instant: Date): number {
  const shifted = new Date(instant.getTime() + 8 * 3600_000);
  return shifted.getUTCHours() * 60 + shifted.getUTCMinutes();
}

/** The UTC instant (ISO) at which a China date begins. */
export function chinaDayStart(date: string): string {
  return new Date(new Date(`${date}T00:00:00.000Z`).getTime() - 8 * 3600_000).toISOString();
}

// --- periods as rollup buckets ---------------------------------------------------------------

/** Inclusive ranges of rollup buckets that together cover a period exactly once. */
export interface BucketPlan {
  /** Whole months (YYYY-MM), read at month grain; null when none. */
  months: { from: string; to: string } | null;
  /** Partial months at the edges, read at day grain (YYYY-MM-DD ranges). */
  days: { from: string; to: string }[];
}

function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
}

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
}

/**
 * Splits the dates from–to (inclusive) into whole months (month grain) and the partial months at its
 * edges (day grain), so that statistics for any period read a handful of rollup rows.
 */
export function planBuckets(from: string, to: string): BucketPlan {
  if (to < from) return { months: null, days: [] };
  const firstMonth = from.slice(0, 7);
  const lastMonth = to.slice(0, 7);
  const startsWhole = from.endsWith('-01');
  const endsWhole = to === lastDayOfMonth(lastMonth);
  if (firstMonth === lastMonth) {
    return startsWhole && endsWhole
      ? { months: { from: firstMonth, to: firstMonth }, days: [] }
      : { months: null, days: [{ from, to }] };
  }
  const days: { from: string; to: string }[] = [];
  const wholeFrom = startsWhole ? firstMonth : nextMonth(firstMonth);
  const wholeTo = endsWhole ? lastMonth : previousMonth(lastMonth);
  if (!startsWhole) days.push({ from, to: lastDayOfMonth(firstMonth) });
  if (!endsWhole) days.push({ from: `${lastMonth}-01`, to });
  return { months: wholeFrom <= wholeTo ? { from: wholeFrom, to: wholeTo } : null, days };
}

/** One rating-rollup row as statistics read it. */
export interface RatingCountRow {
  channel: string;
  level: number;
  isDefault: number;
  n: number;
}

/** One activity-rollup total as statistics read it. */
export interface ActivityTotals {
  transactions: number;
  activelyRated: number;
  badCases: number;
  replied: number;
  rectified: number;
  judged: number;
  satisfied: number;
}

export const ZERO_ACTIVITY: ActivityTotals = {
  transactions: 0,
  activelyRated: 0,
  badCases: 0,
  replied: 0,
  rectified: 0,
  judged: 0,
  satisfied: 0,
};

/** The counts ratingStatistics takes, from rollup rows (optionally of one channel only). */
export function countsFrom(
  rows: readonly RatingCountRow[],
  activity: ActivityTotals,
  channel?: string | null,
): RatingCounts {
  const byLevel = zeroLevels();
  const defaultByLevel = zeroLevels();
  for (const row of rows) {
    if (channel && row.channel !== channel) continue;
    if (!(LEVELS as readonly number[]).includes(row.level)) continue;
    const level = row.level as Level;
    byLevel[level] += row.n;
    if (row.isDefault === 1) defaultByLevel[level] += row.n;
  }
  return {
    byLevel,
    defaultByLevel,
    transactions: activity.transactions,
    activelyRated: activity.activelyRated,
    badCases: activity.badCases,
    replied: activity.replied,
    calledBackAndRectified: activity.rectified,
    judged: activity.judged,
    judgedSatisfied: activity.satisfied,
  };
}

/** Counted ratings per channel from rollup rows. */
export function countsByChannel(rows: readonly RatingCountRow[]): Record<string, Record<Level, number>> {
  const out: Record<string, Record<Level, number>> = {};
  for (const row of rows) {
    if (!(LEVELS as readonly number[]).includes(row.level)) continue;
    const levels = (out[row.channel] ??= zeroLevels());
    levels[row.level as Level] += row.n;
  }
  return out;
}

// --- monthly partitions of ratings (PostgreSQL) --------------------------------------------------

const MONTH_START_RE = /^(\d{4})-(\d{2})-01$/;

/** The first day ('YYYY-MM-01') of the month a day ('YYYY-MM-DD') falls in. */
export function monthStartOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The first day of the month after the one `monthStart` begins. */
export function nextMonthStart(monthStart: string): string {
  const m = MONTH_START_RE.exec(monthStart);
  if (!m) throw new Error(`not the first day of a month: ${monthStart}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

/** The first days of every month from the month of `fromDay` to the month of `toDay`, both included. */
export function monthStartsBetween(fromDay: string, toDay: string): string[] {
  const months: string[] = [];
  const last = monthStartOf(toDay);
  for (let month = monthStartOf(fromDay); month <= last; month = nextMonthStart(month)) months.push(month);
  return months;
}

/** The months whose partitions should exist around a day: the previous one to `ahead` months after. */
export function partitionMonthsAround(day: string, ahead = 2): string[] {
  const current = monthStartOf(day);
  const [year, month] = [Number(current.slice(0, 4)), Number(current.slice(5, 7))];
  const previous = month === 1 ? `${year - 1}-12-01` : `${year}-${String(month - 1).padStart(2, '0')}-01`;
  const months = [previous, current];
  while (months.length < ahead + 2) months.push(nextMonthStart(months[months.length - 1] ?? current));
  return months;
}

/** The name of the partition that holds a month's ratings, e.g. ratings_y2026m11. */
export function monthPartitionName(monthStart: string): string {
  const m = MONTH_START_RE.exec(monthStart);
  if (!m) throw new Error(`not the first day of a month: ${monthStart}`);
  return `ratings_y${m[1]}m${m[2]}`;
}
