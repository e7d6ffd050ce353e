/* The console's client for the evaluator pool and its draws; the shapes are the server's (src/panel/types.ts). */
import { request } from '../../api';
import type {
  DrawMemberView,
  DrawView,
  EvaluatorPage,
  EvaluatorView,
  GroupView,
  PoolComposition,
  PoolImportPreview,
  Quota,
  SampleRules,
  StratumView,
  VerifyReport,
} from '../../../../src/panel/types';
export type * from '../../../../src/panel/types';

export interface EvaluatorInput {
  name: string;
  mobile: string;
  groups: string[];
  regionId: string | null;
  grassroots: boolean;
  tags: string[];
  conflicts: string[];
}

export type SampleRequestRules = Omit<SampleRules, 'asOf'>;

export interface DrawPreview {
  ok: boolean;
  strata: StratumView[];
  eligible: number;
  deviation: number | null;
  shortfalls: string[];
}

export const panelApi = {
  groups: () => request<GroupView[]>('GET', '/api/panel/groups'),
  evaluators: (query: Record<string, string | number | boolean | undefined>) =>
    request<EvaluatorPage>('GET', '/api/panel/evaluators', { query }),
  createEvaluator: (body: EvaluatorInput) =>
    request<EvaluatorView>('POST', '/api/panel/evaluators', { body }),
  updateEvaluator: (id: string, body: EvaluatorInput) =>
    request<EvaluatorView>('PUT', `/api/panel/evaluators/${id}`, { body }),
  setActive: (id: string, active: boolean) =>
    request<EvaluatorView>('POST', `/api/panel/evaluators/${id}/${active ? 'activate' : 'deactivate'}`),
  composition: () => request<PoolComposition>('GET', '/api/panel/composition'),
  setTarget: (percent: number) => request<PoolComposition>('PUT', '/api/panel/target', { body: { percent } }),
  uploadImport: (file: File) => {
    const form = new FormData();
    form.append('file', file);
    return request<PoolImportPreview>('POST', '/api/panel/imports', { form });
  },
  applyImport: (id: string) => request<PoolImportPreview>('POST', `/api/panel/imports/${id}/apply`),
  preview: (rules: SampleRequestRules) =>
    request<DrawPreview>('POST', '/api/panel/draws/preview', { body: rules }),
  announce: (purpose: string, rules: SampleRequestRules) =>
    request<DrawView>('POST', '/api/panel/draws', { body: { kind: 'sample', purpose, rules } }),
  draws: () => request<DrawView[]>('GET', '/api/panel/draws'),
  draw: (id: string) => request<DrawView>('GET', `/api/panel/draws/${id}`),
  perform: (id: string, publicValue: string) =>
    request<DrawView>('POST', `/api/panel/draws/${id}/draw`, { body: { publicValue } }),
  publish: (id: string) => request<DrawView>('POST', `/api/panel/draws/${id}/publish`),
  members: (id: string, unmasked = false) =>
    request<DrawMemberView[]>(
      'GET',
      `/api/panel/draws/${id}/members`,
      unmasked ? { query: { unmasked: true } } : {},
    ),
  /** A drawn leader panel: [leaderId, unitId] pairs and each leader's supplementary units. */
  assignment: (id: string) =>
    request<{ pairs: [string, string][]; supplements: Record<string, string[]> }>(
      'GET',
      `/api/panel/draws/${id}/assignment`,
    ),
  verify: (id: string) => request<VerifyReport>('GET', `/api/panel/draws/${id}/verify`),
};

/** A stratum's values as a person reads them: “教师 · 基层”, with names for group codes and unit ids. */
export function stratumLabel(
  values: StratumView['values'],
  name: (feature: Quota['feature'], value: string) => string,
  other: string,
): string {
  const parts = Object.entries(values).map(([feature, vs]) =>
    vs.length ? vs.map((v) => name(feature as Quota['feature'], v)).join('+') : other,
  );
  return parts.join(' · ') || '—';
}
