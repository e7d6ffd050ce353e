/*
 * The console's client for quarterly indicator checklists (季度指标清单). The shapes are the server's own
 * (src/checklists/types.ts: types and constants only).
 */
import { request } from '../../api';
import type {
  ChecklistDefinition,
  ChecklistDetail,
  ChecklistOverview,
  ChecklistPreset,
  ChecklistSummary,
  EntryView,
  UnitSheet,
} from '../../../../src/checklists/types';

export type * from '../../../../src/checklists/types';

const id = (value: string) => encodeURIComponent(value);

export interface ChecklistInput {
  name: string;
  periodId: string;
  series: string;
  opensOn: string;
  workingDays: number;
  definition: ChecklistDefinition;
  unitIds: string[];
}

export const checklistsApi = {
  presets: () => request<ChecklistPreset[]>('GET', '/api/checklists/presets'),
  list: () => request<ChecklistSummary[]>('GET', '/api/checklists'),
  create: (input: ChecklistInput) => request<ChecklistDetail>('POST', '/api/checklists', { body: input }),
  update: (checklistId: string, input: ChecklistInput) =>
    request<ChecklistDetail>('PUT', `/api/checklists/${id(checklistId)}`, { body: input }),
  open: (checklistId: string) => request<ChecklistDetail>('POST', `/api/checklists/${id(checklistId)}/open`),
  close: (checklistId: string) =>
    request<ChecklistOverview>('POST', `/api/checklists/${id(checklistId)}/close`),
  get: (checklistId: string) => request<ChecklistOverview>('GET', `/api/checklists/${id(checklistId)}`),
  sheet: (checklistId: string, unitId: string) =>
    request<UnitSheet>('GET', `/api/checklists/${id(checklistId)}/units/${id(unitId)}`),
  save: (
    checklistId: string,
    unitId: string,
    input: { itemKey?: string; title?: string; note: string; claimedPoints?: number },
  ) =>
    request<EntryView>('POST', `/api/checklists/${id(checklistId)}/units/${id(unitId)}/entries`, {
      body: input,
    }),
  attach: (entryId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<EntryView>('POST', `/api/checklist-entries/${id(entryId)}/evidence`, { form });
  },
  submit: (entryId: string, note?: string) =>
    request<EntryView>('POST', `/api/checklist-entries/${id(entryId)}/submit`, {
      body: note === undefined ? {} : { note },
    }),
  review: (entryId: string, input: { decision: 'accept' | 'return'; reason?: string; points?: number }) =>
    request<EntryView>('POST', `/api/checklist-entries/${id(entryId)}/review`, { body: input }),
  fileUrl: (sha256: string) => `/api/checklist-files/${id(sha256)}`,
};

export const checklistKeys = {
  list: ['checklists'] as const,
  one: (checklistId: string) => ['checklists', checklistId] as const,
  sheet: (checklistId: string, unitId: string) => ['checklists', checklistId, 'units', unitId] as const,
};
