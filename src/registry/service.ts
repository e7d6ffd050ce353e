import type { Transaction } from 'kysely';
import { unitScopeOf, type Actor, requirePermission as require } from '../core/auth/model.js';
import { changedFields } from '../core/audit/service.js';
import { inTransaction, type Audit, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { DB, PeriodsTable, ServiceItemsTable, StaffTable } from '../core/db/schema.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { chinaDate, isoNow, isValidDate } from '../core/time.js';
import {
  ancestry,
  isValidCode,
  normalizeTags,
  periodShape,
  periodsPerYear,
  planChange,
  wouldCreateCycle,
  type ParentMap,
  type PeriodKind,
  type ServiceMode,
  type UnitKind,
} from './model.js';
import { assertInTree, assertMayPlaceUnder, assertNotOwnRoot, scopeRootOf, visibleIn } from './scope.js';
import * as store from './store.js';
import { publishedResultsFrom } from './hooks.js';
import { editingTree } from './tree.js';
import type { CategoryView, PeriodView, ServiceItemView, StaffView, UnitDetail, UnitView } from './types.js';

// Declared in types.ts (shared with web/); re-exported for the callers that import them from here.
export type { CategoryView, PeriodView, ServiceItemView, StaffView, UnitDetail, UnitView } from './types.js';

// --- presenters ------------------------------------------------------------------------------

export function presentUnit(row: store.UnitVersionRow, asOf: string): UnitView {
  return {
    id: row.unitId,
    code: row.code,
    name: row.name,
    shortName: row.shortName,
    kind: row.kind as UnitKind,
    parentId: row.parentId,
    categoryId: row.categoryId,
    tags: JSON.parse(row.tags) as string[],
    sortOrder: row.sortOrder,
    responsibleName: row.responsibleName,
    responsiblePhone: row.responsiblePhone,
    validFrom: row.validFrom,
    validTo: row.validTo,
    active: row.validFrom <= asOf && (row.validTo === null || row.validTo > asOf),
  };
}

export function presentServiceItem(row: ServiceItemsTable): ServiceItemView {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    unitId: row.unitId,
    mode: row.mode as ServiceMode,
    active: row.active === 1,
  };
}

export function presentStaff(row: StaffTable): StaffView {
  return {
    id: row.id,
    staffNo: row.staffNo,
    name: row.name,
    unitId: row.unitId,
    position: row.position,
    phone: row.phone,
    active: row.active === 1,
  };
}

const presentPeriod = (row: PeriodsTable): PeriodView => ({ ...row, kind: row.kind as PeriodKind });

// --- access ----------------------------------------------------------------------------------

export function today(deps: Deps): string {
  return chinaDate(deps.clock.now());
}

// Registry editing decides scope on the editing tree (scheduled versions included); see tree.ts.
async function parentMap(db: Executor): Promise<ParentMap> {
  return (await editingTree(db)).parents;
}

/** Refuses when the actor is confined to a subtree that does not hold the unit (editing tree). */
async function assertInScope(db: Executor, actor: Actor, unitId: string): Promise<void> {
  if (scopeRootOf(actor) === null) return;
  assertInTree(await editingTree(db), actor, unitId);
}

/** The unit ids an actor may see, or null for all of them. */
async function visibleUnitIds(db: Executor, actor: Actor): Promise<Set<string> | null> {
  return scopeRootOf(actor) === null ? null : visibleIn(await editingTree(db), actor);
}

function checkDate(value: string, field: string): void {
  if (!isValidDate(value)) {
    throw new Invalid('invalid_date', `${field} must be a date written as YYYY-MM-DD.`, { field });
  }
}

function checkCode(code: string, field = 'code'): void {
  if (!isValidCode(code)) {
    throw new Invalid(
      'invalid_code',
      'A code has 1–40 letters, digits, ".", "_" or "-", and starts with a letter or digit.',
      { field },
    );
  }
}

// --- units -----------------------------------------------------------------------------------

