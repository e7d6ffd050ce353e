/*
 * The shapes of scoring: a scheme definition (考核方案, a versioned JSON document), the engine's input and
 * output, and the review of the lists. Types and constants only, with no imports, so that the console
 * (web/) uses these very declarations instead of a copy; the rules live in model.ts.
 */

// --- scheme definition ---------------------------------------------------------------------------

/** Rating statistics a leaf may read (see docs/ratings.md for each formula). */
export const RATING_STATISTICS = [
  'goodRate',
  'badRate',
  'average',
  'unratedRate',
  'activeGoodRate',
  'replyRate',
  'rectificationRate',
  'rectificationSatisfactionRate',
] as const;
export type RatingStatisticKey = (typeof RATING_STATISTICS)[number];

/**
 * Where a leaf's raw value comes from. Each kind is collected by one source in `sources.ts`; a later kind
 * (campaign results) is one more member here and one more source there, and the engine does not change.
 */
export type SourceSpec =
  /** A statistic of instant ratings for the unit's subtree over the run's period. */
  | { kind: 'rating_statistic'; statistic: RatingStatisticKey }
  /** Values imported for a named series (a third-party survey, an inspection, the province's ranks …). */
  | { kind: 'imported'; series: string }
  /** Scores entered by the lead unit of a task (联考) for the units that carry it; never for itself. */
  | { kind: 'score_sheet'; task: string }
  /** Results of an evaluation campaign (a later issue): declared now so the engine needs no change. */
  | { kind: 'campaign'; campaign: string; measure: string };

export type SourceKind = SourceSpec['kind'];

/** How a raw value becomes points of a leaf whose maximum is `maxPoints`. */
export type Mapping =
  /** The value is already points; clamped to [0, maxPoints]. */
  | { kind: 'direct' }
  /** The value on a scale from `from` (0 points) to `to` (all points), clamped; `to < from` when lower is better. */
  | { kind: 'linear'; from: number; to: number }
  /** The first step (highest `atLeast` first) the value reaches gives `share` (0–1) of the points, else 0. */
  | { kind: 'steps'; steps: { atLeast: number; share: number }[] }
  /**
   * The value is a rank: ranks 1..fullUpTo get all points; each further place through `lastRank` loses
   * `stepShare`; ranks beyond `lastRank` get `floorShare`. Chuzhou: 3, 0.05, 16, floor as configured.
   */
  | { kind: 'rank_rule'; fullUpTo: number; stepShare: number; lastRank: number; floorShare: number };

/** What a unit without a value for a leaf receives. */
export type MissingRule = 'zero' | 'average';

export interface ComponentNode {
  /** Stable key, unique in the scheme (letters, digits, '_' and '-'); results and explanations use it. */
  id: string;
  name: string;
  maxPoints: number;
  /** Inner node: its children's maxPoints add up to its own. */
  children?: ComponentNode[];
  /** Leaf: where the value comes from, how it maps to points, what a unit without one gets. */
  source?: SourceSpec;
  mapping?: Mapping;
  missing?: MissingRule;
}

export interface GradeDef {
  key: string;
  name: string;
  /** By score: the rounded total must reach this. */
  minScore?: number;
  /** By share: the unit's rank must be within this share of the group (0–1), e.g. 0.2 = top 20%. */
  maxShare?: number;
  /** At most this many units in the grade (promoted units are counted outside the quota). */
  quota?: number;
}

export interface ReviewStageDef {
  /** e.g. 区纪委常委会审议 */
  name: string;
  /** The body that decides, e.g. 区纪委 */
  body: string;
  /** Size of each list after this stage (15, then 10). The last stage is the final approval. */
  size: number;
}

export interface RankingGroupDef {
  key: string;
  name: string;
  /** Members: active units (as of the period's end) matching any of these; at least one must be given. */
  categoryCodes?: string[];
  kinds?: string[];
  unitCodes?: string[];
  /** Only units under this unit (by code), when given. */
  withinCode?: string;
}

export interface PromotionRule {
  id: string;
  /** e.g. 省考核单项前三，例外晋级 */
  label: string;
  /** Any of these leaves (whose values are ranks) at or better than `maxRank` promotes the unit. */
  leaves: string[];
  maxRank: number;
  /** The grade key the unit receives regardless of score. */
  grade: string;
}

