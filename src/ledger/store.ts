import { sql } from 'kysely';
import type { Executor } from '../core/db/database.js';
import type {
  LedgerAssignmentsTable,
  LedgerAttachmentsTable,
  LedgerCommentsTable,
  LedgerFilesTable,
  LedgerFollowUpsTable,
  LedgerItemEventsTable,
  LedgerItemsTable,
  LedgerProblemsTable,
  LedgerReviewsTable,
  LedgerTopicListsTable,
  LedgerTopicsTable,
  LedgerWarningsTable,
} from '../core/db/schema.js';

/*
 * The SQL of the ledger area: topic lists and topics, collected comments and clerks' assignments,
 * problems, ledger items with their events, reviews and warnings, evidence files and attachments, and
 * follow-ups. Functions take the executor they run on (a transaction inside a use case).
 */

const CHUNK = 500;
const chunks = <T>(xs: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
};
const inserted = (r: { numInsertedOrUpdatedRows?: bigint }) => Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;

// --- topic lists and topics ---------------------------------------------------------------------

export async function insertTopicList(db: Executor, row: LedgerTopicListsTable): Promise<void> {
  await db.insertInto('ledgerTopicLists').values(row).execute();
}

export async function topicLists(db: Executor): Promise<LedgerTopicListsTable[]> {
  return db.selectFrom('ledgerTopicLists').selectAll().orderBy('createdAt').orderBy('id').execute();
}

