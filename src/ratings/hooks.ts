/*
 * Steps other areas hand to the ratings ingest at start-up. Ratings never import the areas above them
 * (docs/architecture.md); when a rating must set off work there in the same transaction — a counted bad
 * review opens a case — that area registers the step here and the ingest runs it inside its transaction.
 */
import type { Transaction } from 'kysely';
import type { Deps } from '../core/context.js';
import type { DB, RatingsTable } from '../core/db/schema.js';

/** A step run for each counted bad review (★1–2, not a default rating), inside the ingest's transaction. */
export type BadRatingStep = (trx: Transaction<DB>, deps: Deps, rating: RatingsTable) => Promise<void>;

const steps: BadRatingStep[] = [];

/** Registers a step for every counted bad review (once; registering the same step again does nothing). */
export function onBadRatingCounted(step: BadRatingStep): void {
  if (!steps.includes(step)) steps.push(step);
}

/** Runs the registered steps for a counted bad review, in registration order, inside the transaction. */
export async function badRatingCounted(
  trx: Transaction<DB>,
  deps: Deps,
  rating: RatingsTable,
): Promise<void> {
  // Every counted bad review must open its case: an entry point that forgot the wiring fails loudly
  // (and its transaction rolls back) rather than lose the closed loop silently.
  if (steps.length === 0)
    throw new Error('No bad-review step is registered: call registerAreaSteps() at start-up.');
  for (const step of steps) await step(trx, deps, rating);
}