export interface SchemeDefinition {
  /** Decimals of every published figure; everything is computed unrounded and rounded once at the end. */
  precision: number;
  /** The root's maxPoints is the paper's total (100, 300, 1000 …). */
  root: ComponentNode;
  groups: RankingGroupDef[];
  /** Equal rounded totals share a rank (1, 2, 2, 4) unless broken by these components' points, in order. */
  tieBreak: string[];
  uncertainty: {
    /** Below this sample a component from ratings or ballots is flagged small_sample. */
    minSample: number;
    /** Shrink small samples toward the group mean: (n·v + m·mean) / (n + m), m = minSample. */
    shrink: boolean;
  };
  /** Ordered best first; the last grade takes everyone left. Empty: no grades. */
  grades: GradeDef[];
  veto: {
    /** A vetoed unit cannot receive the first (top) grade. */
    barsTopGrade: boolean;
    /** A vetoed unit is put on the bottom list for review, whatever its score. */
    toBottomList: boolean;
  };
  promotions: PromotionRule[];
  /** Keep a figure for the bonus paid by actual score, apart from the grade (Chuzhou). */
  bonusByActualScore: boolean;
  lists: {
    /** Size of the proposed best and worst lists (Caidian 20); 0 = no such list (Nanchuan: worst only). */
    best: number;
    worst: number;
  };
  review: { stages: ReviewStageDef[] };
  /**
   * The office that issues the published result, named on the printable notice (通报), e.g.
   * 示范市绩效考核办公室. A single line of at most 40 characters; without it the notice says 考核办公室.
   */
  issuer?: string;
}

/** Longest issuing office name a scheme may give. */
export const ISSUER_MAX_LENGTH = 40;

// --- engine input and output ---------------------------------------------------------------------

export interface GroupUnit {
  id: string;
  code: string;
  name: string;
  /**
   * The unit above it as of the period's end (a section's department), when it has one: sections of the
   * same name under different departments are told apart by it. Copied to the result unchanged.
   */
  parentName?: string;
}

/** One unit's raw value for one leaf, with where it came from. */
export interface SourceValue {
  value: number;
  /** Ratings or ballots behind the value, when it is a statistic of them. */
  sampleSize?: number;
  /** 95% interval of the raw value, when it is a statistic of a sample. */
  low?: number;
  high?: number;
  /** A line a clerk can read: who entered it, from which document, when; or the statistic and its counts. */
  provenance: string;
}

export interface VetoInput {
  id: string;
  unitId: string;
  reason: string;
  evidence: string;
}

/** The previous published run of the same scheme and group, for rank changes (Xi'an 一提升). */
export interface PreviousRun {
  runId: string;
  periodName: string;
  ranks: Record<string, number>;
  /** Units that declined in that run against the one before it (rank got worse). */
  declined: string[];
}

export interface RankingInput {
  scheme: SchemeDefinition;
  groupKey: string;
  /** Sorted by code; the engine never relies on database order. */
  units: GroupUnit[];
  /** leaf id → unit id → value; a unit absent from a leaf has no value there. */
  values: Record<string, Record<string, SourceValue>>;
  vetoes: VetoInput[];
  previous: PreviousRun | null;
  /**
   * Recorded, never read by the engine: the ratings setting the rating statistics were counted with
   * (goodFrom: the lowest level counted as good), present when a leaf reads a rating statistic, so that
   * `minping verify result` recounts with the same setting whatever it is today.
   */
  ratings?: { goodFrom: number };
}

export type ComponentFlag = 'small_sample' | 'shrunk' | 'average_substituted' | 'no_value';

export interface ComponentResult {
  id: string;
  name: string;
  maxPoints: number;
  points: number;
  /** Leaves only. */
  source?: SourceSpec;
  mapping?: Mapping;
  /** The raw value used (after shrinkage, if any), and the one recorded, when they differ. */
  value?: number | null;
  recordedValue?: number | null;
  sampleSize?: number | null;
  /** 95% interval of the value and of the points, when the value is a statistic of a sample. */
  valueInterval?: { low: number; high: number } | null;
  pointsInterval?: { low: number; high: number } | null;
  provenance?: string | null;
  /** One sentence: how the value became these points (mapping and rule), for the explanation page. */
  working?: string;
  flags: ComponentFlag[];
  children?: ComponentResult[];
}

export type ResultFlag =
  'vetoed' | 'promoted' | 'small_sample' | 'indistinct' | 'largest_decline' | 'declined_two_running';

export type FiredRuleKind = 'veto' | 'promotion' | 'grade' | 'tie' | 'shrinkage' | 'average' | 'rank_change';

export interface FiredRule {
  rule: FiredRuleKind;
  /** Why it fired, in a sentence (English; the console translates by rule and params). */
  detail: string;
  params: Record<string, string | number | null>;
}

