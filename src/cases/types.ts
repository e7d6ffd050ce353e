/*
 * The shapes of bad-review cases (差评整改): the states, the words the parties choose from, the deadline
 * rules and what the case endpoints answer. Types and constants only, with no imports, so that the console
 * and the public pages (web/) use these very declarations instead of a copy; the rules live in model.ts,
 * the presenters in service.ts.
 */

// --- states and the words the parties choose from ----------------------------------------------

export const CASE_STATES = [
  'verifying',
  'appealed',
  'rectifying',
  'awaiting_judgement',
  'closed',
  'dismissed',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const JUDGEMENTS = ['satisfied', 'basically_satisfied', 'not_satisfied'] as const;
export type Judgement = (typeof JUDGEMENTS)[number];

export const APPEAL_REASONS = ['mistaken', 'malicious'] as const;
export type AppealReason = (typeof APPEAL_REASONS)[number];

export const CALLBACK_METHODS = ['phone', 'sms', 'visit', 'other'] as const;
export type CallbackMethod = (typeof CALLBACK_METHODS)[number];

/** 0 on time, 1 预警单, 2 紧急预警单, 3 约谈. */
export const ESCALATION_LEVELS = [0, 1, 2, 3] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

// --- deadlines ----------------------------------------------------------------------------------

export interface DeadlineRules {
  /** Working days to verify a bad review (default 1). */
  verifyDays: number;
  /** Working days to rectify and reply (default 15; some jurisdictions use 5 or 7). */
  rectifyDays: number;
  /** Working days after a missed deadline before the urgent warning (紧急预警单). */
  urgentAfterDays: number;
  /** Working days after the urgent warning before the escalation for an admonitory talk (约谈). */
  talkAfterDays: number;
  /** Working days the rater has to judge the reply before the case closes without a judgement. */
  judgeDays: number;
}

export const DEADLINE_FIELDS = [
  'verifyDays',
  'rectifyDays',
  'urgentAfterDays',
  'talkAfterDays',
  'judgeDays',
] as const satisfies readonly (keyof DeadlineRules)[];

/** Lowest and highest working days each rule accepts. */
export const DEADLINE_LIMITS: Record<keyof DeadlineRules, { min: number; max: number }> = {
  verifyDays: { min: 0, max: 30 },
  rectifyDays: { min: 1, max: 120 },
  urgentAfterDays: { min: 0, max: 60 },
  talkAfterDays: { min: 0, max: 60 },
  judgeDays: { min: 1, max: 60 },
};

// --- HTTP responses (and the queries and bodies behind them) ------------------------------------
/* What the case endpoints answer (service.ts builds them, routes.ts declares their schemas). */

export interface CaseSummary {
  id: string;
  reference: string;
  ratingId: string;
  unitId: string;
  unitName: string;
  responsibleUnitId: string;
  responsibleUnitName: string;
  responsibleName: string;
  state: CaseState;
  stateName: string;
  named: boolean;
  calledBack: boolean;
  rectified: boolean;
  reopenCount: number;
  ratingDay: string;
  openedAt: string;
  openedOn: string;
  dueOn: string | null;
  /** Working days until the due date (positive) or past it (negative); null when the unit does not hold the case. */
  workingDaysLeft: number | null;
  overdue: boolean;
  escalation: EscalationLevel;
  escalationName: string | null;
  level: number;
  tags: string[];
  comment: string;
  channel: string;
  repliedAt: string | null;
  judgement: Judgement | null;
  judgeDueOn: string | null;
  closedAt: string | null;
}

export interface CaseEventView {
  id: string;
  at: string;
  actor: string;
  type: string;
  payload: Record<string, unknown>;
}

export interface CaseDetail extends CaseSummary {
  appealReason: AppealReason | null;
  appealText: string | null;
  appealEvidence: string[];
  appealDecision: 'upheld' | 'rejected' | null;
  appealNote: string | null;
  rectificationText: string | null;
  replyText: string | null;
  judgementComment: string | null;
  judgedAt: string | null;
  /** The rater's contact for the call-back: only for named reviews, only for those who handle the case. */
  rater: { name: string; phone: string } | null;
  warnings: { level: number; name: string; dueOn: string; issuedOn: string }[];
  events: CaseEventView[];
}

/** POST /api/cases/:id/appeal */
export interface AppealInput {
  reason: AppealReason;
  text: string;
  evidence?: readonly string[] | undefined;
}

/** POST /api/cases/:id/callback */
export interface CallbackInput {
  at: string;
  method: CallbackMethod;
  summary: string;
}

export interface CaseQuery {
  unitId?: string | undefined;
  state?: CaseState | undefined;
  overdue?: boolean | undefined;
  escalation?: number | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface CasePage {
  items: CaseSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface WarningView {
  id: string;
  caseId: string;
  caseReference: string;
  level: number;
  name: string;
  unitId: string;
  unitName: string;
  ratedUnitId: string;
  responsibleName: string;
  dueOn: string;
  issuedOn: string;
  createdAt: string;
  caseState: CaseState;
  caseStateName: string;
}

export interface WarningQuery {
  unitId?: string | undefined;
  level?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

/** A unit's own deadlines: the fields that differ from the installation's. */
export type DeadlineOverride = { unitId: string } & Partial<DeadlineRules>;

/** The deadline settings as read: the installation's rules and the per-unit overrides with their names. */
export interface CasesConfigView {
  rules: DeadlineRules;
  byUnit: (DeadlineOverride & { unitName: string })[];
}

/** The deadline settings as sent: leaving byUnit out clears the per-unit overrides. */
export interface CasesConfigInput {
  rules: DeadlineRules;
  byUnit?: DeadlineOverride[] | undefined;
}

/** A bad review and how it was handled, as the public reads it (personal data masked). */
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

/** GET /api/public/units/:code/cases */
export interface PublicCasePage {
  unitName: string;
  items: PublicCase[];
  total: number;
  page: number;
  pageSize: number;
}

/** GET /api/public/judgements/:token: what the rater sees behind the link. */
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
  /** Whether the link can still be used: the case awaits this rater's judgement. */
  open: boolean;
  judgement: Judgement | null;
  judgementName: string | null;
}