export interface UnitQuery {
  asOf?: string | undefined;
  q?: string | undefined;
  includeInactive?: boolean | undefined;
}

/**
 * The units as they were on a date (today by default), optionally with units that had closed by then.
 * A search matches code, name, short name or tag; the matches' ancestors come along so that the tree
 * stays whole.
 */
export async function listUnits(deps: Deps, actor: Actor, query: UnitQuery = {}): Promise<UnitView[]> {
  require(actor, 'registry:read');
  const asOf = query.asOf ?? today(deps);
  checkDate(asOf, 'asOf');
  const db = deps.database.db;
  const rows = await store.versionsInForce(db, asOf);
  if (query.includeInactive) {
    const present = new Set(rows.map((r) => r.unitId));
    for (const latest of await store.latestVersions(db)) {
      if (!present.has(latest.unitId) && latest.validTo !== null && latest.validTo <= asOf) rows.push(latest);
    }
  }
  const visible = await visibleUnitIds(db, actor);
  let units = rows.filter((r) => visible === null || visible.has(r.unitId)).map((r) => presentUnit(r, asOf));
  const needle = query.q?.normalize('NFKC').trim().toLowerCase();
  if (needle) {
    const parents: ParentMap = new Map(units.map((u) => [u.id, u.parentId]));
    const keep = new Set<string>();
    for (const u of units) {
      const hay = [u.code, u.name, u.shortName, ...u.tags].join(' ').toLowerCase();
      if (hay.includes(needle)) for (const id of ancestry(parents, u.id)) keep.add(id);
    }
    units = units.filter((u) => keep.has(u.id));
  }
  return units;
}

export async function getUnit(deps: Deps, actor: Actor, id: string): Promise<UnitDetail> {
  require(actor, 'registry:read');
  const db = deps.database.db;
  const versions = await store.versionsOf(db, id);
  const latest = versions.at(-1);
  if (!latest) throw new NotFound('unit', id);
  await assertInScope(db, actor, id);
  const date = today(deps);
  const tree = await editingTree(db);
  const path = tree
    .ancestry(id)
    .reverse()
    .map((uid) => ({ id: uid, code: tree.unit(uid)?.code ?? '', name: tree.name(uid) ?? '' }));
  const [items, staff] = await Promise.all([store.listServiceItems(db, [id]), store.listStaff(db, [id])]);
  return {
    unit: presentUnit(latest, date),
    versions: versions.map((v) => presentUnit(v, date)),
    path,
    serviceItems: items.length,
    staff: staff.length,
  };
}

export interface UnitFields {
  name: string;
  shortName?: string | undefined;
  kind: UnitKind;
  parentId?: string | null | undefined;
  categoryId?: string | null | undefined;
  tags?: string[] | undefined;
  sortOrder?: number | undefined;
  responsibleName?: string | undefined;
  responsiblePhone?: string | undefined;
}

async function checkParentAndCategory(
  trx: Executor,
  fields: { parentId?: string | null | undefined; categoryId?: string | null | undefined },
  date: string,
): Promise<void> {
  if (fields.parentId) {
    const parent = await store.latestVersionOf(trx, fields.parentId);
    if (!parent)
      throw new Invalid('unknown_parent', 'The chosen parent unit does not exist.', { field: 'parentId' });
    if (parent.validFrom > date || (parent.validTo !== null && parent.validTo <= date)) {
      throw new Invalid('parent_inactive', `The parent unit ${parent.name} is not in force on ${date}.`, {
        field: 'parentId',
        date,
      });
    }
  }
  if (fields.categoryId && !(await store.categoryById(trx, fields.categoryId))) {
    throw new Invalid('unknown_category', 'The chosen category does not exist.', { field: 'categoryId' });
  }
}

