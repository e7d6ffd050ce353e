/*
 * The shapes of evaluation campaigns (专项评价): the scales an evaluator answers on, the questionnaire built
 * from them, a ballot's answers, and the results per subject. Types and constants only, with no imports,
 * so that the console and the phone page (web/) use these very declarations; the rules live in model.ts
 * and the one schema that validates a questionnaire in schema.ts.
 */

// --- scales --------------------------------------------------------------------------------------

/** 4-level satisfaction (Tai'an's key tasks, Caidian's dimensions), best first. */
export const SATISFACTION_LEVELS = [
  'satisfied',
  'fairly_satisfied',
  'basically_satisfied',
  'dissatisfied',
] as const;
export type SatisfactionLevel = (typeof SATISFACTION_LEVELS)[number];

export const SATISFACTION_LABELS: Record<SatisfactionLevel, string> = {
  satisfied: '满意',
  fairly_satisfied: '比较满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
};

/** The office's usual level → score map (100/80/60/0); each campaign may set its own. */
export const DEFAULT_SATISFACTION_SCORES: Record<SatisfactionLevel, number> = {
  satisfied: 100,
  fairly_satisfied: 80,
  basically_satisfied: 60,
  dissatisfied: 0,
};

/** 5-level difficulty (Tai'an), hardest first; each level's value is 5 (很难) … 1 (很容易). */
export const DIFFICULTY_LEVELS = ['very_hard', 'hard', 'moderate', 'easy', 'very_easy'] as const;
export type DifficultyLevel = (typeof DIFFICULTY_LEVELS)[number];

export const DIFFICULTY_LABELS: Record<DifficultyLevel, string> = {
  very_hard: '很难',
  hard: '较难',
  moderate: '一般',
  easy: '较容易',
  very_easy: '很容易',
};

export const DIFFICULTY_VALUES: Record<DifficultyLevel, number> = {
  very_hard: 5,
  hard: 4,
  moderate: 3,
  easy: 2,
  very_easy: 1,
};

/** Nanchuan's five signs of a section where things are hard to get done (冷懒推乱贪). */
export const CHECKLIST_INDICATORS = ['cold', 'lazy', 'shirk', 'disorder', 'greed'] as const;
export type ChecklistIndicator = (typeof CHECKLIST_INDICATORS)[number];

export interface ChecklistEntry {
  label: string;
  /** What the sign looks like at the counter; an evaluator ticks these (细化表象). */
  manifestations: string[];
}

export const CHECKLIST: Record<ChecklistIndicator, ChecklistEntry> = {
  cold: { label: '冷', manifestations: ['态度冷漠、脸难看', '对群众诉求不理不睬', '说话生硬、不耐烦'] },
  lazy: { label: '懒', manifestations: ['上班迟到早退、脱岗', '办事拖拉、效率低', '一次性告知不到位'] },
  shirk: {
    label: '推',
    manifestations: ['推诿扯皮、踢皮球', '该办的不办、能办的拖办', '让群众多头跑、反复跑'],
  },
  disorder: {
    label: '乱',
    manifestations: ['乱收费、乱设门槛', '程序不规范、标准不一', '要求提供不必要的材料'],
  },
  greed: { label: '贪', manifestations: ['吃拿卡要', '优亲厚友、暗箱操作', '收受好处、以权谋私'] },
};

/** A ticked manifestation: `<indicator>.<index>` (e.g. `shirk.0` for 推诿扯皮). */
export type ManifestationKey = `${ChecklistIndicator}.${number}`;

// --- questionnaire --------------------------------------------------------------------------------

export interface ItemBase {
  /** Stable key within the questionnaire (letters, digits, '_'); results and measures name it. */
  key: string;
  /** The question as the evaluator reads it. */
  prompt: string;
  /** An evaluator must answer it for every subject (default true; free text is never required). */
  required?: boolean;
}

export interface SatisfactionItem extends ItemBase {
  kind: 'satisfaction';
}
export interface DifficultyItem extends ItemBase {
  kind: 'difficulty';
}
export interface ChecklistItem extends ItemBase {
  kind: 'checklist';
}
export interface DimensionsItem extends ItemBase {
  kind: 'dimensions';
  /** Each rated on the 4-level satisfaction scale (Caidian's five dimensions). */
  dimensions: { key: string; name: string }[];
}
export interface YesNoItem extends ItemBase {
  kind: 'yes_no';
}
export interface ChoiceItem extends ItemBase {
  kind: 'choice';
  options: { key: string; label: string }[];
  /** Several options may be ticked. */
  multiple?: boolean;
}
export interface TextItem extends ItemBase {
  kind: 'text';
  /** Characters at most (≤ 2000; default 500). */
  maxLength?: number;
}

