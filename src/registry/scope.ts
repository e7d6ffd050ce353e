/*
 * The scope policy: what part of the registry an account may see and touch. Unit staff and unit tokens are
 * confined to the subtree of their unit; everyone else (office, leaders, supervisors, the system) is not.
 * Whether a unit lies in that subtree is decided on the tree of the day that matters (today for access and
 * queues, see tree.ts); registry editing decides on its editing tree. This module is the only place that
 * refuses with 403 `outside_scope`.
 */
import { unitScopeOf, type Actor } from '../core/auth/model.js';
import type { Executor } from '../core/db/database.js';
import { Forbidden, NotFound, type ErrorParams } from '../core/errors.js';
import { chainOn, treeOn, type UnitTree } from './tree.js';

const OUTSIDE = 'This unit is outside the part of the registry your account manages.';

function outsideScope(details: ErrorParams, message = OUTSIDE): Forbidden {
  return new Forbidden('outside_scope', message, details);
}

/** The unit whose subtree the actor is confined to, or null when it may act anywhere. */
export function scopeRootOf(actor: Actor | null): string | null {
  return actor === null ? null : unitScopeOf(actor);
}

/** Whether the actor may act on a unit whose ancestry (unit first) is given. */
export function mayReach(actor: Actor | null, ancestry: readonly string[]): boolean {
  const root = scopeRootOf(actor);
  return root === null || ancestry.includes(root);
}

/**
 * Refuses (403 `outside_scope`) an actor confined to a subtree that does not hold a unit, given the unit's
 * ancestry as the caller already holds it (unit first). `details` go to the client (default: the unit id).
 */
export function assertAncestryInScope(
  actor: Actor | null,
  unitId: string,
  ancestry: readonly string[],
  details: ErrorParams = { unitId },
): void {
  if (!mayReach(actor, ancestry)) throw outsideScope(details);
}

/** Refuses an actor confined to a subtree that does not hold the unit on the tree's day. */
export function assertInTree(tree: UnitTree, actor: Actor | null, unitId: string): void {
  assertAncestryInScope(actor, unitId, tree.ancestry(unitId));
}

/** Refuses an actor confined to a subtree that does not hold the unit on the day (one query). */
export async function assertInScope(
  db: Executor,
  actor: Actor | null,
  unitId: string,
  day: string,
): Promise<void> {
  if (scopeRootOf(actor) === null) return;
  const chain = await chainOn(db, unitId, day);
  assertAncestryInScope(
    actor,
    unitId,
    chain.map((u) => u.unitId),
  );
}

/**
 * Refuses an actor confined to a subtree that holds none of the units on the day (a case is reachable from
 * its rated unit and from its responsible unit). `details` go to the client.
 */
export async function assertAnyInScope(
  db: Executor,
  actor: Actor | null,
  unitIds: readonly string[],
  day: string,
  details: ErrorParams,
  message?: string,
): Promise<void> {
  const root = scopeRootOf(actor);
  if (root === null) return;
  for (const unitId of unitIds) {
    if ((await chainOn(db, unitId, day)).some((u) => u.unitId === root)) return;
  }
  throw outsideScope(details, message);
}

/** Refuses when the actor's subtree (given as a set, null for all) does not hold the unit. */
export function assertInVisible(visible: ReadonlySet<string> | null, unitId: string, message?: string): void {
  if (visible !== null && !visible.has(unitId)) throw outsideScope({ unitId }, message);
}

/** The units the actor may see on the tree's day: its subtree, or null for every unit. */
export function visibleIn(tree: UnitTree, actor: Actor | null): Set<string> | null {
  const root = scopeRootOf(actor);
  return root === null ? null : tree.subtree(root);
}

/** The units the actor may see on the day: its subtree, or null for every unit. */
export async function visibleUnits(
  db: Executor,
  actor: Actor | null,
  day: string,
): Promise<Set<string> | null> {
  if (scopeRootOf(actor) === null) return null;
  return visibleIn(await treeOn(db, day), actor);
}

/**
 * The units a listing shows, narrowed to a chosen unit's subtree when one is asked for (404 for a unit not
 * on the tree, 403 for one outside the actor's subtree); null means every unit.
 */
export function narrowedVisible(
  tree: UnitTree,
  actor: Actor | null,
  unitId: string | undefined,
): Set<string> | null {
  if (unitId === undefined) return visibleIn(tree, actor);
  if (tree.unit(unitId) === undefined) throw new NotFound('unit', unitId);
  assertInTree(tree, actor, unitId);
  return tree.subtree(unitId);
}

// --- registry editing ------------------------------------------------------------------------

/** Refuses a confined actor placing a unit at the root, or under a unit outside its subtree (editing tree). */
export function assertMayPlaceUnder(
  tree: UnitTree,
  actor: Actor | null,
  parentId: string | null,
  verb: 'add' | 'place',
): void {
  if (parentId !== null) return assertInTree(tree, actor, parentId);
  if (scopeRootOf(actor) !== null) {
    throw outsideScope({}, `Your account can only ${verb} units under the unit it manages.`);
  }
}

/** Refuses a confined actor moving or closing the very unit its account manages. */
export function assertNotOwnRoot(actor: Actor | null, unitId: string, verb: 'move' | 'close'): void {
  if (scopeRootOf(actor) === unitId) {
    throw outsideScope({}, `Your account cannot ${verb} the unit it manages; ask the assessment office.`);
  }
}
