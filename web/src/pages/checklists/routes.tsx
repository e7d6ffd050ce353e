import { Route } from 'react-router';
import { ChecklistDesignPage, ChecklistPage, ChecklistsPage } from './ChecklistsPage';
import { UnitSheetPage } from './UnitSheetPage';

/** The console's routes for quarterly indicator checklists (inside the layout). */
export const checklistsRoutes = (
  <>
    <Route path="checklists" element={<ChecklistsPage />} />
    <Route path="checklists/new" element={<ChecklistDesignPage />} />
    <Route path="checklists/:checklistId/edit" element={<ChecklistDesignPage />} />
    <Route path="checklists/:checklistId" element={<ChecklistPage />} />
    <Route path="checklists/:checklistId/units/:unitId" element={<UnitSheetPage />} />
  </>
);
