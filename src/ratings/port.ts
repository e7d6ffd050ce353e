/*
 * What the areas above ratings (cases) may use of it: the narrow port through which a case removes the
 * rating it dismissed and keeps the activity counts of the rating's scopes. Everything else of ratings is
 * its own.
 */
export { isBadLevel } from './model.js';
export { parseScopes } from './rollups.js';
export { adjustActivity } from './store.js';
export { removeRating } from './service.js';
