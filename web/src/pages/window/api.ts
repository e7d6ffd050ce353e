/* The console's client for the 办不成事 window: the server's own shapes (src/window/types.ts). */
import { request } from '../../api';
import type {
  MatterChannel,
  MatterDetail,
  MatterOutcome,
  MatterPage,
  MatterState,
  RotaEntryView,
} from '../../../../src/window/types';

export type * from '../../../../src/window/types';
export { MATTER_STATES } from '../../../../src/window/types';

export interface MatterQuery {
  state?: MatterState | undefined;
  mine?: boolean | undefined;
  overdue?: boolean | undefined;
  unitId?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

const id = (value: string) => encodeURIComponent(value);
const step = (matterId: string, action: string, body: object) =>
  request<MatterDetail>('POST', `/api/window/matters/${id(matterId)}/${action}`, { body });

export const windowApi = {
  list: (q: MatterQuery) =>
    request<MatterPage>('GET', '/api/window/matters', {
      query: {
        state: q.state,
        mine: q.mine ? true : undefined,
        overdue: q.overdue ? true : undefined,
        unitId: q.unitId,
        page: q.page,
        pageSize: q.pageSize,
      },
    }),
  get: (matterId: string) => request<MatterDetail>('GET', `/api/window/matters/${id(matterId)}`),
  record: (input: {
    channel: Exclude<MatterChannel, 'web'>;
    what: string;
    place?: string;
    unitsNamed?: string;
    filerName: string;
    filerPhone: string;
  }) => request<MatterDetail>('POST', '/api/window/matters', { body: input }),
  accept: (matterId: string) => step(matterId, 'accept', {}),
  decline: (matterId: string, reason: string) => step(matterId, 'decline', { reason }),
  assign: (matterId: string, input: { unitIds: string[]; leadUnitId: string; deadlineOn?: string }) =>
    step(matterId, 'assign', input),
  respond: (matterId: string, unitId: string, text: string) => step(matterId, 'respond', { unitId, text }),
  sendBack: (matterId: string, reason: string) => step(matterId, 'return', { reason }),
  resolve: (matterId: string, outcome: MatterOutcome, text: string) =>
    step(matterId, 'resolve', { outcome, text }),
  reopen: (matterId: string, reason: string) => step(matterId, 'reopen', { reason }),
  toLedger: (matterId: string, input: { title?: string; responsibleName?: string }) =>
    step(matterId, 'ledger-item', input),
  rota: (from: string, to: string) =>
    request<RotaEntryView[]>('GET', '/api/window/rota', { query: { from, to } }),
  setRota: (input: { from: string; to: string; accountIds: string[] }) =>
    request<RotaEntryView[]>('PUT', '/api/window/rota', { body: input }),
};
