import type { Executor } from '../core/db/database.js';
import type {
  WindowAssignmentsTable,
  WindowEventsTable,
  WindowMattersTable,
  WindowRotaTable,
  WindowWarningsTable,
} from '../core/db/schema.js';

/*
 * The SQL of the 办不成事 window: matters, their assignments to units, events and warnings, and the duty rota.
 * Functions take the executor they run on (a transaction inside a use case).
 */

const inserted = (r: { numInsertedOrUpdatedRows?: bigint }) => Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
const orEmpty = (xs: readonly string[]) => (xs.length > 0 ? [...xs] : ['']);

// --- matters --------------------------------------------------------------------------------------

export async function insertMatter(db: Executor, row: WindowMattersTable): Promise<void> {
  await db.insertInto('windowMatters').values(row).execute();
}

export async function matterById(db: Executor, id: string): Promise<WindowMattersTable | undefined> {
  return db.selectFrom('windowMatters').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function matterByReceipt(db: Executor, code: string): Promise<WindowMattersTable | undefined> {
  return db.selectFrom('windowMatters').selectAll().where('receiptCode', '=', code).executeTakeFirst();
}

/** Updates a matter only if it is still in the state it was read in; false when someone moved it first. */
export async function updateMatter(
  db: Executor,
  id: string,
  expectedState: string,
  changes: Partial<WindowMattersTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('windowMatters')
    .set(changes)
    .where('id', '=', id)
    .where('state', '=', expectedState)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface MatterFilter {
  /** Matters with an assignment to one of these units (null: every matter). */
  unitIds: readonly string[] | null;
  states: readonly string[] | null;
  coordinatorId: string | null;
  overdueOn: string | null;
  /** Filed from–to (inclusive). */
  from: string | null;
  to: string | null;
}

function matterQuery(db: Executor, f: MatterFilter) {
  let q = db.selectFrom('windowMatters');
  if (f.unitIds !== null) {
    const units = orEmpty(f.unitIds);
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('windowAssignments')
          .select('windowAssignments.matterId')
          .whereRef('windowAssignments.matterId', '=', 'windowMatters.id')
          .where('windowAssignments.unitId', 'in', units),
      ),
    );
  }
  if (f.states !== null) q = q.where('state', 'in', orEmpty(f.states));
  if (f.coordinatorId !== null) q = q.where('coordinatorId', '=', f.coordinatorId);
  if (f.overdueOn !== null) q = q.where('dueOn', '<', f.overdueOn);
  if (f.from !== null) q = q.where('filedOn', '>=', f.from);
  if (f.to !== null) q = q.where('filedOn', '<=', f.to);
  return q;
}

