/*
 * What the cases area hands to the areas below it at start-up (they never import cases): a counted bad
 * review opens its case inside the ingest's transaction.
 */
import { onBadRatingCounted } from '../ratings/hooks.js';
import { openCaseForRating } from './service.js';

/** Registers the cases area's steps with the ratings ingest (idempotent). */
export function registerCaseSteps(): void {
  onBadRatingCounted(openCaseForRating);
}