/** Creates a unit in force from `validFrom` (today by default). Scoped staff may create only inside their subtree. */
export async function createUnit(
  deps: Deps,
  actor: Actor,
  input: UnitFields & { code: string; validFrom?: string | undefined },
  trxOuter?: Transaction<DB>,
): Promise<UnitView> {
  require(actor, 'registry:write');
  checkCode(input.code);
  const validFrom = input.validFrom ?? today(deps);
  checkDate(validFrom, 'validFrom');
  const work = async (trx: Transaction<DB>, audit: Audit) => {
    assertMayPlaceUnder(await editingTree(trx), actor, input.parentId ?? null, 'add');
    await checkParentAndCategory(trx, input, validFrom);
    const at = isoNow(deps.clock);
    const id = newId();
    await store.insertUnit(trx, { id, code: input.code, createdAt: at });
    const version = {
      id: newId(),
      unitId: id,
      validFrom,
      validTo: null,
      name: input.name.trim(),
      shortName: input.shortName?.trim() ?? '',
      kind: input.kind,
      parentId: input.parentId ?? null,
      categoryId: input.categoryId ?? null,
      tags: JSON.stringify(normalizeTags(input.tags ?? [])),
      sortOrder: input.sortOrder ?? 0,
      responsibleName: input.responsibleName?.trim() ?? '',
      responsiblePhone: input.responsiblePhone?.trim() ?? '',
      createdAt: at,
    };
    await store.insertVersion(trx, version);
    const view = presentUnit({ ...version, code: input.code }, today(deps));
    await audit({ action: 'unit.created', entityType: 'unit', entityId: id, before: null, after: view });
    return view;
  };
  return inTransaction(deps, actor, work, trxOuter);
}

export type UnitChanges = Partial<UnitFields> & {
  effectiveFrom?: string | undefined;
  /** The office knows the change rewrites data of published results (see guardPublishedResults). */
  confirmPublishedResults?: boolean | undefined;
};

/**
 * A change in force from `from` that touches what results read (a unit's name, kind, parent, category or
 * existence) rewrites the data of every published result whose period ends on or after that day: verify
 * would then report them as different. Refused with published_results_affected unless the office
 * confirms; a confirmed change is audited with the results it touches.
 */
async function guardPublishedResults(
  trx: Transaction<DB>,
  audit: Audit,
  unitId: string,
  from: string,
  confirmed: boolean | undefined,
  newParentId?: string | null,
): Promise<void> {
  // A result reads its members' names and parents, and counts ratings over their subtrees: the unit
  // itself, the units above it (before and after a move) and the units whose parent it is.
  const tree = await editingTree(trx);
  const related = new Set([
    ...tree.ancestry(unitId),
    ...(newParentId ? tree.ancestry(newParentId) : []),
    ...tree
      .all()
      .filter((u) => u.parentId === unitId)
      .map((u) => u.unitId),
  ]);
  related.add(unitId);
  const affected = await publishedResultsFrom(trx, from, [...related]);
  if (affected.length === 0) return;
  const periods = [...new Set(affected.map((r) => r.periodName))];
  const after = affected.reduce((last, r) => (r.periodEnd > last ? r.periodEnd : last), from);
  if (!confirmed) {
    throw new Conflict(
      'published_results_affected',
      `This change takes effect on ${from} and would change the data of ${affected.length} published result(s) (${periods.join('、')}): they would no longer verify. Date it after ${after}, or confirm it with confirmPublishedResults.`,
      {
        field: 'effectiveFrom',
        from,
        count: affected.length,
        periods: periods.join('、'),
        after,
      },
    );
  }
  await audit({
    action: 'unit.published_results_affected',
    entityType: 'unit',
    entityId: unitId,
    before: null,
    after: { from, confirmed: true, runs: affected.map((r) => r.runId), periods },
    detail: { from, confirmed: true, runs: affected.map((r) => r.runId), periods },
  });
}

const RESULT_FIELDS = ['name', 'kind', 'parentId', 'categoryId'] as const;

