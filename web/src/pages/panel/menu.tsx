import { ExperimentOutlined, PieChartOutlined, TeamOutlined, UploadOutlined } from '@ant-design/icons';
import type { MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../session';

/** What the account may do with the pool (the server enforces the same). */
export function usePanelAccess() {
  const permissions = useSession().session?.permissions ?? [];
  return {
    read: permissions.includes('panel:read'),
    manage: permissions.includes('panel:manage'),
    mobile: permissions.includes('panel:mobile'),
  };
}

/** The menu group of the evaluator pool (评价样本库). */
export function usePanelMenuItems(): NonNullable<MenuProps['items']> {
  const { t } = useTranslation();
  const access = usePanelAccess();
  if (!access.read) return [];
  const items = [
    { key: 'panel/pool', icon: <TeamOutlined />, label: t('panel.menu.pool') },
    ...(access.manage
      ? [{ key: 'panel/import', icon: <UploadOutlined />, label: t('panel.menu.import') }]
      : []),
    { key: 'panel/composition', icon: <PieChartOutlined />, label: t('panel.menu.composition') },
    { key: 'panel/draws', icon: <ExperimentOutlined />, label: t('panel.menu.draws') },
  ];
  return [
    {
      type: 'group' as const,
      key: 'panelGroup',
      label: t('panel.menu.group'),
      children: items.map((i) => ({
        key: i.key,
        icon: i.icon,
        label: <Link to={`/${i.key}`}>{i.label}</Link>,
      })),
    },
  ];
}
