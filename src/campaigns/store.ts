import type { Dialect, Executor } from '../core/db/database.js';
import type {
  CampaignBallotPoolTable,
  CampaignBallotsTable,
  CampaignCommentsTable,
  CampaignInvitationsTable,
  CampaignRoundsTable,
  CampaignsTable,
  CampaignStagesTable,
  CampaignSubjectsTable,
} from '../core/db/schema.js';

/*
 * The SQL of campaigns. Ballots, pool entries and comments are read in the order of their random ids
 * (never of arrival, which is not stored); invitations carry no trace of when or how they were used.
 */

export async function insertCampaign(db: Executor, row: CampaignsTable): Promise<void> {
  await db.insertInto('campaigns').values(row).execute();
}

export async function campaignById(db: Executor, id: string): Promise<CampaignsTable | undefined> {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function campaignByKey(db: Executor, key: string): Promise<CampaignsTable | undefined> {
  return db.selectFrom('campaigns').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function listCampaigns(db: Executor): Promise<CampaignsTable[]> {
  return db.selectFrom('campaigns').selectAll().orderBy('createdAt', 'desc').orderBy('id').execute();
}

export async function updateCampaign(
  db: Executor,
  id: string,
  changes: Partial<CampaignsTable>,
): Promise<void> {
  await db.updateTable('campaigns').set(changes).where('id', '=', id).execute();
}

export async function insertSubjects(db: Executor, rows: readonly CampaignSubjectsTable[]): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('campaignSubjects')
      .values([...rows])
      .execute();
}

export async function deleteSubjects(db: Executor, campaignId: string): Promise<void> {
  await db.deleteFrom('campaignSubjects').where('campaignId', '=', campaignId).execute();
}

export async function subjectsOf(db: Executor, campaignId: string): Promise<CampaignSubjectsTable[]> {
  return db
    .selectFrom('campaignSubjects')
    .selectAll()
    .where('campaignId', '=', campaignId)
    .orderBy('position')
    .execute();
}

export async function insertRound(db: Executor, row: CampaignRoundsTable): Promise<void> {
  await db.insertInto('campaignRounds').values(row).execute();
}

export async function roundsOf(db: Executor, campaignId: string): Promise<CampaignRoundsTable[]> {
  return db
    .selectFrom('campaignRounds')
    .selectAll()
    .where('campaignId', '=', campaignId)
    .orderBy('position')
    .execute();
}

/** A round; on PostgreSQL locked until the transaction ends, so a close and a ballot never interleave. */
export async function roundById(
  db: Executor,
  id: string,
  lock?: { dialect: Dialect; mode: 'share' | 'update' },
): Promise<CampaignRoundsTable | undefined> {
  let q = db.selectFrom('campaignRounds').selectAll().where('id', '=', id);
  if (lock?.dialect === 'postgres') q = lock.mode === 'update' ? q.forUpdate() : q.forShare();
  return q.executeTakeFirst();
}

export async function updateRound(
  db: Executor,
  id: string,
  changes: Partial<CampaignRoundsTable>,
): Promise<void> {
  await db.updateTable('campaignRounds').set(changes).where('id', '=', id).execute();
}

export async function insertStages(db: Executor, rows: readonly CampaignStagesTable[]): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('campaignStages')
      .values([...rows])
      .execute();
}

export async function stagesOf(db: Executor, campaignId: string): Promise<CampaignStagesTable[]> {
  return db
    .selectFrom('campaignStages')
    .selectAll()
    .where('campaignId', '=', campaignId)
    .orderBy('roundId')
    .orderBy('position')
    .execute();
}

// --- invitations (the token-use record) ----------------------------------------------------------

