import type { Executor } from '../core/db/database.js';
import type { CaseEventsTable, CasesTable, CaseWarningsTable, RatingsTable } from '../core/db/schema.js';
import { uniqueViolation } from '../core/db/database.js';

/*
 * The SQL of the bad-review closed loop: cases, their event log and their warnings.
 */

export async function insertCaseIfAbsent(db: Executor, row: CasesTable): Promise<boolean> {
  const result = await db
    .insertInto('cases')
    .values(row)
    .onConflict((oc) => oc.column('ratingId').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function caseById(db: Executor, id: string): Promise<CasesTable | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function caseByRating(db: Executor, ratingId: string): Promise<CasesTable | undefined> {
  return db.selectFrom('cases').selectAll().where('ratingId', '=', ratingId).executeTakeFirst();
}

export async function caseByJudgeToken(db: Executor, tokenHash: string): Promise<CasesTable | undefined> {
  return db.selectFrom('cases').selectAll().where('judgeTokenHash', '=', tokenHash).executeTakeFirst();
}

/**
 * Applies changes only if the case is still in the state it was read in, so that two people acting at
 * once cannot both move it; returns whether it did.
 */
export async function updateCase(
  db: Executor,
  id: string,
  expectedState: string,
  changes: Partial<Omit<CasesTable, 'id' | 'ratingId'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('cases')
    .set(changes)
    .where('id', '=', id)
    .where('state', '=', expectedState)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function insertEvent(db: Executor, row: CaseEventsTable): Promise<void> {
  await db.insertInto('caseEvents').values(row).execute();
}

export async function eventsOf(db: Executor, caseId: string): Promise<CaseEventsTable[]> {
  return db
    .selectFrom('caseEvents')
    .selectAll()
    .where('caseId', '=', caseId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

export async function ratingById(db: Executor, id: string): Promise<RatingsTable | undefined> {
  return db.selectFrom('ratings').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The contact details left with the rated transaction (never shown publicly). */
export async function contactOf(
  db: Executor,
  transactionId: string | null,
): Promise<{ contactName: string; contactPhone: string } | undefined> {
  if (transactionId === null) return undefined;
  return db
    .selectFrom('transactions')
    .select(['contactName', 'contactPhone'])
    .where('id', '=', transactionId)
    .executeTakeFirst();
}

/** One case with the parts of its rating the console and the public pages show. */
export type CaseRow = CasesTable & {
  level: number;
  tags: string;
  comment: string;
  channel: string;
  transactionId: string | null;
  serviceItemId: string | null;
  staffId: string | null;
  ratingCreatedAt: string;
};

function withRating(db: Executor) {
  return db
    .selectFrom('cases as c')
    .innerJoin('ratings as r', 'r.id', 'c.ratingId')
    .selectAll('c')
    .select([
      'r.level',
      'r.tags',
      'r.comment',
      'r.channel',
      'r.transactionId',
      'r.serviceItemId',
      'r.staffId',
      'r.createdAt as ratingCreatedAt',
    ]);
}

export async function caseRowById(db: Executor, id: string): Promise<CaseRow | undefined> {
  return withRating(db).where('c.id', '=', id).executeTakeFirst();
}

export interface CaseFilter {
  /** Cases whose responsible or rated unit is one of these (null: all). */
  unitIds: readonly string[] | null;
  states?: readonly string[] | undefined;
  /** Only cases the unit holds whose due date is before this day. */
  dueBefore?: string | undefined;
  escalation?: number | undefined;
  /** The day of the bad review, inclusive bounds. */
  ratingFrom?: string | undefined;
  ratingTo?: string | undefined;
  /** Match the rated unit only (the public page), not the responsible unit. */
  ratedUnitOnly?: boolean | undefined;
  limit: number;
  offset: number;
}

function filtered(db: Executor, filter: CaseFilter) {
  let q = withRating(db);
  if (filter.unitIds !== null) {
    const ids = [...filter.unitIds];
    if (ids.length === 0) return q.where((eb) => eb.val(1), '=', 0);
    q = filter.ratedUnitOnly
      ? q.where('c.unitId', 'in', ids)
      : q.where((eb) => eb.or([eb('c.responsibleUnitId', 'in', ids), eb('c.unitId', 'in', ids)]));
  }
  if (filter.states && filter.states.length > 0) q = q.where('c.state', 'in', [...filter.states]);
  if (filter.dueBefore !== undefined) {
    q = q.where('c.state', 'in', ['verifying', 'rectifying']).where('c.dueOn', '<', filter.dueBefore);
  }
  if (filter.escalation !== undefined) q = q.where('c.escalation', '=', filter.escalation);
  if (filter.ratingFrom !== undefined) q = q.where('c.ratingDay', '>=', filter.ratingFrom);
  if (filter.ratingTo !== undefined) q = q.where('c.ratingDay', '<=', filter.ratingTo);
  return q;
}

export async function listCases(db: Executor, filter: CaseFilter): Promise<CaseRow[]> {
  return filtered(db, filter)
    .orderBy('c.openedAt', 'desc')
    .orderBy('c.id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}

export async function countCases(db: Executor, filter: CaseFilter): Promise<number> {
  const row = await filtered(db, { ...filter, limit: 0, offset: 0 })
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Cases the unit holds (verifying or rectifying): the sweep computes their escalation. */
export async function casesHeldByUnits(db: Executor): Promise<CasesTable[]> {
  return db
    .selectFrom('cases')
    .selectAll()
    .where('state', 'in', ['verifying', 'rectifying'])
    .orderBy('id')
    .execute();
}

/** Cases awaiting the rater's judgement (their judgement date follows the calendar). */
export async function casesAwaitingJudgement(db: Executor): Promise<CasesTable[]> {
  return db.selectFrom('cases').selectAll().where('state', '=', 'awaiting_judgement').orderBy('id').execute();
}

/** Cases awaiting the rater's judgement whose time to judge ran out before `today`. */
export async function unjudgedPast(db: Executor, today: string): Promise<CasesTable[]> {
  return db
    .selectFrom('cases')
    .selectAll()
    .where('state', '=', 'awaiting_judgement')
    .where('judgeDueOn', '<', today)
    .orderBy('id')
    .execute();
}

/** Inserts a warning unless one of its level was already issued for the case; says whether it did. */
export async function insertWarningIfAbsent(db: Executor, row: CaseWarningsTable): Promise<boolean> {
  try {
    const result = await db
      .insertInto('caseWarnings')
      .values(row)
      .onConflict((oc) => oc.columns(['caseId', 'stage', 'level']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  } catch (error) {
    if (uniqueViolation(error)) return false;
    throw error;
  }
}

export async function warningsOf(db: Executor, caseId: string): Promise<CaseWarningsTable[]> {
  return db.selectFrom('caseWarnings').selectAll().where('caseId', '=', caseId).orderBy('level').execute();
}

export interface WarningFilter {
  unitIds: readonly string[] | null;
  level?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

export type WarningRow = CaseWarningsTable & {
  caseState: string;
  responsibleName: string;
  responsibleUnitId: string;
  ratedUnitId: string;
};

export async function listWarnings(db: Executor, filter: WarningFilter): Promise<WarningRow[]> {
  let q = db
    .selectFrom('caseWarnings as w')
    .innerJoin('cases as c', 'c.id', 'w.caseId')
    .selectAll('w')
    .select(['c.state as caseState', 'c.responsibleName', 'c.responsibleUnitId', 'c.unitId as ratedUnitId']);
  if (filter.unitIds !== null) {
    const ids = [...filter.unitIds];
    if (ids.length === 0) return [];
    q = q.where((eb) => eb.or([eb('w.unitId', 'in', ids), eb('c.unitId', 'in', ids)]));
  }
  if (filter.level !== undefined) q = q.where('w.level', '=', filter.level);
  if (filter.from !== undefined) q = q.where('w.issuedOn', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('w.issuedOn', '<=', filter.to);
  return q
    .orderBy('w.issuedOn', 'desc')
    .orderBy('w.level', 'desc')
    .orderBy('w.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}

/** The cases opened on the given ratings (rating id → case id and responsible unit), for the ledger's inbox. */
export async function casesOfRatings(
  db: Executor,
  ratingIds: readonly string[],
): Promise<Map<string, { caseId: string; responsibleUnitId: string }>> {
  const out = new Map<string, { caseId: string; responsibleUnitId: string }>();
  const ids = [...new Set(ratingIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('cases')
      .select(['id', 'ratingId', 'responsibleUnitId'])
      .where('ratingId', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.ratingId, { caseId: r.id, responsibleUnitId: r.responsibleUnitId });
  }
  return out;
}
