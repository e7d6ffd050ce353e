import { Route } from 'react-router';
import { CompositionPage } from './CompositionPage';
import { DrawPage } from './DrawPage';
import { DrawsPage } from './DrawsPage';
import { DrawWizardPage } from './DrawWizardPage';
import { PoolImportPage } from './PoolImportPage';
import { PoolPage } from './PoolPage';

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
