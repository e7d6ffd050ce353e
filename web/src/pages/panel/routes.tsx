import { Route } from 'react-router';
import { lazyPage } from '../../lazyPage';

// Each page is its own chunk, loaded when its route is first opened.
const CompositionPage = lazyPage(() => import('./CompositionPage'), 'CompositionPage');
const DrawPage = lazyPage(() => import('./DrawPage'), 'DrawPage');
const DrawsPage = lazyPage(() => import('./DrawsPage'), 'DrawsPage');
const DrawWizardPage = lazyPage(() => import('./DrawWizardPage'), 'DrawWizardPage');
const PoolImportPage = lazyPage(() => import('./PoolImportPage'), 'PoolImportPage');
const PoolPage = lazyPage(() => import('./PoolPage'), 'PoolPage');

/** The console's routes for the evaluator pool and its draws (inside the layout). */
export const panelRoutes = (
  <>
    <Route path="panel/pool" element={<PoolPage />} />
    <Route path="panel/import" element={<PoolImportPage />} />
    <Route path="panel/composition" element={<CompositionPage />} />
    <Route path="panel/draws" element={<DrawsPage />} />
    <Route path="panel/draws/new" element={<DrawWizardPage />} />
    <Route path="panel/draws/:drawId" element={<DrawPage />} />
  </>
);
