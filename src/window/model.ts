import type { EscalationLadder } from '../core/calendar/escalation.js';
import { addWorkingDays, isWorkingDay, type WorkingCalendar } from '../core/calendar/model.js';
import type { ErrorCode } from '../core/error-codes.js';
import { addDays } from '../core/time.js';
import {
  MATTER_CHANNELS,
  MATTER_OUTCOMES,
  MATTER_RATINGS,
  MATTER_STATES,
  type MatterChannel,
  type MatterOutcome,
  type MatterRating,
  type MatterState,
} from './types.js';

/*
 * The 办不成事 window's rules, pure: the states a matter passes through, what each actor may do in each, the
 * working-day deadlines of each stage, who is on duty, the receipt code, and the public figures.
 *
 *   filed ──accept──▶ accepted ──assign──▶ handling ──(every unit replied)──▶ replied ──resolve──▶ resolved
 *     └─decline─▶ declined                    ▲                                  │                   │ rate
 *                                             └──────────return / reopen─────────┴───────────────────┴─▶ closed
 */

export { MATTER_CHANNELS, MATTER_OUTCOMES, MATTER_RATINGS, MATTER_STATES };
export type { MatterChannel, MatterOutcome, MatterRating, MatterState };

export const MATTER_STATE_NAMES: Record<MatterState, string> = {
  filed: '待受理',
  accepted: '待交办',
  handling: '办理中',
  replied: '待办结',
  resolved: '已办结待评价',
  closed: '已评价',
  declined: '不予受理',
};

export const CHANNEL_NAMES: Record<MatterChannel, string> = {
  web: '网上/手机反映',
  hall: '窗口登记',
  hotline: '热线登记',
};

export const OUTCOME_NAMES: Record<MatterOutcome, string> = {
  solved: '已解决',
  explained: '已解释说明',
};

export const RATING_NAMES: Record<MatterRating, string> = {
  satisfied: '满意',
  basically: '基本满意',
  dissatisfied: '不满意',
};

export interface WindowRules extends EscalationLadder {
  /** Working days the coordinator on duty has to accept (or decline) a filed matter. */
  acceptDays: number;
  /** Working days to assign an accepted matter to the units. */
  assignDays: number;
  /** Default working days the units have to handle an assigned matter. */
  handleDays: number;
  /** The longest handling time the coordinator may set. */
  maxHandleDays: number;
  /** Working days the coordinator has to record the result once every unit has replied. */
  resolveDays: number;
}

export const DEFAULT_WINDOW_RULES: WindowRules = {
  acceptDays: 1,
  assignDays: 1,
  handleDays: 5,
  maxHandleDays: 30,
  resolveDays: 2,
  urgentAfterDays: 3,
  talkAfterDays: 5,
};

/** The stages someone is expected to act in, and who: the coordinator (office) or the units. */
export function heldBy(state: MatterState): 'office' | 'units' | 'filer' | null {
  switch (state) {
    case 'filed':
    case 'accepted':
    case 'replied':
      return 'office';
    case 'handling':
      return 'units';
    case 'resolved':
      return 'filer';
    case 'closed':
    case 'declined':
      return null;
  }
}

/**
 * The due date of a stage begun on `from`: acceptance, assignment and the result in working days from the
 * stage's start; handling on the deadline the coordinator set; none while the filer rates or at the end.
 */
export function matterDueDate(
  state: MatterState,
  from: string,
  deadlineOn: string | null,
  rules: WindowRules,
  calendar: WorkingCalendar,
): string | null {
  switch (state) {
    case 'filed':
      return addWorkingDays(from, rules.acceptDays, calendar);
    case 'accepted':
      return addWorkingDays(from, rules.assignDays, calendar);
    case 'handling':
      return deadlineOn ?? addWorkingDays(from, rules.handleDays, calendar);
    case 'replied':
      return addWorkingDays(from, rules.resolveDays, calendar);
    case 'resolved':
    case 'closed':
    case 'declined':
      return null;
  }
}

/** The default handling deadline for a matter assigned on `today`. */
export function defaultHandleDeadline(today: string, rules: WindowRules, calendar: WorkingCalendar): string {
  return addWorkingDays(today, rules.handleDays, calendar);
}

/** Refuses a handling deadline that is not after today or lies beyond the longest handling time. */
export function checkHandleDeadline(
  deadlineOn: string,
  today: string,
  rules: WindowRules,
  calendar: WorkingCalendar,
): { ok: true } | { ok: false; code: ErrorCode; latest: string } {
  const latest = addWorkingDays(today, rules.maxHandleDays, calendar);
  if (deadlineOn <= today || deadlineOn > latest)
    return { ok: false, code: 'window_deadline_invalid', latest };
  return { ok: true };
}

export type MatterAction =
  | { type: 'accept' }
  | { type: 'decline'; reason: string }
  | { type: 'assign'; unitIds: readonly string[]; leadUnitId: string }
  | { type: 'respond'; allOthersReplied: boolean }
  | { type: 'return'; reason: string }
  | { type: 'resolve'; outcome: MatterOutcome; text: string }
  | { type: 'rate' }
  | { type: 'reopen'; reason: string };

export type TransitionResult =
  { ok: true; state: MatterState } | { ok: false; code: ErrorCode; message: string };

const wrong = (state: MatterState, what: string): TransitionResult => ({
  ok: false,
  code: 'window_wrong_state',
  message: `A matter that is ${MATTER_STATE_NAMES[state]} cannot be ${what}.`,
});