export interface UnitResult {
  unitId: string;
  code: string;
  name: string;
  /** The unit's parent as of the period's end, when the input names one (absent otherwise). */
  parentName?: string;
  total: number;
  /** 95% interval of the total (component half-widths combined in quadrature), when any component has one. */
  interval: { low: number; high: number } | null;
  rank: number;
  grade: string | null;
  /** The score the bonus is paid on, kept apart from the grade (null unless the scheme keeps it). */
  bonusScore: number | null;
  previousRank: number | null;
  /** previousRank − rank: positive when the unit rose. */
  rankChange: number | null;
  flags: ResultFlag[];
  rules: FiredRule[];
  explanation: ComponentResult;
}

export interface RankingOutcome {
  groupKey: string;
  precision: number;
  /** In rank order, ties by code. */
  units: UnitResult[];
  /** Proposed lists (unit ids in order) before any review stage. */
  best: string[];
  worst: string[];
  largestDecline: string[];
  declinedTwoRunning: string[];
}

// --- review of the lists (pure state machine) ----------------------------------------------------

export interface ReviewLists {
  best: string[];
  worst: string[];
}

export type ReviewDecision =
  | { kind: 'approve' }
  /** Remove or reorder units (never add one that was not on the list) with a written reason. */
  | { kind: 'amend'; best: string[]; worst: string[]; reason: string };

/** A problem in a scheme being edited: which component (null for the scheme as a whole) and what. */
export interface SchemeProblem {
  component: string | null;
  code: string;
  message: string;
}

// --- HTTP responses ------------------------------------------------------------------------------
/* What the scoring endpoints answer (service.ts builds them, routes.ts declares their schemas). */

export interface SchemeSummary {
  id: string;
  code: string;
  name: string;
  description: string;
  latestVersion: number;
  updatedAt: string;
}

export interface SchemeVersionView {
  version: number;
  note: string;
  createdAt: string;
  createdBy: string;
}

export interface SchemeDetail extends SchemeSummary {
  versions: SchemeVersionView[];
  definition: SchemeDefinition;
}

/** One version of a scheme with its definition. */
export interface SchemeVersionDetail extends SchemeVersionView {
  definition: SchemeDefinition;
}

/** A ready-made scheme (templates.ts) to start a new one from. */
export interface SchemeTemplateView {
  key: string;
  name: string;
  description: string;
  definition: SchemeDefinition;
}

export interface SeriesSummary {
  series: string;
  /** What the series is called where a scheme reads it (the leaf's name), null when no scheme reads it. */
  seriesName: string | null;
  periodId: string;
  periodName: string;
  count: number;
  lastEnteredAt: string;
}

export interface ScoreValueView {
  id: string;
  series: string;
  periodId: string;
  unitId: string;
  unitCode: string;
  unitName: string;
  value: number;
  document: string;
  note: string;
  enteredBy: string;
  enteredAt: string;
  supersededAt: string | null;
}

export type ImportRowStatus = 'new' | 'changed' | 'unchanged' | 'error';

export interface ImportRow {
  line: number;
  unitCode: string;
  unitName: string | null;
  value: number | null;
  /** The current value this row replaces (changed) or repeats (unchanged). */
  previous: number | null;
  status: ImportRowStatus;
  /** Why the line cannot be stored (English), with a stable code and params the console translates. */
  error: string | null;
  errorCode: string | null;
  errorParams: Record<string, string | number> | null;
}

/** A line that holds no score (a title, a blank, the header, a note), with a stable code and params. */
export interface SkippedLine {
  line: number;
  reason: string;
  code: string;
  params: Record<string, string | number>;
}

export interface ImportResult {
  applied: boolean;
  series: string;
  periodId: string;
  document: string;
  rows: ImportRow[];
  skipped: SkippedLine[];
}

export interface TaskView {
  id: string;
  key: string;
  name: string;
  leadUnitId: string;
  leadUnitName: string;
}

export interface SheetScoreView {
  id: string;
  task: string;
  periodId: string;
  scorerUnitId: string;
  scorerUnitName: string;
  unitId: string;
  unitName: string;
  value: number;
  document: string;
  enteredBy: string;
  enteredAt: string;
  supersededAt: string | null;
}

export interface VetoView {
  id: string;
  unitId: string;
  unitName: string;
  periodId: string;
  schemeId: string | null;
  reason: string;
  evidence: string;
  recordedBy: string;
  recordedAt: string;
  revokedAt: string | null;
  revokeReason: string | null;
}

