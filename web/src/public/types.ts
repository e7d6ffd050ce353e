import type {
  ComponentFlag,
  ComponentResult,
  ComponentSummary,
  FiredRule,
  Mapping,
  RatingStatisticKey,
  ResultFlag,
  SourceSpec,
  UnitResultView,
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
  /** The device stands in a hall: no waiting transaction; the person finds theirs by its number. */
  byNumber: boolean;
}

/** What a person at a hall's terminal types (POST /api/public/kiosk/by-number). */
export interface NumberLookup {
  externalNo: string;
  phoneDigits?: string;
}

export interface KioskFound {
  /** The number as recorded (typed perhaps in lower case or with spaces). */
  externalNo: string;
  transaction: KioskTransaction;
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

/* --- bad reviews and the rater's judgement: the server's own shapes (src/cases/types.ts) ------------ */

export type {
  CaseState,
  Judgement,
  JudgementView,
  PublicCase,
  PublicCasePage as PublicCases,
} from '../../../src/cases/types';

/* --- published results (十佳十差, 最难办事科室): GET /api/public/results… ------------------------------ */
/* The scoring shapes are the server's own (src/scoring/types.ts); type imports add nothing to the bundle. */

export type {
  PublicResult,
  PublicResultKind,
  PublicResultSummary,
  PublicReviewStage,
  PublicRow,
} from '../../../src/scoring/types';
export type PublicResultFlag = ResultFlag;
export type PublicComponentSummary = ComponentSummary;

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
export type PublicUnitResult = UnitResultView;
