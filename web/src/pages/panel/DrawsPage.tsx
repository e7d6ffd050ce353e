import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../util';
import { panelApi, type DrawState, type DrawView } from './api';
import { usePanelAccess } from './menu';

export const STATE_COLORS: Record<DrawState, string> = {
  announced: 'orange',
  drawn: 'blue',
  published: 'green',
};

/** /panel/draws — every draw, newest first. */
export function DrawsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const access = usePanelAccess();
  const { data, isLoading } = useQuery({ queryKey: ['panel', 'draws'], queryFn: panelApi.draws });
  return (
    <>
      <PageTitle
        title={t('panel.draws.title')}
        description={t('panel.draws.description')}
        extra={
          access.manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/panel/draws/new')}>
              {t('panel.draws.new')}
            </Button>
          )
        }
      />
      <Table<DrawView>
        rowKey="id"
        loading={isLoading}
        dataSource={data ?? []}
        columns={[
          {
            title: t('panel.draws.purpose'),
            dataIndex: 'purpose',
            render: (p: string, d) => <Link to={`/panel/draws/${d.id}`}>{p}</Link>,
          },
          {
            title: t('panel.draws.kind'),
            dataIndex: 'kind',
            render: (k: DrawView['kind']) => t(`panel.draws.kinds.${k}`),
          },
          {
            title: t('panel.draws.state'),
            dataIndex: 'state',
            render: (s: DrawState) => <Tag color={STATE_COLORS[s]}>{t(`panel.draws.states.${s}`)}</Tag>,
          },
          { title: t('panel.draws.selected'), dataIndex: 'selectedCount' },
          {
            title: t('panel.draws.announcedAt'),
            dataIndex: 'announcedAt',
            render: (v: string) => formatTime(v),
          },
        ]}
      />
    </>
  );
}
