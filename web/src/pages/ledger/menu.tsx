import {
  AuditOutlined,
  CommentOutlined,
  EyeOutlined,
  ProfileOutlined,
  TagsOutlined,
} from '@ant-design/icons';
import type { MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAccount } from '../../session';

/** What the account may do on the ledger (the server enforces the same and cuts the data to its subtree). */
export function useLedgerAccess() {
  const { can } = useAccount();
  return { handle: can('ledger:handle'), manage: can('ledger:manage') };
}

/** The menu group of comments, problem lists and the rectification ledger (意见与整改). */
export function useLedgerMenuItems(): NonNullable<MenuProps['items']> {
  const { t } = useTranslation();
  const access = useLedgerAccess();
  if (!access.handle) return [];
  const items = [
    { key: 'ledger/items', icon: <ProfileOutlined />, label: t('ledger.menu.items') },
    { key: 'ledger/inbox', icon: <CommentOutlined />, label: t('ledger.menu.inbox') },
    { key: 'ledger/problems', icon: <AuditOutlined />, label: t('ledger.menu.problems') },
    { key: 'ledger/follow-ups', icon: <EyeOutlined />, label: t('ledger.menu.followUps') },
    ...(access.manage
      ? [{ key: 'ledger/topics', icon: <TagsOutlined />, label: t('ledger.menu.topics') }]
      : []),
  ];
  return [
    {
      type: 'group' as const,
      key: 'ledgerGroup',
      label: t('ledger.menu.group'),
      children: items.map((i) => ({
        key: i.key,
        icon: i.icon,
        label: <Link to={`/${i.key}`}>{i.label}</Link>,
      })),
    },
  ];
}
