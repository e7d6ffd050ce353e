import { Route } from 'react-router';
import { ConsequencesPage, RulesPage } from './ConsequencesPage';
import { DocumentPage, DocumentsPage } from './DocumentPage';
import { RunOutcomesPage } from './RunOutcomesPage';
import { UnitRecordPage } from './UnitRecordPage';

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
