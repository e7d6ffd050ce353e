/* The console's client for the comment inbox, topics, problems and the rectification ledger (src/ledger/routes.ts). */
import { request } from '../../api';
import type {
  ClusterView,
  CommentPage,
  FollowUpKind,
  FollowUpMethod,
  FollowUpView,
  ItemDetail,
  ItemOrigin,
  ItemPage,
  ItemState,
  KeywordView,
  ProblemCommentView,
  ProblemView,
  ReviewStage,
  AttachmentView,
  TopicListView,
} from '../../../../src/ledger/types';
export type * from '../../../../src/ledger/types';
export {
  FOLLOW_UP_KINDS,
  FOLLOW_UP_METHODS,
  ITEM_ORIGINS,
  ITEM_STATES,
  REVIEW_STAGES,
} from '../../../../src/ledger/types';

export interface CommentQuery {
  listId?: string | undefined;
  unitId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  source?: string | undefined;
  assigned?: boolean | undefined;
  topicId?: string | undefined;
  page?: number;
  pageSize?: number;
}

export interface ItemQuery {
  unitId?: string | undefined;
  state?: ItemState | undefined;
  overdue?: boolean | undefined;
  page?: number;
  pageSize?: number;
}

export interface ItemInput {
  origin: ItemOrigin;
  originRef?: string;
  unitId?: string;
  responsibleName?: string;
  title?: string;
  target?: string;
  measures?: string;
  deadlineOn?: string;
}

export interface FollowUpInput {
  kind: FollowUpKind;
  method: FollowUpMethod;
  itemId?: string;
  unitId?: string;
  date: string;
  inspector: string;
  findings: string;
  problemBack: boolean;
}

export interface CollectResult {
  sources: { key: string; name: string; found: number; added: number }[];
}

const id = (value: string) => encodeURIComponent(value);

function upload<T>(path: string, file: File) {
  const form = new FormData();
  form.append('file', file);
  return request<T>('POST', path, { form });
}

export const ledgerApi = {
  presets: () =>
    request<{ key: string; name: string; topics: string[] }[]>('GET', '/api/ledger/topic-presets'),
  topicLists: () => request<TopicListView[]>('GET', '/api/ledger/topic-lists'),
  createTopicList: (name: string, presetKey?: string) =>
    request<TopicListView>('POST', '/api/ledger/topic-lists', {
      body: { name, ...(presetKey ? { presetKey } : {}) },
    }),
  createTopic: (listId: string, name: string, keywords: KeywordView[]) =>
    request<TopicListView>('POST', `/api/ledger/topic-lists/${id(listId)}/topics`, {
      body: { name, keywords },
    }),
  updateTopic: (topicId: string, body: { name?: string; keywords?: KeywordView[]; archived?: boolean }) =>
    request<TopicListView>('PATCH', `/api/ledger/topics/${id(topicId)}`, { body }),
  assign: (listId: string, assignments: { commentId: string; topicId: string | null }[]) =>
    request<{ assigned: number; revision: number }>('POST', `/api/ledger/topic-lists/${id(listId)}/assign`, {
      body: { assignments },
    }),

  sources: () => request<{ key: string; name: string }[]>('GET', '/api/ledger/comment-sources'),
  collect: (from: string, to: string) =>
    request<CollectResult>('POST', '/api/ledger/comments/collect', { body: { from, to } }),
  comments: (q: CommentQuery) => request<CommentPage>('GET', '/api/ledger/comments', { query: { ...q } }),
  clusters: (q: {
    listId: string;
    unitId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  }) => request<ClusterView[]>('GET', '/api/ledger/clusters', { query: { ...q } }),

  problems: (unitId?: string) => request<ProblemView[]>('GET', '/api/ledger/problems', { query: { unitId } }),
  createProblem: (body: {
    unitId: string;
    title: string;
    topicId?: string | null;
    phrase?: string;
    commentIds: string[];
  }) => request<ProblemView>('POST', '/api/ledger/problems', { body }),
  updateProblem: (problemId: string, body: { title?: string; topicId?: string | null }) =>
    request<ProblemView>('PATCH', `/api/ledger/problems/${id(problemId)}`, { body }),
  problemComments: (problemId: string) =>
    request<ProblemCommentView[]>('GET', `/api/ledger/problems/${id(problemId)}/comments`),
  mergeProblems: (problemId: string, problemIds: string[]) =>
    request<ProblemView>('POST', `/api/ledger/problems/${id(problemId)}/merge`, { body: { problemIds } }),
  splitProblem: (problemId: string, title: string, commentIds: string[]) =>
    request<{ from: ProblemView; created: ProblemView }>(
      'POST',
      `/api/ledger/problems/${id(problemId)}/split`,
      {
        body: { title, commentIds },
      },
    ),
  mainProblems: (unitId: string) =>
    request<{ unitId: string; text: string; problems: number }>(
      'GET',
      `/api/ledger/units/${id(unitId)}/main-problems`,
    ),

  items: (q: ItemQuery) =>
    request<ItemPage>('GET', '/api/ledger/items', {
      query: { ...q, overdue: q.overdue ? true : undefined },
    }),
  item: (itemId: string) => request<ItemDetail>('GET', `/api/ledger/items/${id(itemId)}`),
  createItem: (body: ItemInput) => request<ItemDetail>('POST', '/api/ledger/items', { body }),
  plan: (itemId: string, body: { target: string; measures: string; responsibleName?: string }) =>
    request<ItemDetail>('POST', `/api/ledger/items/${id(itemId)}/plan`, { body }),
  progress: (itemId: string, text: string) =>
    request<ItemDetail>('POST', `/api/ledger/items/${id(itemId)}/progress`, { body: { text } }),
  result: (itemId: string, text: string) =>
    request<ItemDetail>('POST', `/api/ledger/items/${id(itemId)}/result`, { body: { text } }),
  review: (itemId: string, stage: ReviewStage, approve: boolean, reason?: string) =>
    request<ItemDetail>('POST', `/api/ledger/items/${id(itemId)}/review`, {
      body: { stage, approve, ...(reason ? { reason } : {}) },
    }),
  attach: (itemId: string, file: File) =>
    upload<AttachmentView[]>(`/api/ledger/items/${id(itemId)}/evidence`, file),

  followUps: (unitId?: string) =>
    request<FollowUpView[]>('GET', '/api/ledger/follow-ups', { query: { unitId } }),
  recordFollowUp: (body: FollowUpInput) => request<FollowUpView>('POST', '/api/ledger/follow-ups', { body }),
  attachToFollowUp: (followUpId: string, file: File) =>
    upload<FollowUpView>(`/api/ledger/follow-ups/${id(followUpId)}/evidence`, file),
  exportUrl: (unitId?: string) => `/api/ledger/export.xlsx${unitId ? `?unitId=${id(unitId)}` : ''}`,
};
