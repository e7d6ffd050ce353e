import { sql } from 'kysely';
import type { Executor } from '../core/db/database.js';
import { forgetTrees } from './tree-cache.js';
import type {
  ImportsTable,
  PeriodsTable,
  ServiceItemsTable,
  StaffTable,
  UnitCategoriesTable,
  UnitVersionsTable,
} from '../core/db/schema.js';

export type UnitVersionRow = UnitVersionsTable & { code: string };

function versionsWithCode(db: Executor) {
  return db
    .selectFrom('unitVersions as v')
    .innerJoin('units as u', 'u.id', 'v.unitId')
    .selectAll('v')
    .select('u.code');
}

/** The version of every unit in force on a date. */
export async function versionsInForce(db: Executor, date: string): Promise<UnitVersionRow[]> {
  return versionsWithCode(db)
    .where('v.validFrom', '<=', date)
    .where((eb) => eb.or([eb('v.validTo', 'is', null), eb('v.validTo', '>', date)]))
    .orderBy('v.sortOrder')
    .orderBy('u.code')
    .execute();
}

/**
 * Every version that has started by a date (validFrom on or before it), ordered by unit then start date:
 * the rows the tree on that date is built from (see tree.ts).
 */
export async function versionsStartedBy(db: Executor, date: string): Promise<UnitVersionRow[]> {
  return versionsWithCode(db)
    .where('v.validFrom', '<=', date)
    .orderBy('v.sortOrder')
    .orderBy('u.code')
    .orderBy('v.validFrom')
    .execute();
}

/**
 * The unit and its ancestors (the unit first) as the tree stood on a date, in one recursive query.
 * Empty when the unit is not in force on that date.
 */
export async function ancestryInForce(db: Executor, unitId: string, date: string): Promise<string[]> {
  const { rows } = await sql<{ unitId: string }>`
    with recursive up(unit_id, parent_id, depth) as (
      select v.unit_id, v.parent_id, 0 from unit_versions v
       where v.unit_id = ${unitId} and v.valid_from <= ${date} and (v.valid_to is null or v.valid_to > ${date})
      union all
      select v.unit_id, v.parent_id, up.depth + 1 from unit_versions v join up on v.unit_id = up.parent_id
       where v.valid_from <= ${date} and (v.valid_to is null or v.valid_to > ${date}) and up.depth < 64
    )
    select unit_id from up order by depth`.execute(db);
  return rows.map((r) => r.unitId);
}

/**
 * Every version that has started by a date of the unit and of every unit any of those versions names as
 * parent, up the tree, in one recursive query (tree.ts picks the version that applies): the few rows a
 * unit's ancestry can come from.
 */
export async function ancestorVersionsStartedBy(
  db: Executor,
  unitId: string,
  date: string,
): Promise<UnitVersionRow[]> {
  const { rows } = await sql<UnitVersionRow>`
    with recursive reach(unit_id) as (
      select ${unitId}
      union
      select v.parent_id from unit_versions v join reach r on v.unit_id = r.unit_id
       where v.parent_id is not null and v.valid_from <= ${date}
    )
    select v.*, u.code
      from unit_versions v join units u on u.id = v.unit_id
     where v.unit_id in (select unit_id from reach) and v.valid_from <= ${date}
     order by v.unit_id, v.valid_from`.execute(db);
  return rows;
}

/** The versions started by a date of the given units (tree.ts picks the one that applies). */
export async function versionsOfUnits(
  db: Executor,
  unitIds: readonly string[],
  date: string,
): Promise<UnitVersionRow[]> {
  const ids = [...new Set(unitIds)];
  const out: UnitVersionRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    out.push(
      ...(await versionsWithCode(db)
        .where('v.unitId', 'in', ids.slice(i, i + 500))
        .where('v.validFrom', '<=', date)
        .execute()),
    );
  }
  return out;
}

/** The version of a unit (found by its code) in force on a date, or undefined. */
export async function versionByCodeOn(
  db: Executor,
  code: string,
  date: string,
): Promise<UnitVersionRow | undefined> {
  return versionsWithCode(db)
    .where('u.code', '=', code)
    .where('v.validFrom', '<=', date)
    .where((eb) => eb.or([eb('v.validTo', 'is', null), eb('v.validTo', '>', date)]))
    .executeTakeFirst();
}

