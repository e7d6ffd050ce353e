import { NotificationOutlined } from '@ant-design/icons';
import type { MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../session';

/** The menu entry of evaluation campaigns (专项评价), for the assessment office (campaigns:manage). */
export function useCampaignMenuItems(): NonNullable<MenuProps['items']> {
  const { t } = useTranslation();
  const permissions = useSession().session?.permissions ?? [];
  if (!permissions.includes('campaigns:manage')) return [];
  return [
    {
      type: 'group' as const,
      key: 'campaignsGroup',
      label: t('campaigns.menu.group'),
      children: [
        {
          key: 'campaigns',
          icon: <NotificationOutlined />,
          label: <Link to="/campaigns">{t('campaigns.menu.campaigns')}</Link>,
        },
      ],
    },
  ];
}
