import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { errorText } from '../../api';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../util';
import { panelApi, type DrawMemberView, type VerifyReport } from './api';
import { STATE_COLORS } from './DrawsPage';
import { usePanelAccess } from './menu';
import { StrataTable } from './StrataTable';

const mono = (v: string | null) =>
  v ? (
    <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
      {v}
    </Typography.Text>
  ) : (
    '—'
  );

/** /panel/draws/:drawId — the record of a draw: digests, commitment, seed, strata; draw, publish, verify. */
export function DrawPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { drawId = '' } = useParams();
  const access = usePanelAccess();
  const client = useQueryClient();
  const [value, setValue] = useState('');
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [busy, setBusy] = useState(false);
  const { data: draw } = useQuery({
    queryKey: ['panel', 'draw', drawId],
    queryFn: () => panelApi.draw(drawId),
  });
  const members = useQuery({
    queryKey: ['panel', 'draw', drawId, 'members'],
    queryFn: () => panelApi.members(drawId),
    enabled: draw?.kind === 'sample' && draw.state !== 'announced',
  });
  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
      await client.invalidateQueries({ queryKey: ['panel'] });
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  if (!draw) return null;
  return (
    <>
      <PageTitle
        title={draw.purpose}
        description={
          <Space>
            <Tag color={STATE_COLORS[draw.state]}>{t(`panel.draws.states.${draw.state}`)}</Tag>
            {t(`panel.draws.kinds.${draw.kind}`)} · {t('panel.draws.announcedAt')}{' '}
            {formatTime(draw.announcedAt)}
          </Space>
        }
        extra={
          <Space>
            <Button href={`/public/draws/${draw.id}`} target="_blank">
              {t('panel.draw.publicPage')}
            </Button>
            <Button
              loading={busy}
              onClick={() => void act(async () => setReport(await panelApi.verify(draw.id)))}
            >
              {t('panel.draw.verify')}
            </Button>
            {access.manage && draw.state === 'drawn' && (
              <Button type="primary" loading={busy} onClick={() => void act(() => panelApi.publish(draw.id))}>
                {t('panel.draw.publish')}
              </Button>
            )}
          </Space>
        }
      />
      {report && (
        <Alert
          style={{ marginBottom: 16 }}
          type={report.identical ? 'success' : 'error'}
          showIcon
          message={
            report.identical ? t('panel.draw.identical') : t('panel.draw.different', { d: report.difference })
          }
          description={report.checked.join(' · ')}
        />
      )}
      {access.manage && draw.state === 'announced' && (
        <Card style={{ marginBottom: 16 }}>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              placeholder={t('panel.draw.enterValue')}
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
            <Button
              type="primary"
              disabled={!value.trim()}
              loading={busy}
              onClick={() => void act(() => panelApi.perform(draw.id, value))}
            >
              {t('panel.draw.doDraw')}
            </Button>
          </Space.Compact>
        </Card>
      )}
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('panel.draw.rulesDigest')}>{mono(draw.rulesDigest)}</Descriptions.Item>
          <Descriptions.Item label={t('panel.draw.snapshotDigest')}>
            {mono(draw.snapshotDigest)}
          </Descriptions.Item>
          <Descriptions.Item label={t('panel.draw.commitment')}>{mono(draw.commitment)}</Descriptions.Item>
          <Descriptions.Item label={t('panel.draw.secret')}>{mono(draw.secret)}</Descriptions.Item>
          <Descriptions.Item label={t('panel.draw.publicValue')}>{draw.publicValue ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('panel.draw.seed')}>{mono(draw.seed)}</Descriptions.Item>
          <Descriptions.Item label={t('panel.draw.resultDigest')}>
            {mono(draw.resultDigest)}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {draw.kind === 'sample' && (
        <Card
          style={{ marginBottom: 16 }}
          title={`${t('panel.wizard.eligible', { n: draw.eligible })} · ${t('panel.draws.selected')} ${draw.selectedCount}`}
        >
          {draw.excluded && <p>{t('panel.draw.excluded', { ...draw.excluded })}</p>}
          <StrataTable strata={draw.strata} />
        </Card>
      )}
      {members.data && (
        <Card title={t('panel.draw.members')}>
          <Table<DrawMemberView>
            rowKey="evaluatorId"
            size="small"
            dataSource={members.data}
            pagination={{ pageSize: 50 }}
            columns={[
              { title: t('panel.draw.rank'), dataIndex: 'rank', width: 70 },
              {
                title: '',
                dataIndex: 'role',
                width: 80,
                render: (r: string) => (r === 'reserve' ? <Tag>{t('panel.draw.reserve')}</Tag> : null),
              },
              { title: t('panel.pool.name'), dataIndex: 'name' },
              { title: t('panel.pool.mobile'), dataIndex: 'mobile' },
              { title: t('panel.pool.region'), dataIndex: 'regionName' },
            ]}
          />
        </Card>
      )}
    </>
  );
}
