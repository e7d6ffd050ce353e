/* The console's client for instant ratings: transactions, devices, held ratings, statistics, settings. */
import { request } from '../../api';

export const LEVELS = [5, 4, 3, 2, 1] as const;
export type LevelKey = '5' | '4' | '3' | '2' | '1';
export type LevelCounts = Record<LevelKey, number>;

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

export const DEVICE_KINDS = ['rating_device', 'self_service', 'hotline', 'staff'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const FRAUD_FLAGS = ['burst_device', 'burst_address', 'repeated_comment', 'outside_hours'] as const;
export type FraudFlag = (typeof FRAUD_FLAGS)[number];

export type TxMode = 'online' | 'offline';

export interface TransactionInput {
  externalNo: string;
  unitId: string;
  serviceItemId?: string | null;
  staffId?: string | null;
  mode: TxMode;
  receivedAt: string;
  completedAt?: string | null;
  contactName?: string;
  contactPhone?: string;
}

export interface TransactionView {
  id: string;
  externalNo: string;
  unitId: string;
  serviceItemId: string | null;
  staffId: string | null;
  mode: TxMode;
  receivedAt: string;
  completedAt: string | null;
  day: string;
  ratingUrl: string;
  ratingLink: string;
  expiresAt: string;
  defaultDueAt: string;
  qrSvg?: string;
}

export interface Device {
  id: string;
  unitId: string;
  kind: DeviceKind;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface HeldRating {
  id: string;
  unitId: string;
  unitName: string;
  transactionId: string | null;
  externalNo: string | null;
  mode: TxMode;
  level: number;
  levelName: string;
  tags: string[];
  dimensions: Record<string, number>;
  comment: string;
  channel: Channel;
  deviceId: string;
  address: string;
  flags: FraudFlag[];
  status: string;
  createdAt: string;
}

export interface Proportion {
  numerator: number;
  denominator: number;
  value: number | null;
  low: number | null;
  high: number | null;
}

export interface Statistics {
  total: number;
  active: number;
  defaults: number;
  byLevel: LevelCounts;
  average: number | null;
  goodRate: Proportion;
  badRate: Proportion;
  unratedRate: Proportion;
  activeGoodRate: Proportion;
  replyRate: Proportion;
  rectificationRate: Proportion;
  rectificationSatisfactionRate: Proportion;
}

export interface PeriodRange {
  from: string;
  to: string;
  periodId: string | null;
  name: string;
}

export interface Counts {
  byLevel: LevelCounts;
  defaultByLevel: LevelCounts;
  byChannel: Record<string, LevelCounts>;
  transactions: number;
  activelyRated: number;
  badCases: number;
  replied: number;
  rectified: number;
  judged: number;
  satisfied: number;
}

export interface Scope {
  type: 'subtree' | 'staff' | 'item';
  id: string;
  name: string;
}

export interface StatisticsView {
  scope: Scope;
  period: PeriodRange;
  channel: Channel | null;
  goodFrom: number;
  sampleSize: number;
  counts: Counts;
  statistics: Statistics;
}

export interface Ranked {
  id: string;
  name: string;
  detail: string;
  total: number;
  bad: number;
  badRate: Proportion;
}

export interface TrendPoint {
  bucket: string;
  total: number;
  byLevel: LevelCounts;
  average: number | null;
  goodRate: number | null;
  badRate: number | null;
}

export interface BreakdownView {
  scope: Scope;
  period: PeriodRange;
  channel: Channel | null;
  grain: 'month' | 'day';
  trend: TrendPoint[];
  channels: { channel: string; name: string; total: number; byLevel: LevelCounts }[];
  children: Ranked[];
  windows: Ranked[];
  staff: Ranked[];
}

export interface StatisticsQuery {
  scopeType: 'subtree' | 'staff' | 'item';
  scopeId: string;
  periodId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  channel?: Channel | undefined;
  grain?: 'month' | 'day' | undefined;
  limit?: number | undefined;
}

export type TagLevels = Record<LevelKey, string[]>;

export interface Span {
  from: number;
  to: number;
}

export interface RatingsConfig {
  defaultAfterDays: number;
  defaultLevel: number;
  goodFrom: number;
  linkValidDays: number;
  tags: { online: TagLevels; offline: TagLevels };
  fraud: {
    burstLimit: number;
    burstWindowMinutes: number;
    repeatedCommentLimit: number;
    minCommentLength: number;
    openingGraceMinutes: number;
  };
  openingHours: OpeningHours;
  generalDailyLimit: number;
  /** Minutes a window's rating pad offers a just-recorded transaction for rating. */
  kioskWindowMinutes: number;
}

export interface OpeningHours {
  workingDays: Span[];
  otherDays: Span[];
}

/** A jurisdiction's or unit's own options (either mode) and opening hours; the rest is inherited. */
export interface UnitOverride {
  unitId: string;
  tags?: { online?: TagLevels; offline?: TagLevels };
  openingHours?: OpeningHours;
}

/** The settings as read: the installation-wide ones and the per-unit overrides with the units' names. */
export interface RatingsSettings extends RatingsConfig {
  byUnit: (UnitOverride & { unitName: string })[];
}

/** The settings as sent: leaving byUnit out keeps the stored overrides; sending it replaces them all. */
export type RatingsSettingsInput = RatingsConfig & { byUnit?: UnitOverride[] };

const id = (value: string) => encodeURIComponent(value);

function query(q: object): Record<string, string | number | undefined> {
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== ''));
}

export const ratingsApi = {
  recordTransaction: (input: TransactionInput) =>
    request<TransactionView>('POST', '/api/transactions', { body: input }),

  devices: (unitId?: string) => request<Device[]>('GET', '/api/devices', { query: { unitId } }),
  createDevice: (input: { unitId: string; kind: DeviceKind; name: string }) =>
    request<{ device: Device; token: string }>('POST', '/api/devices', { body: input }),
  revokeDevice: (deviceId: string) =>
    request<Device>('POST', `/api/devices/${id(deviceId)}/revoke`, { body: {} }),
  posterUrl: (unitId: string) => `/api/units/${id(unitId)}/poster.png`,

  held: (q: { unitId?: string | undefined; before?: string | undefined; limit?: number }) =>
    request<HeldRating[]>('GET', '/api/ratings/held', { query: query(q) }),
  review: (ratingId: string, decision: 'count' | 'exclude', note: string) =>
    request<HeldRating>('POST', `/api/ratings/${id(ratingId)}/review`, { body: { decision, note } }),

  statistics: (q: StatisticsQuery) => request<StatisticsView>('GET', '/api/statistics', { query: query(q) }),
  breakdown: (q: StatisticsQuery) =>
    request<BreakdownView>('GET', '/api/statistics/breakdown', { query: query(q) }),
  exportUrl: (q: StatisticsQuery) => {
    const params = new URLSearchParams(query(q) as Record<string, string>);
    return `/api/statistics/export.xlsx?${params.toString()}`;
  },

  settings: () => request<RatingsSettings>('GET', '/api/settings/ratings'),
  saveSettings: (config: RatingsSettingsInput) =>
    request<RatingsSettings>('PUT', '/api/settings/ratings', { body: config }),
};
