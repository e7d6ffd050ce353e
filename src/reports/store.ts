import type { Executor } from '../core/db/database.js';
import type { DocumentsTable } from '../core/db/schema.js';

/* SQL of documents (通报, 分析报告). */

export async function insertDocument(db: Executor, row: DocumentsTable): Promise<void> {
  await db.insertInto('documents').values(row).execute();
}

export async function documentById(db: Executor, id: string): Promise<DocumentsTable | undefined> {
  return db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Documents newest first, optionally of one run or one period. */
export async function listDocuments(
  db: Executor,
  filter: { runId?: string | undefined; periodId?: string | undefined },
): Promise<DocumentsTable[]> {
  let q = db.selectFrom('documents').selectAll();
  if (filter.runId) q = q.where('runId', '=', filter.runId);
  if (filter.periodId) q = q.where('periodId', '=', filter.periodId);
  return q.orderBy('createdAt', 'desc').orderBy('id', 'desc').execute();
}

/** Changes a draft; false when the document is no longer a draft. */
export async function updateDraft(
  db: Executor,
  id: string,
  change: Partial<Pick<DocumentsTable, 'content' | 'updatedAt' | 'status' | 'issuedAt' | 'issuedBy'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('documents')
    .set(change)
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
