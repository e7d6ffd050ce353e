/*
 * What the scoring area hands to the areas below it at start-up (they never import scoring): the
 * registry asks which published results a back-dated change would touch.
 */
import { onPublishedResultsLookup } from '../registry/hooks.js';
import { publishedRunsEndingFrom } from './store.js';

/** Registers the scoring area's steps with the registry (idempotent). */
export function registerScoringSteps(): void {
  onPublishedResultsLookup(publishedRunsEndingFrom);
}
