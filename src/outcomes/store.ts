import type { Executor } from '../core/db/database.js';
import type { ConsequenceAppealsTable, ConsequencesTable, OutcomeRuleSetsTable } from '../core/db/schema.js';

/* SQL of result application: rule sets, consequences and their appeals. */

export async function ruleSet(db: Executor, schemeId: string): Promise<OutcomeRuleSetsTable | undefined> {
  return db.selectFrom('outcomeRuleSets').selectAll().where('schemeId', '=', schemeId).executeTakeFirst();
}

/** Inserts or replaces a scheme's rule set. */
export async function putRuleSet(db: Executor, row: OutcomeRuleSetsTable): Promise<void> {
  await db
    .insertInto('outcomeRuleSets')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('schemeId')
        .doUpdateSet({ rules: row.rules, updatedAt: row.updatedAt, updatedBy: row.updatedBy }),
    )
    .execute();
}

export async function consequencesOfRun(db: Executor, runId: string): Promise<ConsequencesTable[]> {
  return db
    .selectFrom('consequences')
    .selectAll()
    .where('runId', '=', runId)
    .orderBy('decidedAt')
    .orderBy('id')
    .execute();
}

export async function consequenceById(db: Executor, id: string): Promise<ConsequencesTable | undefined> {
  return db.selectFrom('consequences').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function consequenceOf(
  db: Executor,
  runId: string,
  ruleKey: string,
  unitId: string,
): Promise<ConsequencesTable | undefined> {
  return db
    .selectFrom('consequences')
    .selectAll()
    .where('runId', '=', runId)
    .where('ruleKey', '=', ruleKey)
    .where('unitId', '=', unitId)
    .executeTakeFirst();
}

/** Consequences, newest first; of one unit, or of any; only confirmed ones when asked. */
export async function listConsequences(
  db: Executor,
  filter: { unitId?: string | undefined; status?: string | undefined },
): Promise<ConsequencesTable[]> {
  let q = db.selectFrom('consequences').selectAll();
  if (filter.unitId) q = q.where('unitId', '=', filter.unitId);
  if (filter.status) q = q.where('status', '=', filter.status);
  return q.orderBy('startsOn', 'desc').orderBy('decidedAt', 'desc').orderBy('id').execute();
}

export async function insertConsequence(db: Executor, row: ConsequencesTable): Promise<void> {
  await db.insertInto('consequences').values(row).execute();
}

/** Changes a consequence only if it is still in `fromStatus`; false when it was not. */
export async function updateConsequence(
  db: Executor,
  id: string,
  fromStatus: string,
  change: Partial<Pick<ConsequencesTable, 'status' | 'doneOn' | 'doneNote'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('consequences')
    .set(change)
    .where('id', '=', id)
    .where('status', '=', fromStatus)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function appealsOf(
  db: Executor,
  consequenceIds: readonly string[],
): Promise<ConsequenceAppealsTable[]> {
  if (consequenceIds.length === 0) return [];
  return db
    .selectFrom('consequenceAppeals')
    .selectAll()
    .where('consequenceId', 'in', [...consequenceIds])
    .orderBy('filedAt')
    .orderBy('id')
    .execute();
}

export async function appealById(db: Executor, id: string): Promise<ConsequenceAppealsTable | undefined> {
  return db.selectFrom('consequenceAppeals').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertAppeal(db: Executor, row: ConsequenceAppealsTable): Promise<void> {
  await db.insertInto('consequenceAppeals').values(row).execute();
}

/** Decides a pending appeal; false when it was no longer pending. */
export async function decideAppeal(
  db: Executor,
  id: string,
  change: Pick<ConsequenceAppealsTable, 'status' | 'decidedAt' | 'decidedBy' | 'decisionReason'>,
): Promise<boolean> {
  const result = await db
    .updateTable('consequenceAppeals')
    .set(change)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
