import type { ErrorCode } from '../core/error-codes.js';
import { nearestSetting } from '../registry/model.js';
import { addWorkingDays, type WorkingCalendar } from '../core/calendar/model.js';
import { ESCALATION_STEP_NAMES, escalationStep, workingDaysLeftUntil } from '../core/calendar/escalation.js';
import {
  DEADLINE_FIELDS,
  DEADLINE_LIMITS,
  type AppealReason,
  type CallbackMethod,
  type CaseState,
  type DeadlineRules,
  type EscalationLevel,
  type Judgement,
} from './types.js';

// The shared shapes (states, the parties' words, deadline rules) are declared in types.ts for the console.
export {
  APPEAL_REASONS,
  CALLBACK_METHODS,
  CASE_STATES,
  DEADLINE_FIELDS,
  DEADLINE_LIMITS,
  ESCALATION_LEVELS,
  JUDGEMENTS,
} from './types.js';
export type {
  AppealReason,
  CallbackMethod,
  CaseState,
  DeadlineRules,
  EscalationLevel,
  Judgement,
} from './types.js';

/*
 * The bad-review closed loop (差评整改: 评价 → 反馈 → 整改 → 监督) as a state machine, with its
 * deadlines in working days and its escalation ladder. Pure: no I/O.
 *
 *   verifying ──genuine──▶ rectifying ──reply──▶ awaiting_judgement ──satisfied──▶ closed
 *       │                     ▲   ▲                     │
 *       └──appeal──▶ appealed ┘   └────not satisfied────┘
 *                       └──upheld──▶ dismissed (the rating leaves the statistics)
 */

export const CASE_STATE_NAMES: Record<CaseState, string> = {
  verifying: '待核实',
  appealed: '申诉复核中',
  rectifying: '整改中',
  awaiting_judgement: '待评价人确认',
  closed: '已办结',
  dismissed: '申诉成立（不计入）',
};

export interface CaseFacts {
  state: CaseState;
  /** The rater left a way to be reached: a call-back is then required before replying. */
  named: boolean;
  calledBack: boolean;
  rectified: boolean;
}

export type CaseAction =
  | { type: 'verify_genuine' }
  | { type: 'appeal'; reason: AppealReason }
  | { type: 'decide_appeal'; upheld: boolean }
  | { type: 'record_callback' }
  | { type: 'record_rectification' }
  | { type: 'reply' }
  | { type: 'judge'; judgement: Judgement }
  | { type: 'close_unjudged' }
  /** The rating was taken out of the statistics by the office (not through this case's appeal). */
  | { type: 'rating_removed' };

export type TransitionResult =
  { ok: true; state: CaseState; reopened: boolean } | { ok: false; code: ErrorCode; message: string };

const refuse = (code: ErrorCode, message: string): TransitionResult => ({ ok: false, code, message });

/** The state after an action, or why the action is not possible now. */
export function transition(facts: CaseFacts, action: CaseAction): TransitionResult {
  const stay = (): TransitionResult => ({ ok: true, state: facts.state, reopened: false });
  const go = (state: CaseState, reopened = false): TransitionResult => ({ ok: true, state, reopened });
  const wrongState = () =>
    refuse('case_wrong_state', `This cannot be done while the case is “${CASE_STATE_NAMES[facts.state]}”.`);
  switch (action.type) {
    case 'verify_genuine':
      return facts.state === 'verifying' ? go('rectifying') : wrongState();
    case 'appeal':
      return facts.state === 'verifying' ? go('appealed') : wrongState();
    case 'decide_appeal':
      if (facts.state !== 'appealed') return wrongState();
      return go(action.upheld ? 'dismissed' : 'rectifying');
    case 'record_callback':
    case 'record_rectification':
      return facts.state === 'rectifying' ? stay() : wrongState();
    case 'reply':
      if (facts.state !== 'rectifying') return wrongState();
      if (facts.named && !facts.calledBack) {
        return refuse(
          'callback_required',
          'The rater left contact details: record the call-back (回访) before replying.',
        );
      }
      if (!facts.rectified) {
        return refuse('rectification_required', 'Record what was rectified (整改情况) before replying.');
      }
      return go('awaiting_judgement');
    case 'judge':
      if (facts.state !== 'awaiting_judgement') return wrongState();
      return action.judgement === 'not_satisfied' ? go('rectifying', true) : go('closed');
    case 'close_unjudged':
      return facts.state === 'awaiting_judgement' ? go('closed') : wrongState();
    case 'rating_removed':
      return facts.state === 'dismissed' ? wrongState() : go('dismissed');
  }
}

/** Whether the case still counts against the unit's deadlines (the unit holds the ball). */
export function unitHoldsCase(state: CaseState): boolean {
  return state === 'verifying' || state === 'rectifying';
}

// --- deadlines and escalation ----------------------------------------------------------------

export const DEFAULT_DEADLINES: DeadlineRules = {
  verifyDays: 1,
  rectifyDays: 15,
  urgentAfterDays: 3,
  talkAfterDays: 5,
  judgeDays: 5,
};

/** The due date of the current step: verification from opening, rectification from opening or reopening. */
export function dueDate(
  state: CaseState,
  openedOn: string,
  rectifyFrom: string,
  rules: DeadlineRules,
  calendar: WorkingCalendar,
): string | null {
  if (state === 'verifying') return addWorkingDays(openedOn, rules.verifyDays, calendar);
  if (state === 'rectifying') return addWorkingDays(rectifyFrom, rules.rectifyDays, calendar);
  return null;
}

