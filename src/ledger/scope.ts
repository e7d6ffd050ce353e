import { hasPermission, type Actor, type Permission } from '../core/auth/model.js';
import type { Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import { Forbidden, NotFound } from '../core/errors.js';
import { chinaDate } from '../core/time.js';
import type { ParentMap } from '../registry/model.js';
import { assertInTree, assertInVisible, narrowedVisible, visibleIn } from '../registry/scope.js';
import { treeOn, type UnitTree } from '../registry/tree.js';

/*
 * Access for the ledger and the 办不成事 window, on the registry's one tree (tree.ts, as it stands today)
 * and its one scope policy (scope.ts, the only place that refuses with `outside_scope`). Permissions:
 * ledger:handle to read within one's subtree and work one's own items, ledger:manage for the office.
 */

export interface Tree {
  tree: UnitTree;
  parents: ParentMap;
  names: Map<string, string>;
  codes: Map<string, string>;
}

/** The unit tree as it stands today, with names and codes by id. */
export async function loadTree(db: Executor, deps: Pick<Deps, 'clock'>): Promise<Tree> {
  const tree = await treeOn(db, chinaDate(deps.clock.now()));
  const all = tree.all();
  return {
    tree,
    parents: tree.parents,
    names: new Map(all.map((u) => [u.unitId, u.name])),
    codes: new Map(all.map((u) => [u.unitId, u.code])),
  };
}

/** Refuses an actor without the permission (403 forbidden). */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!hasPermission(actor, permission)) throw new Forbidden();
}

/**
 * The units to read for a request: the asked unit's subtree (or everything), cut to what the actor may see.
 * Refuses a unit that does not exist (404) or lies outside the actor's subtree (403 outside_scope).
 */
export function unitsForRequest(actor: Actor, tree: Tree, unitId: string | undefined): string[] | null {
  const units = narrowedVisible(tree.tree, actor, unitId);
  return units === null ? null : [...units];
}

/** Refuses a unit that does not exist (404) or that lies outside the actor's subtree (403 outside_scope). */
export function assertUnitInScope(actor: Actor, tree: Tree, unitId: string): void {
  if (tree.tree.unit(unitId) === undefined) throw new NotFound('unit', unitId);
  assertInTree(tree.tree, actor, unitId);
}

/** Refuses (403 outside_scope) when none of the units lies in the actor's subtree. */
export function assertAnyUnitInScope(actor: Actor, tree: Tree, unitIds: readonly string[]): void {
  const visible = visibleIn(tree.tree, actor);
  if (visible === null || unitIds.some((u) => visible.has(u))) return;
  assertInVisible(visible, unitIds[0] ?? '');
}

/** Refuses an actor who may not manage (the office's work: topics, problems, reviews, inspections). */
export function requireOffice(actor: Actor, what: string): void {
  if (!hasPermission(actor, 'ledger:manage')) {
    throw new Forbidden('office_only', `Only the assessment office may ${what}.`);
  }
}
