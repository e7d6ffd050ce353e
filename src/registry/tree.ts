/*
 * The unit tree on a day: the one place every area asks which units exist, who is whose parent, what a
 * subtree holds and what a unit is called. The rule (docs/registry.md, "The tree on a day"):
 *
 * - On day D a unit stands where its version in force on D puts it. A unit closed before D keeps the place
 *   and name of its last version (its cases and history stay reachable) but is not in force.
 * - A version starting after D does not exist on D: a move scheduled for next month changes nothing today.
 *   Only registry editing looks at scheduled versions (`editingTree`).
 * - Access and queues use today's tree; statistics and scoring use the tree on the period's dates.
 *
 * `treeOn` reads the registry once (cached for the rest of a transaction); `chainOn` and
 * `ancestryInForce` answer for one unit with one recursive query, for hot paths.
 */
import type { Executor } from '../core/db/database.js';
import { ancestry as ancestryIn, subtreeOf, type ParentMap } from './model.js';
import * as store from './store.js';
import { treesRead } from './tree-cache.js';

/** A unit as it stands on the tree's day. */
export interface TreeUnit {
  unitId: string;
  code: string;
  name: string;
  shortName: string;
  kind: string;
  parentId: string | null;
  categoryId: string | null;
  sortOrder: number;
  responsibleName: string;
  responsiblePhone: string;
  validFrom: string;
  validTo: string | null;
  /** False for a unit that closed before the day (it keeps its last place and name). */
  inForce: boolean;
}

/** The registry's tree as it stands on one day. */
export interface UnitTree {
  readonly day: string;
  /** Parent of every unit on the tree (closed units included), for the registry's pure rules. */
  readonly parents: ParentMap;
  /** Units in force on the day, in registry order (sort order, then code). */
  inForce(): TreeUnit[];
  /** Units in force plus those closed before the day, in registry order. */
  all(): TreeUnit[];
  /** The unit as it stands on the day (closed units too); undefined when it did not exist yet. */
  unit(unitId: string): TreeUnit | undefined;
  /** Whether the unit is in force on the day. */
  isInForce(unitId: string): boolean;
  /** The unit's parent, null for a root, undefined for a unit not on the tree. */
  parent(unitId: string): string | null | undefined;
  /** The unit and its ancestors, nearest first; empty for a unit not on the tree. */
  ancestry(unitId: string): string[];
  /** The unit and every unit below it (closed units included); just the unit when it is not on the tree. */
  subtree(unitId: string): Set<string>;
  /** The unit's name on the day (a closed unit's last name); undefined for a unit not on the tree. */
  name(unitId: string): string | undefined;
}

function toTreeUnit(v: store.UnitVersionRow, day: string): TreeUnit {
  return {
    unitId: v.unitId,
    code: v.code,
    name: v.name,
    shortName: v.shortName,
    kind: v.kind,
    parentId: v.parentId,
    categoryId: v.categoryId,
    sortOrder: v.sortOrder,
    responsibleName: v.responsibleName.trim(),
    responsiblePhone: v.responsiblePhone.trim(),
    validFrom: v.validFrom,
    validTo: v.validTo,
    inForce: v.validFrom <= day && (v.validTo === null || v.validTo > day),
  };
}

/**
 * Of versions started by the day (any order), the one that applies per unit: the latest started, which is
 * either in force or the last before the unit closed. Keeps the order in which units first appear.
 */
function placeOnDay(versions: readonly store.UnitVersionRow[], day: string): Map<string, TreeUnit> {
  const out = new Map<string, TreeUnit>();
  for (const v of versions) {
    if (v.validFrom > day) continue;
    const seen = out.get(v.unitId);
    if (!seen || seen.validFrom < v.validFrom) out.set(v.unitId, toTreeUnit(v, day));
  }
  return out;
}

/** Builds the tree of a day from the versions that apply on it. */
function buildTree(day: string, units: ReadonlyMap<string, TreeUnit>): UnitTree {
  const parents: ParentMap = new Map([...units.values()].map((u) => [u.unitId, u.parentId]));
  const list = [...units.values()];
  return {
    day,
    parents,
    inForce: () => list.filter((u) => u.inForce),
    all: () => [...list],
    unit: (unitId) => units.get(unitId),
    isInForce: (unitId) => units.get(unitId)?.inForce ?? false,
    parent: (unitId) => parents.get(unitId),
    ancestry: (unitId) => (units.has(unitId) ? ancestryIn(parents, unitId) : []),
    subtree: (unitId) => subtreeOf(parents, unitId),
    name: (unitId) => units.get(unitId)?.name,
  };
}

