/*
 * The console's client for result application (结果运用) and documents (通报、分析报告). The shapes are
 * the server's own (src/outcomes/types.ts, src/reports/types.ts: types and constants only).
 */
import { request } from '../../api';
import type {
  ConsequenceRule,
  ConsequenceView,
  RulePreset,
  RuleSetView,
  RunOutcomes,
  UnitRecord,
} from '../../../../src/outcomes/types';
import type { DocumentSummary, DocumentView } from '../../../../src/reports/types';

export type * from '../../../../src/outcomes/types';
export type * from '../../../../src/reports/types';

const id = (value: string) => encodeURIComponent(value);

export interface DocumentEditInput {
  issuer?: string;
  docNumber?: string;
  title?: string;
  addressee?: string;
  signature?: string;
  date?: string;
  cc?: string;
  texts?: Record<string, string>;
}

export const outcomesApi = {
  presets: () => request<RulePreset[]>('GET', '/api/outcomes/presets'),
  rules: (schemeId: string) => request<RuleSetView>('GET', `/api/outcomes/rules/${id(schemeId)}`),
  putRules: (schemeId: string, rules: ConsequenceRule[]) =>
    request<RuleSetView>('PUT', `/api/outcomes/rules/${id(schemeId)}`, { body: { rules } }),
  run: (runId: string) => request<RunOutcomes>('GET', `/api/outcomes/runs/${id(runId)}`),
  decide: (
    runId: string,
    input: {
      ruleKey: string;
      unitId: string;
      decision: 'confirm' | 'reject';
      subject?: string;
      note?: string;
    },
  ) => request<ConsequenceView>('POST', `/api/outcomes/runs/${id(runId)}/decisions`, { body: input }),
  consequences: (query: { unitId?: string; open?: boolean }) =>
    request<ConsequenceView[]>('GET', '/api/outcomes/consequences', {
      query: {
        ...(query.unitId ? { unitId: query.unitId } : {}),
        ...(query.open ? { open: 'true' } : {}),
      },
    }),
  done: (consequenceId: string, input: { doneOn: string; note: string }) =>
    request<ConsequenceView>('POST', `/api/outcomes/consequences/${id(consequenceId)}/done`, { body: input }),
  appeal: (consequenceId: string, input: { filedOn: string; grounds: string }) =>
    request<ConsequenceView>('POST', `/api/outcomes/consequences/${id(consequenceId)}/appeals`, {
      body: input,
    }),
  decideAppeal: (appealId: string, input: { decision: 'upheld' | 'granted'; reason: string }) =>
    request<ConsequenceView>('POST', `/api/outcomes/appeals/${id(appealId)}/decide`, { body: input }),
  record: (unitId: string) => request<UnitRecord>('GET', `/api/outcomes/units/${id(unitId)}/record`),
  recordXlsxUrl: (unitId: string) => `/api/outcomes/units/${id(unitId)}/record.xlsx`,

  draftNotice: (runId: string) => request<DocumentView>('POST', '/api/notices', { body: { runId } }),
  documents: (query: { runId?: string } = {}) =>
    request<DocumentSummary[]>('GET', '/api/documents', { query: query.runId ? { runId: query.runId } : {} }),
  document: (documentId: string) => request<DocumentView>('GET', `/api/documents/${id(documentId)}`),
  editDocument: (documentId: string, input: DocumentEditInput) =>
    request<DocumentView>('PATCH', `/api/documents/${id(documentId)}`, { body: input }),
  issueDocument: (documentId: string) =>
    request<DocumentView>('POST', `/api/documents/${id(documentId)}/issue`),
  downloadUrl: (documentId: string, format: 'docx' | 'pdf' | 'html') =>
    `/api/documents/${id(documentId)}/download?format=${format}`,
};

export const outcomesKeys = {
  run: (runId: string) => ['outcomes', 'run', runId] as const,
  consequences: (q: { unitId?: string; open?: boolean }) => ['outcomes', 'consequences', q] as const,
  record: (unitId: string) => ['outcomes', 'record', unitId] as const,
  rules: (schemeId: string) => ['outcomes', 'rules', schemeId] as const,
  presets: ['outcomes', 'presets'] as const,
  documents: (runId?: string) => ['documents', runId ?? 'all'] as const,
  document: (documentId: string) => ['documents', 'one', documentId] as const,
};
