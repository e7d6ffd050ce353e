/*
 * The addresses of the published results. Pure (no window, no i18n) so that tests can run it in Node.
 *
 *   /public/results                          the list of published results
 *   /public/results/:id                      one result (十佳十差 or 最难办事科室)
 *   /public/results/:id/units/:unitId        one unit's result explained
 *   /public/results/:id/notice               the printable notice (通报)
 */

export type ResultsRoute =
  | { page: 'results' }
  | { page: 'result'; id: string }
  | { page: 'result-unit'; id: string; unitId: string }
  | { page: 'result-notice'; id: string };

/** The route for path segments after `/public/results`, or null when they name no page. */
export function parseResultsRoute(rest: string[]): ResultsRoute | null {
  const [id, what, unitId] = rest;
  if (rest.length === 0) return { page: 'results' };
  if (!id) return null;
  if (rest.length === 1) return { page: 'result', id };
  if (rest.length === 2 && what === 'notice') return { page: 'result-notice', id };
  if (rest.length === 3 && what === 'units' && unitId) return { page: 'result-unit', id, unitId };
  return null;
}

const seg = encodeURIComponent;

export const resultsPath = (): string => '/public/results';
export const resultPath = (id: string): string => `/public/results/${seg(id)}`;
export const resultUnitPath = (id: string, unitId: string): string =>
  `/public/results/${seg(id)}/units/${seg(unitId)}`;
export const resultNoticePath = (id: string): string => `/public/results/${seg(id)}/notice`;
