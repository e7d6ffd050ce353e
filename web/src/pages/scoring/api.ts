/*
 * The console's client for scoring (考核方案、外部评分、联考评分、一票否决、考核结果) and the shapes it uses.
 *
 * The scheme, result and response types are the server's own (src/scoring/types.ts, types and constants
 * only); the request shapes follow the scoring HTTP API.
 */
import { request } from '../../api';

// --- scheme definition and results: the server's own declarations (src/scoring/types.ts) ------------

import type {
  ImportResult,
  ImportRowStatus,
  Mapping,
  ResultFlag,
  ReviewRecord,
  RunDetail,
  RunSummary,
  RunWarning,
  RunWarningCode,
  SchemeDefinition,
  SchemeDetail,
  SchemeProblem,
  SchemeSummary,
  SchemeTemplateView,
  SchemeVersionDetail,
  SchemeVersionView,
  ScoreValueView,
  SeriesSummary,
  SheetScoreView,
  SourceKind,
  TaskView,
  UnitResultView,
  VetoView,
} from '../../../../src/scoring/types';
export type * from '../../../../src/scoring/types';
export { ISSUER_MAX_LENGTH, RATING_STATISTICS } from '../../../../src/scoring/types';

export const SOURCE_KINDS: SourceKind[] = ['rating_statistic', 'imported', 'score_sheet', 'campaign'];
export type MappingKind = Mapping['kind'];
export const MAPPING_KINDS: MappingKind[] = ['direct', 'linear', 'steps', 'rank_rule'];

export interface Interval {
  low: number;
  high: number;
}

export const RESULT_FLAGS = [
  'vetoed',
  'promoted',
  'small_sample',
  'indistinct',
  'largest_decline',
  'declined_two_running',
] as const satisfies readonly ResultFlag[];

// --- API shapes: the server's own as well (src/scoring/types.ts, re-exported above) -------------------

export type SchemeVersionInfo = SchemeVersionView;
export type SchemeVersion = SchemeVersionDetail;
export type SchemeTemplate = SchemeTemplateView;
export type ScoreValue = ScoreValueView;
export type ScoreImportStatus = ImportRowStatus;
export type ScoreImportResult = ImportResult;
export type ScoringTask = TaskView;
export type ScoreSheetEntry = SheetScoreView;
export type Veto = VetoView;
export type ReviewDecisionKind = ReviewRecord['decision'];
export type UnitExplanation = UnitResultView;

export interface ReviewInput {
  stageIndex: number;
  body: string;
  decidedOn: string;
  decision: ReviewDecisionKind;
  best?: string[];
  worst?: string[];
  reason?: string;
  /** Warning codes the clerk confirmed in the dialog (a list whose size differs from the stage's). */
  acceptWarnings?: RunWarningCode[];
}

export interface RunRequest {
  schemeId: string;
  version?: number;
  periodId: string;
  groupKey: string;
}

// --- client ---------------------------------------------------------------------------------------------

const id = (value: string) => encodeURIComponent(value);