/** The tree as it stands on a day (see the rule above). Read once per transaction. */
export function treeOn(db: Executor, day: string): Promise<UnitTree> {
  if (!db.isTransaction) return readTree(db, day);
  let byDay = treesRead.get(db);
  if (!byDay) treesRead.set(db, (byDay = new Map<string, Promise<unknown>>()));
  const known = byDay.get(day) as Promise<UnitTree> | undefined;
  if (known) return known;
  const tree = readTree(db, day);
  byDay.set(day, tree);
  return tree;
}

async function readTree(db: Executor, day: string): Promise<UnitTree> {
  return buildTree(day, placeOnDay(await store.versionsStartedBy(db, day), day));
}

/**
 * The unit and its ancestors as they stand on a day, nearest first (closed units keep their last place), in
 * one recursive query. Empty for a unit that did not exist yet on the day.
 */
export async function chainOn(db: Executor, unitId: string, day: string): Promise<TreeUnit[]> {
  const units = placeOnDay(await store.ancestorVersionsStartedBy(db, unitId, day), day);
  const chain: TreeUnit[] = [];
  const seen = new Set<string>();
  let current: string | null = unitId;
  while (current !== null && !seen.has(current)) {
    seen.add(current);
    const unit = units.get(current);
    if (!unit) break;
    chain.push(unit);
    current = unit.parentId;
  }
  return chain;
}

/**
 * The ids of the unit and its ancestors on a day, nearest first, when the unit is in force on that day;
 * empty otherwise (a rating or a transaction can only be recorded at a unit in force). One query.
 */
export function ancestryInForce(db: Executor, unitId: string, day: string): Promise<string[]> {
  return store.ancestryInForce(db, unitId, day);
}

/**
 * The names of the given units on a day (a closed unit's last name), by id; units that did not exist yet
 * are absent. Reads only these units' versions.
 */
export async function namesOn(
  db: Executor,
  unitIds: readonly string[],
  day: string,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [id, unit] of placeOnDay(await store.versionsOfUnits(db, unitIds, day), day)) {
    out.set(id, unit.name);
  }
  return out;
}

/** The given units that are in force on a day, by id (units not in force are absent). */
export async function unitsInForceOn(
  db: Executor,
  unitIds: readonly string[],
  day: string,
): Promise<Map<string, TreeUnit>> {
  const out = new Map<string, TreeUnit>();
  for (const [id, unit] of placeOnDay(await store.versionsOfUnits(db, unitIds, day), day)) {
    if (unit.inForce) out.set(id, unit);
  }
  return out;
}

/** The unit with this code as it stands on a day when it is in force then, else undefined. */
export async function unitInForceByCode(
  db: Executor,
  code: string,
  day: string,
): Promise<TreeUnit | undefined> {
  const v = await store.versionByCodeOn(db, code, day);
  return v ? toTreeUnit(v, day) : undefined;
}

/** The unit with this code as it stands on a day (a closed unit as it closed), else undefined. */
export async function unitByCodeOn(db: Executor, code: string, day: string): Promise<TreeUnit | undefined> {
  const unitId = await store.unitIdByCode(db, code);
  if (unitId === undefined) return undefined;
  return placeOnDay(await store.versionsOfUnits(db, [unitId], day), day).get(unitId);
}

/** Whether any unit in force on the day lies under the unit (a hall with windows, not a window itself). */
export function hasChildrenOn(db: Executor, unitId: string, day: string): Promise<boolean> {
  return store.hasChildrenOn(db, unitId, day);
}

/** A unit in force on a day with its category's code (for ranking groups). */
export type UnitWithCategory = TreeUnit & { categoryCode: string | null };

/** Every unit in force on a day, in registry order, with its category's code. */
export async function unitsWithCategoryOn(db: Executor, day: string): Promise<UnitWithCategory[]> {
  const [tree, categories] = await Promise.all([treeOn(db, day), store.listCategories(db)]);
  const codeOf = new Map(categories.map((c) => [c.id, c.code]));
  return tree.inForce().map((u) => ({
    ...u,
    categoryCode: u.categoryId === null ? null : (codeOf.get(u.categoryId) ?? null),
  }));
}

/**
 * The registry's editing view: every unit at its latest version, scheduled versions included. Only
 * registry editing (placing, moving, closing units; the import) uses it; everything else uses `treeOn`.
 */
export async function editingTree(db: Executor): Promise<UnitTree> {
  const latest = await store.latestVersions(db);
  return buildTree('9999-12-31', new Map(latest.map((v) => [v.unitId, toTreeUnit(v, '9999-12-31')])));
}
