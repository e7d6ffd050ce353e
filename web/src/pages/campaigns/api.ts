/* The console's client for evaluation campaigns; the shapes are the server's (src/campaigns/types.ts). */
import { request } from '../../api';
import type {
  CampaignDetail,
  CampaignInput,
  CampaignSummary,
  EvaluatorEntry,
  IssuedInvitation,
  ResponseMonitor,
  RoundResults,
} from '../../../../src/campaigns/types';
export type * from '../../../../src/campaigns/types';
export {
  CHECKLIST,
  CHECKLIST_INDICATORS,
  DEFAULT_SATISFACTION_SCORES,
  DIFFICULTY_LEVELS,
  EVALUATOR_SOURCES,
  ITEM_KINDS,
  SATISFACTION_LEVELS,
} from '../../../../src/campaigns/types';

export const campaignsApi = {
  list: () => request<CampaignSummary[]>('GET', '/api/campaigns'),
  get: (id: string) => request<CampaignDetail>('GET', `/api/campaigns/${id}`),
  create: (body: CampaignInput) => request<CampaignDetail>('POST', '/api/campaigns', { body }),
  advance: (roundId: string, step: 'open' | 'close' | 'compute') =>
    request<RoundResults>('POST', `/api/campaign-rounds/${roundId}/state`, { body: { step } }),
  results: (roundId: string) => request<RoundResults>('GET', `/api/campaign-rounds/${roundId}/results`),
  monitor: (roundId: string) => request<ResponseMonitor>('GET', `/api/campaign-rounds/${roundId}/monitor`),
  invite: (roundId: string, body: { stageId: string; sendSms?: boolean; evaluators: EvaluatorEntry[] }) =>
    request<IssuedInvitation[]>('POST', `/api/campaign-rounds/${roundId}/invitations`, { body }),
  remind: (roundId: string) =>
    request<{ queued: number }>('POST', `/api/campaign-rounds/${roundId}/reminders`, { body: {} }),
};
