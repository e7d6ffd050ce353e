import {
  AlertOutlined,
  BarChartOutlined,
  CalendarOutlined,
  DislikeOutlined,
  EyeOutlined,
  FormOutlined,
  QrcodeOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import type { MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAccount } from '../../session';
import type { Permission } from '../../types';

interface Item {
  key: string;
  icon: React.ReactNode;
  /** Any one of these shows the entry. */
  permissions: Permission[];
}

const GROUPS: { key: string; items: Item[] }[] = [
  {
    key: 'ratingsGroup',
    items: [
      { key: 'ratings', icon: <BarChartOutlined />, permissions: ['ratings:read'] },
      { key: 'transactions', icon: <FormOutlined />, permissions: ['transactions:write'] },
      { key: 'held', icon: <EyeOutlined />, permissions: ['ratings:review'] },
      { key: 'devices', icon: <QrcodeOutlined />, permissions: ['settings:write', 'registry:read'] },
    ],
  },
  {
    key: 'casesGroup',
    items: [
      { key: 'cases', icon: <DislikeOutlined />, permissions: ['cases:read'] },
      { key: 'warnings', icon: <AlertOutlined />, permissions: ['cases:read'] },
    ],
  },
  {
    key: 'settingsGroup',
    items: [
      { key: 'settings', icon: <SettingOutlined />, permissions: ['settings:write'] },
      { key: 'calendar', icon: <CalendarOutlined />, permissions: ['calendar:write'] },
    ],
  },
];

/** The menu groups of instant ratings, bad-review cases and their settings, for the account's permissions. */
export function useFeatureMenuItems(): NonNullable<MenuProps['items']> {
  const { t } = useTranslation();
  const { can } = useAccount();
  return GROUPS.map((group) => ({
    type: 'group' as const,
    key: group.key,
    label: t(`ops.menu.${group.key}`),
    children: group.items
      .filter((item) => item.permissions.some(can))
      .map((item) => ({
        key: item.key,
        icon: item.icon,
        label: <Link to={`/${item.key}`}>{t(`ops.menu.${item.key}`)}</Link>,
      })),
  })).filter((group) => group.children.length > 0);
}