export const scoringApi = {
  schemes: () => request<SchemeSummary[]>('GET', '/api/schemes'),
  scheme: (schemeId: string) => request<SchemeDetail>('GET', `/api/schemes/${id(schemeId)}`),
  schemeVersion: (schemeId: string, version: number) =>
    request<SchemeVersion>('GET', `/api/schemes/${id(schemeId)}/versions/${version}`),
  createScheme: (input: {
    code: string;
    name: string;
    description: string;
    definition: SchemeDefinition;
    note?: string;
  }) => request<SchemeDetail>('POST', '/api/schemes', { body: input }),
  saveVersion: (schemeId: string, definition: SchemeDefinition, note: string) =>
    request<SchemeDetail>('POST', `/api/schemes/${id(schemeId)}/versions`, { body: { definition, note } }),
  check: (definition: SchemeDefinition) =>
    request<{ problems: SchemeProblem[] }>('POST', '/api/schemes/check', { body: { definition } }),
  templates: () => request<SchemeTemplate[]>('GET', '/api/scheme-templates'),

  series: () => request<SeriesSummary[]>('GET', '/api/scores/series'),
  scores: (series: string, periodId: string) =>
    request<ScoreValue[]>('GET', '/api/scores', { query: { series, periodId } }),
  importScores: (input: {
    file: File;
    series: string;
    periodId: string;
    document: string;
    apply: boolean;
  }) => {
    const form = new FormData();
    // Fields before the file: a streaming multipart reader sees them first.
    form.append('series', input.series);
    form.append('periodId', input.periodId);
    form.append('document', input.document);
    form.append('apply', input.apply ? 'true' : 'false');
    form.append('file', input.file, input.file.name);
    return request<ScoreImportResult>('POST', '/api/scores/import', { form });
  },

  tasks: () => request<ScoringTask[]>('GET', '/api/scoring-tasks'),
  createTask: (input: { key: string; name: string; leadUnitId: string }) =>
    request<ScoringTask>('POST', '/api/scoring-tasks', { body: input }),
  sheets: (task: string, periodId: string) =>
    request<ScoreSheetEntry[]>('GET', '/api/score-sheets', { query: { task, periodId } }),
  enterSheet: (input: {
    task: string;
    periodId: string;
    document: string;
    entries: { unitId: string; value: number }[];
  }) => request<{ stored: number }>('POST', '/api/score-sheets', { body: input }),

  vetoes: (periodId: string) => request<Veto[]>('GET', '/api/vetoes', { query: { periodId } }),
  recordVeto: (input: {
    unitId: string;
    periodId: string;
    schemeId?: string;
    reason: string;
    evidence: string;
  }) => request<Veto>('POST', '/api/vetoes', { body: input }),
  revokeVeto: (vetoId: string, reason: string) =>
    request<Veto>('POST', `/api/vetoes/${id(vetoId)}/revoke`, { body: { reason } }),

  runs: (q: { schemeId?: string | undefined; periodId?: string | undefined } = {}) =>
    request<RunSummary[]>('GET', '/api/runs', { query: q }),
  run: (runId: string) => request<RunDetail>('GET', `/api/runs/${id(runId)}`),
  /** The warnings computing this run now would raise (period not ended, leaves without values). */
  checkRun: (input: RunRequest) =>
    request<{ warnings: RunWarning[] }>('POST', '/api/runs/check', { body: input }),
  compute: (input: RunRequest & { acceptWarnings?: RunWarningCode[] }) =>
    request<RunDetail>('POST', '/api/runs', { body: input }),
  /** What publishing the run now would warn about. */
  runWarnings: (runId: string) =>
    request<{ warnings: RunWarning[] }>('GET', `/api/runs/${id(runId)}/warnings`),
  unit: (runId: string, unitId: string) =>
    request<UnitExplanation>('GET', `/api/runs/${id(runId)}/units/${id(unitId)}`),
  review: (runId: string, input: ReviewInput) =>
    request<RunDetail>('POST', `/api/runs/${id(runId)}/reviews`, { body: input }),
  saveProblems: (runId: string, unitId: string, text: string) =>
    request<{ unitId: string; text: string }>('PUT', `/api/runs/${id(runId)}/problems/${id(unitId)}`, {
      body: { text },
    }),
  publish: (runId: string, acceptWarnings: RunWarningCode[] = []) =>
    request<RunDetail>('POST', `/api/runs/${id(runId)}/publish`, { body: { acceptWarnings } }),
  exportUrl: (runId: string) => `/api/runs/${id(runId)}/export.xlsx`,
  publicUrl: (runId: string) => `/public/results/${id(runId)}`,
  noticeUrl: (runId: string) => `/public/results/${id(runId)}/notice`,
};

export const scoringKeys = {
  schemes: ['scoring', 'schemes'] as const,
  scheme: (schemeId: string) => ['scoring', 'scheme', schemeId] as const,
  schemeVersion: (schemeId: string, version: number) =>
    ['scoring', 'scheme', schemeId, 'version', version] as const,
  templates: ['scoring', 'templates'] as const,
  series: ['scoring', 'series'] as const,
  scores: (series: string, periodId: string) => ['scoring', 'scores', series, periodId] as const,
  tasks: ['scoring', 'tasks'] as const,
  sheets: (task: string, periodId: string) => ['scoring', 'sheets', task, periodId] as const,
  vetoes: (periodId: string) => ['scoring', 'vetoes', periodId] as const,
  runs: (q: { schemeId?: string | undefined; periodId?: string | undefined }) =>
    ['scoring', 'runs', q] as const,
  run: (runId: string) => ['scoring', 'run', runId] as const,
  unit: (runId: string, unitId: string) => ['scoring', 'run', runId, 'unit', unitId] as const,
};
