/*
 * The import rules of docs/architecture.md, checked by `npm run check`:
 * - no import cycles, between areas or between files;
 * - the areas in a total order (core < registry < ratings < cases < panel < campaigns < scoring < ledger <
 *   window < outcomes < checklists < reports; campaigns sit below scoring because scoring's campaign leaf reads them): an area imports only areas below it; http/app.ts, src/areas.ts and cli/
 *   compose them and may import any. Demo data, test helpers and tests are exempt from the order;
 * - cases reach ratings only through its port (ratings/port.ts, ratings/hooks.ts, ratings/types.ts);
 * - core imports no area; only core's routes.ts files use the http helpers.
 */
const AREAS = [
  'registry',
  'ratings',
  'cases',
  'panel',
  'campaigns',
  'scoring',
  'ledger',
  'window',
  'outcomes',
  'checklists',
  'reports',
];
const EXEMPT = '(^|/)(demo[^/]*|testing)\\.ts$|\\.test\\.ts$';

const directionRules = AREAS.map((area, i) => ({
  name: `${area}-imports-only-below`,
  comment: `${area} may import only core, the http helpers and areas below it (${AREAS.slice(0, i).join(', ') || 'none'}).`,
  severity: 'error',
  from: { path: `^src/${area}/`, pathNot: EXEMPT },
  to: {
    path: `^src/(${[...AREAS.slice(i + 1), 'cli'].join('|')})/|^src/http/app\\.ts$|^src/areas\\.ts$`,
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles (docs/architecture.md): a lower area offers a hook, a higher one registers.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...directionRules,
    {
      name: 'core-imports-no-area',
      comment: 'core is below every area.',
      severity: 'error',
      from: { path: '^src/core/', pathNot: EXEMPT },
      to: { path: `^src/(${[...AREAS, 'cli'].join('|')})/|^src/http/app\\.ts$|^src/areas\\.ts$` },
    },
    {
      name: 'core-uses-http-helpers-only-in-routes',
      severity: 'error',
      from: { path: '^src/core/', pathNot: `/routes\\.ts$|${EXEMPT}` },
      to: { path: '^src/http/' },
    },
    {
      name: 'http-helpers-import-no-area',
      comment:
        'http/auth, schemas, errors, input serve every area; only http/app.ts composes the areas. The staff ' +
        'guard of rater routes (http/rater-guard.ts) asks ratings, the lowest area that serves raters.',
      severity: 'error',
      from: { path: '^src/http/', pathNot: '^src/http/app\\.ts$' },
      to: { path: `^src/(${[...AREAS, 'cli'].join('|')})/`, pathNot: '^src/ratings/rater-guard\\.ts$' },
    },
    {
      name: 'cases-reach-ratings-through-its-port',
      severity: 'error',
      from: { path: '^src/cases/', pathNot: EXEMPT },
      to: { path: '^src/ratings/', pathNot: '^src/ratings/(port|hooks|types)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|web)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