export type RunStatus = 'computed' | 'in_review' | 'approved' | 'published' | 'superseded';

export interface RunSummary {
  id: string;
  schemeId: string;
  schemeName: string;
  version: number;
  periodId: string;
  periodName: string;
  groupKey: string;
  groupName: string;
  status: RunStatus;
  unitCount: number;
  computedAt: string;
  computedBy: string;
  publishedAt: string | null;
}

export interface UnitRow {
  unitId: string;
  code: string;
  name: string;
  /** The unit's parent as of the period's end: two 登记注册科 are told apart by it (null: it has none). */
  parentName: string | null;
  total: number;
  interval: { low: number; high: number } | null;
  rank: number;
  grade: string | null;
  bonusScore: number | null;
  previousRank: number | null;
  rankChange: number | null;
  flags: ResultFlag[];
  components: Record<string, number>;
}

/** A review stage's decision on the lists (审议), with who recorded it. */
export interface ReviewRecord {
  stageIndex: number;
  stageName: string;
  body: string;
  decidedOn: string;
  decision: 'approve' | 'amend';
  reason: string | null;
  best: string[];
  worst: string[];
  recordedBy: string;
  recordedAt: string;
}

/** A component of the scheme as the results table and the notice name it. */
export interface ComponentSummary {
  id: string;
  name: string;
  maxPoints: number;
  depth: number;
}

export interface RunDetail extends RunSummary {
  precision: number;
  inputsDigest: string;
  resultsDigest: string;
  supersededBy: string | null;
  units: UnitRow[];
  proposed: ReviewLists;
  current: ReviewLists;
  largestDecline: string[];
  declinedTwoRunning: string[];
  stages: ReviewStageDef[];
  reviews: ReviewRecord[];
  nextStage: number | null;
  problems: Record<string, string>;
  components: ComponentSummary[];
}

/** A unit's result with its explanation, its parent (null when it has none) and 主要问题. */
export type UnitResultView = Omit<UnitResult, 'parentName'> & {
  parentName: string | null;
  problems: string | null;
};

/**
 * What a published result is: best and worst lists (十佳十差), a worst list only (最难办事科室), or a
 * ranking without lists (Tai'an).
 */
export type PublicResultKind = 'best_worst' | 'worst_only' | 'ranking';

export interface PublicResultSummary {
  id: string;
  schemeName: string;
  periodName: string;
  groupName: string;
  publishedAt: string;
  kind: PublicResultKind;
  /** How many units the final lists name: a list of results labels 十佳十差 only for ten and ten. */
  listSizes: { best: number; worst: number };
}

export interface PublicRow {
  unitId: string;
  code: string;
  name: string;
  /** The unit's parent as of the period's end: 登记注册科 of which bureau. */
  parentName: string | null;
  total: number;
  rank: number;
  grade: string | null;
  flags: ResultFlag[];
  /** Previous rank − rank: positive when the unit rose; null without a previous published period. */
  rankChange: number | null;
  /** 主要问题, when the office wrote them. */
  problems: string | null;
}

/** A review stage that decided on the lists, as the public reads it (never the account that recorded it). */
export type PublicReviewStage = Omit<ReviewRecord, 'recordedBy'>;

export interface PublicResult extends PublicResultSummary {
  /** The issuing office the scheme version names, for the notice; null: the notice says 考核办公室. */
  issuer: string | null;
  /** The scheme's components in tree order (root at depth 0), for the notice's paragraph of method. */
  components: ComponentSummary[];
  precision: number;
  best: PublicRow[];
  worst: PublicRow[];
  units: PublicRow[];
  stages: PublicReviewStage[];
  inputsDigest: string;
  resultsDigest: string;
  schemeVersion: number;
}

// --- publication warnings --------------------------------------------------------------------------

/**
 * A condition that makes a result misleading although every rule was followed (see warnings.ts).
 * Computing, approving and publishing refuse while one applies unless the request accepts its code.
 */
export type RunWarningCode =
  | 'source_without_values'
  | 'source_partly_without_values'
  | 'period_not_ended'
  | 'problems_missing'
  | 'list_size_differs';

export const RUN_WARNING_CODES: readonly RunWarningCode[] = [
  'source_without_values',
  'source_partly_without_values',
  'period_not_ended',
  'problems_missing',
  'list_size_differs',
];

export interface RunWarning {
  code: RunWarningCode;
  /** English; the console words it from the code and params. */
  message: string;
  params: Record<string, string | number>;
}
