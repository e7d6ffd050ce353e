import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { Route } from 'react-router';
import { lazyPage } from '../../lazyPage';

// Each page is its own chunk, loaded when its route is first opened.
const CalendarPage = lazyPage(() => import('../settings/CalendarPage'), 'CalendarPage');
const SettingsPage = lazyPage(() => import('../settings/SettingsPage'), 'SettingsPage');
const CasesPage = lazyPage(() => import('../cases/CasesPage'), 'CasesPage');
const WarningsPage = lazyPage(() => import('../cases/WarningsPage'), 'WarningsPage');
const DevicesPage = lazyPage(() => import('./DevicesPage'), 'DevicesPage');
const HeldPage = lazyPage(() => import('./HeldPage'), 'HeldPage');
const PostersPrintPage = lazyPage(() => import('./PostersPrintPage'), 'PostersPrintPage');
const TransactionsPage = lazyPage(() => import('./TransactionsPage'), 'TransactionsPage');

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
