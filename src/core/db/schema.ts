import type { Generated } from 'kysely';

/*
 * The database as Kysely sees it (camelCase; the CamelCasePlugin maps to snake_case columns).
 * Times are ISO-8601 UTC text and dates are YYYY-MM-DD text, booleans are 0/1 integers and JSON is text:
 * the same representation on SQLite and PostgreSQL, so both return byte-identical values.
 */

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AccountsTable {
  id: string;
  username: string;
  displayName: string;
  role: string;
  unitId: string | null;
  passwordHash: string;
  mustChangePassword: number;
  active: number;
  createdAt: string;
  updatedAt: string;
  passwordChangedAt: string | null;
}

export interface SessionsTable {
  id: string;
  accountId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
}

export interface LoginAttemptsTable {
  id: string;
  at: string;
  username: string;
  addressDigest: string;
  success: number;
}

export interface KioskLookupFailuresTable {
  id: string;
  deviceId: string;
  at: string;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  prefix: string;
  tokenHash: string;
  scopes: string;
  unitId: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  beforeDigest: string | null;
  afterDigest: string | null;
  detail: string;
  prevHash: string;
  hash: string;
}

export interface UnitCategoriesTable {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  description: string;
  createdAt: string;
}

export interface UnitsTable {
  id: string;
  code: string;
  createdAt: string;
}

export interface UnitVersionsTable {
  id: string;
  unitId: string;
  validFrom: string;
  validTo: string | null;
  name: string;
  shortName: string;
  kind: string;
  parentId: string | null;
  categoryId: string | null;
  tags: string;
  sortOrder: number;
  responsibleName: string;
  responsiblePhone: string;
  createdAt: string;
}

export interface ServiceItemsTable {
  id: string;
  code: string;
  name: string;
  unitId: string;
  mode: string;
  active: number;
  createdAt: string;
  updatedAt: string;
}

export interface StaffTable {
  id: string;
  staffNo: string;
  name: string;
  unitId: string;
  position: string;
  phone: string;
  active: number;
  createdAt: string;
  updatedAt: string;
}

export interface PeriodsTable {
  id: string;
  code: string;
  kind: string;
  year: number;
  seq: number;
  name: string;
  startDate: string;
  endDate: string;
  createdAt: string;
}

export interface ImportsTable {
  id: string;
  filename: string;
  createdBy: string;
  createdAt: string;
  payload: string;
  status: string;
  appliedAt: string | null;
}

export interface CalendarDaysTable {
  date: string;
  kind: string;
  name: string;
  createdAt: string;
}

