/*
 * What the areas above the registry hand to it at start-up (the registry never imports them,
 * docs/architecture.md). Scoring answers which published results a change dated back to a day would
 * touch, so that the registry can refuse such a change unless the office confirms it.
 */
import type { Executor } from '../core/db/database.js';

/** A published result whose period ends on or after a given day. */
export interface PublishedResultRef {
  runId: string;
  periodId: string;
  periodName: string;
  periodEnd: string;
}

/**
 * Lists the published results whose period ends on or after `from` (a YYYY-MM-DD day) and that rank one
 * of `unitIds` (the changed unit, its ancestors, its children).
 */
export type PublishedResultsLookup = (
  db: Executor,
  from: string,
  unitIds: readonly string[],
) => Promise<PublishedResultRef[]>;

const lookups: PublishedResultsLookup[] = [];

/** Registers a lookup of published results (once; registering the same lookup again does nothing). */
export function onPublishedResultsLookup(lookup: PublishedResultsLookup): void {
  if (!lookups.includes(lookup)) lookups.push(lookup);
}

/** The published results that a registry change in force from `from` would make differ on verify. */
export async function publishedResultsFrom(
  db: Executor,
  from: string,
  unitIds: readonly string[],
): Promise<PublishedResultRef[]> {
  const found: PublishedResultRef[] = [];
  for (const lookup of lookups) found.push(...(await lookup(db, from, unitIds)));
  return found;
}
