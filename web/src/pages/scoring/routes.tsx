import { Route } from 'react-router';
import { RunPage } from './RunPage';
import { RunsPage } from './RunsPage';
import { SchemeEditorPage } from './SchemeEditorPage';
import { SchemesPage } from './SchemesPage';
import { ScoresPage } from './ScoresPage';
import { SheetsPage } from './SheetsPage';
import { VetoesPage } from './VetoesPage';

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
