/* The evaluator pool's and the draws' SQL. Only this file reads the panel tables. */
import type { Executor } from '../core/db/database.js';
import type {
  EvaluatorsTable,
  PanelDrawMembersTable,
  PanelDrawsTable,
  PanelGroupsTable,
  PanelImportsTable,
  PanelSupplementsTable,
} from '../core/db/schema.js';

// --- groups ----------------------------------------------------------------------------------------

export async function listGroups(db: Executor): Promise<PanelGroupsTable[]> {
  return db.selectFrom('panelGroups').selectAll().orderBy('sortOrder').orderBy('code').execute();
}

export async function groupById(db: Executor, id: string): Promise<PanelGroupsTable | undefined> {
  return db.selectFrom('panelGroups').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function groupByCode(db: Executor, code: string): Promise<PanelGroupsTable | undefined> {
  return db.selectFrom('panelGroups').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertGroup(db: Executor, row: PanelGroupsTable): Promise<void> {
  await db.insertInto('panelGroups').values(row).execute();
}

export async function updateGroup(
  db: Executor,
  id: string,
  changes: Partial<Pick<PanelGroupsTable, 'name' | 'sortOrder'>>,
): Promise<void> {
  await db.updateTable('panelGroups').set(changes).where('id', '=', id).execute();
}

// --- evaluators ------------------------------------------------------------------------------------

/** Every evaluator (the pool is at most some tens of thousands of rows), ordered by id. */
export async function listEvaluators(db: Executor): Promise<EvaluatorsTable[]> {
  return db.selectFrom('evaluators').selectAll().orderBy('id').execute();
}

export async function evaluatorById(db: Executor, id: string): Promise<EvaluatorsTable | undefined> {
  return db.selectFrom('evaluators').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function evaluatorsByIds(db: Executor, ids: readonly string[]): Promise<EvaluatorsTable[]> {
  const out: EvaluatorsTable[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length)
      out.push(...(await db.selectFrom('evaluators').selectAll().where('id', 'in', chunk).execute()));
  }
  return out;
}

export async function evaluatorByMobile(db: Executor, mobile: string): Promise<EvaluatorsTable | undefined> {
  return db.selectFrom('evaluators').selectAll().where('mobile', '=', mobile).executeTakeFirst();
}

export async function insertEvaluators(db: Executor, rows: readonly EvaluatorsTable[]): Promise<void> {
  // 11 columns a row: 80 rows stay under SQLite's and PostgreSQL's parameter limits.
  for (let i = 0; i < rows.length; i += 80) {
    await db
      .insertInto('evaluators')
      .values(rows.slice(i, i + 80))
      .execute();
  }
}

export async function updateEvaluator(
  db: Executor,
  id: string,
  changes: Partial<Omit<EvaluatorsTable, 'id' | 'createdAt'>>,
): Promise<void> {
  await db.updateTable('evaluators').set(changes).where('id', '=', id).execute();
}

// --- imports ---------------------------------------------------------------------------------------

export async function insertImport(db: Executor, row: PanelImportsTable): Promise<void> {
  await db.insertInto('panelImports').values(row).execute();
}

export async function importById(db: Executor, id: string): Promise<PanelImportsTable | undefined> {
  return db.selectFrom('panelImports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function markImportApplied(
  db: Executor,
  id: string,
  payload: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('panelImports')
    .set({ status: 'applied', appliedAt: at, payload })
    .where('id', '=', id)
    .where('status', '=', 'previewed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// --- draws -----------------------------------------------------------------------------------------

export type DrawSummaryRow = Omit<PanelDrawsTable, 'snapshot'>;

const SUMMARY_COLUMNS = [
  'id',
  'kind',
  'purpose',
  'state',
  'rules',
  'rulesDigest',
  'snapshotDigest',
  'poolSize',
  'plan',
  'secret',
  'commitment',
  'publicValue',
  'seed',
  'result',
  'resultDigest',
  'announcedAt',
  'announcedBy',
  'drawnAt',
  'publishedAt',
] as const;

/** Draws without their snapshots, newest first. */
export async function listDraws(db: Executor, publishedOnly = false): Promise<DrawSummaryRow[]> {
  let q = db
    .selectFrom('panelDraws')
    .select(SUMMARY_COLUMNS)
    .orderBy('announcedAt', 'desc')
    .orderBy('id', 'desc');
  if (publishedOnly) q = q.where('state', '=', 'published');
  return q.execute();
}

export async function drawById(db: Executor, id: string): Promise<PanelDrawsTable | undefined> {
  return db.selectFrom('panelDraws').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function drawSummaryById(db: Executor, id: string): Promise<DrawSummaryRow | undefined> {
  return db.selectFrom('panelDraws').select(SUMMARY_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function insertDraw(db: Executor, row: PanelDrawsTable): Promise<void> {
  await db.insertInto('panelDraws').values(row).execute();
}

/** Moves a draw on from one state (and only from it); false when another request moved it first. */
export async function updateDrawFrom(
  db: Executor,
  id: string,
  from: string,
  changes: Partial<Omit<PanelDrawsTable, 'id'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('panelDraws')
    .set(changes)
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertDrawMembers(db: Executor, rows: readonly PanelDrawMembersTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 150) {
    await db
      .insertInto('panelDrawMembers')
      .values(rows.slice(i, i + 150))
      .execute();
  }
}

export async function drawMembers(db: Executor, drawId: string): Promise<PanelDrawMembersTable[]> {
  return db
    .selectFrom('panelDrawMembers')
    .selectAll()
    .where('drawId', '=', drawId)
    .orderBy('role', 'desc')
    .orderBy('stratum')
    .orderBy('rank')
    .execute();
}

/** The last date each evaluator was selected (as `selected`, not as a reserve) in any draw. */
export async function lastSelectedOn(db: Executor): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('panelDrawMembers')
    .select(['evaluatorId', (eb) => eb.fn.max('drawnOn').as('last')])
    .where('role', '=', 'selected')
    .groupBy('evaluatorId')
    .execute();
  return new Map(rows.map((r) => [r.evaluatorId, String(r.last)]));
}

// --- supplementary sheets ----------------------------------------------------------------------------

export async function upsertSupplement(db: Executor, row: PanelSupplementsTable): Promise<void> {
  await db
    .insertInto('panelSupplements')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['drawId', 'leaderId'])
        .doUpdateSet({ units: row.units, createdAt: row.createdAt, createdBy: row.createdBy }),
    )
    .execute();
}

export async function supplementsOf(db: Executor, drawId: string): Promise<PanelSupplementsTable[]> {
  return db
    .selectFrom('panelSupplements')
    .selectAll()
    .where('drawId', '=', drawId)
    .orderBy('leaderId')
    .execute();
}
