/*
 * The shapes of the 办不成事 window ("can't get it done"): the states of a matter, the words the clerk and the
 * office choose from, and what the window's endpoints answer. Types and constants only, with no imports, so
 * that the console and the public pages (web/) use these very declarations; the rules live in model.ts.
 */

export const MATTER_STATES = [
  'filed',
  'accepted',
  'handling',
  'replied',
  'resolved',
  'closed',
  'declined',
] as const;
export type MatterState = (typeof MATTER_STATES)[number];

/** How the matter reached the window: the public web/H5 form, the hall window, the hotline. */
export const MATTER_CHANNELS = ['web', 'hall', 'hotline'] as const;
export type MatterChannel = (typeof MATTER_CHANNELS)[number];

/** What the office records when it closes the handling: solved, or explained why it cannot be done. */
export const MATTER_OUTCOMES = ['solved', 'explained'] as const;
export type MatterOutcome = (typeof MATTER_OUTCOMES)[number];

/** The filer's judgement of the result. */
export const MATTER_RATINGS = ['satisfied', 'basically', 'dissatisfied'] as const;
export type MatterRating = (typeof MATTER_RATINGS)[number];

export interface AssignmentView {
  unitId: string;
  unitName: string;
  lead: boolean;
  responseText: string;
  respondedAt: string | null;
  respondedBy: string | null;
}

export interface MatterSummary {
  id: string;
  receiptCode: string;
  channel: MatterChannel;
  state: MatterState;
  stateName: string;
  /** What could not get done (masked: phone and ID numbers hidden). */
  what: string;
  place: string;
  /** The units the filer named, as they wrote them. */
  unitsNamed: string;
  filerName: string;
  /** Masked unless the caller may see contacts (the office). */
  filerPhone: string;
  coordinatorId: string | null;
  coordinatorName: string | null;
  leadUnitId: string | null;
  leadUnitName: string | null;
  filedOn: string;
  dueOn: string | null;
  deadlineOn: string | null;
  overdue: boolean;
  workingDaysLeft: number | null;
  escalation: number;
  escalationName: string | null;
  outcome: MatterOutcome | null;
  rating: MatterRating | null;
  ledgerItemId: string | null;
  reopenCount: number;
  createdAt: string;
}

export interface MatterEventView {
  id: string;
  at: string;
  actor: string;
  type: string;
  payload: Record<string, unknown>;
}

export interface MatterDetail extends MatterSummary {
  assignments: AssignmentView[];
  declinedReason: string;
  resolutionText: string;
  ratingComment: string;
  ratedAt: string | null;
  /** Other matters of the same lead unit within 90 days before this one (a repeated problem). */
  repeats: number;
  warnings: { level: number; name: string; dueOn: string; issuedOn: string }[];
  events: MatterEventView[];
}

export interface MatterPage {
  matters: MatterSummary[];
  total: number;
  page: number;
  pageSize: number;
}

/** What the filer sees by the receipt code: no contact data, no names of staff. */
export interface PublicMatterView {
  receiptCode: string;
  state: MatterState;
  stateName: string;
  what: string;
  filedOn: string;
  dueOn: string | null;
  units: string[];
  outcome: MatterOutcome | null;
  resolutionText: string;
  rating: MatterRating | null;
  /** True when the filer may rate now. */
  mayRate: boolean;
  steps: { at: string; type: string }[];
}

export interface RotaEntryView {
  date: string;
  accountId: string;
  name: string;
}

export interface WindowFigures {
  from: string;
  to: string;
  received: number;
  accepted: number;
  resolved: number;
  rated: number;
  satisfied: number;
  /** satisfied (满意 + 基本满意) / rated, in per cent with one decimal; null with no rating. */
  satisfiedRate: number | null;
}