/**
 * Changes a unit from `effectiveFrom` on (today by default). Past periods keep the unit as it was:
 * the change starts a new version unless it falls on the latest version's own start date, which
 * corrects that version. Moving a unit under itself or its descendants is refused.
 */
export async function updateUnit(
  deps: Deps,
  actor: Actor,
  id: string,
  changes: UnitChanges,
  trxOuter?: Transaction<DB>,
): Promise<UnitView> {
  require(actor, 'registry:write');
  const effectiveFrom = changes.effectiveFrom ?? today(deps);
  checkDate(effectiveFrom, 'effectiveFrom');
  const work = async (trx: Transaction<DB>, audit: Audit) => {
    const latest = await store.latestVersionOf(trx, id);
    if (!latest) throw new NotFound('unit', id);
    await assertInScope(trx, actor, id);
    if (changes.parentId !== undefined && changes.parentId !== latest.parentId) {
      assertNotOwnRoot(actor, id, 'move');
      assertMayPlaceUnder(await editingTree(trx), actor, changes.parentId, 'place');
      if (wouldCreateCycle(await parentMap(trx), id, changes.parentId)) {
        throw new Conflict(
          'tree_cycle',
          'A unit cannot be placed under itself or one of its own sub-units.',
          {
            field: 'parentId',
          },
        );
      }
    }
    await checkParentAndCategory(
      trx,
      {
        parentId: changes.parentId !== latest.parentId ? changes.parentId : undefined,
        categoryId: changes.categoryId,
      },
      effectiveFrom,
    );
    const plan = planChange(latest, effectiveFrom);
    if (plan.kind === 'refuse') {
      throw plan.code === 'unit_inactive'
        ? new Conflict('unit_inactive', `This unit was closed on ${latest.validTo}; it can no longer change.`)
        : new Invalid(
            'effective_before_latest',
            `This unit last changed on ${latest.validFrom}. A change cannot take effect before that date, or it would rewrite a past period.`,
            { field: 'effectiveFrom', latest: latest.validFrom },
          );
    }
    const touchesResults = RESULT_FIELDS.some((f) => {
      const value = f === 'name' ? changes.name?.trim() : changes[f];
      return value !== undefined && value !== latest[f];
    });
    if (touchesResults) {
      await guardPublishedResults(
        trx,
        audit,
        id,
        plan.kind === 'correct' ? latest.validFrom : effectiveFrom,
        changes.confirmPublishedResults,
        changes.parentId,
      );
    }
    const next = {
      name: changes.name?.trim() ?? latest.name,
      shortName: changes.shortName?.trim() ?? latest.shortName,
      kind: changes.kind ?? latest.kind,
      parentId: changes.parentId !== undefined ? changes.parentId : latest.parentId,
      categoryId: changes.categoryId !== undefined ? changes.categoryId : latest.categoryId,
      tags: changes.tags ? JSON.stringify(normalizeTags(changes.tags)) : latest.tags,
      sortOrder: changes.sortOrder ?? latest.sortOrder,
      responsibleName: changes.responsibleName?.trim() ?? latest.responsibleName,
      responsiblePhone: changes.responsiblePhone?.trim() ?? latest.responsiblePhone,
    };
    const date = today(deps);
    const before = presentUnit(latest, date);
    let afterRow: store.UnitVersionRow;
    if (plan.kind === 'correct') {
      await store.updateVersion(trx, latest.id, next);
      afterRow = { ...latest, ...next };
    } else {
      await store.updateVersion(trx, latest.id, { validTo: effectiveFrom });
      afterRow = {
        ...latest,
        ...next,
        id: newId(),
        validFrom: effectiveFrom,
        validTo: null,
        createdAt: isoNow(deps.clock),
      };
      const { code: _code, ...versionRow } = afterRow;
      await store.insertVersion(trx, versionRow);
    }
    const after = presentUnit(afterRow, date);
    await audit({
      action: plan.kind === 'correct' ? 'unit.corrected' : 'unit.changed',
      entityType: 'unit',
      entityId: id,
      before,
      after,
    });
    return after;
  };
  return inTransaction(deps, actor, work, trxOuter);
}

