import type { ExpressionBuilder } from 'kysely';
import type { Executor } from '../core/db/database.js';
import type {
  CasesTable,
  DB,
  RatingsTable,
  RunProblemsTable,
  RunReviewsTable,
  SchemesTable,
  SchemeVersionsTable,
  ScoreValuesTable,
  ScoringRunsTable,
  ScoringTasksTable,
  SheetScoresTable,
  TransactionsTable,
  VetoesTable,
} from '../core/db/schema.js';

/*
 * Scoring's SQL. Every function takes the executor it runs on (inside a service's transaction, the
 * transaction). Imported values, sheet scores and vetoes are read "as of" an instant, so that a run can
 * be recollected later by `minping verify result` exactly as it was computed.
 */

/** Rows one multi-row insert carries, and values one `in (…)` list carries: both bound a statement's size. */
const INSERT_BATCH = 200;
const IN_LIST_BATCH = 500;

/** Calls `work` on consecutive slices of at most `size` items, one after another. */
async function inBatches<T>(
  items: readonly T[],
  size: number,
  work: (batch: T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await work(items.slice(i, i + size));
}

/**
 * Imported values and sheet scores keep their history: a row is entered at an instant, and a later row
 * for the same unit marks it superseded (it is never changed otherwise).
 */
type VersionedScores = 'scoreValues' | 'sheetScores';

/** Rows in force at an instant: entered by then, and not yet superseded then. */
const inForceAt = (asOf: string) => (eb: ExpressionBuilder<DB, VersionedScores>) =>
  eb.and([
    eb('enteredAt', '<=', asOf),
    eb.or([eb('supersededAt', 'is', null), eb('supersededAt', '>', asOf)]),
  ]);

/** Orders current rows before superseded ones. */
const currentFirst = (eb: ExpressionBuilder<DB, VersionedScores>) =>
  eb.case().when('supersededAt', 'is', null).then(0).else(1).end();

async function supersedeCurrent(
  db: Executor,
  table: VersionedScores,
  ids: readonly string[],
  at: string,
): Promise<void> {
  await inBatches(ids, IN_LIST_BATCH, (batch) =>
    db
      .updateTable(table)
      .set({ supersededAt: at })
      .where('id', 'in', batch)
      .where('supersededAt', 'is', null)
      .execute(),
  );
}

// --- schemes -------------------------------------------------------------------------------------

export async function listSchemes(db: Executor): Promise<SchemesTable[]> {
  return db.selectFrom('schemes').selectAll().orderBy('code').execute();
}

export async function schemeById(db: Executor, id: string): Promise<SchemesTable | undefined> {
  return db.selectFrom('schemes').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function schemeByCode(db: Executor, code: string): Promise<SchemesTable | undefined> {
  return db.selectFrom('schemes').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertScheme(db: Executor, row: SchemesTable): Promise<void> {
  await db.insertInto('schemes').values(row).execute();
}

/** Moves the latest version on, only from the version the caller read (a concurrent edit loses). */
export async function bumpSchemeVersion(
  db: Executor,
  id: string,
  from: number,
  to: number,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('schemes')
    .set({ latestVersion: to, updatedAt: at })
    .where('id', '=', id)
    .where('latestVersion', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertSchemeVersion(db: Executor, row: SchemeVersionsTable): Promise<void> {
  await db.insertInto('schemeVersions').values(row).execute();
}

export async function schemeVersions(db: Executor, schemeId: string): Promise<SchemeVersionsTable[]> {
  return db
    .selectFrom('schemeVersions')
    .selectAll()
    .where('schemeId', '=', schemeId)
    .orderBy('version')
    .execute();
}

export async function schemeVersion(
  db: Executor,
  schemeId: string,
  version: number,
): Promise<SchemeVersionsTable | undefined> {
  return db
    .selectFrom('schemeVersions')
    .selectAll()
    .where('schemeId', '=', schemeId)
    .where('version', '=', version)
    .executeTakeFirst();
}

// --- imported scores -----------------------------------------------------------------------------

/** Values in force at an instant: entered by then, and not yet superseded then. */
export async function scoreValuesAsOf(
  db: Executor,
  series: string,
  periodId: string,
  asOf: string,
): Promise<ScoreValuesTable[]> {
  return db
    .selectFrom('scoreValues')
    .selectAll()
    .where('series', '=', series)
    .where('periodId', '=', periodId)
    .where(inForceAt(asOf))
    .orderBy('unitId')
    .orderBy('enteredAt')
    .orderBy('id')
    .execute();
}

/** Every value of a series and period, current ones first, then history (newest first). */
export async function scoreHistory(
  db: Executor,
  series: string,
  periodId: string,
): Promise<ScoreValuesTable[]> {
  return db
    .selectFrom('scoreValues')
    .selectAll()
    .where('series', '=', series)
    .where('periodId', '=', periodId)
    .orderBy(currentFirst)
    .orderBy('enteredAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function currentScoreValues(
  db: Executor,
  series: string,
  periodId: string,
): Promise<ScoreValuesTable[]> {
  return db
    .selectFrom('scoreValues')
    .selectAll()
    .where('series', '=', series)
    .where('periodId', '=', periodId)
    .where('supersededAt', 'is', null)
    .execute();
}

export async function insertScoreValues(db: Executor, rows: readonly ScoreValuesTable[]): Promise<void> {
  await inBatches(rows, INSERT_BATCH, (batch) => db.insertInto('scoreValues').values(batch).execute());
}

export async function supersedeScoreValues(db: Executor, ids: readonly string[], at: string): Promise<void> {
  await supersedeCurrent(db, 'scoreValues', ids, at);
}

export interface SeriesSummaryRow {
  series: string;
  periodId: string;
  count: number;
  lastEnteredAt: string;
}

export async function seriesSummaries(db: Executor): Promise<SeriesSummaryRow[]> {
  const rows = await db
    .selectFrom('scoreValues')
    .select((eb) => [
      'series',
      'periodId',
      eb.fn.countAll<number>().as('count'),
      eb.fn.max('enteredAt').as('lastEnteredAt'),
    ])
    .where('supersededAt', 'is', null)
    .groupBy(['series', 'periodId'])
    .orderBy('series')
    .orderBy('periodId')
    .execute();
  return rows.map((r) => ({ ...r, count: Number(r.count), lastEnteredAt: String(r.lastEnteredAt) }));
}

// --- score sheets --------------------------------------------------------------------------------

export async function listTasks(db: Executor): Promise<ScoringTasksTable[]> {
  return db.selectFrom('scoringTasks').selectAll().orderBy('key').execute();
}

export async function taskByKey(db: Executor, key: string): Promise<ScoringTasksTable | undefined> {
  return db.selectFrom('scoringTasks').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function insertTask(db: Executor, row: ScoringTasksTable): Promise<void> {
  await db.insertInto('scoringTasks').values(row).execute();
}

export async function sheetScoresAsOf(
  db: Executor,
  taskId: string,
  periodId: string,
  asOf: string,
): Promise<SheetScoresTable[]> {
  return db
    .selectFrom('sheetScores')
    .selectAll()
    .where('taskId', '=', taskId)
    .where('periodId', '=', periodId)
    .where(inForceAt(asOf))
    .orderBy('unitId')
    .orderBy('enteredAt')
    .orderBy('id')
    .execute();
}

export async function sheetHistory(
  db: Executor,
  taskId: string,
  periodId: string | null,
): Promise<SheetScoresTable[]> {
  let query = db.selectFrom('sheetScores').selectAll().where('taskId', '=', taskId);
  if (periodId !== null) query = query.where('periodId', '=', periodId);
  return query.orderBy(currentFirst).orderBy('enteredAt', 'desc').orderBy('id', 'desc').execute();
}

export async function currentSheetScores(
  db: Executor,
  taskId: string,
  periodId: string,
  unitIds: readonly string[],
): Promise<SheetScoresTable[]> {
  if (unitIds.length === 0) return [];
  return db
    .selectFrom('sheetScores')
    .selectAll()
    .where('taskId', '=', taskId)
    .where('periodId', '=', periodId)
    .where('unitId', 'in', unitIds)
    .where('supersededAt', 'is', null)
    .execute();
}

export async function insertSheetScores(db: Executor, rows: readonly SheetScoresTable[]): Promise<void> {
  await inBatches(rows, INSERT_BATCH, (batch) => db.insertInto('sheetScores').values(batch).execute());
}

export async function supersedeSheetScores(db: Executor, ids: readonly string[], at: string): Promise<void> {
  await supersedeCurrent(db, 'sheetScores', ids, at);
}

// --- vetoes --------------------------------------------------------------------------------------

export async function listVetoes(db: Executor, periodId: string | null): Promise<VetoesTable[]> {
  let query = db.selectFrom('vetoes').selectAll();
  if (periodId !== null) query = query.where('periodId', '=', periodId);
  return query.orderBy('recordedAt', 'desc').orderBy('id', 'desc').execute();
}

export async function vetoById(db: Executor, id: string): Promise<VetoesTable | undefined> {
  return db.selectFrom('vetoes').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertVeto(db: Executor, row: VetoesTable): Promise<void> {
  await db.insertInto('vetoes').values(row).execute();
}

export async function revokeVeto(db: Executor, id: string, at: string, reason: string): Promise<boolean> {
  const result = await db
    .updateTable('vetoes')
    .set({ revokedAt: at, revokeReason: reason })
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Vetoes in force at an instant for a period and scheme (those for every scheme included). */
export async function vetoesAsOf(
  db: Executor,
  periodId: string,
  schemeId: string,
  unitIds: readonly string[],
  asOf: string,
): Promise<VetoesTable[]> {
  if (unitIds.length === 0) return [];
  const out: VetoesTable[] = [];
  await inBatches(unitIds, IN_LIST_BATCH, async (batch) => {
    const rows = await db
      .selectFrom('vetoes')
      .selectAll()
      .where('periodId', '=', periodId)
      .where('unitId', 'in', batch)
      .where((eb) => eb.or([eb('schemeId', 'is', null), eb('schemeId', '=', schemeId)]))
      .where('recordedAt', '<=', asOf)
      .where((eb) => eb.or([eb('revokedAt', 'is', null), eb('revokedAt', '>', asOf)]))
      .execute();
    out.push(...rows);
  });
  return out;
}

// --- runs ----------------------------------------------------------------------------------------

export async function insertRun(db: Executor, row: ScoringRunsTable): Promise<void> {
  await db.insertInto('scoringRuns').values(row).execute();
}

export async function runById(db: Executor, id: string): Promise<ScoringRunsTable | undefined> {
  return db.selectFrom('scoringRuns').selectAll().where('id', '=', id).executeTakeFirst();
}

export type RunListRow = Omit<ScoringRunsTable, 'inputs' | 'outcome'>;

export async function listRuns(
  db: Executor,
  filter: { schemeId?: string | undefined; periodId?: string | undefined; status?: string | undefined },
): Promise<RunListRow[]> {
  let query = db
    .selectFrom('scoringRuns')
    .select([
      'id',
      'schemeId',
      'schemeVersion',
      'periodId',
      'groupKey',
      'status',
      'inputsDigest',
      'resultsDigest',
      'unitCount',
      'computedBy',
      'computedByName',
      'computedAt',
      'approvedAt',
      'publishedAt',
      'supersededBy',
    ]);
  if (filter.schemeId) query = query.where('schemeId', '=', filter.schemeId);
  if (filter.periodId) query = query.where('periodId', '=', filter.periodId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.orderBy('computedAt', 'desc').orderBy('id', 'desc').execute();
}

/** Marks older runs of the same scheme, period and group that are not published as superseded. */
export async function supersedeRuns(
  db: Executor,
  run: { id: string; schemeId: string; periodId: string; groupKey: string },
): Promise<string[]> {
  const older = await db
    .selectFrom('scoringRuns')
    .select('id')
    .where('schemeId', '=', run.schemeId)
    .where('periodId', '=', run.periodId)
    .where('groupKey', '=', run.groupKey)
    .where('id', '!=', run.id)
    .where('status', 'in', ['computed', 'in_review', 'approved'])
    .execute();
  const ids = older.map((r) => r.id);
  if (ids.length > 0) {
    await db
      .updateTable('scoringRuns')
      .set({ status: 'superseded', supersededBy: run.id })
      .where('id', 'in', ids)
      .execute();
  }
  return ids;
}

/** Sets a run's status, only from the status the caller read. */
export async function setRunStatus(
  db: Executor,
  id: string,
  from: string,
  changes: Partial<Pick<ScoringRunsTable, 'status' | 'approvedAt' | 'publishedAt' | 'supersededBy'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('scoringRuns')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Published results (not replaced by a newer publication) whose period ends on or after `from` and whose
 * recorded group holds one of `unitIds`: the results a registry change in force from that day would make
 * differ on verify (a member's name, parent or subtree read again as of the period's end).
 */
export async function publishedRunsEndingFrom(
  db: Executor,
  from: string,
  unitIds: readonly string[],
): Promise<{ runId: string; periodId: string; periodName: string; periodEnd: string }[]> {
  if (unitIds.length === 0) return [];
  const wanted = new Set(unitIds);
  const rows = await db
    .selectFrom('scoringRuns as r')
    .innerJoin('periods as p', 'p.id', 'r.periodId')
    .select([
      'r.id as runId',
      'r.inputs',
      'p.id as periodId',
      'p.name as periodName',
      'p.endDate as periodEnd',
    ])
    .where('r.status', '=', 'published')
    .where('r.supersededBy', 'is', null)
    .where('p.endDate', '>=', from)
    .orderBy('p.endDate')
    .orderBy('r.id')
    .execute();
  return rows
    .filter((r) => {
      const inputs = JSON.parse(r.inputs) as { units?: { id?: unknown }[] };
      return (inputs.units ?? []).some((u) => typeof u.id === 'string' && wanted.has(u.id));
    })
    .map(({ inputs: _inputs, ...r }) => r);
}

/** Every published run (replaced or not), oldest first: what `minping copy` verifies at its target. */
export async function publishedRunIds(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('scoringRuns')
    .select('id')
    .where('status', '=', 'published')
    .orderBy('publishedAt')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Earlier published runs of the same scheme, period and group: a newer publication replaces them. */
export async function markOlderPublished(
  db: Executor,
  run: { id: string; schemeId: string; periodId: string; groupKey: string },
): Promise<void> {
  await db
    .updateTable('scoringRuns')
    .set({ supersededBy: run.id })
    .where('schemeId', '=', run.schemeId)
    .where('periodId', '=', run.periodId)
    .where('groupKey', '=', run.groupKey)
    .where('id', '!=', run.id)
    .where('status', '=', 'published')
    .where('supersededBy', 'is', null)
    .execute();
}

/**
 * The latest run of the scheme and group published by `asOf` whose period ended before `before`
 * (a date): the run a new one compares ranks against.
 */
export async function previousPublishedRun(
  db: Executor,
  schemeId: string,
  groupKey: string,
  before: string,
  asOf: string,
): Promise<(ScoringRunsTable & { periodName: string; periodEnd: string }) | undefined> {
  return db
    .selectFrom('scoringRuns as r')
    .innerJoin('periods as p', 'p.id', 'r.periodId')
    .selectAll('r')
    .select(['p.name as periodName', 'p.endDate as periodEnd'])
    .where('r.schemeId', '=', schemeId)
    .where('r.groupKey', '=', groupKey)
    .where('r.status', '=', 'published')
    .where('r.publishedAt', '<=', asOf)
    .where('p.endDate', '<', before)
    .orderBy('p.endDate', 'desc')
    .orderBy('r.publishedAt', 'desc')
    .orderBy('r.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

// --- reviews and problems ------------------------------------------------------------------------

export async function reviewsOf(db: Executor, runId: string): Promise<RunReviewsTable[]> {
  return db.selectFrom('runReviews').selectAll().where('runId', '=', runId).orderBy('stageIndex').execute();
}

export async function insertReview(db: Executor, row: RunReviewsTable): Promise<void> {
  await db.insertInto('runReviews').values(row).execute();
}

export async function problemsOf(db: Executor, runId: string): Promise<RunProblemsTable[]> {
  return db.selectFrom('runProblems').selectAll().where('runId', '=', runId).orderBy('unitId').execute();
}

export async function problemOf(
  db: Executor,
  runId: string,
  unitId: string,
): Promise<RunProblemsTable | undefined> {
  return db
    .selectFrom('runProblems')
    .selectAll()
    .where('runId', '=', runId)
    .where('unitId', '=', unitId)
    .executeTakeFirst();
}

export async function upsertProblem(db: Executor, row: RunProblemsTable): Promise<void> {
  await db
    .insertInto('runProblems')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['runId', 'unitId'])
        .doUpdateSet({ text: row.text, updatedBy: row.updatedBy, updatedAt: row.updatedAt }),
    )
    .execute();
}

// --- registry reads ------------------------------------------------------------------------------

export interface UnitName {
  unitId: string;
  code: string;
  name: string;
}

/** The latest name of each unit found by id or by code, keyed by what it was found by. */
async function latestUnitNames(
  db: Executor,
  by: 'unitId' | 'code',
  keys: readonly string[],
): Promise<Map<string, UnitName>> {
  const out = new Map<string, UnitName>();
  await inBatches([...new Set(keys)], IN_LIST_BATCH, async (batch) => {
    const rows = await db
      .selectFrom('unitVersions as v')
      .innerJoin('units as u', 'u.id', 'v.unitId')
      .select(['v.unitId', 'u.code', 'v.name', 'v.validFrom'])
      .where(by === 'unitId' ? 'v.unitId' : 'u.code', 'in', batch)
      .orderBy('v.validFrom')
      .execute();
    // Oldest first: a later version's name overwrites an earlier one.
    for (const r of rows) out.set(r[by], { unitId: r.unitId, code: r.code, name: r.name });
  });
  return out;
}

/** The latest name of each unit (in force or not), by id. */
export async function unitNames(db: Executor, unitIds: readonly string[]): Promise<Map<string, UnitName>> {
  return latestUnitNames(db, 'unitId', unitIds);
}

/** Units by code (the latest name of each), for imports. */
export async function unitsByCodes(db: Executor, codes: readonly string[]): Promise<Map<string, UnitName>> {
  return latestUnitNames(db, 'code', codes);
}

// --- raw rating records (verify's recount, the demo) ----------------------------------------------

/** A period's days, from first to last inclusive. */
export interface PeriodDays {
  startDate: string;
  endDate: string;
}

export type CountedRatingRow = Pick<
  RatingsTable,
  'id' | 'level' | 'isDefault' | 'status' | 'createdAt' | 'reviewedAt' | 'removedAt' | 'rollupScopes'
>;

/**
 * One page of the ratings given on a period's days that are counted or removed, by id after `afterId`
 * ('' for the first page).
 */
export async function countedRatingsPage(
  db: Executor,
  period: PeriodDays,
  afterId: string,
  limit: number,
): Promise<CountedRatingRow[]> {
  return db
    .selectFrom('ratings')
    .select(['id', 'level', 'isDefault', 'status', 'createdAt', 'reviewedAt', 'removedAt', 'rollupScopes'])
    .where('day', '>=', period.startDate)
    .where('day', '<=', period.endDate)
    .where('status', 'in', ['counted', 'removed'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export type TransactionRow = Pick<TransactionsTable, 'id' | 'createdAt' | 'rollupScopes' | 'ratingId'>;

/** One page of the transactions of a period's days, by id after `afterId` ('' for the first page). */
export async function transactionsPage(
  db: Executor,
  period: PeriodDays,
  afterId: string,
  limit: number,
): Promise<TransactionRow[]> {
  return db
    .selectFrom('transactions')
    .select(['id', 'createdAt', 'rollupScopes', 'ratingId'])
    .where('day', '>=', period.startDate)
    .where('day', '<=', period.endDate)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export type RatingStateRow = Pick<
  RatingsTable,
  'id' | 'isDefault' | 'status' | 'createdAt' | 'reviewedAt' | 'removedAt' | 'rollupScopes'
>;

/** The ratings with these ids (those that exist), in no particular order. */
export async function ratingsByIds(db: Executor, ids: readonly string[]): Promise<RatingStateRow[]> {
  const out: RatingStateRow[] = [];
  await inBatches(ids, IN_LIST_BATCH, async (batch) => {
    const rows = await db
      .selectFrom('ratings')
      .select(['id', 'isDefault', 'status', 'createdAt', 'reviewedAt', 'removedAt', 'rollupScopes'])
      .where('id', 'in', batch)
      .execute();
    out.push(...rows);
  });
  return out;
}

export type RatingCaseRow = Pick<CasesTable, 'id' | 'openedAt' | 'repliedAt' | 'judgement' | 'judgedAt'> &
  Pick<RatingsTable, 'status' | 'createdAt' | 'reviewedAt' | 'removedAt' | 'rollupScopes'>;

/**
 * One page of the bad-review cases of ratings given on a period's days, with their rating's state, by
 * case id after `afterId` ('' for the first page).
 */
export async function casesOfRatingsPage(
  db: Executor,
  period: PeriodDays,
  afterId: string,
  limit: number,
): Promise<RatingCaseRow[]> {
  return db
    .selectFrom('cases as c')
    .innerJoin('ratings as r', 'r.id', 'c.ratingId')
    .select([
      'c.id',
      'c.openedAt',
      'c.repliedAt',
      'c.judgement',
      'c.judgedAt',
      'r.status',
      'r.createdAt',
      'r.reviewedAt',
      'r.removedAt',
      'r.rollupScopes',
    ])
    .where('r.day', '>=', period.startDate)
    .where('r.day', '<=', period.endDate)
    .where('c.id', '>', afterId)
    .orderBy('c.id')
    .limit(limit)
    .execute();
}

/**
 * The latest instants at which the records counted in a period's rating statistics were written or
 * changed: ratings given, reviewed and removed; transactions created; cases opened, replied and judged
 * (each null when there is none).
 */
export async function ratingRecordsLatest(db: Executor, period: PeriodDays): Promise<unknown[]> {
  const ratings = await db
    .selectFrom('ratings')
    .select((eb) => [
      eb.fn.max('createdAt').as('created'),
      eb.fn.max('reviewedAt').as('reviewed'),
      eb.fn.max('removedAt').as('removed'),
    ])
    .where('day', '>=', period.startDate)
    .where('day', '<=', period.endDate)
    .executeTakeFirst();
  const transactions = await db
    .selectFrom('transactions')
    .select((eb) => eb.fn.max('createdAt').as('created'))
    .where('day', '>=', period.startDate)
    .where('day', '<=', period.endDate)
    .executeTakeFirst();
  const cases = await db
    .selectFrom('cases as c')
    .innerJoin('ratings as r', 'r.id', 'c.ratingId')
    .select((eb) => [
      eb.fn.max('c.openedAt').as('opened'),
      eb.fn.max('c.repliedAt').as('replied'),
      eb.fn.max('c.judgedAt').as('judged'),
    ])
    .where('r.day', '>=', period.startDate)
    .where('r.day', '<=', period.endDate)
    .executeTakeFirst();
  return [
    ratings?.created,
    ratings?.reviewed,
    ratings?.removed,
    transactions?.created,
    cases?.opened,
    cases?.replied,
    cases?.judged,
  ];
}