export type QuestionItem =
  SatisfactionItem | DifficultyItem | ChecklistItem | DimensionsItem | YesNoItem | ChoiceItem | TextItem;
export type ItemKind = QuestionItem['kind'];

export const ITEM_KINDS = [
  'satisfaction',
  'difficulty',
  'checklist',
  'dimensions',
  'yes_no',
  'choice',
  'text',
] as const satisfies readonly ItemKind[];

/**
 * How the difficulty figure (mean difficulty, 1 很容易 … 5 很难) becomes the coefficient a key task's
 * satisfaction score is multiplied by.
 *  - linear: coefficient = 1 + perLevel × (difficulty − centre);
 *  - steps: the first step (highest `atLeast` first) the difficulty reaches gives its coefficient, else 1.
 */
export type DifficultyFormula =
  | { kind: 'linear'; centre: number; perLevel: number }
  | { kind: 'steps'; steps: { atLeast: number; coefficient: number }[] };

export interface Questionnaire {
  /** Shown to the evaluator above the subjects. */
  intro?: string;
  items: QuestionItem[];
  /** Level → score for every satisfaction answer (items and dimensions). */
  satisfactionScores: Record<SatisfactionLevel, number>;
  /**
   * Tai'an's key-task score: the satisfaction item × the coefficient of the difficulty item; capped at
   * `cap` when given. Both items must be in the questionnaire.
   */
  keyTask?: { satisfaction: string; difficulty: string; formula: DifficultyFormula; cap?: number };
}

// --- answers ------------------------------------------------------------------------------------

/** One item's answer: a level key, a yes/no, option or manifestation keys, dimension → level, or text. */
export type Answer = string | boolean | string[] | Record<string, string>;

/** One subject's answers, by item key. */
export type SubjectAnswers = Record<string, Answer>;

/** A ballot as an evaluator submits it: subject id → answers. */
export type BallotAnswers = Record<string, SubjectAnswers>;

// --- results ------------------------------------------------------------------------------------

/** A mean (or a share) with n and its 95% interval. */
export interface Estimate {
  value: number;
  n: number;
  low: number;
  high: number;
}

export type ItemResult =
  | {
      key: string;
      kind: 'satisfaction';
      distribution: Record<SatisfactionLevel, number>;
      score: Estimate | null;
    }
  | {
      key: string;
      kind: 'difficulty';
      distribution: Record<DifficultyLevel, number>;
      difficulty: Estimate | null;
    }
  | {
      key: string;
      kind: 'dimensions';
      dimensions: { key: string; distribution: Record<SatisfactionLevel, number>; score: Estimate | null }[];
      /** Mean of the dimension scores that have one. */
      mean: number | null;
    }
  | {
      key: string;
      kind: 'checklist';
      /** Ballots ticking at least one manifestation of each indicator, with the share of n. */
      indicators: Record<ChecklistIndicator, { count: number; share: Estimate | null }>;
      manifestations: Record<string, number>;
    }
  | { key: string; kind: 'yes_no'; yes: number; no: number; share: Estimate | null }
  | { key: string; kind: 'choice'; distribution: Record<string, number> }
  | { key: string; kind: 'text'; count: number };

export interface SubjectResult {
  subjectId: string;
  /** Ballots that answered this subject. */
  n: number;
  items: ItemResult[];
  keyTask: { coefficient: number; score: Estimate } | null;
}

// --- campaigns as the endpoints answer them -------------------------------------------------------