/** Closes a unit as of a date; it stays in every period before. Units with active sub-units are refused. */
export async function deactivateUnit(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { effectiveFrom?: string | undefined; confirmPublishedResults?: boolean | undefined },
  trxOuter?: Transaction<DB>,
): Promise<UnitView> {
  require(actor, 'registry:write');
  const effectiveFrom = input.effectiveFrom ?? today(deps);
  checkDate(effectiveFrom, 'effectiveFrom');
  return inTransaction(
    deps,
    actor,
    async (trx, audit) => {
      const latest = await store.latestVersionOf(trx, id);
      if (!latest) throw new NotFound('unit', id);
      await assertInScope(trx, actor, id);
      assertNotOwnRoot(actor, id, 'close');
      if (latest.validTo !== null) {
        throw new Conflict('unit_inactive', `This unit was already closed on ${latest.validTo}.`);
      }
      if (effectiveFrom <= latest.validFrom) {
        throw new Invalid(
          'effective_before_latest',
          `This unit last changed on ${latest.validFrom}; it can be closed from the day after at the earliest.`,
          { field: 'effectiveFrom', latest: latest.validFrom },
        );
      }
      const children = await store.activeChildrenOn(trx, id, effectiveFrom);
      if (children.length > 0) {
        throw new Conflict(
          'has_active_children',
          `This unit still has ${children.length} active sub-unit(s) (${children
            .slice(0, 3)
            .map((c) => c.name)
            .join('、')}…). Move or close them first.`,
          { count: children.length },
        );
      }
      await guardPublishedResults(trx, audit, id, effectiveFrom, input.confirmPublishedResults);
      await store.updateVersion(trx, latest.id, { validTo: effectiveFrom });
      const date = today(deps);
      const before = presentUnit(latest, date);
      const after = presentUnit({ ...latest, validTo: effectiveFrom }, date);
      await audit({ action: 'unit.deactivated', entityType: 'unit', entityId: id, before, after });
      return after;
    },
    trxOuter,
  );
}

// --- categories ------------------------------------------------------------------------------

export async function listCategories(deps: Deps, actor: Actor): Promise<CategoryView[]> {
  require(actor, 'registry:read');
  return store.listCategories(deps.database.db);
}

function requireOffice(actor: Actor): void {
  // Categories and periods shape every ranking, so only unscoped writers (the office) define them.
  require(actor, 'registry:write');
  // Service systems (API tokens) push data; they do not reshape how units are grouped for ranking.
  if (unitScopeOf(actor) !== null || actor.kind === 'token') {
    throw new Forbidden('office_only', 'Only the assessment office may change categories.');
  }
}

export async function createCategory(
  deps: Deps,
  actor: Actor,
  input: { code: string; name: string; nameEn?: string | undefined; description?: string | undefined },
  trxOuter?: Transaction<DB>,
): Promise<CategoryView> {
  requireOffice(actor);
  checkCode(input.code);
  return inTransaction(
    deps,
    actor,
    async (trx, audit) => {
      const row = {
        id: newId(),
        code: input.code,
        name: input.name.trim(),
        nameEn: input.nameEn?.trim() ?? '',
        description: input.description?.trim() ?? '',
        createdAt: isoNow(deps.clock),
      };
      await store.insertCategory(trx, row);
      await audit({
        action: 'category.created',
        entityType: 'category',
        entityId: row.id,
        before: null,
        after: row,
      });
      return row;
    },
    trxOuter,
  );
}

export async function updateCategory(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { name?: string | undefined; nameEn?: string | undefined; description?: string | undefined },
): Promise<CategoryView> {
  requireOffice(actor);
  return inTransaction(deps, actor, async (trx, audit) => {
    const before = await store.categoryById(trx, id);
    if (!before) throw new NotFound('category', id);
    const changes = {
      name: input.name?.trim() ?? before.name,
      nameEn: input.nameEn?.trim() ?? before.nameEn,
      description: input.description?.trim() ?? before.description,
    };
    await store.updateCategory(trx, id, changes);
    const after = { ...before, ...changes };
    await audit({ action: 'category.updated', entityType: 'category', entityId: id, before, after });
    return after;
  });
}

