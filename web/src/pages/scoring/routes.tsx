import { Route } from 'react-router';
import { lazyPage } from '../../lazyPage';

// Each page is its own chunk, loaded when its route is first opened.
const RunPage = lazyPage(() => import('./RunPage'), 'RunPage');
const RunsPage = lazyPage(() => import('./RunsPage'), 'RunsPage');
const SchemeEditorPage = lazyPage(() => import('./SchemeEditorPage'), 'SchemeEditorPage');
const SchemesPage = lazyPage(() => import('./SchemesPage'), 'SchemesPage');
const ScoresPage = lazyPage(() => import('./ScoresPage'), 'ScoresPage');
const SheetsPage = lazyPage(() => import('./SheetsPage'), 'SheetsPage');
const VetoesPage = lazyPage(() => import('./VetoesPage'), 'VetoesPage');

/** The console's routes for scoring schemes, sources, runs, review and publication (inside the layout). */
export const scoringRoutes = (
  <>
    <Route path="schemes" element={<SchemesPage />} />
    <Route path="schemes/new" element={<SchemeEditorPage />} />
    <Route path="schemes/:schemeId" element={<SchemeEditorPage />} />
    <Route path="schemes/:schemeId/versions/:version" element={<SchemeEditorPage />} />
    <Route path="scores" element={<ScoresPage />} />
    <Route path="score-sheets" element={<SheetsPage />} />
    <Route path="vetoes" element={<VetoesPage />} />
    <Route path="runs" element={<RunsPage />} />
    <Route path="runs/:runId" element={<RunPage />} />
    <Route path="runs/:runId/units/:unitId" element={<RunPage />} />
  </>
);
