import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { Route } from 'react-router';
import { CalendarPage } from '../settings/CalendarPage';
import { SettingsPage } from '../settings/SettingsPage';
import { CasesPage } from '../cases/CasesPage';
import { WarningsPage } from '../cases/WarningsPage';
import { DevicesPage } from './DevicesPage';
import { HeldPage } from './HeldPage';
import { PostersPrintPage } from './PostersPrintPage';
import { TransactionsPage } from './TransactionsPage';

// The dashboard brings ECharts: loaded when first opened, not with the console.
const DashboardPage = lazy(() => import('./DashboardPage').then((m) => ({ default: m.DashboardPage })));

const loading = (
  <div style={{ textAlign: 'center', padding: 48 }}>
    <Spin />
  </div>
);

/** The console's routes for instant ratings, bad-review cases and their settings (inside the layout). */
export const featureRoutes = (
  <>
    <Route
      path="ratings"
      element={
        <Suspense fallback={loading}>
          <DashboardPage />
        </Suspense>
      }
    />
    <Route path="transactions" element={<TransactionsPage />} />
    <Route path="held" element={<HeldPage />} />
    <Route path="devices" element={<DevicesPage />} />
    <Route path="devices/posters/:unitId" element={<PostersPrintPage />} />
    <Route path="cases" element={<CasesPage />} />
    <Route path="cases/:caseId" element={<CasesPage />} />
    <Route path="warnings" element={<WarningsPage />} />
    <Route path="settings" element={<SettingsPage />} />
    <Route path="settings/:tab" element={<SettingsPage />} />
    <Route path="calendar" element={<CalendarPage />} />
  </>
);
