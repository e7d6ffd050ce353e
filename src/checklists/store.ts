import type { Executor } from '../core/db/database.js';
import type { ChecklistEntriesTable, ChecklistEvidenceTable, ChecklistsTable } from '../core/db/schema.js';

/* SQL of quarterly indicator checklists: checklists, their entries and the evidence attached to entries. */

export async function insertChecklist(db: Executor, row: ChecklistsTable): Promise<void> {
  await db.insertInto('checklists').values(row).execute();
}

export async function checklistById(db: Executor, id: string): Promise<ChecklistsTable | undefined> {
  return db.selectFrom('checklists').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every checklist, newest first. */
export async function listChecklists(db: Executor): Promise<ChecklistsTable[]> {
  return db.selectFrom('checklists').selectAll().orderBy('createdAt', 'desc').orderBy('id').execute();
}

/** Changes a checklist only when it is still in the expected state; false when it was not. */
export async function updateChecklist(
  db: Executor,
  id: string,
  expectedStatus: string,
  changes: Partial<Omit<ChecklistsTable, 'id'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('checklists')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', expectedStatus)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertEntry(db: Executor, row: ChecklistEntriesTable): Promise<void> {
  await db.insertInto('checklistEntries').values(row).execute();
}

export async function entryById(db: Executor, id: string): Promise<ChecklistEntriesTable | undefined> {
  return db.selectFrom('checklistEntries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function entryOfItem(
  db: Executor,
  checklistId: string,
  unitId: string,
  itemKey: string,
): Promise<ChecklistEntriesTable | undefined> {
  return db
    .selectFrom('checklistEntries')
    .selectAll()
    .where('checklistId', '=', checklistId)
    .where('unitId', '=', unitId)
    .where('itemKey', '=', itemKey)
    .executeTakeFirst();
}

/** A checklist's entries, of one unit or of all, in the order they were made. */
export async function entriesOf(
  db: Executor,
  checklistId: string,
  unitId?: string,
): Promise<ChecklistEntriesTable[]> {
  let q = db.selectFrom('checklistEntries').selectAll().where('checklistId', '=', checklistId);
  if (unitId !== undefined) q = q.where('unitId', '=', unitId);
  return q.orderBy('createdAt').orderBy('id').execute();
}

/** Entries submitted and awaiting review, per checklist. */
export async function pendingCounts(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('checklistEntries')
    .select(['checklistId', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('status', '=', 'submitted')
    .groupBy('checklistId')
    .execute();
  return new Map(rows.map((r) => [r.checklistId, Number(r.n)]));
}

/** Changes an entry only when it is in one of the expected states; false when it was not. */
export async function updateEntry(
  db: Executor,
  id: string,
  expected: readonly string[],
  changes: Partial<Omit<ChecklistEntriesTable, 'id'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('checklistEntries')
    .set(changes)
    .where('id', '=', id)
    .where('status', 'in', [...expected])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertEvidence(db: Executor, row: ChecklistEvidenceTable): Promise<void> {
  await db.insertInto('checklistEvidence').values(row).execute();
}

export async function evidenceOf(
  db: Executor,
  entryIds: readonly string[],
): Promise<ChecklistEvidenceTable[]> {
  if (entryIds.length === 0) return [];
  return db
    .selectFrom('checklistEvidence')
    .selectAll()
    .where('entryId', 'in', [...entryIds])
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

/** Units whose entries hold a file: who may download it. */
export async function unitsHoldingFile(db: Executor, sha256: string): Promise<string[]> {
  const rows = await db
    .selectFrom('checklistEvidence as v')
    .innerJoin('checklistEntries as e', 'e.id', 'v.entryId')
    .select('e.unitId')
    .distinct()
    .where('v.sha256', '=', sha256)
    .execute();
  return rows.map((r) => r.unitId);
}
