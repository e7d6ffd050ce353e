import { Result, Spin } from 'antd';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AppLayout } from './pages/AppLayout';
import { ChangePasswordPage } from './pages/ChangePasswordPage';
import { LoginPage } from './pages/LoginPage';
import { featureRoutes } from './pages/ratings/routes';
import { outcomesRoutes } from './pages/outcomes/routes';
import { checklistsRoutes } from './pages/checklists/routes';
import { scoringRoutes } from './pages/scoring/routes';
import { campaignRoutes } from './pages/campaigns/routes';
import { panelRoutes } from './pages/panel/routes';
import { ledgerRoutes } from './pages/ledger/routes';
import { windowRoutes } from './pages/window/routes';
import { useSession } from './session';
import { lazyPage } from './lazyPage';

// Each page is its own chunk, loaded when its route is first opened.
const AccountsPage = lazyPage(() => import('./pages/AccountsPage'), 'AccountsPage');
const AuditPage = lazyPage(() => import('./pages/AuditPage'), 'AuditPage');
const ImportPage = lazyPage(() => import('./pages/ImportPage'), 'ImportPage');
const PeriodsPage = lazyPage(() => import('./pages/PeriodsPage'), 'PeriodsPage');
const TokensPage = lazyPage(() => import('./pages/TokensPage'), 'TokensPage');
const UnitsPage = lazyPage(() => import('./pages/units/UnitsPage'), 'UnitsPage');
const WorkbenchPage = lazyPage(() => import('./pages/workbench/WorkbenchPage'), 'WorkbenchPage');

/** Signed in while on the login page: back to the page the sign-in gate sent one from, else the workbench. */
function BackFromLogin() {
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  return <Navigate to={from && from.startsWith('/') && !from.startsWith('/login') ? from : '/'} replace />;
}

export function App() {
  const { session, loading } = useSession();
  const location = useLocation();
  const { t } = useTranslation();

  if (loading) {
    return (
      <div style={{ display: 'flex', height: '100%', alignItems: 'center', justifyContent: 'center' }}>
        <Spin size="large" />
      </div>
    );
  }
  if (!session) {
    const from = location.pathname === '/login' ? '/' : `${location.pathname}${location.search}`;
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="*" element={<Navigate to="/login" replace state={{ from }} />} />
      </Routes>
    );
  }
  if (session.account.mustChangePassword) return <ChangePasswordPage forced />;
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<WorkbenchPage />} />
        <Route path="login" element={<BackFromLogin />} />
        <Route path="units" element={<UnitsPage />} />
        <Route path="units/:unitId" element={<UnitsPage />} />
        <Route path="periods" element={<PeriodsPage />} />
        <Route path="import" element={<ImportPage />} />
        <Route path="accounts" element={<AccountsPage />} />
        <Route path="tokens" element={<TokensPage />} />
        <Route path="audit" element={<AuditPage />} />
        {featureRoutes}
        {scoringRoutes}
        {outcomesRoutes}
        {checklistsRoutes}
        {panelRoutes}
        {ledgerRoutes}
        {windowRoutes}
        {campaignRoutes}
        <Route path="password" element={<ChangePasswordPage />} />
        <Route
          path="*"
          element={
            <Result status="404" title={t('common.notFoundTitle')} subTitle={t('common.notFoundText')} />
          }
        />
      </Route>
    </Routes>
  );
}
