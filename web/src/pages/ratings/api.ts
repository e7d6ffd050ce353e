/* The console's client for instant ratings: transactions, devices, held ratings, statistics, settings. */
import { request } from '../../api';

// --- the server's own declarations (src/ratings/types.ts, types and constants only) ------------------

import type {
  BreakdownQuery,
  BreakdownView,
  DeviceKind,
  DeviceView,
  HeldRatingView,
  Level,
  OpeningSpan,
  RankedScope,
  RatingsConfigInput,
  RatingsSettingsView,
  RatingStatistics,
  ServiceMode,
  StatisticsCounts,
  StatisticsView,
  TagCatalogue,
  TransactionInput,
  TransactionView,
  UnitOverrideInput,
} from '../../../../src/ratings/types';
export type {
  BreakdownView,
  Channel,
  DeviceKind,
  FraudFlag,
  Level,
  OpeningHours,
  PeriodRange,
  Proportion,
  RatingsConfig,
  StatisticsView,
  TransactionInput,
  TransactionView,
  TrendPoint,
} from '../../../../src/ratings/types';
export { CHANNELS, DEVICE_KINDS, FRAUD_FLAGS, LEVELS } from '../../../../src/ratings/types';

/** A level as an object key in JSON ('5' … '1'). */
export type LevelKey = `${Level}`;
export type LevelCounts = Record<Level, number>;
export type TxMode = ServiceMode;
export type Device = DeviceView;
export type HeldRating = HeldRatingView;
export type Statistics = RatingStatistics;
export type Counts = StatisticsCounts;
export type Scope = StatisticsView['scope'];
export type Ranked = RankedScope;
/** The query of both the statistics and the breakdown (which alone reads grain and limit). */
export type StatisticsQuery = BreakdownQuery;
export type TagLevels = TagCatalogue['online'];
export type Span = OpeningSpan;
export type UnitOverride = UnitOverrideInput;
/** The settings as read: the installation-wide ones and the per-unit overrides with the units' names. */
export type RatingsSettings = RatingsSettingsView;
/** The settings as sent: leaving byUnit out keeps the stored overrides; sending it replaces them all. */
export type RatingsSettingsInput = RatingsConfigInput;

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
