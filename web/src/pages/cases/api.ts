/* The console's client for bad-review cases, warnings, deadline settings and the working-day calendar. */
import { request } from '../../api';

// --- cases: the server's own declarations (src/cases/types.ts, types and constants only) --------------

import type {
  AppealInput,
  CallbackInput,
  CaseDetail,
  CaseEventView,
  CasePage,
  CaseQuery,
  CasesConfigInput,
  CasesConfigView,
  DeadlineRules,
  WarningQuery,
  WarningView,
} from '../../../../src/cases/types';
export type * from '../../../../src/cases/types';
export {
  APPEAL_REASONS,
  CALLBACK_METHODS,
  CASE_STATES,
  DEADLINE_FIELDS as DEADLINE_RULES,
  DEADLINE_LIMITS,
} from '../../../../src/cases/types';

export type CaseEvent = CaseEventView;
export type Warning = WarningView;
export type DeadlineRule = keyof DeadlineRules;
export type CasesConfig = CasesConfigView;

// --- the working-day calendar ----------------------------------------------------------------------------

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
  appeal: (caseId: string, input: AppealInput) =>
    request<CaseDetail>('POST', `/api/cases/${id(caseId)}/appeal`, { body: input }),
  decideAppeal: (caseId: string, upheld: boolean, note: string) =>
    request<CaseDetail>('POST', `/api/cases/${id(caseId)}/decide-appeal`, { body: { upheld, note } }),
  callback: (caseId: string, input: CallbackInput) =>
    request<CaseDetail>('POST', `/api/cases/${id(caseId)}/callback`, { body: input }),
  rectification: (caseId: string, text: string) =>
    request<CaseDetail>('POST', `/api/cases/${id(caseId)}/rectification`, { body: { text } }),
  reply: (caseId: string, text: string) =>
    request<CaseDetail>('POST', `/api/cases/${id(caseId)}/reply`, { body: { text } }),

  warnings: (q: WarningQuery) => request<Warning[]>('GET', '/api/warnings', { query: { ...q } }),

  settings: () => request<CasesConfig>('GET', '/api/settings/cases'),
  saveSettings: (input: CasesConfigInput) =>
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