export const SUBJECT_KINDS = ['unit', 'key_task'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const ROUND_STATES = ['draft', 'open', 'closed', 'computed'] as const;
export type RoundState = (typeof ROUND_STATES)[number];

/** Where a stage's evaluators come from. `draw` and `panel` take their evaluators from src/panel. */
export const EVALUATOR_SOURCES = ['directed', 'draw', 'panel', 'public', 'paper'] as const;
export type EvaluatorSource = (typeof EVALUATOR_SOURCES)[number];

export interface SubjectInput {
  kind: SubjectKind;
  /** The unit judged, or the key task's lead unit. */
  unitId: string;
  /** A key task's name (a unit subject is named after its unit when left out). */
  name?: string;
  group?: string;
  description?: string;
  highlights?: string[];
  cooperatingUnitIds?: string[];
}

export interface StageInput {
  name: string;
  source: EvaluatorSource;
  opensOn: string;
  closesOn: string;
}

export interface RoundInput {
  key: string;
  name: string;
  periodId?: string;
  opensOn: string;
  closesOn: string;
  stages: StageInput[];
}

export interface CampaignInput {
  key: string;
  name: string;
  description?: string;
  subjectKind: SubjectKind;
  questionnaire: Questionnaire;
  named?: boolean;
  mixSize?: number;
  minResponses?: number;
  subjects: SubjectInput[];
  rounds: RoundInput[];
}

export interface CampaignChanges {
  name?: string;
  description?: string;
  questionnaire?: Questionnaire;
  subjects?: SubjectInput[];
}

export interface SubjectView {
  id: string;
  kind: SubjectKind;
  unitId: string;
  unitName: string;
  name: string;
  group: string;
  description: string;
  highlights: string[];
  cooperatingUnitIds: string[];
}

export interface StageView extends StageInput {
  id: string;
}

export interface RoundView {
  id: string;
  key: string;
  name: string;
  periodId: string | null;
  opensOn: string;
  closesOn: string;
  state: RoundState;
  stages: StageView[];
}

export interface CampaignSummary {
  id: string;
  key: string;
  name: string;
  subjectKind: SubjectKind;
  createdAt: string;
}

export interface CampaignDetail extends CampaignSummary {
  description: string;
  questionnaire: Questionnaire;
  /** The key-task formula written out, when the questionnaire has one. */
  formula: string | null;
  named: boolean;
  mixSize: number;
  minResponses: number;
  /** Once anyone has answered, the questionnaire and the subjects no longer change. */
  frozen: boolean;
  subjects: SubjectView[];
  rounds: RoundView[];
}

export interface EvaluatorEntry {
  /** The evaluator's id in its source (a pool member, a deputy's number …); never stored with a ballot. */
  ref?: string;
  name: string;
  /** For the SMS invitation; empty for a printed sheet. */
  phone?: string;
  group?: string;
  /** The subjects this evaluator judges (ids); all of the campaign's when left out. */
  subjectIds?: string[];
}

export interface IssuedInvitation {
  invitationId: string;
  name: string;
  /** The one-time token, shown once, for a printed sheet; the link carries it after '#'. */
  token: string;
  link: string;
}

export interface ResponseCount {
  key: string;
  label: string;
  invited: number;
  answered: number;
  /** Below the campaign's minimum responses once the stage (or the round) has ended. */
  flagged: boolean;
}

export interface ResponseMonitor {
  roundId: string;
  invited: number;
  answered: number;
  bySubject: ResponseCount[];
  byGroup: ResponseCount[];
  bySource: ResponseCount[];
  byStage: ResponseCount[];
  pending: {
    invitationId: string;
    name: string;
    group: string;
    reminders: number;
    lastRemindedOn: string | null;
  }[];
}

export interface RoundResults {
  roundId: string;
  state: RoundState;
  computedAt: string | null;
  ballots: number;
  formula: string | null;
  subjects: (SubjectResult & { name: string; unitId: string })[];
}

/** What the evaluator's page shows for a token. */
export interface BallotForm {
  campaignName: string;
  /** The round, for the receipt check once it has closed (every invitee of the round shares it). */
  roundId: string;
  roundName: string;
  /** Whether ballots are accepted today (the round's state and dates). */
  status: 'not_open' | 'open' | 'closed';
  opensOn: string;
  intro: string;
  /** The ballot will carry the evaluator's name (the campaign's rules say so). */
  named: boolean;
  evaluatorName: string | null;
  questionnaire: Questionnaire;
  subjects: { id: string; name: string; description: string; highlights: string[] }[];
  draft: BallotAnswers | null;
  submitted: boolean;
  closesOn: string;
}

/** What anyone may see of a round: for the receipt check and the published ballots. */
export interface PublicRoundView {
  campaignName: string;
  roundName: string;
  state: RoundState;
  closesOn: string;
  questionnaire: Questionnaire;
  subjects: { id: string; name: string }[];
}

export interface PublicBallot {
  /** The first 16 hex digits of the receipt's SHA-256 digest. */
  receipt: string;
  answers: BallotAnswers;
}
