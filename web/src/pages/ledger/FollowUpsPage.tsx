import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useUnits } from '../../queries';
import { ledgerApi, type FollowUpView } from './api';
import { FollowUpModal } from './FollowUpModal';
import { Thumbnails } from './ItemDrawer';
import { useLedgerAccess } from './menu';
import './ledger.css';

/** 回头看与暗访: visits and covert inspections of one's part of the registry; a finding can open an item. */
export function FollowUpsPage() {
  const { t } = useTranslation();
  const access = useLedgerAccess();
  const navigate = useNavigate();
  const client = useQueryClient();
  const units = useUnits();
  const [unitId, setUnitId] = useState<string | null>(null);
  const [recording, setRecording] = useState(false);
  const list = useQuery({
    queryKey: ['ledger-follow-ups', unitId],
    queryFn: () => ledgerApi.followUps(unitId ?? undefined),
    enabled: access.handle,
  });
  if (!access.handle) return <NoPermission />;
  return (
    <>
      <PageTitle
        title={t('ledger.followUps.title')}
        description={
          access.manage ? t('ledger.followUps.description') : t('ledger.followUps.descriptionUnit')
        }
        extra={
          access.manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)}>
              {t('ledger.followUps.record')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <UnitTreeSelect
            units={units.data ?? []}
            value={unitId}
            onChange={setUnitId}
            placeholder={t('ledger.allUnits')}
            style={{ width: 300 }}
          />
        </Space>
        {list.isError && <Alert type="error" showIcon title={errorText(list.error)} />}
        <Table<FollowUpView>
          size="small"
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.followUps.empty')} />
            ),
          }}
          columns={[
            { title: t('ledger.followUps.date'), dataIndex: 'date', width: 110 },
            {
              title: t('ledger.followUps.kind'),
              key: 'kind',
              width: 150,
              render: (_: unknown, f: FollowUpView) => (
                <Space orientation="vertical" size={2}>
                  <Tag color={f.kind === 'covert' ? 'purple' : 'blue'}>
                    {t(`ledger.followUpKinds.${f.kind}`)}
                  </Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(`ledger.followUpMethods.${f.method}`)}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t('ledger.followUps.unit'), dataIndex: 'unitName', width: 180 },
            {
              title: t('ledger.followUps.findings'),
              key: 'findings',
              render: (_: unknown, f: FollowUpView) => (
                <div>
                  <div className="mp-case-text">{f.findings}</div>
                  {f.problemBack && <Tag color="red">{t('ledger.followUps.problemBack')}</Tag>}
                  <Thumbnails files={f.attachments} />
                </div>
              ),
            },
            { title: t('ledger.followUps.inspector'), dataIndex: 'inspector', width: 110 },
            {
              title: t('ledger.followUps.item'),
              key: 'item',
              width: 140,
              render: (_: unknown, f: FollowUpView) =>
                f.itemId ? (
                  <Link to={`/ledger/items/${f.itemId}`}>{t('ledger.followUps.openItem')}</Link>
                ) : access.manage ? (
                  <Button
                    size="small"
                    onClick={() =>
                      void navigate(`/ledger/items?new=inspection&ref=${encodeURIComponent(f.id)}`)
                    }
                  >
                    {t('ledger.followUps.raiseItem')}
                  </Button>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </Card>
      {recording && (
        <FollowUpModal
          onClose={() => setRecording(false)}
          onSaved={async () => {
            setRecording(false);
            await client.invalidateQueries({ queryKey: ['ledger-follow-ups'] });
          }}
        />
      )}
    </>
  );
}
