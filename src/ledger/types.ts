/*
 * The shapes of the comment inbox, topic lists, problems and the rectification ledger: the states, the
 * words the office chooses from, and what the ledger endpoints answer. Types and constants only, with no
 * imports, so that the console (web/) uses these very declarations; the rules live in model.ts.
 */

export const ITEM_STATES = [
  'planning',
  'plan_review',
  'executing',
  'progress_review',
  'finishing',
  'result_review',
  'closed',
] as const;
export type ItemState = (typeof ITEM_STATES)[number];

export const REVIEW_STAGES = ['plan', 'progress', 'result'] as const;
export type ReviewStage = (typeof REVIEW_STAGES)[number];

// `window`: a 办不成事 matter the window area turns into an item (it passes the unit and title itself).
export const ITEM_ORIGINS = ['problem', 'case', 'inspection', 'manual', 'window'] as const;
export type ItemOrigin = (typeof ITEM_ORIGINS)[number];

export const FOLLOW_UP_KINDS = ['revisit', 'covert'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

export const FOLLOW_UP_METHODS = ['simulated_service', 'phone', 'visit', 'other'] as const;
export type FollowUpMethod = (typeof FOLLOW_UP_METHODS)[number];

// --- comments and topics ------------------------------------------------------------------------

export interface KeywordView {
  word: string;
  weight: number;
}

export interface TopicView {
  id: string;
  listId: string;
  name: string;
  keywords: KeywordView[];
  position: number;
  archived: boolean;
  /** Comments a clerk assigned to the topic. */
  assigned: number;
}

export interface TopicListView {
  id: string;
  name: string;
  presetKey: string | null;
  revision: number;
  topics: TopicView[];
}

export interface SuggestionView {
  topicId: string;
  topicName: string;
  score: number;
  margin: number;
  because: { word: string; weight: number; source: 'keyword' | 'learnt' | 'both' }[];
}

export interface CommentView {
  id: string;
  source: string;
  sourceName: string;
  unitId: string;
  unitName: string;
  date: string;
  level: number | null;
  /** Phone and ID numbers masked; the writer's identity is never collected. */
  text: string;
  /** In the list asked for: whether a clerk assigned it, and to which topic (null: to no topic). */
  assigned: boolean;
  topicId: string | null;
  suggestion: SuggestionView | null;
}

export interface CommentPage {
  items: CommentView[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ClusterView {
  phrase: string;
  related: string[];
  title: string;
  count: number;
  commentIds: string[];
  examples: string[];
}

// --- problems -----------------------------------------------------------------------------------

export interface ProblemView {
  id: string;
  unitId: string;
  unitName: string;
  topicId: string | null;
  topicName: string | null;
  title: string;
  phrase: string;
  count: number;
  examples: string[];
  itemIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** A comment behind a problem, as the clerk reads it when splitting the problem. */
export interface ProblemCommentView {
  id: string;
  source: string;
  sourceName: string;
  unitId: string;
  unitName: string;
  date: string;
  level: number | null;
  text: string;
}

// --- ledger items -------------------------------------------------------------------------------

export interface ItemSummary {
  id: string;
  reference: string;
  origin: ItemOrigin;
  originName: string;
  originRef: string | null;
  unitId: string;
  unitName: string;
  responsibleName: string;
  title: string;
  target: string;
  measures: string;
  state: ItemState;
  stateName: string;
  pendingReview: ReviewStage | null;
  openedOn: string;
  deadlineOn: string;
  dueOn: string | null;
  overdue: boolean;
  workingDaysLeft: number | null;
  escalation: number;
  escalationName: string | null;
  reopenCount: number;
  evidence: number;
  createdAt: string;
  closedAt: string | null;
}

export interface ReviewView {
  id: string;
  stage: ReviewStage;
  stageName: string;
  decision: 'approved' | 'returned';
  reason: string;
  reviewedBy: string;
  reviewedAt: string;
}

export interface AttachmentView {
  id: string;
  stage: string;
  sha256: string;
  filename: string;
  mime: string;
  size: number;
  /** True for photos the browser shows in the page; PDFs and scans download. */
  inline: boolean;
  url: string;
  uploadedBy: string;
  createdAt: string;
}

export interface FollowUpView {
  id: string;
  kind: FollowUpKind;
  kindName: string;
  method: FollowUpMethod;
  methodName: string;
  itemId: string | null;
  unitId: string;
  unitName: string;
  date: string;
  inspector: string;
  findings: string;
  problemBack: boolean;
  attachments: AttachmentView[];
  createdAt: string;
}

export interface ItemEventView {
  id: string;
  at: string;
  actor: string;
  type: string;
  payload: Record<string, unknown>;
}

export interface ItemDetail extends ItemSummary {
  progressText: string;
  resultText: string;
  reviews: ReviewView[];
  attachments: AttachmentView[];
  followUps: FollowUpView[];
  warnings: { level: number; name: string; dueOn: string; issuedOn: string }[];
  events: ItemEventView[];
}

export interface ItemPage {
  items: ItemSummary[];
  total: number;
  page: number;
  pageSize: number;
}

// --- the public ledger --------------------------------------------------------------------------

export interface LedgerFigures {
  raised: number;
  inProgress: number;
  closed: number;
  overdue: number;
}

export interface PublicLedgerUnit extends LedgerFigures {
  unitId: string;
  code: string;
  name: string;
}

export interface PublicClosedItem {
  reference: string;
  unitName: string;
  title: string;
  measures: string;
  resultText: string;
  closedAt: string;
  /** What proves it, counted (the files themselves are not public): photos, and PDFs or scans. */
  evidence: { photos: number; documents: number };
}

export interface PublicLedger {
  asOf: string;
  totals: LedgerFigures;
  units: PublicLedgerUnit[];
  closedItems: PublicClosedItem[];
}
