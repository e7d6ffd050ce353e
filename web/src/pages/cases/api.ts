/* The console's client for bad-review cases, warnings, deadline settings and the working-day calendar. */
import { request } from '../../api';

export const CASE_STATES = [
  'verifying',
  'appealed',
  'rectifying',
  'awaiting_judgement',
  'closed',
  'dismissed',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const APPEAL_REASONS = ['mistaken', 'malicious'] as const;
export type AppealReason = (typeof APPEAL_REASONS)[number];

export const CALLBACK_METHODS = ['phone', 'sms', 'visit', 'other'] as const;
export type CallbackMethod = (typeof CALLBACK_METHODS)[number];

export type Judgement = 'satisfied' | 'basically_satisfied' | 'not_satisfied';

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
  /** Negative: working days overdue. */
  workingDaysLeft: number | null;
  overdue: boolean;
  escalation: number;
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

export interface CaseEvent {
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
  /** Only on named reviews, only for those who handle the case. */
  rater: { name: string; phone: string } | null;
  warnings: { level: number; name: string; dueOn: string; issuedOn: string }[];
  events: CaseEvent[];
}

export interface CaseQuery {
  unitId?: string | undefined;
  state?: CaseState | undefined;
  overdue?: boolean | undefined;
  escalation?: number | undefined;
  page?: number;
  pageSize?: number;
}

export interface CasePage {
  items: CaseSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Warning {
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

export const DEADLINE_RULES = [
  'verifyDays',
  'rectifyDays',
  'urgentAfterDays',
  'talkAfterDays',
  'judgeDays',
] as const;
export type DeadlineRule = (typeof DEADLINE_RULES)[number];
export const DEADLINE_LIMITS: Record<DeadlineRule, { min: number; max: number }> = {
  verifyDays: { min: 0, max: 30 },
  rectifyDays: { min: 1, max: 120 },
  urgentAfterDays: { min: 0, max: 60 },
  talkAfterDays: { min: 0, max: 60 },
  judgeDays: { min: 1, max: 60 },
};

export type DeadlineRules = Record<DeadlineRule, number>;
export type DeadlineOverride = { unitId: string } & Partial<DeadlineRules>;

export interface CasesConfig {
  rules: DeadlineRules;
  byUnit: (DeadlineOverride & { unitName: string })[];
}

export type DayKind = 'holiday' | 'workday';

export interface CalendarDay {
  date: string;
  kind: DayKind;
  name: string;
  /** 0 Sunday … 6 Saturday */
  weekday: number;
}

export interface CalendarYear {
  year: number;
  days: CalendarDay[];
  workingDays: number;
}

export interface CalendarPreview {
  year: number | null;
  entries: CalendarDay[];
  errors: { line: number; text: string; message: string }[];
  added: CalendarDay[];
  changed: { date: string; from: CalendarDay; to: CalendarDay }[];
  removed: CalendarDay[];
  unchanged: number;
  applied: boolean;
}

const id = (value: string) => encodeURIComponent(value);

export const casesApi = {
  list: (q: CaseQuery) =>
    request<CasePage>('GET', '/api/cases', {
      query: {
        unitId: q.unitId,
        state: q.state,
        overdue: q.overdue ? true : undefined,
        escalation: q.escalation,
        page: q.page,
        pageSize: q.pageSize,
      },
    }),
  get: (caseId: string) => request<CaseDetail>('GET', `/api/cases/${id(caseId)}`),
  verify: (caseId: string, note?: string) =>
    request<CaseDetail>('POST', `/api/cases/${id(caseId)}/verify`, {
      body: { genuine: true, ...(note ? { note } : {}) },
    }),
  appeal: (caseId: string, input: { reason: AppealReason; text: string; evidence?: string[] }) =>
    request<CaseDetail>('POST', `/api/cases/${id(caseId)}/appeal`, { body: input }),
  decideAppeal: (caseId: string, upheld: boolean, note: string) =>
    request<CaseDetail>('POST', `/api/cases/${id(caseId)}/decide-appeal`, { body: { upheld, note } }),
  callback: (caseId: string, input: { at: string; method: CallbackMethod; summary: string }) =>
    request<CaseDetail>('POST', `/api/cases/${id(caseId)}/callback`, { body: input }),
  rectification: (caseId: string, text: string) =>
    request<CaseDetail>('POST', `/api/cases/${id(caseId)}/rectification`, { body: { text } }),
  reply: (caseId: string, text: string) =>
    request<CaseDetail>('POST', `/api/cases/${id(caseId)}/reply`, { body: { text } }),

  warnings: (q: {
    unitId?: string | undefined;
    level?: number | undefined;
    from?: string | undefined;
    to?: string | undefined;
    page?: number;
    pageSize?: number;
  }) => request<Warning[]>('GET', '/api/warnings', { query: q }),

  settings: () => request<CasesConfig>('GET', '/api/settings/cases'),
  saveSettings: (input: { rules: DeadlineRules; byUnit: DeadlineOverride[] }) =>
    request<CasesConfig>('PUT', '/api/settings/cases', { body: input }),

  calendar: (year: number) => request<CalendarYear>('GET', '/api/calendar', { query: { year } }),
  setDay: (date: string, kind: DayKind, name: string) =>
    request<CalendarDay>('PUT', `/api/calendar/${id(date)}`, { body: { kind, name } }),
  deleteDay: (date: string) => request<{ ok: true }>('DELETE', `/api/calendar/${id(date)}`),
  importList: (text: string, apply: boolean) =>
    request<CalendarPreview>('POST', '/api/calendar/import', {
      body: { text },
      query: apply ? { apply: true } : {},
    }),
  importOfficial: (year: number) =>
    request<CalendarPreview>('POST', '/api/calendar/import-official', { body: { year } }),
};
