import { hasPermission, unitScopeOf, type Actor, type Permission } from '../core/auth/model.js';
import type { Executor } from '../core/db/database.js';
import { Forbidden, NotFound } from '../core/errors.js';
import { ancestry, subtreeOf, type ParentMap } from '../registry/model.js';
import * as registryStore from '../registry/store.js';

/*
 * Who may see and touch what in the ledger and the 办不成事 window: the one place these areas refuse with
 * `outside_scope`. The unit tree is read through the registry store as it stands now (latest versions).
 * When the registry's shared tree module and scope policy land, this file is the one to switch over.
 */

export interface Tree {
  parents: ParentMap;
  names: Map<string, string>;
  codes: Map<string, string>;
}

/** The unit tree as it stands now (latest version of every unit). */
export async function loadTree(db: Executor): Promise<Tree> {
  const versions = await registryStore.latestVersions(db);
  return {
    parents: new Map(versions.map((v) => [v.unitId, v.parentId])),
    names: new Map(versions.map((v) => [v.unitId, v.name])),
    codes: new Map(versions.map((v) => [v.unitId, v.code])),
  };
}

/** Refuses an actor without the permission (403 forbidden). */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!hasPermission(actor, permission)) throw new Forbidden();
}

/** The units an actor may see: null for everywhere, or its subtree. */
export function visibleUnits(actor: Actor, tree: Tree): Set<string> | null {
  const root = unitScopeOf(actor);
  return root === null ? null : subtreeOf(tree.parents, root);
}

/**
 * The units to read for a request: the asked unit's subtree (or everything), cut to what the actor may see.
 * Refuses a unit that does not exist (404) or lies outside the actor's subtree (403 outside_scope).
 */
export function unitsForRequest(actor: Actor, tree: Tree, unitId: string | undefined): string[] | null {
  if (unitId === undefined) {
    const visible = visibleUnits(actor, tree);
    return visible === null ? null : [...visible];
  }
  assertUnitInScope(actor, tree, unitId);
  return [...subtreeOf(tree.parents, unitId)];
}

/** Refuses a unit that does not exist (404) or that lies outside the actor's subtree (403 outside_scope). */
export function assertUnitInScope(actor: Actor, tree: Tree, unitId: string): void {
  if (!tree.parents.has(unitId)) throw new NotFound('unit', unitId);
  const root = unitScopeOf(actor);
  if (root !== null && !ancestry(tree.parents, unitId).includes(root)) {
    throw new Forbidden(
      'outside_scope',
      'This unit is outside the part of the registry your account manages.',
      {
        unitId,
      },
    );
  }
}

/** Refuses an actor who may not manage (the office's work: topics, problems, reviews, inspections). */
export function requireOffice(actor: Actor, what: string): void {
  if (!hasPermission(actor, 'ledger:manage')) {
    throw new Forbidden('office_only', `Only the assessment office may ${what}.`);
  }
}