/**
 * Where an action takes a matter in a state, or why it is refused: only a filed matter is accepted or
 * declined (with a reason); only an accepted one is assigned (to at least one unit, the lead among them);
 * units reply while it is handled, and the last reply makes it replied; the office resolves a replied
 * matter (with a text) or returns it (with a reason); the filer rates a resolved one; the office reopens a
 * resolved or rated one (with a reason).
 */
export function matterTransition(state: MatterState, action: MatterAction): TransitionResult {
  switch (action.type) {
    case 'accept':
      return state === 'filed' ? { ok: true, state: 'accepted' } : wrong(state, 'accepted');
    case 'decline':
      if (state !== 'filed') return wrong(state, 'declined');
      if (action.reason.trim() === '') return reasonRequired();
      return { ok: true, state: 'declined' };
    case 'assign':
      if (state !== 'accepted') return wrong(state, 'assigned');
      if (action.unitIds.length === 0 || !action.unitIds.includes(action.leadUnitId)) {
        return {
          ok: false,
          code: 'window_units_required',
          message: 'Choose at least one unit, the lead unit among them.',
        };
      }
      return { ok: true, state: 'handling' };
    case 'respond':
      if (state !== 'handling') return wrong(state, 'answered by a unit');
      return { ok: true, state: action.allOthersReplied ? 'replied' : 'handling' };
    case 'return':
      if (state !== 'replied') return wrong(state, 'returned to the units');
      if (action.reason.trim() === '') return reasonRequired();
      return { ok: true, state: 'handling' };
    case 'resolve':
      if (state !== 'replied') return wrong(state, 'resolved');
      if (action.text.trim() === '') {
        return {
          ok: false,
          code: 'window_resolution_required',
          message: 'Write what was done, or why it cannot be done.',
        };
      }
      return { ok: true, state: 'resolved' };
    case 'rate':
      if (state === 'closed') {
        return { ok: false, code: 'window_already_rated', message: 'This matter has been rated already.' };
      }
      return state === 'resolved' ? { ok: true, state: 'closed' } : wrong(state, 'rated yet');
    case 'reopen':
      if (state !== 'resolved' && state !== 'closed') return wrong(state, 'reopened');
      if (action.reason.trim() === '') return reasonRequired();
      return { ok: true, state: 'handling' };
  }
}

function reasonRequired(): TransitionResult {
  return { ok: false, code: 'reason_required', message: 'Give a reason.' };
}

/** Whether a matter may become a ledger item: once it reached the units, and only once. */
export function mayBecomeLedgerItem(state: MatterState, ledgerItemId: string | null): boolean {
  return ledgerItemId === null && state !== 'filed' && state !== 'accepted' && state !== 'declined';
}

// --- the duty rota ----------------------------------------------------------------------------------

/**
 * The coordinator on duty for a matter filed on `day`: the rota's entry of that day when it is a working
 * day, else of the next working day that has one (within three weeks); null when the rota is empty there.
 */
export function onDuty(
  day: string,
  rota: ReadonlyMap<string, string>,
  calendar: WorkingCalendar,
): string | null {
  for (let d = day, i = 0; i < 21; i++, d = addDays(d, 1)) {
    if (!isWorkingDay(d, calendar)) continue;
    const who = rota.get(d);
    if (who !== undefined) return who;
  }
  return null;
}

/** The working days from–to (inclusive), each given to the next coordinator in turn. */
export function rotation(
  from: string,
  to: string,
  coordinators: readonly string[],
  calendar: WorkingCalendar,
): { date: string; accountId: string }[] {
  const out: { date: string; accountId: string }[] = [];
  if (coordinators.length === 0) return out;
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (!isWorkingDay(d, calendar)) continue;
    out.push({ date: d, accountId: coordinators[out.length % coordinators.length] ?? '' });
  }
  return out;
}

// --- receipt codes and figures ----------------------------------------------------------------------

/** Letters and digits that cannot be mistaken for one another when read aloud or copied (no 0/O, 1/I/L). */
export const RECEIPT_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const RECEIPT_LENGTH = 10;

/** A receipt code from random bytes (at least RECEIPT_LENGTH of them): 10 characters, about 49 bits. */
export function receiptCodeFrom(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < RECEIPT_LENGTH; i++) {
    out += RECEIPT_ALPHABET[(bytes[i] ?? 0) % RECEIPT_ALPHABET.length];
  }
  return out;
}

/** A receipt code as a person types it (spaces, dashes, lower case) in its stored form, or null. */
export function normalizeReceiptCode(text: string): string | null {
  const code = text.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== RECEIPT_LENGTH) return null;
  for (const ch of code) if (!RECEIPT_ALPHABET.includes(ch)) return null;
  return code;
}

/** 满意 and 基本满意 count as satisfied, as the Chuzhou window reports its satisfaction rate. */
export function countsAsSatisfied(rating: MatterRating): boolean {
  return rating !== 'dissatisfied';
}

/** A share in per cent with one decimal, or null when nothing was counted. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/** A phone number with its middle hidden (138****5678); short numbers keep only their last two digits. */
export function maskPhone(phone: string): string {
  const p = phone.trim();
  if (p.length >= 7) return `${p.slice(0, 3)}****${p.slice(-4)}`;
  if (p.length === 0) return '';
  return `${'*'.repeat(Math.max(0, p.length - 2))}${p.slice(-2)}`;
}
