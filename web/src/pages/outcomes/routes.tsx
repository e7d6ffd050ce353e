import { Route } from 'react-router';
import { lazyPage } from '../../lazyPage';

// Each page is its own chunk, loaded when its route is first opened.
const ConsequencesPage = lazyPage(() => import('./ConsequencesPage'), 'ConsequencesPage');
const RulesPage = lazyPage(() => import('./ConsequencesPage'), 'RulesPage');
const DocumentPage = lazyPage(() => import('./DocumentPage'), 'DocumentPage');
const DocumentsPage = lazyPage(() => import('./DocumentPage'), 'DocumentsPage');
const RunOutcomesPage = lazyPage(() => import('./RunOutcomesPage'), 'RunOutcomesPage');
const UnitRecordPage = lazyPage(() => import('./UnitRecordPage'), 'UnitRecordPage');

/** The console's routes for result application and documents (inside the layout). */
export const outcomesRoutes = (
  <>
    <Route path="runs/:runId/outcomes" element={<RunOutcomesPage />} />
    <Route path="consequences" element={<ConsequencesPage />} />
    <Route path="outcome-rules" element={<RulesPage />} />
    <Route path="outcomes/units/:unitId" element={<UnitRecordPage />} />
    <Route path="documents" element={<DocumentsPage />} />
    <Route path="documents/:documentId" element={<DocumentPage />} />
  </>
);