export async function topicListById(db: Executor, id: string): Promise<LedgerTopicListsTable | undefined> {
  return db.selectFrom('ledgerTopicLists').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks that the list's suggestions changed (topics, keywords or assignments): cached models are stale. */
export async function bumpRevision(db: Executor, listId: string, at: string): Promise<void> {
  await db
    .updateTable('ledgerTopicLists')
    .set((eb) => ({ revision: eb('revision', '+', 1), updatedAt: at }))
    .where('id', '=', listId)
    .execute();
}

export async function renameTopicList(db: Executor, id: string, name: string, at: string): Promise<void> {
  await db.updateTable('ledgerTopicLists').set({ name, updatedAt: at }).where('id', '=', id).execute();
}

export async function insertTopic(db: Executor, row: LedgerTopicsTable): Promise<void> {
  await db.insertInto('ledgerTopics').values(row).execute();
}

export async function topicsOf(db: Executor, listId: string): Promise<LedgerTopicsTable[]> {
  return db
    .selectFrom('ledgerTopics')
    .selectAll()
    .where('listId', '=', listId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export async function topicById(db: Executor, id: string): Promise<LedgerTopicsTable | undefined> {
  return db.selectFrom('ledgerTopics').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function topicsByIds(db: Executor, ids: readonly string[]): Promise<LedgerTopicsTable[]> {
  const out: LedgerTopicsTable[] = [];
  for (const part of chunks([...new Set(ids)])) {
    out.push(...(await db.selectFrom('ledgerTopics').selectAll().where('id', 'in', part).execute()));
  }
  return out;
}

export async function updateTopic(
  db: Executor,
  id: string,
  changes: Partial<Pick<LedgerTopicsTable, 'name' | 'keywords' | 'position' | 'archived' | 'updatedAt'>>,
): Promise<void> {
  await db.updateTable('ledgerTopics').set(changes).where('id', '=', id).execute();
}

/** Comments assigned to each topic of a list (topic id → count; the no-topic count under ''). */
export async function assignedCounts(db: Executor, listId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('ledgerAssignments')
    .select(['topicId', (eb) => eb.fn.countAll<number>().as('n')])
    .where('listId', '=', listId)
    .groupBy('topicId')
    .execute();
  return new Map(rows.map((r) => [r.topicId ?? '', Number(r.n)]));
}

// --- comments and assignments -------------------------------------------------------------------

/** Stores a collected comment unless its source already delivered it; returns whether it was new. */
export async function insertCommentIfAbsent(db: Executor, row: LedgerCommentsTable): Promise<boolean> {
  const result = await db
    .insertInto('ledgerComments')
    .values(row)
    .onConflict((oc) => oc.columns(['source', 'sourceRef']).doNothing())
    .executeTakeFirst();
  return inserted(result);
}

export interface CommentFilter {
  unitIds: readonly string[] | null;
  from: string | null;
  to: string | null;
  source: string | null;
  /** With a list: only comments assigned in it (true), or not yet (false). */
  listId: string | null;
  assigned: boolean | null;
  topicId: string | null;
}

export interface CommentRow extends LedgerCommentsTable {
  assignedTopicId: string | null;
  isAssigned: number;
}

function commentQuery(db: Executor, f: CommentFilter) {
  let q = db
    .selectFrom('ledgerComments as c')
    .leftJoin('ledgerAssignments as a', (join) =>
      join.onRef('a.commentId', '=', 'c.id').on('a.listId', '=', f.listId ?? ''),
    );
  if (f.unitIds !== null) q = q.where('c.unitId', 'in', f.unitIds.length > 0 ? [...f.unitIds] : ['']);
  if (f.from !== null) q = q.where('c.date', '>=', f.from);
  if (f.to !== null) q = q.where('c.date', '<=', f.to);
  if (f.source !== null) q = q.where('c.source', '=', f.source);
  if (f.assigned === true) q = q.where('a.commentId', 'is not', null);
  if (f.assigned === false) q = q.where('a.commentId', 'is', null);
  if (f.topicId !== null) q = q.where('a.topicId', '=', f.topicId);
  return q;
}

export async function commentPage(
  db: Executor,
  f: CommentFilter,
  limit: number,
  offset: number,
): Promise<{ rows: CommentRow[]; total: number }> {
  const total = await commentQuery(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await commentQuery(db, f)
    .selectAll('c')
    .select([
      'a.topicId as assignedTopicId',
      sql<number>`case when a.comment_id is null then 0 else 1 end`.as('isAssigned'),
    ])
    .orderBy('c.date', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return { rows, total: Number(total.n) };
}

/** Every comment matching the filter (for clustering), at most `limit`. */
export async function commentsMatching(
  db: Executor,
  f: CommentFilter,
  limit: number,
): Promise<LedgerCommentsTable[]> {
  return commentQuery(db, f).selectAll('c').orderBy('c.date', 'desc').orderBy('c.id').limit(limit).execute();
}

export async function commentsByIds(db: Executor, ids: readonly string[]): Promise<LedgerCommentsTable[]> {
  const out: LedgerCommentsTable[] = [];
  for (const part of chunks([...new Set(ids)])) {
    out.push(...(await db.selectFrom('ledgerComments').selectAll().where('id', 'in', part).execute()));
  }
  return out;
}

export async function assignmentsByComments(
  db: Executor,
  listId: string,
  commentIds: readonly string[],
): Promise<LedgerAssignmentsTable[]> {
  const out: LedgerAssignmentsTable[] = [];
  for (const part of chunks([...new Set(commentIds)])) {
    out.push(
      ...(await db
        .selectFrom('ledgerAssignments')
        .selectAll()
        .where('listId', '=', listId)
        .where('commentId', 'in', part)
        .execute()),
    );
  }
  return out;
}

export async function upsertAssignment(db: Executor, row: LedgerAssignmentsTable): Promise<void> {
  await db
    .insertInto('ledgerAssignments')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['commentId', 'listId']).doUpdateSet({
        topicId: row.topicId,
        assignedBy: row.assignedBy,
        assignedAt: row.assignedAt,
      }),
    )
    .execute();
}

/** The texts of every comment assigned in a list with the topic (null: no topic): what teaches the classifier. */
export async function trainingSet(
  db: Executor,
  listId: string,
): Promise<{ topicId: string | null; text: string }[]> {
  return db
    .selectFrom('ledgerAssignments as a')
    .innerJoin('ledgerComments as c', 'c.id', 'a.commentId')
    .select(['a.topicId', 'c.text'])
    .where('a.listId', '=', listId)
    .execute();
}

// --- problems -----------------------------------------------------------------------------------

export async function insertProblem(db: Executor, row: LedgerProblemsTable): Promise<void> {
  await db.insertInto('ledgerProblems').values(row).execute();
}

export async function problemById(db: Executor, id: string): Promise<LedgerProblemsTable | undefined> {
  return db.selectFrom('ledgerProblems').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateProblem(
  db: Executor,
  id: string,
  changes: Partial<Pick<LedgerProblemsTable, 'title' | 'topicId' | 'updatedAt'>>,
): Promise<void> {
  await db.updateTable('ledgerProblems').set(changes).where('id', '=', id).execute();
}

export async function addProblemComments(db: Executor, problemId: string, commentIds: readonly string[]) {
  for (const part of chunks([...new Set(commentIds)])) {
    await db
      .insertInto('ledgerProblemComments')
      .values(part.map((commentId) => ({ problemId, commentId })))
      .onConflict((oc) => oc.columns(['problemId', 'commentId']).doNothing())
      .execute();
  }
}

export async function problemsOfUnits(
  db: Executor,
  unitIds: readonly string[] | null,
): Promise<LedgerProblemsTable[]> {
  let q = db.selectFrom('ledgerProblems').selectAll();
  if (unitIds !== null) q = q.where('unitId', 'in', unitIds.length > 0 ? [...unitIds] : ['']);
  return q.orderBy('createdAt', 'desc').orderBy('id').execute();
}

/** The comments behind each of the given problems (problem id → texts, oldest comment first). */
export async function problemComments(
  db: Executor,
  problemIds: readonly string[],
): Promise<Map<string, { id: string; text: string }[]>> {
  const out = new Map<string, { id: string; text: string }[]>();
  for (const part of chunks([...new Set(problemIds)])) {
    const rows = await db
      .selectFrom('ledgerProblemComments as p')
      .innerJoin('ledgerComments as c', 'c.id', 'p.commentId')
      .select(['p.problemId', 'c.id', 'c.text'])
      .where('p.problemId', 'in', part)
      .orderBy('c.date')
      .orderBy('c.id')
      .execute();
    for (const r of rows) {
      const list = out.get(r.problemId) ?? [];
      list.push({ id: r.id, text: r.text });
      out.set(r.problemId, list);
    }
  }
  return out;
}

/** The comments behind one problem, oldest first. */
export async function commentsOfProblem(db: Executor, problemId: string): Promise<LedgerCommentsTable[]> {
  return db
    .selectFrom('ledgerProblemComments as p')
    .innerJoin('ledgerComments as c', 'c.id', 'p.commentId')
    .selectAll('c')
    .where('p.problemId', '=', problemId)
    .orderBy('c.date')
    .orderBy('c.id')
    .execute();
}

export async function removeProblemComments(
  db: Executor,
  problemId: string,
  commentIds: readonly string[],
): Promise<void> {
  for (const part of chunks([...new Set(commentIds)])) {
    await db
      .deleteFrom('ledgerProblemComments')
      .where('problemId', '=', problemId)
      .where('commentId', 'in', part)
      .execute();
  }
}

/** A problem and the links to its comments (the comments themselves stay in the inbox). */
export async function deleteProblem(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('ledgerProblemComments').where('problemId', '=', id).execute();
  await db.deleteFrom('ledgerProblems').where('id', '=', id).execute();
}

// --- ledger items -------------------------------------------------------------------------------

export async function insertItem(db: Executor, row: LedgerItemsTable): Promise<void> {
  await db.insertInto('ledgerItems').values(row).execute();
}

export async function itemById(db: Executor, id: string): Promise<LedgerItemsTable | undefined> {
  return db.selectFrom('ledgerItems').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Applies changes only if the item is still in the state it was read in; returns whether it did. */
export async function updateItem(
  db: Executor,
  id: string,
  expectedState: string,
  changes: Partial<Omit<LedgerItemsTable, 'id'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('ledgerItems')
    .set(changes)
    .where('id', '=', id)
    .where('state', '=', expectedState)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function itemsByOrigin(db: Executor, origin: string, originRefs: readonly string[]) {
  const out: LedgerItemsTable[] = [];
  for (const part of chunks([...new Set(originRefs)])) {
    out.push(
      ...(await db
        .selectFrom('ledgerItems')
        .selectAll()
        .where('origin', '=', origin)
        .where('originRef', 'in', part)
        .execute()),
    );
  }
  return out;
}

export interface ItemFilter {
  unitIds: readonly string[] | null;
  states: readonly string[] | null;
  overdueOn: string | null;
}

function itemQuery(db: Executor, f: ItemFilter) {
  let q = db.selectFrom('ledgerItems');
  if (f.unitIds !== null) q = q.where('unitId', 'in', f.unitIds.length > 0 ? [...f.unitIds] : ['']);
  if (f.states !== null) q = q.where('state', 'in', f.states.length > 0 ? [...f.states] : ['']);
  if (f.overdueOn !== null) q = q.where('dueOn', '<', f.overdueOn);
  return q;
}

export async function itemPage(
  db: Executor,
  f: ItemFilter,
  limit: number,
  offset: number,
): Promise<{ rows: LedgerItemsTable[]; total: number }> {
  const total = await itemQuery(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await itemQuery(db, f)
    .selectAll()
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return { rows, total: Number(total.n) };
}

/** Items whose deadline runs (the responsible unit holds them), for the sweep. */
export async function itemsHeldByUnits(db: Executor): Promise<LedgerItemsTable[]> {
  return db
    .selectFrom('ledgerItems')
    .selectAll()
    .where('state', 'in', ['planning', 'executing', 'finishing'])
    .orderBy('id')
    .execute();
}

/** Per unit: items raised, closed, and open past their due date on `day` (one grouped query). */
export async function figuresByUnit(
  db: Executor,
  day: string,
): Promise<{ unitId: string; raised: number; closed: number; overdue: number }[]> {
  const rows = await db
    .selectFrom('ledgerItems')
    .select([
      'unitId',
      (eb) => eb.fn.countAll<number>().as('raised'),
      sql<number>`sum(case when state = 'closed' then 1 else 0 end)`.as('closed'),
      sql<number>`sum(case when state <> 'closed' and due_on is not null and due_on < ${day} then 1 else 0 end)`.as(
        'overdue',
      ),
    ])
    .groupBy('unitId')
    .execute();
  return rows.map((r) => ({
    unitId: r.unitId,
    raised: Number(r.raised),
    closed: Number(r.closed),
    overdue: Number(r.overdue),
  }));
}

export async function recentlyClosed(db: Executor, limit: number): Promise<LedgerItemsTable[]> {
  return db
    .selectFrom('ledgerItems')
    .selectAll()
    .where('state', '=', 'closed')
    .orderBy('closedAt', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function insertEvent(db: Executor, row: LedgerItemEventsTable): Promise<void> {
  await db.insertInto('ledgerItemEvents').values(row).execute();
}

export async function eventsOf(db: Executor, itemId: string): Promise<LedgerItemEventsTable[]> {
  return db.selectFrom('ledgerItemEvents').selectAll().where('itemId', '=', itemId).orderBy('id').execute();
}

export async function insertReview(db: Executor, row: LedgerReviewsTable): Promise<void> {
  await db.insertInto('ledgerReviews').values(row).execute();
}

export async function reviewsOf(db: Executor, itemId: string): Promise<LedgerReviewsTable[]> {
  return db.selectFrom('ledgerReviews').selectAll().where('itemId', '=', itemId).orderBy('id').execute();
}

export async function insertWarningIfAbsent(db: Executor, row: LedgerWarningsTable): Promise<boolean> {
  const result = await db
    .insertInto('ledgerWarnings')
    .values(row)
    .onConflict((oc) => oc.columns(['itemId', 'stage', 'level']).doNothing())
    .executeTakeFirst();
  return inserted(result);
}

export async function warningsOf(db: Executor, itemId: string): Promise<LedgerWarningsTable[]> {
  return db.selectFrom('ledgerWarnings').selectAll().where('itemId', '=', itemId).orderBy('id').execute();
}

// --- evidence files -----------------------------------------------------------------------------

/** Stores a file's bytes once under its SHA-256 (a second upload of the same bytes stores nothing). */
export async function insertFileIfAbsent(db: Executor, row: LedgerFilesTable): Promise<void> {
  await db
    .insertInto('ledgerFiles')
    .values(row)
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

export async function fileBySha(db: Executor, sha256: string): Promise<LedgerFilesTable | undefined> {
  return db.selectFrom('ledgerFiles').selectAll().where('sha256', '=', sha256).executeTakeFirst();
}

export async function insertAttachment(db: Executor, row: LedgerAttachmentsTable): Promise<void> {
  await db.insertInto('ledgerAttachments').values(row).execute();
}

export type AttachmentRow = LedgerAttachmentsTable & { mime: string; size: number };

function attachmentQuery(db: Executor) {
  return db
    .selectFrom('ledgerAttachments as a')
    .innerJoin('ledgerFiles as f', 'f.sha256', 'a.sha256')
    .selectAll('a')
    .select(['f.mime', 'f.size']);
}

export async function attachmentsOfItem(db: Executor, itemId: string): Promise<AttachmentRow[]> {
  return attachmentQuery(db).where('a.itemId', '=', itemId).orderBy('a.id').execute();
}

export async function attachmentsOfFollowUps(
  db: Executor,
  followUpIds: readonly string[],
): Promise<AttachmentRow[]> {
  const out: AttachmentRow[] = [];
  for (const part of chunks([...new Set(followUpIds)])) {
    out.push(...(await attachmentQuery(db).where('a.followUpId', 'in', part).orderBy('a.id').execute()));
  }
  return out;
}

/** Units whose items or follow-ups a file is attached to: who may download it. */
export async function unitsHoldingFile(db: Executor, sha256: string): Promise<string[]> {
  const viaItems = await db
    .selectFrom('ledgerAttachments as a')
    .innerJoin('ledgerItems as i', 'i.id', 'a.itemId')
    .select('i.unitId')
    .where('a.sha256', '=', sha256)
    .execute();
  const viaFollowUps = await db
    .selectFrom('ledgerAttachments as a')
    .innerJoin('ledgerFollowUps as f', 'f.id', 'a.followUpId')
    .select('f.unitId')
    .where('a.sha256', '=', sha256)
    .execute();
  return [...new Set([...viaItems, ...viaFollowUps].map((r) => r.unitId))];
}

/** Evidence files attached to each item (item id → count). */
export async function evidenceCounts(db: Executor, itemIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const part of chunks([...new Set(itemIds)])) {
    const rows = await db
      .selectFrom('ledgerAttachments')
      .select(['itemId', (eb) => eb.fn.countAll<number>().as('n')])
      .where('itemId', 'in', part)
      .groupBy('itemId')
      .execute();
    for (const r of rows) if (r.itemId !== null) out.set(r.itemId, Number(r.n));
  }
  return out;
}

/** The files attached to each item, counted by type: item id → mime → count. */
export async function evidenceTypes(
  db: Executor,
  itemIds: readonly string[],
): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  for (const part of chunks([...new Set(itemIds)])) {
    const rows = await db
      .selectFrom('ledgerAttachments as a')
      .innerJoin('ledgerFiles as f', 'f.sha256', 'a.sha256')
      .select(['a.itemId', 'f.mime', (eb) => eb.fn.countAll<number>().as('n')])
      .where('a.itemId', 'in', part)
      .groupBy(['a.itemId', 'f.mime'])
      .execute();
    for (const r of rows) {
      if (r.itemId === null) continue;
      const byType = out.get(r.itemId) ?? new Map<string, number>();
      byType.set(r.mime, Number(r.n));
      out.set(r.itemId, byType);
    }
  }
  return out;
}

// --- follow-ups ---------------------------------------------------------------------------------

export async function insertFollowUp(db: Executor, row: LedgerFollowUpsTable): Promise<void> {
  await db.insertInto('ledgerFollowUps').values(row).execute();
}

export async function followUpById(db: Executor, id: string): Promise<LedgerFollowUpsTable | undefined> {
  return db.selectFrom('ledgerFollowUps').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function followUpsOfItem(db: Executor, itemId: string): Promise<LedgerFollowUpsTable[]> {
  return db.selectFrom('ledgerFollowUps').selectAll().where('itemId', '=', itemId).orderBy('id').execute();
}

export async function followUpsOfUnits(
  db: Executor,
  unitIds: readonly string[] | null,
  limit: number,
): Promise<LedgerFollowUpsTable[]> {
  let q = db.selectFrom('ledgerFollowUps').selectAll();
  if (unitIds !== null) q = q.where('unitId', 'in', unitIds.length > 0 ? [...unitIds] : ['']);
  return q.orderBy('date', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
