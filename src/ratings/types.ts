/*
 * The shapes of instant ratings (政务服务即时评): levels, channels, devices, the settings, the
 * statistics and what the rating endpoints answer. Types and constants only, so that the console and the
 * public pages (web/) use these very declarations instead of a copy; the rules live in model.ts, the
 * presenters in service.ts and statistics.ts. The one import is a type (erased from every bundle).
 */
import type { Proportion } from '../core/stats.js';

export type { Proportion };

// --- levels, channels, devices ----------------------------------------------------------------------

export const LEVELS = [5, 4, 3, 2, 1] as const;
export type Level = (typeof LEVELS)[number];

/** Where a rating came from; recorded with every rating. */
export const CHANNELS = [
  'window_device',
  'self_service',
  'qr_code',
  'web',
  'mobile_h5',
  'sms_link',
  'hotline',
  'default',
] as const;
export type Channel = (typeof CHANNELS)[number];

export type ServiceMode = 'online' | 'offline';

/** Optional sub-dimensions, each rated 1–5. */
export const DIMENSIONS = ['attitude', 'efficiency', 'guidance', 'environment'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const COMMENT_MAX = 500;

export interface RatingContent {
  level: number;
  tags: readonly string[];
  dimensions: Partial<Record<string, number>>;
  comment: string;
}

export const FRAUD_FLAGS = ['burst_device', 'burst_address', 'repeated_comment', 'outside_hours'] as const;
export type FraudFlag = (typeof FRAUD_FLAGS)[number];

/**
 * Devices the office registers: rating pads at windows and self-service terminals rate at the window,
 * a hotline's call-back system (回访热线系统) rates transactions through their links, staff devices may not rate.
 */
export const DEVICE_KINDS = ['rating_device', 'self_service', 'hotline', 'staff'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

// --- settings -----------------------------------------------------------------------------------------

/** Option tags per service mode and level group, after the national 好差评 defaults. */
export interface TagCatalogue {
  online: Record<Level, string[]>;
  offline: Record<Level, string[]>;
}

export interface FraudRules {
  /** More than this many ratings of one unit from one device, or one address, within the window is a burst. */
  burstLimit: number;
  burstWindowMinutes: number;
  /** The same comment (≥ minCommentLength characters) this many times for a unit in a day is suspicious. */
  repeatedCommentLimit: number;
  minCommentLength: number;
  /** Minutes of grace around opening hours for ratings given at the window. */
  openingGraceMinutes: number;
}

export interface OpeningSpan {
  /** Minutes after midnight, China time. */
  from: number;
  to: number;
}

/** Opening hours of an offline window: on working days (per the calendar, 调休 included) and on other days. */
export interface OpeningHours {
  workingDays: OpeningSpan[];
  otherDays: OpeningSpan[];
}

/** The office's settings for instant ratings (settings key `ratings.config`). */
export interface RatingsConfig {
  /** A transaction not rated within this many days gets the default level. */
  defaultAfterDays: number;
  /** The level given by default (基本满意 in Guangdong); defaults never open cases. */
  defaultLevel: Level;
  /** The lowest good level for 好评率 (3: ★3–5; 4: ★4–5). */
  goodFrom: number;
  /** How many days a rating link stays valid. */
  linkValidDays: number;
  tags: TagCatalogue;
  fraud: FraudRules;
  openingHours: OpeningHours;
  /** Ratings without a transaction (poster, web form): at most this many per unit, device and day. */
  generalDailyLimit: number;
  /**
   * A window's rating pad asks the person at the window to rate the window's latest offline transaction
   * recorded within this many minutes and not yet rated (一次一评 at the counter).
   */
  kioskWindowMinutes: number;
}

/**
 * What a jurisdiction (or any unit: a department, a hall, a window) sets for itself: the options of
 * either service mode, and opening hours. Everything else — the good threshold above all — stays
 * installation-wide, so that 好评率 means the same everywhere in the installation.
 */
export interface UnitRatingsOverride {
  tags?: Partial<TagCatalogue>;
  openingHours?: OpeningHours;
}

/** The installation-wide configuration with its per-unit overrides, as stored under `ratings.config`. */
export interface RatingsSettings extends RatingsConfig {
  /** Per unit id. The nearest unit in a rating's ancestry that sets a part wins, part by part. */
  byUnit: Record<string, UnitRatingsOverride>;
}

/** One unit's override as the console shows it: with the unit's name. */
export type UnitOverrideView = { unitId: string; unitName: string } & UnitRatingsOverride;

/** The rating settings as read and written over HTTP: the overrides as a list, each with its unit's name. */
export type RatingsSettingsView = RatingsConfig & { byUnit: UnitOverrideView[] };

/** One unit's override as sent. */
export interface UnitOverrideInput {
  unitId: string;
  tags?:
    | { online?: TagCatalogue['online'] | undefined; offline?: TagCatalogue['offline'] | undefined }
    | undefined;
  openingHours?: OpeningHours | undefined;
}

/**
 * The configuration as sent. A client that predates `kioskWindowMinutes` or `byUnit` may leave them out:
 * what is stored is kept. `byUnit` replaces all overrides when sent.
 */
export type RatingsConfigInput = Omit<RatingsConfig, 'kioskWindowMinutes'> & {
  kioskWindowMinutes?: number | undefined;
  byUnit?: readonly UnitOverrideInput[] | undefined;
};

// --- transactions, devices, the review queue ------------------------------------------------------

export interface TransactionInput {
  externalNo: string;
  unitId: string;
  serviceItemId?: string | null | undefined;
  staffId?: string | null | undefined;
  mode: ServiceMode;
  receivedAt: string;
  completedAt?: string | null | undefined;
  contactName?: string | undefined;
  contactPhone?: string | undefined;
}

export interface TransactionView {
  id: string;
  externalNo: string;
  unitId: string;
  serviceItemId: string | null;
  staffId: string | null;
  mode: ServiceMode;
  receivedAt: string;
  completedAt: string | null;
  day: string;
  /** Path of the rating page: `/r/<token>`. The token is shown only now; Minping keeps its digest. */
  ratingUrl: string;
  /** The same page as an absolute address (the public base URL + ratingUrl), as encoded in the QR code. */
  ratingLink: string;
  expiresAt: string;
  defaultDueAt: string;
  /** An SVG QR code of ratingLink, when asked for. */
  qrSvg?: string;
}

export interface DeviceView {
  id: string;
  unitId: string;
  kind: DeviceKind;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface HeldRatingView {
  id: string;
  unitId: string;
  unitName: string;
  transactionId: string | null;
  externalNo: string | null;
  mode: ServiceMode;
  level: Level;
  levelName: string;
  tags: string[];
  dimensions: Record<string, number>;
  comment: string;
  channel: string;
  /** A short opaque label of the device: the same for ratings from one device, never its cookie. */
  device: string;
  /** The first 12 characters of the address digest: enough to see ratings from one address. */
  address: string;
  flags: FraudFlag[];
  status: string;
  createdAt: string;
}

// --- the rating page, the poster form, the window pad ---------------------------------------------

export interface LevelView {
  level: Level;
  name: string;
  nameEn: string;
}

export interface DimensionView {
  key: string;
  name: string;
}

export interface RatingPage {
  unitCode: string;
  /** The department or section that served (the nearest unit above a window, or the unit itself). */
  unitName: string;
  /** The window, when the transaction was recorded at one. */
  windowName: string | null;
  /** Names from the top of the tree down to the unit. */
  unitPath: string[];
  serviceItemName: string | null;
  /** Surname and staff number only (e.g. 张（工号 SF00012）). */
  staff: string | null;
  mode: ServiceMode;
  receivedAt: string;
  completedAt: string | null;
  levels: LevelView[];
  /** The options to offer for each level, for this transaction's mode. */
  tags: Record<Level, string[]>;
  dimensions: DimensionView[];
  commentMax: number;
  rated: boolean;
  ratedByDefault: boolean;
  expired: boolean;
  expiresAt: string;
}

export interface RateForm {
  unit: { code: string; name: string; kind: string; path: string[] };
  levels: LevelView[];
  tags: TagCatalogue;
  dimensions: DimensionView[];
  commentMax: number;
  dailyLimit: number;
}

/** The transaction waiting at a window's pad, with what its rating form needs; never the person's contact. */
export interface KioskTransactionView {
  id: string;
  unitName: string;
  windowName: string | null;
  serviceItemName: string | null;
  /** Surname and staff number only, as on the rating page. */
  staff: string | null;
  mode: 'offline';
  receivedAt: string;
  completedAt: string | null;
  /** When the transaction was recorded: the waiting period runs from here. */
  recordedAt: string;
  levels: LevelView[];
  tags: Record<Level, string[]>;
  dimensions: DimensionView[];
  commentMax: number;
}

export interface KioskWaiting {
  /** The transaction to rate now, or null: the pad shows the general rating of its unit. */
  waiting: KioskTransactionView | null;
  /** The waiting period (setting `kioskWindowMinutes`). */
  windowMinutes: number;
  /**
   * The device stands in a hall (its unit has units under it): it offers no waiting transaction but
   * lets the person find theirs by its number (see kioskByNumber).
   */
  byNumber: boolean;
}

export interface KioskFound {
  /** The number as recorded (the person may have typed it in lower case or with spaces). */
  externalNo: string;
  transaction: KioskTransactionView;
}

// --- statistics -----------------------------------------------------------------------------------

export interface RatingStatistics {
  total: number;
  active: number;
  defaults: number;
  byLevel: Record<Level, number>;
  /** Mean level of counted ratings (defaults included), null when there are none. */
  average: number | null;
  /** 好评率: share of counted ratings at or above the good threshold (★3 by default). */
  goodRate: Proportion;
  /** 差评率: share of counted ratings at ★1–2. */
  badRate: Proportion;
  /** 未评率: share of transactions without an actively given rating (defaults count as unrated). */
  unratedRate: Proportion;
  /** 主动评价好评率: share of good ratings among actively given ones. */
  activeGoodRate: Proportion;
  /** 差评回复率: bad reviews answered to the rater. */
  replyRate: Proportion;
  /** 回访整改率: bad reviews called back and rectified. */
  rectificationRate: Proportion;
  /** 回访整改满意率: raters satisfied or basically satisfied with the rectification, among those who judged. */
  rectificationSatisfactionRate: Proportion;
}

/** What statistics are about: a unit with its subtree, a staff member or a service item. */
export type ScopeType = 'subtree' | 'staff' | 'item';

export interface PeriodQuery {
  periodId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface StatisticsQuery extends PeriodQuery {
  scopeType: ScopeType;
  scopeId: string;
  channel?: Channel | undefined;
}

export interface BreakdownQuery extends StatisticsQuery {
  grain?: 'month' | 'day' | undefined;
  limit?: number | undefined;
}

export interface PeriodRange {
  from: string;
  to: string;
  periodId: string | null;
  name: string;
}

export interface StatisticsCounts {
  byLevel: Record<Level, number>;
  defaultByLevel: Record<Level, number>;
  byChannel: Record<string, Record<Level, number>>;
  transactions: number;
  activelyRated: number;
  badCases: number;
  replied: number;
  rectified: number;
  judged: number;
  satisfied: number;
}

export interface StatisticsView {
  scope: { type: ScopeType; id: string; name: string };
  period: PeriodRange;
  channel: Channel | null;
  goodFrom: number;
  /** Counted ratings (active and default): the sample every rate is taken from. */
  sampleSize: number;
  counts: StatisticsCounts;
  statistics: RatingStatistics;
}

export interface TrendPoint {
  bucket: string;
  total: number;
  byLevel: Record<Level, number>;
  average: number | null;
  goodRate: number | null;
  badRate: number | null;
}

export interface ChannelCount {
  channel: string;
  name: string;
  total: number;
  byLevel: Record<Level, number>;
}

export interface RankedScope {
  id: string;
  name: string;
  /** Units: their kind; staff: their staff number. */
  detail: string;
  total: number;
  bad: number;
  badRate: Proportion;
}

export interface BreakdownView {
  scope: { type: ScopeType; id: string; name: string };
  period: PeriodRange;
  channel: Channel | null;
  grain: 'month' | 'day';
  trend: TrendPoint[];
  channels: ChannelCount[];
  /** Direct sub-units, ordered by bad reviews (most first). */
  children: RankedScope[];
  /** Windows of the subtree with the most bad reviews. */
  windows: RankedScope[];
  /** Staff of the subtree with the most bad reviews. */
  staff: RankedScope[];
}

/** GET /api/public/units/:code/statistics: a unit's published figures; nothing about persons. */
export interface PublicStatisticsView {
  unit: { code: string; name: string };
  period: PeriodRange;
  goodFrom: number;
  sampleSize: number;
  counts: StatisticsCounts;
  statistics: RatingStatistics;
}