export async function insertInvitations(
  db: Executor,
  rows: readonly CampaignInvitationsTable[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('campaignInvitations')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

export async function invitationByTokenHash(
  db: Executor,
  tokenHash: string,
): Promise<CampaignInvitationsTable | undefined> {
  return db
    .selectFrom('campaignInvitations')
    .selectAll()
    .where('tokenHash', '=', tokenHash)
    .executeTakeFirst();
}

/** Marks an unused invitation used and drops its draft; false when it was used already (one ballot per token). */
export async function useInvitation(db: Executor, id: string): Promise<boolean> {
  const result = await db
    .updateTable('campaignInvitations')
    .set({ used: 1, draft: null })
    .where('id', '=', id)
    .where('used', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function saveDraft(db: Executor, id: string, draft: string): Promise<boolean> {
  const result = await db
    .updateTable('campaignInvitations')
    .set({ draft })
    .where('id', '=', id)
    .where('used', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type InvitationBrief = Pick<
  CampaignInvitationsTable,
  | 'id'
  | 'stageId'
  | 'source'
  | 'name'
  | 'phone'
  | 'groupName'
  | 'subjects'
  | 'used'
  | 'reminders'
  | 'lastRemindedOn'
>;

export async function invitationsOfRound(db: Executor, roundId: string): Promise<InvitationBrief[]> {
  return db
    .selectFrom('campaignInvitations')
    .select([
      'id',
      'stageId',
      'source',
      'name',
      'phone',
      'groupName',
      'subjects',
      'used',
      'reminders',
      'lastRemindedOn',
    ])
    .where('roundId', '=', roundId)
    .orderBy('id')
    .execute();
}

export async function markReminded(db: Executor, ids: readonly string[], on: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable('campaignInvitations')
      .set((eb) => ({ reminders: eb('reminders', '+', 1), lastRemindedOn: on }))
      .where('id', 'in', ids.slice(i, i + 500))
      .where('used', '=', 0)
      .execute();
  }
}

/** Whether anyone has answered in the campaign (a used invitation, a pooled or a stored ballot). */
export async function hasBallots(db: Executor, campaignId: string): Promise<boolean> {
  const used = await db
    .selectFrom('campaignInvitations')
    .select('id')
    .where('campaignId', '=', campaignId)
    .where('used', '=', 1)
    .limit(1)
    .executeTakeFirst();
  if (used) return true;
  const ballot = await db
    .selectFrom('campaignBallots')
    .select('id')
    .where('campaignId', '=', campaignId)
    .limit(1)
    .executeTakeFirst();
  return ballot !== undefined;
}

// --- the mixing pool and the ballots ---------------------------------------------------------------

export async function insertPooled(db: Executor, row: CampaignBallotPoolTable): Promise<void> {
  await db.insertInto('campaignBallotPool').values(row).execute();
}

/** The ids in a round's pool (except one), in id order; on PostgreSQL skipping rows another flush holds. */
export async function pooledIds(
  db: Executor,
  dialect: Dialect,
  roundId: string,
  except: string,
): Promise<string[]> {
  let q = db
    .selectFrom('campaignBallotPool')
    .select('id')
    .where('roundId', '=', roundId)
    .where('id', '!=', except)
    .orderBy('id');
  if (dialect === 'postgres') q = q.forUpdate().skipLocked();
  return (await q.execute()).map((r) => r.id);
}

/** Removes pool entries and gives back those this call removed (a concurrent flush may have taken some). */
export async function takePooled(db: Executor, ids: readonly string[]): Promise<CampaignBallotPoolTable[]> {
  const out: CampaignBallotPoolTable[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    out.push(
      ...(await db
        .deleteFrom('campaignBallotPool')
        .where('id', 'in', ids.slice(i, i + 500))
        .returningAll()
        .execute()),
    );
  }
  return out;
}

/** Inserts ballots in the order given (the caller shuffles), 200 to a statement. */
export async function insertBallots(db: Executor, rows: readonly CampaignBallotsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('campaignBallots')
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

export async function insertComments(db: Executor, rows: readonly CampaignCommentsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('campaignComments')
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

/** Removes a round's stored ballots and gives them back (the round's final remix). */
export async function takeBallots(db: Executor, roundId: string): Promise<CampaignBallotsTable[]> {
  return db.deleteFrom('campaignBallots').where('roundId', '=', roundId).returningAll().execute();
}

export async function deleteComments(db: Executor, roundId: string): Promise<void> {
  await db.deleteFrom('campaignComments').where('roundId', '=', roundId).execute();
}

/** A page of a round's ballots in id order, after `after`. */
export async function ballotsPage(
  db: Executor,
  roundId: string,
  after: string,
  limit: number,
): Promise<CampaignBallotsTable[]> {
  return db
    .selectFrom('campaignBallots')
    .selectAll()
    .where('roundId', '=', roundId)
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function ballotByReceipt(
  db: Executor,
  roundId: string,
  receiptDigest: string,
): Promise<CampaignBallotsTable | undefined> {
  return db
    .selectFrom('campaignBallots')
    .selectAll()
    .where('roundId', '=', roundId)
    .where('receiptDigest', '=', receiptDigest)
    .executeTakeFirst();
}

export async function countBallots(db: Executor, roundId: string): Promise<number> {
  const row = await db
    .selectFrom('campaignBallots')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('roundId', '=', roundId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Free-text suggestions for units over rounds, in id order (random: no arrival order). */
export async function commentsFor(
  db: Executor,
  unitIds: readonly string[],
  roundIds: readonly string[],
): Promise<CampaignCommentsTable[]> {
  if (unitIds.length === 0 || roundIds.length === 0) return [];
  return db
    .selectFrom('campaignComments')
    .selectAll()
    .where('unitId', 'in', [...unitIds])
    .where('roundId', 'in', [...roundIds])
    .orderBy('id')
    .execute();
}

/** Rounds whose periods are among these (the ledger reads a unit's suggestions by period). */
export async function roundsOfPeriods(
  db: Executor,
  periodIds: readonly string[],
): Promise<CampaignRoundsTable[]> {
  if (periodIds.length === 0) return [];
  return db
    .selectFrom('campaignRounds')
    .selectAll()
    .where('periodId', 'in', [...periodIds])
    .execute();
}
