import { Route } from 'react-router';
import { RotaPage } from './RotaPage';
import { WindowPage } from './WindowPage';

/** The console's routes for the 办不成事 window (inside the layout). */
export const windowRoutes = (
  <>
    <Route path="window" element={<WindowPage />} />
    <Route path="window/:matterId" element={<WindowPage />} />
    <Route path="window-rota" element={<RotaPage />} />
  </>
);
