/*
 * Start-up wiring between areas: each area that reacts to something of an area below it registers its
 * steps here (docs/architecture.md, "When a lower area must trigger a higher one"). Called by every entry
 * point — the HTTP app, the command line, the test support — before any work; calling it again does nothing.
 */
import { registerCaseSteps } from './cases/hooks.js';
import { registerWindowSteps } from './window/hooks.js';
import { registerScoringSteps } from './scoring/hooks.js';

/** Registers every area's steps with the areas below it. */
export function registerAreaSteps(): void {
  registerCaseSteps();
  registerWindowSteps();
  registerScoringSteps();
}
