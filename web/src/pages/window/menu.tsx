import { CalendarOutlined, SolutionOutlined } from '@ant-design/icons';
import type { MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../session';

/** What the account may do at the 办不成事 window (the server enforces the same). */
export function useWindowAccess() {
  const permissions = useSession().session?.permissions ?? [];
  return {
    handle: permissions.includes('window:handle'),
    manage: permissions.includes('window:manage'),
    ledger: permissions.includes('ledger:manage'),
  };
}

/** The menu group of the 办不成事 window. */
export function useWindowMenuItems(): NonNullable<MenuProps['items']> {
  const { t } = useTranslation();
  const access = useWindowAccess();
  if (!access.handle) return [];
  const items = [
    { key: 'window', icon: <SolutionOutlined />, label: t('window.menu.matters') },
    ...(access.manage
      ? [{ key: 'window-rota', icon: <CalendarOutlined />, label: t('window.menu.rota') }]
      : []),
  ];
  return [
    {
      type: 'group' as const,
      key: 'windowGroup',
      label: t('window.menu.group'),
      children: items.map((i) => ({
        key: i.key,
        icon: i.icon,
        label: <Link to={`/${i.key}`}>{i.label}</Link>,
      })),
    },
  ];
}