// --- service items and staff -----------------------------------------------------------------

async function scopedUnitFilter(
  deps: Deps,
  actor: Actor,
  unitId: string | undefined,
): Promise<string[] | undefined> {
  const db = deps.database.db;
  if (unitId) {
    await assertInScope(db, actor, unitId);
    return [unitId];
  }
  const visible = await visibleUnitIds(db, actor);
  return visible ? [...visible] : undefined;
}

async function assertUnitExists(trx: Executor, unitId: string): Promise<void> {
  const latest = await store.latestVersionOf(trx, unitId);
  if (!latest) throw new Invalid('unknown_unit', 'The chosen unit does not exist.', { field: 'unitId' });
}

// Service items and staff members each belong to a unit: the rules and the audit entries below are theirs.

/** The unit a new service item or staff member is placed in: it exists and the actor manages it. */
async function assertAssignableUnit(trx: Executor, actor: Actor, unitId: string): Promise<void> {
  await assertUnitExists(trx, unitId);
  await assertInScope(trx, actor, unitId);
}

/** The actor manages the record's unit and, when the update moves it, the unit it moves to. */
async function assertMayUpdateIn(
  trx: Executor,
  actor: Actor,
  currentUnitId: string,
  newUnitId: string | undefined,
): Promise<void> {
  await assertInScope(trx, actor, currentUnitId);
  if (newUnitId && newUnitId !== currentUnitId) await assertAssignableUnit(trx, actor, newUnitId);
}

/** The stored active flag after an update that may leave it out. */
function activeAfter(requested: boolean | undefined, current: number): number {
  return requested === undefined ? current : requested ? 1 : 0;
}

type UnitRecordType = 'service_item' | 'staff';

async function auditRecordCreated(
  audit: Audit,
  entityType: UnitRecordType,
  view: { id: string },
): Promise<void> {
  await audit({ action: `${entityType}.created`, entityType, entityId: view.id, before: null, after: view });
}

/** `identity` (code or staff number, and name) lets a reader of the log see which record it was. */
async function auditRecordUpdated<View extends { id: string }>(
  audit: Audit,
  entityType: UnitRecordType,
  before: View,
  after: View,
  identity: Record<string, string>,
): Promise<void> {
  await audit({
    action: `${entityType}.updated`,
    entityType,
    entityId: after.id,
    before,
    after,
    detail: { ...changedFields(before, after), ...identity },
  });
}

export async function listServiceItems(
  deps: Deps,
  actor: Actor,
  unitId?: string,
): Promise<ServiceItemView[]> {
  require(actor, 'registry:read');
  const filter = await scopedUnitFilter(deps, actor, unitId);
  return (await store.listServiceItems(deps.database.db, filter)).map(presentServiceItem);
}

export async function createServiceItem(
  deps: Deps,
  actor: Actor,
  input: { code: string; name: string; unitId: string; mode: ServiceMode },
  trxOuter?: Transaction<DB>,
): Promise<ServiceItemView> {
  require(actor, 'registry:write');
  checkCode(input.code);
  const work = async (trx: Transaction<DB>, audit: Audit) => {
    await assertAssignableUnit(trx, actor, input.unitId);
    const at = isoNow(deps.clock);
    const row = {
      id: newId(),
      code: input.code,
      name: input.name.trim(),
      unitId: input.unitId,
      mode: input.mode,
      active: 1,
      createdAt: at,
      updatedAt: at,
    };
    await store.insertServiceItem(trx, row);
    const view = presentServiceItem(row);
    await auditRecordCreated(audit, 'service_item', view);
    return view;
  };
  return inTransaction(deps, actor, work, trxOuter);
}

