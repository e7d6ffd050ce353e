import {
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  HomeOutlined,
  KeyOutlined,
  LockOutlined,
  LogoutOutlined,
  SwapOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Button, Layout, Menu, Space, Spin, Tag, Typography, type MenuProps } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useAccount, useSession } from '../session';
import { useFeatureMenuItems } from './ratings/menu';
import { useScoringMenuItems } from './scoring/menu';
import { useCampaignMenuItems } from './campaigns/menu';
import { usePanelMenuItems } from './panel/menu';
import { useLedgerMenuItems } from './ledger/menu';
import { useWindowMenuItems } from './window/menu';
import type { Permission } from '../types';

interface Entry {
  key: string;
  icon: React.ReactNode;
  permission: Permission;
}

const ENTRIES: Entry[] = [
  { key: 'units', icon: <ApartmentOutlined />, permission: 'registry:read' },
  { key: 'periods', icon: <CalendarOutlined />, permission: 'registry:read' },
  { key: 'import', icon: <SwapOutlined />, permission: 'registry:import' },
  { key: 'accounts', icon: <TeamOutlined />, permission: 'accounts:manage' },
  { key: 'tokens', icon: <KeyOutlined />, permission: 'tokens:manage' },
  { key: 'audit', icon: <AuditOutlined />, permission: 'audit:read' },
];

export function AppLayout() {
  const { t } = useTranslation();
  const { account, can } = useAccount();
  const { signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const section = location.pathname.split('/')[1] ?? '';
  const featureItems = useFeatureMenuItems();
  const scoringItems = useScoringMenuItems();
  const panelItems = usePanelMenuItems();
  const ledgerItems = useLedgerMenuItems();
  const windowItems = useWindowMenuItems();
  const campaignItems = useCampaignMenuItems();

  const items: MenuProps['items'] = [
    { key: '', icon: <HomeOutlined />, label: <Link to="/">{t('menu.workbench')}</Link> },
    ...ENTRIES.filter((e) => can(e.permission)).map((e) => ({
      key: e.key,
      icon: e.icon,
      label: <Link to={`/${e.key}`}>{t(`menu.${e.key}`)}</Link>,
    })),
    ...featureItems,
    ...scoringItems,
    ...panelItems,
    ...ledgerItems,
    ...windowItems,
    ...campaignItems,
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={220}>
        <div className="mp-brand">
          <span className="mp-brand-mark">评</span>
          <span>
            {t('app.name')}
            <div className="mp-brand-sub">{t('app.consoleName')}</div>
          </span>
        </div>
        <Menu theme="dark" mode="inline" selectedKeys={[section]} items={items} />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="mp-header">
          <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
          <Space size="middle">
            <Space size={6}>
              <UserOutlined />
              <Typography.Text strong data-testid="current-user">
                {account.displayName}
              </Typography.Text>
              <Tag color="blue">{t(`roles.${account.role}`)}</Tag>
            </Space>
            <LanguageSwitch />
            <Button
              size="small"
              type="text"
              icon={<LockOutlined />}
              onClick={() => void navigate('/password')}
            >
              {t('layout.changePassword')}
            </Button>
            <Button
              size="small"
              icon={<LogoutOutlined />}
              onClick={() =>
                // A deliberate sign-out starts the next person at the beginning, not on this page.
                void signOut().then(() => navigate('/login', { replace: true }))
              }
            >
              {t('layout.signOut')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content className="mp-content">
          {/* Pages load with their route (web/src/lazyPage.ts): a spinner while a page's code arrives. */}
          <Suspense
            fallback={
              <div style={{ textAlign: 'center', padding: 48 }}>
                <Spin />
              </div>
            }
          >
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
