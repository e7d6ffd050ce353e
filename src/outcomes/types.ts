/*
 * The shapes of result application (结果运用): the consequence rules an office sets per scheme, the
 * consequences the platform proposes from a published run, the ones the office confirmed, their appeals,
 * and a unit's record. Types and constants only, with no imports, so that the console uses these very
 * declarations; the rules live in model.ts.
 */

/** What a consequence does. */
export const CONSEQUENCE_KINDS = [
  /** 下调考核奖金 N%: Xi'an's −5% for the largest decline. */
  'bonus_cut',
  /** 扣发考核奖金: Caidian's ten worst. */
  'bonus_withheld',
  /** 按实际得分兑现奖金: Chuzhou pays a vetoed unit by its actual score, not by its grade. */
  'bonus_by_actual_score',
  /** N 个月内不得提拔重用: Nanchuan's ten hardest sections. */
  'no_promotion',
  /** 不得评为优秀等次 */
  'not_excellent',
  /** 约谈 / 谈话提醒 */
  'talk',
  /** 公开整改承诺: Caidian's worst answer in public. */
  'public_commitment',
  /** 表扬奖励: the best list. */
  'reward',
] as const;
export type ConsequenceKind = (typeof CONSEQUENCE_KINDS)[number];

/** Who a consequence falls on. */
export const CONSEQUENCE_TARGETS = ['unit', 'principal', 'deputy', 'middle_managers'] as const;
export type ConsequenceTarget = (typeof CONSEQUENCE_TARGETS)[number];

/** Result flags a rule may be triggered by (the scoring engine sets them). */
export const TRIGGER_FLAGS = ['largest_decline', 'declined_two_running', 'vetoed', 'promoted'] as const;
export type TriggerFlag = (typeof TRIGGER_FLAGS)[number];

/** What makes a rule fire for a unit of a published run. */
export type RuleTrigger =
  | { kind: 'flag'; flag: TriggerFlag }
  /** On the best or worst list as approved (after every review stage). */
  | { kind: 'list'; list: 'best' | 'worst' }
  /** Given this grade key. */
  | { kind: 'grade'; grade: string };

/** One consequence rule of a scheme. */
export interface ConsequenceRule {
  /** Stable key, unique in the rule set (letters, digits, '_' and '-'). */
  key: string;
  /** What the office calls it, e.g. 下调年度考核奖金5%. */
  name: string;
  trigger: RuleTrigger;
  kind: ConsequenceKind;
  target: ConsequenceTarget;
  /** bonus_cut only: the cut in percent, 0 < percent ≤ 100. */
  percent?: number;
  /** no_promotion only: the months it lasts (1–120), counted from the day the result is published. */
  months?: number;
}

/** A scheme's consequence rules. */
export interface RuleSetView {
  schemeId: string;
  rules: ConsequenceRule[];
  updatedAt: string | null;
  updatedBy: string | null;
}

/** A ready-made rule set from a seed model. */
export interface RulePreset {
  key: string;
  name: string;
  rules: ConsequenceRule[];
}

/** Why a rule fired for a unit: the run, the rule and what in the result triggered it. */
export interface ConsequenceBasis {
  runId: string;
  ruleKey: string;
  trigger: RuleTrigger;
  rank: number;
  previousRank: number | null;
  rankChange: number | null;
  total: number;
  grade: string | null;
  /** 1-based place on the list, for a list trigger. */
  listPosition: number | null;
  /** The score the bonus is paid on, for bonus_by_actual_score. */
  bonusScore: number | null;
}

/** A consequence the platform proposes from a published run (not stored until decided). */
export interface Proposal {
  runId: string;
  ruleKey: string;
  ruleName: string;
  unitId: string;
  unitCode: string;
  unitName: string;
  parentName: string | null;
  kind: ConsequenceKind;
  target: ConsequenceTarget;
  percent: number | null;
  months: number | null;
  /** The day it takes effect: the run's publication day (China time). */
  startsOn: string;
  /** Last day in force (inclusive), for a consequence that lasts; null otherwise. */
  endsOn: string | null;
  basis: ConsequenceBasis;
}

/** confirmed: in effect; rejected: the office declined the proposal; revoked: an appeal was granted. */
export type ConsequenceStatus = 'confirmed' | 'rejected' | 'revoked';

export type AppealStatus = 'pending' | 'upheld' | 'granted';

export interface AppealView {
  id: string;
  consequenceId: string;
  filedOn: string;
  grounds: string;
  filedBy: string;
  status: AppealStatus;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
}

/** A decided proposal: who decided it, when, on what basis, until when; its appeals. */
export interface ConsequenceView extends Proposal {
  id: string;
  status: ConsequenceStatus;
  /** The person it falls on, when the office named one (e.g. 科长 张三). */
  subject: string | null;
  note: string | null;
  decidedBy: string;
  decidedAt: string;
  /** talk / public_commitment: when it was carried out, and what was recorded. */
  doneOn: string | null;
  doneNote: string | null;
  /** Confirmed and not yet over: lasting until endsOn, or a talk/commitment not yet carried out. */
  open: boolean;
  schemeName: string;
  periodName: string;
  appeals: AppealView[];
}

/** A published run's proposals, each with its decision when there is one. */
export interface RunOutcomes {
  runId: string;
  schemeId: string;
  schemeName: string;
  periodName: string;
  groupName: string;
  publishedAt: string;
  hasRules: boolean;
  items: { proposal: Proposal; decision: ConsequenceView | null }[];
}

/** One published result of a unit. */
export interface RecordResult {
  runId: string;
  schemeName: string;
  periodName: string;
  groupName: string;
  publishedAt: string;
  total: number;
  rank: number;
  groupSize: number;
  grade: string | null;
  gradeName: string | null;
  rankChange: number | null;
  flags: string[];
  onBest: boolean;
  onWorst: boolean;
}

/** A unit's record over time: every published result, every consequence with its appeals. */
export interface UnitRecord {
  unitId: string;
  unitCode: string;
  unitName: string;
  results: RecordResult[];
  consequences: ConsequenceView[];
}
