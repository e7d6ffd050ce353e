/*
 * The evaluator pool's use cases: the office's groups, evaluators (added, edited, deactivated — never
 * deleted), the pool's composition, and who may see what. Mobile numbers are masked for everyone; a pool
 * keeper (panel:mobile) may ask for them unmasked, and every such read is written to the audit log.
 * Draws are in draw-service.ts, imports in import-service.ts.
 */
import { hasPermission, type Actor, type Permission } from '../core/auth/model.js';
import { inTransaction, type Audit, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { EvaluatorsTable, PanelGroupsTable } from '../core/db/schema.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { getSetting, putSetting } from '../core/settings/store.js';
import { chinaDate, isoNow } from '../core/time.js';
import { ancestry, isValidCode } from '../registry/model.js';
import { scopeRootOf } from '../registry/scope.js';
import { treeOn } from '../registry/tree.js';
import { composition, isMobile, maskMobile, normalizeLabels, normalizeMobile } from './model.js';
import * as store from './store.js';
import type { EvaluatorPage, EvaluatorView, GroupView, PoolComposition } from './types.js';

// --- access ----------------------------------------------------------------------------------------

/**
 * The panel's one access check. The pool and its draws belong to the whole installation, so an actor
 * confined to a unit subtree (unit staff, a unit's token) is refused even with the permission.
 */
export function requirePanel(actor: Actor, permission: Permission): void {
  if (!hasPermission(actor, permission)) {
    throw new Forbidden('forbidden', 'Your account may not do this with the evaluator pool.');
  }
  // The scope policy says who is confined to a subtree; such an actor has no part in the pool.
  if (scopeRootOf(actor) !== null) {
    throw new Forbidden(
      'forbidden',
      'The evaluator pool belongs to the whole installation, not to one unit.',
    );
  }
}

// --- units, read through the registry ---------------------------------------------------------------

export interface UnitIndex {
  parents: Map<string, string | null>;
  names: Map<string, string>;
  /** Code or unique name → unit id. */
  lookup: Map<string, string>;
}

/** Today in China, the day the registry's tree is read for (regions, conflicts, subject units). */
export function today(deps: Deps): string {
  return chinaDate(deps.clock.now());
}

/** The registry's tree on a day (through the tree module): parents, names, and a code/name lookup. */
export async function unitIndex(db: Executor, day: string): Promise<UnitIndex> {
  const tree = await treeOn(db, day);
  const units = tree.all();
  const names = new Map(units.map((u) => [u.unitId, u.name]));
  const lookup = new Map<string, string>();
  const nameCount = new Map<string, number>();
  const inForce = tree.inForce();
  for (const u of inForce) nameCount.set(u.name, (nameCount.get(u.name) ?? 0) + 1);
  for (const u of inForce) if (nameCount.get(u.name) === 1) lookup.set(u.name, u.unitId);
  for (const u of inForce) lookup.set(u.code, u.unitId);
  return { parents: new Map(tree.parents), names, lookup };
}

/** The unit and its ancestors, nearest first. */
export function pathOf(index: UnitIndex, unitId: string): string[] {
  return ancestry(index.parents, unitId);
}

function assertUnits(index: UnitIndex, ids: readonly string[], field: string): void {
  for (const id of ids) {
    if (!index.parents.has(id)) {
      throw new Invalid('unknown_unit', `${field}: no unit with id ${id} in the registry.`, {
        field,
        unitId: id,
      });
    }
  }
}

// --- presenters ------------------------------------------------------------------------------------

function presentEvaluator(row: EvaluatorsTable, index: UnitIndex, unmasked: boolean): EvaluatorView {
  const conflicts = JSON.parse(row.conflicts) as string[];
  return {
    id: row.id,
    name: row.name,
    mobile: unmasked ? row.mobile : maskMobile(row.mobile),
    mobileMasked: !unmasked,
    groups: JSON.parse(row.groups) as string[],
    regionId: row.regionId,
    regionName: row.regionId ? (index.names.get(row.regionId) ?? null) : null,
    grassroots: row.grassroots === 1,
    tags: JSON.parse(row.tags) as string[],
    conflicts: conflicts.map((id) => ({ id, name: index.names.get(id) ?? id })),
    active: row.active === 1,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The audit's view of an evaluator: the mobile number masked, so the log does not spread it. */
function auditView(row: EvaluatorsTable) {
  return { ...row, mobile: maskMobile(row.mobile) };
}

// --- groups ----------------------------------------------------------------------------------------

/** The office's groups with their active members. */
export async function listGroups(deps: Deps, actor: Actor): Promise<GroupView[]> {
  requirePanel(actor, 'panel:read');
  const db = deps.database.db;
  const [groups, evaluators] = await Promise.all([store.listGroups(db), store.listEvaluators(db)]);
  const members = new Map<string, number>();
  for (const e of evaluators) {
    if (e.active !== 1) continue;
    for (const g of JSON.parse(e.groups) as string[]) members.set(g, (members.get(g) ?? 0) + 1);
  }
  return groups.map((g) => presentGroup(g, members.get(g.code) ?? 0));
}

function presentGroup(g: PanelGroupsTable, members: number): GroupView {
  return { id: g.id, code: g.code, name: g.name, sortOrder: g.sortOrder, members };
}

export interface GroupInput {
  code: string;
  name: string;
  sortOrder?: number | undefined;
}

/** Defines a group (Tai'an has 26: deputies, CPPCC members, officials, experts, residents, teachers, …). */
export async function createGroup(deps: Deps, actor: Actor, input: GroupInput): Promise<GroupView> {
  requirePanel(actor, 'panel:manage');
  const code = input.code.normalize('NFKC').trim();
  const name = input.name.trim();
  if (!isValidCode(code)) {
    throw new Invalid('invalid_code', 'A group code has 1–40 letters, digits, ".", "_" or "-".', {
      field: 'code',
    });
  }
  if (!name) throw new Invalid('invalid_name', 'Give the group a name.', { field: 'name' });
  return inTransaction(deps, actor, async (trx, audit) => {
    if (await store.groupByCode(trx, code)) {
      throw new Conflict('duplicate_code', `A group with code ${code} exists already.`, {
        field: 'code',
        code,
      });
    }
    const groups = await store.listGroups(trx);
    if (groups.some((g) => g.name === name)) {
      throw new Conflict('duplicate_name', `A group named ${name} exists already.`, { field: 'name' });
    }
    const row: PanelGroupsTable = {
      id: newId(),
      code,
      name,
      sortOrder: input.sortOrder ?? groups.length + 1,
      createdAt: isoNow(deps.clock),
    };
    await store.insertGroup(trx, row);
    await audit({
      action: 'panel.group.create',
      entityType: 'panel_group',
      entityId: row.id,
      before: null,
      after: row,
    });
    return presentGroup(row, 0);
  });
}

/** Renames or reorders a group (its code stays: evaluators and draws name groups by code). */
export async function updateGroup(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { name?: string | undefined; sortOrder?: number | undefined },
): Promise<GroupView> {
  requirePanel(actor, 'panel:manage');
  return inTransaction(deps, actor, async (trx, audit) => {
    const before = await store.groupById(trx, id);
    if (!before) throw new NotFound('group', id);
    const name = input.name?.trim() ?? before.name;
    if (!name) throw new Invalid('invalid_name', 'Give the group a name.', { field: 'name' });
    const after = { ...before, name, sortOrder: input.sortOrder ?? before.sortOrder };
    await store.updateGroup(trx, id, { name: after.name, sortOrder: after.sortOrder });
    await audit({ action: 'panel.group.update', entityType: 'panel_group', entityId: id, before, after });
    return presentGroup(after, 0);
  });
}

// --- evaluators ------------------------------------------------------------------------------------

export interface EvaluatorQuery {
  q?: string | undefined;
  group?: string | undefined;
  regionId?: string | undefined;
  tag?: string | undefined;
  grassroots?: boolean | undefined;
  active?: boolean | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
  unmasked?: boolean | undefined;
}

/**
 * A page of the pool, filtered. With `unmasked` (pool keepers only) the page's mobile numbers are shown
 * and the read is audited with the ids shown.
 */
export async function listEvaluators(
  deps: Deps,
  actor: Actor,
  query: EvaluatorQuery = {},
): Promise<EvaluatorPage> {
  requirePanel(actor, query.unmasked ? 'panel:mobile' : 'panel:read');
  const db = deps.database.db;
  const [rows, index] = await Promise.all([store.listEvaluators(db), unitIndex(db, today(deps))]);
  const q = query.q?.trim();
  const qMobile = q ? normalizeMobile(q) : '';
  const matches = rows.filter((r) => {
    if (query.active !== undefined && (r.active === 1) !== query.active) return false;
    if (query.grassroots !== undefined && (r.grassroots === 1) !== query.grassroots) return false;
    if (query.group && !(JSON.parse(r.groups) as string[]).includes(query.group)) return false;
    if (query.tag && !(JSON.parse(r.tags) as string[]).includes(query.tag)) return false;
    if (query.regionId && !(r.regionId && pathOf(index, r.regionId).includes(query.regionId))) return false;
    if (q && !r.name.includes(q) && !(qMobile.length >= 4 && r.mobile.endsWith(qMobile))) return false;
    return true;
  });
  matches.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
  const offset = query.offset ?? 0;
  const limit = Math.min(query.limit ?? 50, 500);
  const page = matches.slice(offset, offset + limit);
  if (query.unmasked && page.length)
    await auditUnmasked(
      deps,
      actor,
      page.map((r) => r.id),
      'list',
    );
  return {
    total: matches.length,
    items: page.map((r) => presentEvaluator(r, index, query.unmasked === true)),
  };
}

/** Writes that someone read these evaluators' mobile numbers unmasked. */
export async function auditUnmasked(
  deps: Deps,
  actor: Actor,
  ids: readonly string[],
  via: string,
): Promise<void> {
  await inTransaction(deps, actor, async (_trx, audit) => {
    await audit({
      action: 'panel.mobile.read',
      entityType: 'evaluator',
      entityId: ids.length === 1 ? (ids[0] ?? '') : `${ids[0] ?? ''} (+${ids.length - 1})`,
      before: null,
      after: null,
      detail: { via, evaluatorIds: ids },
    });
  });
}

/** One evaluator; unmasked only for a pool keeper who asks, and then audited. */
export async function getEvaluator(
  deps: Deps,
  actor: Actor,
  id: string,
  unmasked = false,
): Promise<EvaluatorView> {
  requirePanel(actor, unmasked ? 'panel:mobile' : 'panel:read');
  const db = deps.database.db;
  const row = await store.evaluatorById(db, id);
  if (!row) throw new NotFound('evaluator', id);
  if (unmasked) await auditUnmasked(deps, actor, [id], 'detail');
  return presentEvaluator(row, await unitIndex(db, today(deps)), unmasked);
}

export interface EvaluatorInput {
  name: string;
  mobile: string;
  groups: string[];
  regionId: string | null;
  grassroots: boolean;
  tags: string[];
  conflicts: string[];
}

async function checkedValues(db: Executor, input: EvaluatorInput, index: UnitIndex) {
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (!name) throw new Invalid('invalid_name', 'Give the evaluator’s name.', { field: 'name' });
  const mobile = normalizeMobile(input.mobile);
  if (!isMobile(mobile)) {
    throw new Invalid('invalid_mobile', 'A mobile number has 11 digits and starts with 13–19.', {
      field: 'mobile',
    });
  }
  const groups = normalizeLabels(input.groups);
  if (!groups.length)
    throw new Invalid('no_group', 'Put the evaluator in at least one group.', { field: 'groups' });
  const known = new Set((await store.listGroups(db)).map((g) => g.code));
  for (const g of groups) {
    if (!known.has(g))
      throw new Invalid('unknown_group', `There is no group ${g}.`, { field: 'groups', group: g });
  }
  if (input.regionId !== null) assertUnits(index, [input.regionId], 'regionId');
  const conflicts = [...new Set(input.conflicts)];
  assertUnits(index, conflicts, 'conflicts');
  return { name, mobile, groups, tags: normalizeLabels(input.tags), conflicts };
}

async function refuseDuplicateMobile(db: Executor, mobile: string, exceptId: string | null): Promise<void> {
  const other = await store.evaluatorByMobile(db, mobile);
  if (other && other.id !== exceptId) {
    throw new Conflict(
      'duplicate_mobile',
      `Mobile number ${maskMobile(mobile)} is already in the pool (${other.name}).`,
      {
        field: 'mobile',
        evaluatorId: other.id,
      },
    );
  }
}

/** Adds an evaluator; a mobile number already in the pool is refused. */
export async function createEvaluator(
  deps: Deps,
  actor: Actor,
  input: EvaluatorInput,
  outer?: Parameters<typeof inTransaction>[3],
): Promise<EvaluatorView> {
  requirePanel(actor, 'panel:manage');
  return inTransaction(
    deps,
    actor,
    async (trx, audit) => {
      const index = await unitIndex(trx, today(deps));
      const v = await checkedValues(trx, input, index);
      await refuseDuplicateMobile(trx, v.mobile, null);
      const now = isoNow(deps.clock);
      const row: EvaluatorsTable = {
        id: newId(),
        name: v.name,
        mobile: v.mobile,
        groups: JSON.stringify(v.groups),
        regionId: input.regionId,
        grassroots: input.grassroots ? 1 : 0,
        tags: JSON.stringify(v.tags),
        conflicts: JSON.stringify(v.conflicts),
        active: 1,
        createdAt: now,
        updatedAt: now,
      };
      await store.insertEvaluators(trx, [row]);
      await audit({
        action: 'panel.evaluator.create',
        entityType: 'evaluator',
        entityId: row.id,
        before: null,
        after: auditView(row),
      });
      return presentEvaluator(row, index, false);
    },
    outer,
  );
}

/** Edits an evaluator (all fields); the mobile number must stay unique. */
export async function updateEvaluator(
  deps: Deps,
  actor: Actor,
  id: string,
  input: EvaluatorInput,
  outer?: Parameters<typeof inTransaction>[3],
): Promise<EvaluatorView> {
  requirePanel(actor, 'panel:manage');
  return inTransaction(
    deps,
    actor,
    async (trx, audit) => {
      const before = await store.evaluatorById(trx, id);
      if (!before) throw new NotFound('evaluator', id);
      const index = await unitIndex(trx, today(deps));
      const v = await checkedValues(trx, input, index);
      await refuseDuplicateMobile(trx, v.mobile, id);
      const after: EvaluatorsTable = {
        ...before,
        name: v.name,
        mobile: v.mobile,
        groups: JSON.stringify(v.groups),
        regionId: input.regionId,
        grassroots: input.grassroots ? 1 : 0,
        tags: JSON.stringify(v.tags),
        conflicts: JSON.stringify(v.conflicts),
        active: 1,
        updatedAt: isoNow(deps.clock),
      };
      await store.updateEvaluator(trx, id, after);
      await audit({
        action: 'panel.evaluator.update',
        entityType: 'evaluator',
        entityId: id,
        before: auditView(before),
        after: auditView(after),
      });
      return presentEvaluator(after, index, false);
    },
    outer,
  );
}

/** Deactivates (or reactivates) an evaluator: never deleted, so that past draws still verify. */
export async function setEvaluatorActive(
  deps: Deps,
  actor: Actor,
  id: string,
  active: boolean,
): Promise<EvaluatorView> {
  requirePanel(actor, 'panel:manage');
  return inTransaction(deps, actor, async (trx, audit) => {
    const before = await store.evaluatorById(trx, id);
    if (!before) throw new NotFound('evaluator', id);
    const after = { ...before, active: active ? 1 : 0, updatedAt: isoNow(deps.clock) };
    await store.updateEvaluator(trx, id, { active: after.active, updatedAt: after.updatedAt });
    await audit({
      action: active ? 'panel.evaluator.activate' : 'panel.evaluator.deactivate',
      entityType: 'evaluator',
      entityId: id,
      before: auditView(before),
      after: auditView(after),
    });
    return presentEvaluator(after, await unitIndex(trx, today(deps)), false);
  });
}

// --- composition -----------------------------------------------------------------------------------

const TARGET_KEY = 'panel.grassrootsTarget';
/** Tai'an's practice: at least 80% of the pool from the grassroots. */
export const DEFAULT_GRASSROOTS_TARGET = 80;

/** The active pool's counts by group, region and tag, and the grassroots share against the target. */
export async function poolComposition(deps: Deps, actor: Actor): Promise<PoolComposition> {
  requirePanel(actor, 'panel:read');
  const db = deps.database.db;
  const [rows, groups, index, target] = await Promise.all([
    store.listEvaluators(db),
    store.listGroups(db),
    unitIndex(db, today(deps)),
    getSetting(db, TARGET_KEY),
  ]);
  return composition(
    rows.map((r) => ({
      groups: JSON.parse(r.groups) as string[],
      regionId: r.regionId,
      grassroots: r.grassroots === 1,
      tags: JSON.parse(r.tags) as string[],
      active: r.active === 1,
    })),
    target === undefined ? DEFAULT_GRASSROOTS_TARGET : Number(target),
    index.names,
    new Map(groups.map((g) => [g.code, g.name])),
  );
}

/** Sets the grassroots share (percent, 0–100) the office aims at. */
export async function setGrassrootsTarget(
  deps: Deps,
  actor: Actor,
  percent: number,
): Promise<PoolComposition> {
  requirePanel(actor, 'panel:manage');
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new Invalid('invalid_target', 'The grassroots target is a percentage from 0 to 100.', {
      field: 'percent',
    });
  }
  await inTransaction(deps, actor, async (trx, audit: Audit) => {
    const before = await getSetting(trx, TARGET_KEY);
    await putSetting(trx, TARGET_KEY, String(percent));
    await audit({
      action: 'panel.target.set',
      entityType: 'setting',
      entityId: TARGET_KEY,
      before: before === undefined ? null : { percent: Number(before) },
      after: { percent },
    });
  });
  return poolComposition(deps, actor);
}