// The ladder itself is shared with the rectification ledger and the 办不成事 window (core/calendar/escalation).
export const ESCALATION_NAMES: Record<Exclude<EscalationLevel, 0>, string> = ESCALATION_STEP_NAMES;

/**
 * How far a case is overdue on `today`: 0 on time, 1 past the due date (warning), 2 more than
 * `urgentAfterDays` working days past it (urgent warning), 3 more than a further `talkAfterDays` (talk).
 */
export function escalationLevel(
  due: string | null,
  today: string,
  rules: DeadlineRules,
  calendar: WorkingCalendar,
): EscalationLevel {
  return escalationStep(due, today, rules, calendar);
}

/** Working days left until the due date (positive), or working days overdue (negative); null without a due date. */
export function workingDaysLeft(due: string | null, today: string, calendar: WorkingCalendar): number | null {
  return workingDaysLeftUntil(due, today, calendar);
}

// --- configuration ---------------------------------------------------------------------------

/** The deadline rules of the installation, with overrides for jurisdictions (or any unit) under it. */
export interface CasesConfig {
  rules: DeadlineRules;
  /** Per unit id: the fields that differ there. The nearest unit in a case's ancestry wins, field by field. */
  byUnit: Record<string, Partial<DeadlineRules>>;
}

export const DEFAULT_CASES_CONFIG: CasesConfig = { rules: DEFAULT_DEADLINES, byUnit: {} };

/** The problem with one deadline value, or null when it is a whole number within its limits. */
export function deadlineProblem(field: keyof DeadlineRules, value: unknown): string | null {
  const { min, max } = DEADLINE_LIMITS[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return `${field} must be a whole number of working days from ${min} to ${max}.`;
  }
  return null;
}

/** Reads the stored configuration; anything unreadable or out of range falls back to the defaults. */
export function parseCasesConfig(json: string | undefined): CasesConfig {
  if (json === undefined) return DEFAULT_CASES_CONFIG;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return DEFAULT_CASES_CONFIG;
  }
  if (typeof raw !== 'object' || raw === null) return DEFAULT_CASES_CONFIG;
  const r = raw as { rules?: unknown; byUnit?: unknown };
  const pick = (source: unknown): Partial<DeadlineRules> => {
    const out: Partial<DeadlineRules> = {};
    if (typeof source !== 'object' || source === null) return out;
    for (const field of DEADLINE_FIELDS) {
      const value = (source as Record<string, unknown>)[field];
      if (deadlineProblem(field, value) === null) out[field] = value as number;
    }
    return out;
  };
  const byUnit: Record<string, Partial<DeadlineRules>> = {};
  if (typeof r.byUnit === 'object' && r.byUnit !== null) {
    for (const [unitId, rules] of Object.entries(r.byUnit)) {
      const picked = pick(rules);
      if (Object.keys(picked).length > 0) byUnit[unitId] = picked;
    }
  }
  return { rules: { ...DEFAULT_DEADLINES, ...pick(r.rules) }, byUnit };
}

/** The rules for a unit, given its ancestry (the unit first): the nearest override of each field wins. */
export function rulesFor(config: CasesConfig, ancestry: readonly string[]): DeadlineRules {
  const rules: DeadlineRules = { ...config.rules };
  for (const field of DEADLINE_FIELDS) {
    rules[field] = nearestSetting(ancestry, (unitId) => config.byUnit[unitId]?.[field]) ?? rules[field];
  }
  return rules;
}

// --- what the parties write ------------------------------------------------------------------

export const APPEAL_REASON_NAMES: Record<AppealReason, string> = {
  mistaken: '误评',
  malicious: '恶意差评',
};

export const CALLBACK_METHOD_NAMES: Record<CallbackMethod, string> = {
  phone: '电话回访',
  sms: '短信回访',
  visit: '上门回访',
  other: '其他方式',
};

export const JUDGEMENT_NAMES: Record<Judgement, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  not_satisfied: '不满意',
};

/**
 * What a case has added to the activity counters so far (subtracted again when its rating is removed):
 * the bad review, and once replied, replied and called-back-and-rectified; its latest judgement.
 */
export function caseCounters(c: { repliedAt: string | null; judgement: string | null }): {
  badCases: number;
  replied: number;
  rectified: number;
  judged: number;
  satisfied: number;
} {
  const replied = c.repliedAt !== null ? 1 : 0;
  const judged = c.judgement !== null ? 1 : 0;
  const satisfied = c.judgement === 'satisfied' || c.judgement === 'basically_satisfied' ? 1 : 0;
  return { badCases: 1, replied, rectified: replied, judged, satisfied };
}

/** Satisfied and basically satisfied both count towards 回访整改满意率. */
export function isSatisfied(judgement: Judgement): boolean {
  return judgement !== 'not_satisfied';
}

/**
 * How a judgement moves the judged and satisfied counters. Each case counts once, with its latest
 * judgement: a second judgement after a reopening replaces the first instead of adding to it.
 */
export function judgementDelta(
  previous: Judgement | null,
  next: Judgement,
): { judged: number; satisfied: number } {
  const was = previous !== null && isSatisfied(previous) ? 1 : 0;
  const now = isSatisfied(next) ? 1 : 0;
  return { judged: previous === null ? 1 : 0, satisfied: now - was };
}

// --- what the public sees --------------------------------------------------------------------

/** A comment as anyone may read it (personal numbers masked); see core/mask.ts. */
export { maskPersonalData } from '../core/mask.js';

/**
 * Which deadline a warning is about: `verifying:0`, `rectifying:0`, `rectifying:1` after the first
 * reopening, … Each deadline has its own ladder of warnings.
 */
export function warningStage(state: CaseState, reopenCount: number): string {
  return `${state}:${reopenCount}`;
}
