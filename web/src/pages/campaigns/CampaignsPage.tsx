import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../util';
import { campaignsApi, type CampaignSummary } from './api';

/** /campaigns — every evaluation campaign (专项评价), newest first. */
export function CampaignsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data, isLoading } = useQuery({ queryKey: ['campaigns'], queryFn: campaignsApi.list });
  return (
    <>
      <PageTitle
        title={t('campaigns.list.title')}
        description={t('campaigns.list.description')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/campaigns/new')}>
            {t('campaigns.list.new')}
          </Button>
        }
      />
      <Table<CampaignSummary>
        rowKey="id"
        loading={isLoading}
        dataSource={data ?? []}
        locale={{ emptyText: t('campaigns.list.empty') }}
        columns={[
          {
            title: t('campaigns.list.name'),
            dataIndex: 'name',
            render: (name: string, c) => <Link to={`/campaigns/${c.id}`}>{name}</Link>,
          },
          { title: t('campaigns.list.key'), dataIndex: 'key' },
          {
            title: t('campaigns.list.subjectKind'),
            dataIndex: 'subjectKind',
            render: (k: CampaignSummary['subjectKind']) => t(`campaigns.subjectKinds.${k}`),
          },
          {
            title: t('campaigns.list.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => formatTime(v),
          },
        ]}
      />
    </>
  );
}
