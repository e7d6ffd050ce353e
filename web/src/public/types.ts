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

/* The shapes of the public endpoints, as these pages use them: the server's own (src/<area>/types.ts). */

/* --- rating (码上评, the rating link, the window pad) and a unit's figures: src/ratings/types.ts ------- */

import type { Channel, Level } from '../../../src/ratings/types';
export type {
  DimensionView,
  KioskFound,
  KioskWaiting,
  LevelView,
  Proportion,
  PublicStatisticsView as PublicStatistics,
  RateForm,
  RatingContent,
  RatingPage,
} from '../../../src/ratings/types';
export type { KioskTransactionView as KioskTransaction } from '../../../src/ratings/types';

/**
 * The server's LEVELS, written out: importing the constant would put src/ratings/types.ts in the chunk the
 * public pages share with the console, with every constant the console takes from it.
 */
export const LEVEL_ORDER = [5, 4, 3, 2, 1] as const satisfies readonly Level[];

/** A level as an object key in JSON ('5' … '1'). */
export type LevelKey = `${Level}`;

/** The channels a public page may name (the hotline and the default sweep never use these pages). */
export type PublicChannel = Exclude<Channel, 'hotline' | 'default'>;

/** What a person at a hall's terminal types (POST /api/public/kiosk/by-number). */
export interface NumberLookup {
  externalNo: string;
  phoneDigits?: string;
}

/** The answer to a rating (src/ratings/ingest.ts). */
export interface RatingAnswer {
  /** Held for the office to check (outside opening hours, a burst): not counted, no case opened yet. */
  held: boolean;
  id: string;
  level: number;
  channel: string;
  createdAt: string;
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

/* --- evaluation campaigns (专项评价): the evaluator's ballot and the receipt check ------------------- */
/* The server's own shapes (src/campaigns/types.ts). */

export type {
  Answer,
  BallotAnswers,
  BallotForm,
  PublicBallot,
  PublicRoundView,
  QuestionItem,
  SubjectAnswers,
} from '../../../src/campaigns/types';
