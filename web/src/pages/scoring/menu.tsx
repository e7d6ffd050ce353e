import {
  AuditOutlined,
  CheckSquareOutlined,
  FileProtectOutlined,
  FileSearchOutlined,
  SettingOutlined,
  FileTextOutlined,
  PartitionOutlined,
  StopOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import type { MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../session';

/** What the account may do in scoring (the server enforces the same). */
export interface ScoringAccess {
  /** 考核办: schemes, imports, tasks, vetoes, runs, reviews, publication. */
  manage: boolean;
  /** Read everything (leaders and supervisors read only). */
  read: boolean;
  /** Enter score sheets for tasks the account's unit leads. */
  sheet: boolean;
  /** Fill the quarterly indicator checklists of the account's units. */
  fill: boolean;
}

export function useScoringAccess(): ScoringAccess {
  const { session } = useSession();
  const permissions = session?.permissions ?? [];
  return {
    manage: permissions.includes('scoring:manage'),
    read: permissions.includes('scoring:read'),
    sheet: permissions.includes('scoring:sheet'),
    fill: permissions.includes('checklists:fill'),
  };
}

const ITEMS: { key: string; icon: React.ReactNode; show: (a: ScoringAccess) => boolean; label?: string }[] = [
  { key: 'runs', icon: <TrophyOutlined />, show: (a) => a.read },
  { key: 'schemes', icon: <PartitionOutlined />, show: (a) => a.read },
  { key: 'scores', icon: <FileSearchOutlined />, show: (a) => a.read },
  { key: 'score-sheets', icon: <FileTextOutlined />, show: (a) => a.read || a.sheet },
  { key: 'vetoes', icon: <StopOutlined />, show: (a) => a.read },
  // Result application and documents (src/outcomes, src/reports): labels in locales/outcomes.*.ts.
  { key: 'consequences', icon: <AuditOutlined />, show: (a) => a.read, label: 'outcomes.menu.consequences' },
  { key: 'outcome-rules', icon: <SettingOutlined />, show: (a) => a.read, label: 'outcomes.menu.rules' },
  { key: 'documents', icon: <FileProtectOutlined />, show: (a) => a.read, label: 'outcomes.menu.documents' },
  {
    key: 'checklists',
    icon: <CheckSquareOutlined />,
    show: (a) => a.read || a.fill,
    label: 'checklists.menu',
  },
];

/** The menu group of scoring (考核评比), for the account's permissions. */
export function useScoringMenuItems(): NonNullable<MenuProps['items']> {
  const { t } = useTranslation();
  const access = useScoringAccess();
  const children = ITEMS.filter((item) => item.show(access)).map((item) => ({
    key: item.key,
    icon: item.icon,
    label: <Link to={`/${item.key}`}>{t(item.label ?? `scoring.menu.${item.key}`)}</Link>,
  }));
  return children.length
    ? [{ type: 'group' as const, key: 'scoringGroup', label: t('scoring.menu.group'), children }]
    : [];
}