export interface DevicesTable {
  id: string;
  unitId: string;
  kind: string;
  name: string;
  tokenHash: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface TransactionsTable {
  id: string;
  externalNo: string;
  jurisdictionId: string;
  unitId: string;
  serviceItemId: string | null;
  staffId: string | null;
  mode: string;
  receivedAt: string;
  completedAt: string | null;
  day: string;
  contactName: string;
  contactPhone: string;
  tokenHash: string;
  tokenExpiresAt: string;
  defaultDueAt: string;
  ratingId: string | null;
  source: string;
  createdAt: string;
  rollupScopes: string;
}

export interface RatingsTable {
  id: string;
  transactionId: string | null;
  unitId: string;
  serviceItemId: string | null;
  staffId: string | null;
  mode: string;
  level: number;
  tags: string;
  dimensions: string;
  comment: string;
  commentFingerprint: string;
  channel: string;
  deviceId: string;
  addressDigest: string;
  isDefault: number;
  named: number;
  status: string;
  flags: string;
  idempotencyKey: string | null;
  requestDigest: string;
  rollupScopes: string;
  day: string;
  createdAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  removedAt: string | null;
  removedReason: string | null;
}

export interface RatingRollupsTable {
  scopeType: string;
  scopeId: string;
  grain: string;
  bucket: string;
  channel: string;
  level: number;
  isDefault: number;
  n: number;
}

export interface ActivityRollupsTable {
  scopeType: string;
  scopeId: string;
  grain: string;
  bucket: string;
  transactions: number;
  activelyRated: number;
  badCases: number;
  replied: number;
  rectified: number;
  judged: number;
  satisfied: number;
}

export interface CasesTable {
  id: string;
  ratingId: string;
  unitId: string;
  responsibleUnitId: string;
  responsibleName: string;
  state: string;
  named: number;
  calledBack: number;
  rectified: number;
  reopenCount: number;
  ratingDay: string;
  openedAt: string;
  openedOn: string;
  rectifyFrom: string;
  dueOn: string | null;
  escalation: number;
  appealReason: string | null;
  appealText: string | null;
  appealDecision: string | null;
  rectificationText: string | null;
  replyText: string | null;
  repliedAt: string | null;
  judgement: string | null;
  judgedAt: string | null;
  judgeTokenHash: string | null;
  closedAt: string | null;
  updatedAt: string;
  appealEvidence: string | null;
  appealNote: string | null;
  judgementComment: string | null;
  judgeDueOn: string | null;
}

export interface CaseEventsTable {
  id: string;
  caseId: string;
  at: string;
  actorLabel: string;
  type: string;
  payload: string;
}

export interface CaseWarningsTable {
  id: string;
  caseId: string;
  stage: string;
  level: number;
  unitId: string;
  dueOn: string;
  issuedOn: string;
  createdAt: string;
}

export interface OutboxTable {
  id: string;
  createdAt: string;
  channel: string;
  recipient: string;
  subject: string;
  body: string;
  relatedType: string;
  relatedId: string;
  sentAt: string | null;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  /** The drain that holds the message (a claim id), and until when; free again once that time passes. */
  claimedBy: string | null;
  claimedUntil: string | null;
}

// --- scoring (考核方案、排名、十佳十差) ---

export interface SchemesTable {
  id: string;
  code: string;
  name: string;
  description: string;
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
}

/** Immutable: a run names the version it used. */
export interface SchemeVersionsTable {
  id: string;
  schemeId: string;
  version: number;
  /** The SchemeDefinition as JSON text. */
  definition: string;
  note: string;
  createdBy: string | null;
  createdByName: string;
  createdAt: string;
}

/** Imported scores: append-only; a correction sets superseded_at on the value it replaces. */
export interface ScoreValuesTable {
  id: string;
  series: string;
  periodId: string;
  unitId: string;
  /** A decimal number as text (e.g. "87.5"), so both databases return exactly what was entered. */
  value: string;
  document: string;
  note: string;
  enteredBy: string | null;
  /** Who entered it, as named at the time (provenance must not change when an account is renamed). */
  enteredByName: string;
  enteredAt: string;
  batchId: string;
  supersededAt: string | null;
}

export interface ScoringTasksTable {
  id: string;
  key: string;
  name: string;
  leadUnitId: string;
  createdAt: string;
}

export interface SheetScoresTable {
  id: string;
  taskId: string;
  periodId: string;
  scorerUnitId: string;
  unitId: string;
  value: string;
  document: string;
  enteredBy: string | null;
  enteredByName: string;
  enteredAt: string;
  supersededAt: string | null;
}

export interface VetoesTable {
  id: string;
  unitId: string;
  periodId: string;
  schemeId: string | null;
  reason: string;
  evidence: string;
  recordedBy: string | null;
  recordedByName: string;
  recordedAt: string;
  revokedAt: string | null;
  revokeReason: string | null;
}

export interface ScoringRunsTable {
  id: string;
  schemeId: string;
  schemeVersion: number;
  periodId: string;
  groupKey: string;
  /** computed → in_review → approved → published; superseded by a newer run before publication. */
  status: string;
  /** Canonical JSON of the engine's input, and its digest. */
  inputs: string;
  inputsDigest: string;
  /** Canonical JSON of the engine's outcome, and its digest. */
  outcome: string;
  resultsDigest: string;
  unitCount: number;
  computedBy: string | null;
  computedByName: string;
  computedAt: string;
  approvedAt: string | null;
  publishedAt: string | null;
  supersededBy: string | null;
}

export interface RunReviewsTable {
  id: string;
  runId: string;
  stageIndex: number;
  stageName: string;
  body: string;
  decidedOn: string;
  decision: string;
  reason: string | null;
  /** The lists after this stage (JSON arrays of unit ids). */
  best: string;
  worst: string;
  recordedBy: string | null;
  recordedByName: string;
  recordedAt: string;
}

export interface RunProblemsTable {
  runId: string;
  unitId: string;
  text: string;
  updatedBy: string | null;
  updatedAt: string;
}

// --- result application (结果运用) ---

export interface OutcomeRuleSetsTable {
  schemeId: string;
  /** ConsequenceRule[] as JSON. */
  rules: string;
  updatedAt: string;
  updatedBy: string;
}

export interface ConsequencesTable {
  id: string;
  runId: string;
  ruleKey: string;
  unitId: string;
  kind: string;
  /** confirmed | rejected | revoked */
  status: string;
  /** The proposal as decided (Proposal as JSON). */
  proposal: string;
  startsOn: string;
  endsOn: string | null;
  subject: string | null;
  note: string | null;
  decidedBy: string | null;
  decidedByName: string;
  decidedAt: string;
  doneOn: string | null;
  doneNote: string | null;
}

export interface ConsequenceAppealsTable {
  id: string;
  consequenceId: string;
  filedOn: string;
  grounds: string;
  filedBy: string;
  filedAt: string;
  /** pending | upheld | granted */
  status: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
}

// --- quarterly indicator checklists (季度指标清单, migration 016) ---

export interface ChecklistsTable {
  id: string;
  name: string;
  periodId: string;
  series: string;
  /** draft | open | closed */
  status: string;
  opensOn: string;
  workingDays: number;
  deadline: string;
  /** ChecklistDefinition as JSON. */
  definition: string;
  /** Unit ids as a JSON array. */
  unitIds: string;
  createdAt: string;
  createdBy: string;
  closedAt: string | null;
  closedBy: string | null;
}

export interface ChecklistEntriesTable {
  id: string;
  checklistId: string;
  unitId: string;
  /** basic | innovation */
  kind: string;
  itemKey: string | null;
  title: string;
  note: string;
  claimedPoints: string | null;
  awardedPoints: string | null;
  /** draft | submitted | accepted | returned */
  status: string;
  submittedAt: string | null;
  submittedBy: string | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
  returnReason: string | null;
  resubmitBy: string | null;
  createdAt: string;
  createdBy: string;
}

export interface ChecklistEvidenceTable {
  id: string;
  entryId: string;
  sha256: string;
  filename: string;
  mime: string;
  size: number;
  uploadedBy: string;
  createdAt: string;
}

// --- documents (通报, 分析报告) ---

export interface DocumentsTable {
  id: string;
  /** notice | report */
  kind: string;
  /** draft | issued */
  status: string;
  runId: string | null;
  periodId: string | null;
  /** OfficialDocument as JSON. */
  content: string;
  dataDigest: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  issuedAt: string | null;
  issuedBy: string | null;
}

// --- the evaluator pool and its draws (migration 010) ---------------------------------------------

export interface PanelGroupsTable {
  id: string;
  code: string;
  name: string;
  sortOrder: number;
  createdAt: string;
}

export interface EvaluatorsTable {
  id: string;
  name: string;
  mobile: string;
  /** JSON: group codes. */
  groups: string;
  regionId: string | null;
  grassroots: number;
  /** JSON: labels. */
  tags: string;
  /** JSON: unit ids the evaluator may not judge. */
  conflicts: string;
  active: number;
  createdAt: string;
  updatedAt: string;
}

export interface PanelImportsTable {
  id: string;
  filename: string;
  createdBy: string;
  createdAt: string;
  payload: string;
  status: string;
  appliedAt: string | null;
}

export interface PanelDrawsTable {
  id: string;
  kind: string;
  purpose: string;
  state: string;
  rules: string;
  rulesDigest: string;
  snapshot: string;
  snapshotDigest: string;
  poolSize: number;
  plan: string;
  secret: string;
  commitment: string;
  publicValue: string | null;
  seed: string | null;
  result: string | null;
  resultDigest: string | null;
  announcedAt: string;
  announcedBy: string;
  drawnAt: string | null;
  publishedAt: string | null;
}

export interface PanelDrawMembersTable {
  drawId: string;
  evaluatorId: string;
  role: string;
  stratum: string;
  rank: number;
  drawnOn: string;
}

export interface PanelSupplementsTable {
  drawId: string;
  leaderId: string;
  /** JSON: unit ids. */
  units: string;
  createdAt: string;
  createdBy: string;
}

// --- evaluation campaigns (专项评价; migration 011) ---

export interface CampaignsTable {
  id: string;
  key: string;
  name: string;
  description: string;
  /** unit | key_task */
  subjectKind: string;
  /** JSON of a Questionnaire (src/campaigns/types.ts). */
  questionnaire: string;
  named: number;
  mixSize: number;
  minResponses: number;
  /** Invitation tokens are HMACs of the invitation id under this key. */
  secret: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface CampaignSubjectsTable {
  id: string;
  campaignId: string;
  position: number;
  /** unit | key_task */
  kind: string;
  /** The unit judged, or the key task's lead unit. */
  unitId: string;
  name: string;
  groupName: string;
  description: string;
  /** JSON array of strings. */
  highlights: string;
  /** JSON array of unit ids. */
  cooperating: string;
}

export interface CampaignRoundsTable {
  id: string;
  campaignId: string;
  key: string;
  name: string;
  position: number;
  periodId: string | null;
  opensOn: string;
  closesOn: string;
  /** draft | open | closed | computed */
  state: string;
  openedAt: string | null;
  closedAt: string | null;
  computedAt: string | null;
  /** JSON of the round's SubjectResult list, once computed. */
  results: string | null;
  resultsDigest: string | null;
}

export interface CampaignStagesTable {
  id: string;
  roundId: string;
  campaignId: string;
  position: number;
  name: string;
  /** directed | draw | panel | public | paper */
  source: string;
  opensOn: string;
  closesOn: string;
}

export interface CampaignInvitationsTable {
  id: string;
  campaignId: string;
  roundId: string;
  stageId: string;
  source: string;
  evaluatorRef: string;
  name: string;
  phone: string;
  groupName: string;
  /** JSON array of subject ids. */
  subjects: string;
  tokenHash: string;
  used: number;
  draft: string | null;
  reminders: number;
  lastRemindedOn: string | null;
  createdAt: string;
}

export interface CampaignBallotPoolTable {
  id: string;
  roundId: string;
  /** JSON of a pooled ballot (answers, receipt digest, source, name when named). */
  payload: string;
}

export interface CampaignBallotsTable {
  id: string;
  campaignId: string;
  roundId: string;
  source: string;
  receiptDigest: string;
  /** JSON of BallotAnswers. */
  answers: string;
  namedAs: string | null;
}

export interface CampaignCommentsTable {
  id: string;
  campaignId: string;
  roundId: string;
  subjectId: string;
  unitId: string;
  itemKey: string;
  text: string;
}

// --- comments, problem lists and the rectification ledger (migration 012) --------------------------

export interface LedgerTopicListsTable {
  id: string;
  name: string;
  presetKey: string | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface LedgerTopicsTable {
  id: string;
  listId: string;
  name: string;
  /** JSON: [{ word, weight }] */
  keywords: string;
  position: number;
  archived: number;
  createdAt: string;
  updatedAt: string;
}

export interface LedgerCommentsTable {
  id: string;
  source: string;
  sourceRef: string;
  unitId: string;
  date: string;
  level: number | null;
  text: string;
  collectedAt: string;
}

export interface LedgerAssignmentsTable {
  commentId: string;
  listId: string;
  topicId: string | null;
  assignedBy: string;
  assignedAt: string;
}

export interface LedgerProblemsTable {
  id: string;
  unitId: string;
  topicId: string | null;
  title: string;
  phrase: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface LedgerProblemCommentsTable {
  problemId: string;
  commentId: string;
}

export interface LedgerItemsTable {
  id: string;
  origin: string;
  originRef: string | null;
  unitId: string;
  responsibleName: string;
  title: string;
  target: string;
  measures: string;
  progressText: string;
  resultText: string;
  state: string;
  openedOn: string;
  deadlineOn: string;
  stageFrom: string;
  dueOn: string | null;
  escalation: number;
  reopenCount: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface LedgerItemEventsTable {
  id: string;
  itemId: string;
  at: string;
  actorLabel: string;
  type: string;
  payload: string;
}

export interface LedgerReviewsTable {
  id: string;
  itemId: string;
  stage: string;
  decision: string;
  reason: string;
  reviewedBy: string;
  reviewedAt: string;
}

export interface LedgerWarningsTable {
  id: string;
  itemId: string;
  stage: string;
  level: number;
  unitId: string;
  dueOn: string;
  issuedOn: string;
  createdAt: string;
}

export interface LedgerFilesTable {
  sha256: string;
  mime: string;
  size: number;
  data: string | null;
  createdAt: string;
}

export interface LedgerAttachmentsTable {
  id: string;
  itemId: string | null;
  followUpId: string | null;
  stage: string;
  sha256: string;
  filename: string;
  uploadedBy: string;
  createdAt: string;
}

export interface LedgerFollowUpsTable {
  id: string;
  kind: string;
  method: string;
  itemId: string | null;
  unitId: string;
  date: string;
  inspector: string;
  findings: string;
  problemBack: number;
  createdBy: string;
  createdAt: string;
}

// --- the 办不成事 window (migration 014) -------------------------------------------------------------

export interface WindowMattersTable {
  id: string;
  receiptCode: string;
  channel: string;
  what: string;
  place: string;
  unitsNamed: string;
  filerName: string;
  filerPhone: string;
  state: string;
  coordinatorId: string | null;
  leadUnitId: string | null;
  filedOn: string;
  stageFrom: string;
  dueOn: string | null;
  deadlineOn: string | null;
  escalation: number;
  declinedReason: string;
  outcome: string | null;
  resolutionText: string;
  resolvedOn: string | null;
  rating: string | null;
  ratingComment: string;
  ratedAt: string | null;
  ledgerItemId: string | null;
  reopenCount: number;
  recordedBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface WindowAssignmentsTable {
  matterId: string;
  unitId: string;
  lead: number;
  responseText: string;
  respondedAt: string | null;
  respondedBy: string | null;
}

export interface WindowEventsTable {
  id: string;
  matterId: string;
  at: string;
  actorLabel: string;
  type: string;
  payload: string;
}

export interface WindowWarningsTable {
  id: string;
  matterId: string;
  stage: string;
  level: number;
  dueOn: string;
  issuedOn: string;
  createdAt: string;
}

export interface WindowRotaTable {
  date: string;
  accountId: string;
  updatedBy: string;
  updatedAt: string;
}

export interface DB {
  settings: SettingsTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  loginAttempts: LoginAttemptsTable;
  kioskLookupFailures: KioskLookupFailuresTable;
  apiTokens: ApiTokensTable;
  auditLog: AuditLogTable;
  unitCategories: UnitCategoriesTable;
  units: UnitsTable;
  unitVersions: UnitVersionsTable;
  serviceItems: ServiceItemsTable;
  staff: StaffTable;
  periods: PeriodsTable;
  imports: ImportsTable;
  calendarDays: CalendarDaysTable;
  devices: DevicesTable;
  transactions: TransactionsTable;
  ratings: RatingsTable;
  ratingRollups: RatingRollupsTable;
  activityRollups: ActivityRollupsTable;
  cases: CasesTable;
  caseEvents: CaseEventsTable;
  caseWarnings: CaseWarningsTable;
  outbox: OutboxTable;
  schemes: SchemesTable;
  schemeVersions: SchemeVersionsTable;
  scoreValues: ScoreValuesTable;
  scoringTasks: ScoringTasksTable;
  sheetScores: SheetScoresTable;
  vetoes: VetoesTable;
  scoringRuns: ScoringRunsTable;
  runReviews: RunReviewsTable;
  runProblems: RunProblemsTable;
  outcomeRuleSets: OutcomeRuleSetsTable;
  consequences: ConsequencesTable;
  consequenceAppeals: ConsequenceAppealsTable;
  documents: DocumentsTable;
  checklists: ChecklistsTable;
  checklistEntries: ChecklistEntriesTable;
  checklistEvidence: ChecklistEvidenceTable;
  panelGroups: PanelGroupsTable;
  evaluators: EvaluatorsTable;
  panelImports: PanelImportsTable;
  panelDraws: PanelDrawsTable;
  panelDrawMembers: PanelDrawMembersTable;
  panelSupplements: PanelSupplementsTable;
  campaigns: CampaignsTable;
  campaignSubjects: CampaignSubjectsTable;
  campaignRounds: CampaignRoundsTable;
  campaignStages: CampaignStagesTable;
  campaignInvitations: CampaignInvitationsTable;
  campaignBallotPool: CampaignBallotPoolTable;
  campaignBallots: CampaignBallotsTable;
  campaignComments: CampaignCommentsTable;
  ledgerTopicLists: LedgerTopicListsTable;
  ledgerTopics: LedgerTopicsTable;
  ledgerComments: LedgerCommentsTable;
  ledgerAssignments: LedgerAssignmentsTable;
  ledgerProblems: LedgerProblemsTable;
  ledgerProblemComments: LedgerProblemCommentsTable;
  ledgerItems: LedgerItemsTable;
  ledgerItemEvents: LedgerItemEventsTable;
  ledgerReviews: LedgerReviewsTable;
  ledgerWarnings: LedgerWarningsTable;
  ledgerFiles: LedgerFilesTable;
  ledgerAttachments: LedgerAttachmentsTable;
  ledgerFollowUps: LedgerFollowUpsTable;
  windowMatters: WindowMattersTable;
  windowAssignments: WindowAssignmentsTable;
  windowEvents: WindowEventsTable;
  windowWarnings: WindowWarningsTable;
  windowRota: WindowRotaTable;
}

export type { Generated };