export async function updateServiceItem(
  deps: Deps,
  actor: Actor,
  id: string,
  input: {
    name?: string | undefined;
    unitId?: string | undefined;
    mode?: ServiceMode | undefined;
    active?: boolean | undefined;
  },
  trxOuter?: Transaction<DB>,
): Promise<ServiceItemView> {
  require(actor, 'registry:write');
  const work = async (trx: Transaction<DB>, audit: Audit) => {
    const row = await store.serviceItemById(trx, id);
    if (!row) throw new NotFound('service item', id);
    await assertMayUpdateIn(trx, actor, row.unitId, input.unitId);
    const changes = {
      name: input.name?.trim() ?? row.name,
      unitId: input.unitId ?? row.unitId,
      mode: input.mode ?? row.mode,
      active: activeAfter(input.active, row.active),
      updatedAt: isoNow(deps.clock),
    };
    await store.updateServiceItem(trx, id, changes);
    const after = presentServiceItem({ ...row, ...changes });
    await auditRecordUpdated(audit, 'service_item', presentServiceItem(row), after, {
      code: row.code,
      name: after.name,
    });
    return after;
  };
  return inTransaction(deps, actor, work, trxOuter);
}

export async function listStaff(deps: Deps, actor: Actor, unitId?: string): Promise<StaffView[]> {
  require(actor, 'registry:read');
  const filter = await scopedUnitFilter(deps, actor, unitId);
  return (await store.listStaff(deps.database.db, filter)).map(presentStaff);
}

export async function createStaff(
  deps: Deps,
  actor: Actor,
  input: {
    staffNo: string;
    name: string;
    unitId: string;
    position?: string | undefined;
    phone?: string | undefined;
  },
  trxOuter?: Transaction<DB>,
): Promise<StaffView> {
  require(actor, 'registry:write');
  checkCode(input.staffNo, 'staffNo');
  const work = async (trx: Transaction<DB>, audit: Audit) => {
    await assertAssignableUnit(trx, actor, input.unitId);
    const at = isoNow(deps.clock);
    const row = {
      id: newId(),
      staffNo: input.staffNo,
      name: input.name.trim(),
      unitId: input.unitId,
      position: input.position?.trim() ?? '',
      phone: input.phone?.trim() ?? '',
      active: 1,
      createdAt: at,
      updatedAt: at,
    };
    await store.insertStaff(trx, row);
    const view = presentStaff(row);
    await auditRecordCreated(audit, 'staff', view);
    return view;
  };
  return inTransaction(deps, actor, work, trxOuter);
}

export async function updateStaff(
  deps: Deps,
  actor: Actor,
  id: string,
  input: {
    name?: string | undefined;
    unitId?: string | undefined;
    position?: string | undefined;
    phone?: string | undefined;
    active?: boolean | undefined;
  },
  trxOuter?: Transaction<DB>,
): Promise<StaffView> {
  require(actor, 'registry:write');
  const work = async (trx: Transaction<DB>, audit: Audit) => {
    const row = await store.staffById(trx, id);
    if (!row) throw new NotFound('staff member', id);
    await assertMayUpdateIn(trx, actor, row.unitId, input.unitId);
    const changes = {
      name: input.name?.trim() ?? row.name,
      unitId: input.unitId ?? row.unitId,
      position: input.position?.trim() ?? row.position,
      phone: input.phone?.trim() ?? row.phone,
      active: activeAfter(input.active, row.active),
      updatedAt: isoNow(deps.clock),
    };
    await store.updateStaff(trx, id, changes);
    const after = presentStaff({ ...row, ...changes });
    await auditRecordUpdated(audit, 'staff', presentStaff(row), after, {
      staffNo: row.staffNo,
      name: after.name,
    });
    return after;
  };
  return inTransaction(deps, actor, work, trxOuter);
}

// --- periods ---------------------------------------------------------------------------------

