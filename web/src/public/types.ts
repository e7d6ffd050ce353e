import type {
  ComponentFlag,
  ComponentResult,
  FiredRule,
  Mapping,
  RatingStatisticKey,
  ResultFlag,
  SourceSpec,
  UnitResult,
} from '../../../src/scoring/types';

/* The shapes of the public endpoints, as these pages use them. */

export type LevelKey = '5' | '4' | '3' | '2' | '1';
export const LEVEL_ORDER = [5, 4, 3, 2, 1] as const;

export interface LevelView {
  level: number;
  name: string;
  nameEn: string;
}

export interface DimensionView {
  key: string;
  name: string;
}

export type PublicChannel = 'window_device' | 'self_service' | 'qr_code' | 'web' | 'mobile_h5' | 'sms_link';

/** GET /api/public/rate/:token */
export interface RatingPage {
  unitCode: string;
  unitName: string;
  windowName: string | null;
  unitPath: string[];
  serviceItemName: string | null;
  staff: string | null;
  mode: 'online' | 'offline';
  receivedAt: string;
  completedAt: string | null;
  levels: LevelView[];
  tags: Record<LevelKey, string[]>;
  dimensions: DimensionView[];
  commentMax: number;
  rated: boolean;
  ratedByDefault: boolean;
  expired: boolean;
  expiresAt: string;
}

/** GET /api/public/units/:code/rate-form */
export interface RateForm {
  unit: { code: string; name: string; kind: string; path: string[] };
  levels: LevelView[];
  tags: { online: Record<LevelKey, string[]>; offline: Record<LevelKey, string[]> };
  dimensions: DimensionView[];
  commentMax: number;
  dailyLimit: number;
}

/** GET /api/public/kiosk/waiting (with the pad's X-Device-Token) */
export interface KioskTransaction {
  id: string;
  unitName: string;
  windowName: string | null;
  serviceItemName: string | null;
  staff: string | null;
  mode: 'offline';
  receivedAt: string;
  completedAt: string | null;
  recordedAt: string;
  levels: LevelView[];
  tags: Record<LevelKey, string[]>;
  dimensions: DimensionView[];
  commentMax: number;
}

export interface KioskWaiting {
  waiting: KioskTransaction | null;
  windowMinutes: number;
}

export interface RatingContent {
  level: number;
  tags: string[];
  dimensions: Record<string, number>;
  comment: string;
}

export interface RatingAnswer {
  id: string;
  level: number;
  channel: string;
  createdAt: string;
}

export interface Proportion {
  numerator: number;
  denominator: number;
  value: number | null;
  low: number | null;
  high: number | null;
}

/** GET /api/public/units/:code/statistics */
export interface PublicStatistics {
  unit: { code: string; name: string };
  period: { from: string; to: string; periodId: string | null; name: string };
  goodFrom: number;
  sampleSize: number;
  counts: { byLevel: Record<LevelKey, number>; badCases: number; replied: number; judged: number };
  statistics: {
    total: number;
    average: number | null;
    byLevel: Record<LevelKey, number>;
    goodRate: Proportion;
    badRate: Proportion;
    replyRate: Proportion;
    rectificationSatisfactionRate: Proportion;
  };
}

export type CaseState =
  'verifying' | 'appealed' | 'rectifying' | 'awaiting_judgement' | 'closed' | 'dismissed';
export type Judgement = 'satisfied' | 'basically_satisfied' | 'not_satisfied';

export interface PublicCase {
  id: string;
  reference: string;
  unitName: string;
  date: string;
  level: number;
  tags: string[];
  comment: string;
  state: CaseState;
  stateName: string;
  dueOn: string | null;
  replyText: string | null;
  rectificationText: string | null;
  repliedAt: string | null;
  judgement: Judgement | null;
  judgementName: string | null;
  closedAt: string | null;
}

export interface PublicCases {
  unitName: string;
  items: PublicCase[];
  total: number;
  page: number;
  pageSize: number;
}

/** GET /api/public/judgements/:token */
export interface JudgementView {
  caseReference: string;
  unitName: string;
  ratingDay: string;
  state: CaseState;
  stateName: string;
  replyText: string | null;
  rectificationText: string | null;
  repliedAt: string | null;
  judgeDueOn: string | null;
  open: boolean;
  judgement: Judgement | null;
  judgementName: string | null;
}

/* --- published results (十佳十差, 最难办事科室): GET /api/public/results… ------------------------------ */
/* The scoring shapes are the server's own (src/scoring/types.ts); type imports add nothing to the bundle. */

/** 十佳十差 (best and worst lists), 最难办事 (a worst list only), or a ranking without lists (Tai'an). */
export type PublicResultKind = 'best_worst' | 'worst_only' | 'ranking';

/** GET /api/public/results: newest first. */
export interface PublicResultSummary {
  id: string;
  schemeName: string;
  periodName: string;
  groupName: string;
  publishedAt: string;
  kind: PublicResultKind;
}

export type PublicResultFlag = ResultFlag;

/** One unit's line in a published result. */
export interface PublicRow {
  unitId: string;
  code: string;
  name: string;
  total: number;
  rank: number;
  grade: string | null;
  flags: PublicResultFlag[];
  /** Previous rank − rank: positive when the unit rose; null without a previous published period. */
  rankChange: number | null;
  /** 主要问题, when the office wrote them. */
  problems: string | null;
  /** The unit above it (a section's department), when the server gives it: 治安管理科 of which bureau. */
  parentName?: string | null;
}

/** A review stage that decided on the lists (the account that recorded it is never public). */
export interface PublicReviewStage {
  stageIndex: number;
  stageName: string;
  body: string;
  /** YYYY-MM-DD */
  decidedOn: string;
  decision: 'approve' | 'amend';
  reason: string | null;
  best: string[];
  worst: string[];
  recordedAt: string;
}

/** A top-level part of the scheme, for the notice's paragraph of method. */
export interface PublicComponentSummary {
  id: string;
  name: string;
  maxPoints: number;
  depth: number;
}

/** GET /api/public/results/:id */
export interface PublicResult {
  id: string;
  schemeName: string;
  periodName: string;
  groupName: string;
  publishedAt: string;
  /** Decimals of every published figure. */
  precision: number;
  /** The lists as the last review stage approved them, in that order. */
  best: PublicRow[];
  worst: PublicRow[];
  /** Every unit of the group, in rank order. */
  units: PublicRow[];
  stages: PublicReviewStage[];
  inputsDigest: string;
  resultsDigest: string;
  schemeVersion: number;
  /** Given by newer servers; otherwise inferred (no best list: 最难办事科室). */
  kind?: PublicResultKind;
  /** The scheme's components in tree order (root at depth 0), for the notice's paragraph of method. */
  components: PublicComponentSummary[];
  /** The issuing office the scheme names; null: the notice says 考核办公室. */
  issuer: string | null;
}

export type RatingStatistic = RatingStatisticKey;
export type ComponentSource = SourceSpec;
export type ComponentMapping = Mapping;
export type { ComponentFlag, FiredRule };

export interface Interval {
  low: number;
  high: number;
}

/** One node of a unit's explanation tree. */
export type ComponentExplanation = ComponentResult;

/** GET /api/public/results/:id/units/:unitId */
export type PublicUnitResult = UnitResult & { problems: string | null };