/** Whether any unit lies under the unit on a date (a hall with windows, not a window itself). */
export async function hasChildrenOn(db: Executor, unitId: string, date: string): Promise<boolean> {
  const row = await db
    .selectFrom('unitVersions')
    .select('unitId')
    .where('parentId', '=', unitId)
    .where('validFrom', '<=', date)
    .where((eb) => eb.or([eb('validTo', 'is', null), eb('validTo', '>', date)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The latest version of every unit (in force now, in the future, or the last before it closed). */
export async function latestVersions(db: Executor): Promise<UnitVersionRow[]> {
  return versionsWithCode(db)
    .where('v.validFrom', '=', (eb) =>
      eb
        .selectFrom('unitVersions as w')
        .select((e) => e.fn.max('w.validFrom').as('m'))
        .whereRef('w.unitId', '=', 'v.unitId'),
    )
    .orderBy('v.sortOrder')
    .orderBy('u.code')
    .execute();
}

/**
 * The names of the given units in their latest versions (as the registry shows them now), by id; units
 * that do not exist are absent. Reads only these units, never the whole registry.
 */
export async function latestUnitNames(
  db: Executor,
  unitIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ids = [...new Set(unitIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('unitVersions as v')
      .select(['v.unitId', 'v.name'])
      .where('v.unitId', 'in', ids.slice(i, i + 500))
      .where('v.validFrom', '=', (eb) =>
        eb
          .selectFrom('unitVersions as w')
          .select((e) => e.fn.max('w.validFrom').as('m'))
          .whereRef('w.unitId', '=', 'v.unitId'),
      )
      .execute();
    for (const r of rows) out.set(r.unitId, r.name);
  }
  return out;
}

export async function versionsOf(db: Executor, unitId: string): Promise<UnitVersionRow[]> {
  return versionsWithCode(db).where('v.unitId', '=', unitId).orderBy('v.validFrom').execute();
}

export async function latestVersionOf(db: Executor, unitId: string): Promise<UnitVersionRow | undefined> {
  return versionsWithCode(db)
    .where('v.unitId', '=', unitId)
    .orderBy('v.validFrom', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function unitIdByCode(db: Executor, code: string): Promise<string | undefined> {
  return (await db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirst())?.id;
}

export async function insertUnit(db: Executor, row: { id: string; code: string; createdAt: string }) {
  forgetTrees(db);
  await db.insertInto('units').values(row).execute();
}

export async function insertVersion(db: Executor, row: UnitVersionsTable): Promise<void> {
  forgetTrees(db);
  await db.insertInto('unitVersions').values(row).execute();
}

export async function updateVersion(
  db: Executor,
  versionId: string,
  changes: Partial<Omit<UnitVersionsTable, 'id' | 'unitId'>>,
): Promise<void> {
  forgetTrees(db);
  await db.updateTable('unitVersions').set(changes).where('id', '=', versionId).execute();
}

/** Children whose latest version names the unit as parent and is still in force on or after the date. */
export async function activeChildrenOn(
  db: Executor,
  unitId: string,
  date: string,
): Promise<UnitVersionRow[]> {
  return (await latestVersions(db)).filter(
    (v) => v.parentId === unitId && (v.validTo === null || v.validTo > date),
  );
}

// --- categories ------------------------------------------------------------------------------

export async function listCategories(db: Executor): Promise<UnitCategoriesTable[]> {
  return db.selectFrom('unitCategories').selectAll().orderBy('code').execute();
}

export async function categoryById(db: Executor, id: string): Promise<UnitCategoriesTable | undefined> {
  return db.selectFrom('unitCategories').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function categoryByCode(db: Executor, code: string): Promise<UnitCategoriesTable | undefined> {
  return db.selectFrom('unitCategories').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertCategory(db: Executor, row: UnitCategoriesTable): Promise<void> {
  await db.insertInto('unitCategories').values(row).execute();
}

export async function updateCategory(
  db: Executor,
  id: string,
  changes: Partial<Pick<UnitCategoriesTable, 'name' | 'nameEn' | 'description'>>,
): Promise<void> {
  await db.updateTable('unitCategories').set(changes).where('id', '=', id).execute();
}

// --- service items ---------------------------------------------------------------------------

export async function listServiceItems(
  db: Executor,
  unitIds?: readonly string[],
): Promise<ServiceItemsTable[]> {
  let q = db.selectFrom('serviceItems').selectAll();
  if (unitIds) {
    if (unitIds.length === 0) return [];
    q = q.where('unitId', 'in', unitIds);
  }
  return q.orderBy('code').execute();
}

export async function serviceItemById(db: Executor, id: string): Promise<ServiceItemsTable | undefined> {
  return db.selectFrom('serviceItems').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function serviceItemByCode(db: Executor, code: string): Promise<ServiceItemsTable | undefined> {
  return db.selectFrom('serviceItems').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertServiceItem(db: Executor, row: ServiceItemsTable): Promise<void> {
  await db.insertInto('serviceItems').values(row).execute();
}

export async function updateServiceItem(
  db: Executor,
  id: string,
  changes: Partial<Omit<ServiceItemsTable, 'id' | 'code' | 'createdAt'>>,
): Promise<void> {
  await db.updateTable('serviceItems').set(changes).where('id', '=', id).execute();
}

// --- staff -----------------------------------------------------------------------------------

export async function listStaff(db: Executor, unitIds?: readonly string[]): Promise<StaffTable[]> {
  let q = db.selectFrom('staff').selectAll();
  if (unitIds) {
    if (unitIds.length === 0) return [];
    q = q.where('unitId', 'in', unitIds);
  }
  return q.orderBy('staffNo').execute();
}

export async function staffById(db: Executor, id: string): Promise<StaffTable | undefined> {
  return db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function staffByNo(db: Executor, staffNo: string): Promise<StaffTable | undefined> {
  return db.selectFrom('staff').selectAll().where('staffNo', '=', staffNo).executeTakeFirst();
}

export async function insertStaff(db: Executor, row: StaffTable): Promise<void> {
  await db.insertInto('staff').values(row).execute();
}

export async function updateStaff(
  db: Executor,
  id: string,
  changes: Partial<Omit<StaffTable, 'id' | 'staffNo' | 'createdAt'>>,
): Promise<void> {
  await db.updateTable('staff').set(changes).where('id', '=', id).execute();
}

// --- periods ---------------------------------------------------------------------------------

export async function listPeriods(db: Executor): Promise<PeriodsTable[]> {
  return db
    .selectFrom('periods')
    .selectAll()
    .orderBy('startDate', 'desc')
    .orderBy('endDate', 'desc')
    .execute();
}

export async function periodByCode(db: Executor, code: string): Promise<PeriodsTable | undefined> {
  return db.selectFrom('periods').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function periodById(db: Executor, id: string): Promise<PeriodsTable | undefined> {
  return db.selectFrom('periods').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertPeriod(db: Executor, row: PeriodsTable): Promise<void> {
  await db.insertInto('periods').values(row).execute();
}

export async function updatePeriod(db: Executor, id: string, changes: Pick<PeriodsTable, 'name'>) {
  await db.updateTable('periods').set(changes).where('id', '=', id).execute();
}

// --- registry imports (previews kept until applied) ---------------------------------------------

export async function importById(db: Executor, id: string): Promise<ImportsTable | undefined> {
  return db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertImport(db: Executor, row: ImportsTable): Promise<void> {
  await db.insertInto('imports').values(row).execute();
}

/** Remembers the plan a clerk has seen; an import applied meanwhile keeps what it did. */
export async function updatePreviewedImportPayload(db: Executor, id: string, payload: string): Promise<void> {
  await db
    .updateTable('imports')
    .set({ payload })
    .where('id', '=', id)
    .where('status', '=', 'previewed')
    .execute();
}

/** Marks a previewed import applied; false when it was not (already applied, or unknown). */
export async function claimImportForApply(db: Executor, id: string, appliedAt: string): Promise<boolean> {
  const claimed = await db
    .updateTable('imports')
    .set({ status: 'applied', appliedAt })
    .where('id', '=', id)
    .where('status', '=', 'previewed')
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) > 0;
}

export async function setImportPayload(db: Executor, id: string, payload: string): Promise<void> {
  await db.updateTable('imports').set({ payload }).where('id', '=', id).execute();
}