export async function listPeriods(deps: Deps, actor: Actor): Promise<PeriodView[]> {
  require(actor, 'registry:read');
  return (await store.listPeriods(deps.database.db)).map(presentPeriod);
}

/**
 * Creates the period of a kind, year and number; without a number, every missing period of that kind
 * in the year (e.g. all four quarters). Returns what was created.
 */
export async function createPeriods(
  deps: Deps,
  actor: Actor,
  input: { kind: PeriodKind; year: number; seq?: number | undefined; name?: string | undefined },
  trxOuter?: Transaction<DB>,
): Promise<PeriodView[]> {
  require(actor, 'periods:write');
  const count = periodsPerYear(input.kind);
  if (input.seq !== undefined && (input.seq < 1 || input.seq > count)) {
    throw new Invalid('invalid_period_number', `A ${input.kind} period is numbered 1 to ${count}.`, {
      field: 'seq',
    });
  }
  const seqs = input.seq !== undefined ? [input.seq] : Array.from({ length: count }, (_, i) => i + 1);
  return inTransaction(
    deps,
    actor,
    async (trx, audit) => {
      const created: PeriodView[] = [];
      for (const seq of seqs) {
        const shape = periodShape(input.kind, input.year, seq);
        const existing = await store.periodByCode(trx, shape.code);
        if (existing) {
          if (input.seq !== undefined) {
            throw new Conflict('duplicate', `The period ${shape.code} (${existing.name}) already exists.`, {
              field: 'seq',
              code: shape.code,
            });
          }
          continue;
        }
        const row = {
          id: newId(),
          ...shape,
          name: input.seq !== undefined && input.name ? input.name.trim() : shape.name,
          createdAt: isoNow(deps.clock),
        };
        await store.insertPeriod(trx, row);
        await audit({
          action: 'period.created',
          entityType: 'period',
          entityId: row.id,
          before: null,
          after: row,
        });
        created.push(presentPeriod(row));
      }
      return created;
    },
    trxOuter,
  );
}

export async function renamePeriod(deps: Deps, actor: Actor, id: string, name: string): Promise<PeriodView> {
  require(actor, 'periods:write');
  return inTransaction(deps, actor, async (trx, audit) => {
    const before = await store.periodById(trx, id);
    if (!before) throw new NotFound('period', id);
    await store.updatePeriod(trx, id, { name: name.trim() });
    const after = { ...before, name: name.trim() };
    await audit({ action: 'period.renamed', entityType: 'period', entityId: id, before, after });
    return presentPeriod(after);
  });
}

// --- per-unit overrides of a setting (case deadlines, rating options and hours) ------------------

/**
 * A `byUnit` list as sent, keyed by unit id; each entry made into what is stored by `toOverride`, which
 * throws its own problems naming `byUnit.<index>`. A unit listed twice is refused.
 */
export function overridesByUnit<I extends { unitId: string }, O>(
  list: readonly I[],
  toOverride: (entry: I, field: string) => O,
): Record<string, O> {
  const byUnit: Record<string, O> = {};
  for (const [i, entry] of list.entries()) {
    if (Object.hasOwn(byUnit, entry.unitId)) {
      throw new Invalid('duplicate_unit', 'Each unit appears once in byUnit.', {
        field: `byUnit.${i}.unitId`,
      });
    }
    byUnit[entry.unitId] = toOverride(entry, `byUnit.${i}`);
  }
  return byUnit;
}

/** Refuses overrides for units that do not exist, naming the entry (`byUnit.<index>.unitId`). */
export async function assertOverrideUnitsExist(db: Executor, byUnit: Record<string, unknown>): Promise<void> {
  const unitIds = Object.keys(byUnit);
  const names = await store.latestUnitNames(db, unitIds);
  for (const [i, unitId] of unitIds.entries()) {
    if (!names.has(unitId)) {
      throw new Invalid('unknown_unit', `No unit with id ${unitId}.`, { field: `byUnit.${i}.unitId` });
    }
  }
}
