/*
 * The trees read in a transaction (tree.ts reads the registry once per transaction and day); the registry
 * store forgets them when it writes a unit or a version in that transaction.
 */
import type { Executor } from '../core/db/database.js';

export const treesRead = new WeakMap<Executor, Map<string, Promise<unknown>>>();

/** Forgets the trees read in a transaction (after a registry write in it). */
export function forgetTrees(db: Executor): void {
  treesRead.delete(db);
}
