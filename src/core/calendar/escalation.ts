import { workingDaysBetween, type WorkingCalendar } from './model.js';

/*
 * The warning ladder every supervised deadline shares (bad-review cases, rectification ledger items,
 * 办不成事 cases): past the due date a warning (预警单), some working days later an urgent warning
 * (紧急预警单), some more and the responsible person is called in for a talk (约谈). Pure.
 */

/** 0 on time, 1 预警单, 2 紧急预警单, 3 约谈. */
export type EscalationStep = 0 | 1 | 2 | 3;

/** How many working days past the deadline each rung of the ladder comes. */
export interface EscalationLadder {
  /** Working days after a missed deadline before the urgent warning (紧急预警单). */
  urgentAfterDays: number;
  /** Working days after the urgent warning before the escalation for an admonitory talk (约谈). */
  talkAfterDays: number;
}

export const ESCALATION_STEP_NAMES: Record<Exclude<EscalationStep, 0>, string> = {
  1: '预警单',
  2: '紧急预警单',
  3: '约谈',
};

/**
 * How far something is overdue on `today`: 0 on time, 1 past the due date (warning), 2 more than
 * `urgentAfterDays` working days past it (urgent warning), 3 more than a further `talkAfterDays` (talk).
 */
export function escalationStep(
  due: string | null,
  today: string,
  ladder: EscalationLadder,
  calendar: WorkingCalendar,
): EscalationStep {
  if (due === null || today <= due) return 0;
  const late = workingDaysBetween(due, today, calendar);
  if (late > ladder.urgentAfterDays + ladder.talkAfterDays) return 3;
  if (late > ladder.urgentAfterDays) return 2;
  return 1;
}

/** Working days left until the due date (positive), or working days overdue (negative); null without a due date. */
export function workingDaysLeftUntil(
  due: string | null,
  today: string,
  calendar: WorkingCalendar,
): number | null {
  if (due === null) return null;
  if (today <= due) return workingDaysBetween(today, due, calendar);
  const late = workingDaysBetween(due, today, calendar);
  // Past the date over a weekend only: 0 working days late (not −0); the caller's overdue flag says it.
  return late === 0 ? 0 : -late;
}