export async function matterPage(
  db: Executor,
  f: MatterFilter,
  limit: number,
  offset: number,
): Promise<{ rows: WindowMattersTable[]; total: number }> {
  const total = await matterQuery(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await matterQuery(db, f)
    .selectAll()
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return { rows, total: Number(total.n) };
}

/** Matters someone is expected to act on (their deadlines run), for the sweep. */
export async function mattersInProgress(db: Executor): Promise<WindowMattersTable[]> {
  return db
    .selectFrom('windowMatters')
    .selectAll()
    .where('state', 'in', ['filed', 'accepted', 'handling', 'replied'])
    .orderBy('id')
    .execute();
}

/** Other matters led by the unit and filed from `since` to `until` (inclusive), this one left out. */
export async function countLedBy(
  db: Executor,
  unitId: string,
  since: string,
  until: string,
  exceptId: string,
): Promise<number> {
  const row = await db
    .selectFrom('windowMatters')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('leadUnitId', '=', unitId)
    .where('filedOn', '>=', since)
    .where('filedOn', '<=', until)
    .where('id', '<>', exceptId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The public figures of matters filed from–to: received, accepted, resolved, rated and by rating. */
export async function figures(
  db: Executor,
  from: string,
  to: string,
): Promise<{ received: number; declined: number; resolved: number; ratings: Map<string, number> }> {
  const rows = await db
    .selectFrom('windowMatters')
    .select(['state', 'rating', (eb) => eb.fn.countAll<number>().as('n')])
    .where('filedOn', '>=', from)
    .where('filedOn', '<=', to)
    .groupBy(['state', 'rating'])
    .execute();
  let received = 0;
  let declined = 0;
  let resolved = 0;
  const ratings = new Map<string, number>();
  for (const r of rows) {
    const n = Number(r.n);
    received += n;
    if (r.state === 'declined') declined += n;
    if (r.state === 'resolved' || r.state === 'closed') resolved += n;
    if (r.rating !== null) ratings.set(r.rating, (ratings.get(r.rating) ?? 0) + n);
  }
  return { received, declined, resolved, ratings };
}

/** The matters filed on days from–to, for the ledger's comment inbox: the text and the lead unit. */
export async function assignedMattersFiled(
  db: Executor,
  from: string,
  to: string,
  limit: number,
): Promise<Pick<WindowMattersTable, 'id' | 'leadUnitId' | 'filedOn' | 'what' | 'rating'>[]> {
  return db
    .selectFrom('windowMatters')
    .select(['id', 'leadUnitId', 'filedOn', 'what', 'rating'])
    .where('filedOn', '>=', from)
    .where('filedOn', '<=', to)
    .where('leadUnitId', 'is not', null)
    .orderBy('filedOn')
    .orderBy('id')
    .limit(limit)
    .execute();
}

// --- assignments ----------------------------------------------------------------------------------

export async function insertAssignments(db: Executor, rows: WindowAssignmentsTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('windowAssignments').values(rows).execute();
}

export async function assignmentsOf(db: Executor, matterIds: readonly string[]) {
  if (matterIds.length === 0) return [];
  return db
    .selectFrom('windowAssignments')
    .selectAll()
    .where('matterId', 'in', [...matterIds])
    .orderBy('matterId')
    .orderBy('lead', 'desc')
    .orderBy('unitId')
    .execute();
}

export async function recordResponse(
  db: Executor,
  matterId: string,
  unitId: string,
  changes: Pick<WindowAssignmentsTable, 'responseText' | 'respondedAt' | 'respondedBy'>,
): Promise<void> {
  await db
    .updateTable('windowAssignments')
    .set(changes)
    .where('matterId', '=', matterId)
    .where('unitId', '=', unitId)
    .execute();
}

/** Clears every unit's reply of a matter (returned or reopened: the units answer again). */
export async function clearResponses(db: Executor, matterId: string): Promise<void> {
  await db
    .updateTable('windowAssignments')
    .set({ responseText: '', respondedAt: null, respondedBy: null })
    .where('matterId', '=', matterId)
    .execute();
}

// --- events and warnings --------------------------------------------------------------------------

export async function insertEvent(db: Executor, row: WindowEventsTable): Promise<void> {
  await db.insertInto('windowEvents').values(row).execute();
}

export async function eventsOf(db: Executor, matterId: string): Promise<WindowEventsTable[]> {
  return db.selectFrom('windowEvents').selectAll().where('matterId', '=', matterId).orderBy('id').execute();
}

export async function insertWarningIfAbsent(db: Executor, row: WindowWarningsTable): Promise<boolean> {
  const result = await db
    .insertInto('windowWarnings')
    .values(row)
    .onConflict((oc) => oc.columns(['matterId', 'stage', 'level']).doNothing())
    .executeTakeFirst();
  return inserted(result);
}

export async function warningsOf(db: Executor, matterId: string): Promise<WindowWarningsTable[]> {
  return db.selectFrom('windowWarnings').selectAll().where('matterId', '=', matterId).orderBy('id').execute();
}

// --- the duty rota --------------------------------------------------------------------------------

export async function rotaBetween(db: Executor, from: string, to: string): Promise<WindowRotaTable[]> {
  return db
    .selectFrom('windowRota')
    .selectAll()
    .where('date', '>=', from)
    .where('date', '<=', to)
    .orderBy('date')
    .execute();
}

/** Replaces the rota of days from–to with the given entries. */
export async function replaceRota(
  db: Executor,
  from: string,
  to: string,
  rows: WindowRotaTable[],
): Promise<void> {
  await db.deleteFrom('windowRota').where('date', '>=', from).where('date', '<=', to).execute();
  if (rows.length > 0) await db.insertInto('windowRota').values(rows).execute();
}

/** The count of matters a coordinator holds per state (the duty desk's own queue). */
export async function countByState(db: Executor, f: MatterFilter): Promise<Map<string, number>> {
  const rows = await matterQuery(db, f)
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  return new Map(rows.map((r) => [r.state, Number(r.n)]));
}
