import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { DaysLeft } from '../ratings/shared';
import '../ratings/ratings.css';
import { EscalationTag } from '../cases/tags';
import { MATTER_STATES, windowApi, type MatterState, type MatterSummary } from './api';
import { MatterDrawer, MatterStateTag } from './MatterDrawer';
import { useWindowAccess } from './menu';

const PAGE_SIZE = 20;

/** 办不成事: the queue of matters (the office's, or those assigned to one's units) and each in a drawer. */
export function WindowPage() {
  const { t } = useTranslation();
  const access = useWindowAccess();
  const navigate = useNavigate();
  const { matterId } = useParams();
  const [state, setState] = useState<MatterState | undefined>(undefined);
  const [overdue, setOverdue] = useState(false);
  const [mine, setMine] = useState(false);
  const [page, setPage] = useState(1);
  const [recording, setRecording] = useState(false);
  const query = { state, overdue, mine, page, pageSize: PAGE_SIZE };
  const matters = useQuery({
    queryKey: ['window', query],
    queryFn: () => windowApi.list(query),
    enabled: access.handle,
    placeholderData: (previous) => previous,
  });
  const tiles: { key: string; state?: MatterState; overdue?: boolean }[] = access.manage
    ? [
        { key: 'filed', state: 'filed' },
        { key: 'accepted', state: 'accepted' },
        { key: 'handling', state: 'handling' },
        { key: 'replied', state: 'replied' },
        { key: 'overdue', overdue: true },
      ]
    : [
        { key: 'handling', state: 'handling' },
        { key: 'overdue', overdue: true },
      ];
  const counts = useQueries({
    queries: tiles.map((tile) => {
      const q = { state: tile.state, overdue: tile.overdue, mine, pageSize: 1 };
      return { queryKey: ['window', 'count', q], queryFn: () => windowApi.list(q), enabled: access.handle };
    }),
  });

  if (!access.handle) return <NoPermission />;

  return (
    <>
      <PageTitle
        title={t('window.title')}
        description={access.manage ? t('window.description') : t('window.descriptionUnit')}
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => void matters.refetch()}>
              {t('common.refresh')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)}>
              {t('window.record.open')}
            </Button>
          </Space>
        }
      />
      <div className="mp-case-tiles">
        {tiles.map((tile, i) => {
          const active = tile.overdue ? overdue && !state : state === tile.state && !overdue;
          const n = counts[i]?.data?.total;
          return (
            <button
              key={tile.key}
              type="button"
              data-testid={`window-tile-${tile.key}`}
              className={`mp-case-tile${active ? ' mp-case-tile-on' : ''}${tile.overdue && n ? ' mp-case-tile-alert' : ''}`}
              onClick={() => {
                setState(active ? undefined : tile.state);
                setOverdue(active ? false : Boolean(tile.overdue));
                setPage(1);
              }}
            >
              <span className="mp-case-tile-n">{n ?? '…'}</span>
              <span>{tile.overdue ? t('window.overdueTile') : t(`window.states.${tile.key}`)}</span>
            </button>
          );
        })}
      </div>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Select<MatterState>
            aria-label={t('window.state')}
            allowClear
            style={{ width: 180 }}
            placeholder={t('window.allStates')}
            value={state}
            onChange={(v) => {
              setState(v);
              setPage(1);
            }}
            options={MATTER_STATES.map((s) => ({ value: s, label: t(`window.states.${s}`) }))}
          />
          {access.manage && (
            <Checkbox
              checked={mine}
              onChange={(e) => {
                setMine(e.target.checked);
                setPage(1);
              }}
            >
              {t('window.mine')}
            </Checkbox>
          )}
          <Checkbox
            checked={overdue}
            onChange={(e) => {
              setOverdue(e.target.checked);
              setPage(1);
            }}
          >
            {t('window.onlyOverdue')}
          </Checkbox>
        </Space>
        {matters.isError && (
          <Alert type="error" showIcon title={errorText(matters.error)} style={{ marginBottom: 12 }} />
        )}
        <Table<MatterSummary>
          size="small"
          rowKey="id"
          loading={matters.isFetching}
          dataSource={matters.data?.matters ?? []}
          rowClassName={(m) => (m.overdue ? 'mp-row-overdue' : '')}
          onRow={(m) => ({ onClick: () => void navigate(`/window/${m.id}`), style: { cursor: 'pointer' } })}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: matters.data?.total ?? 0,
            showSizeChanger: false,
            hideOnSinglePage: true,
            showTotal: (n) => t('window.total', { n }),
            onChange: setPage,
          }}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('window.empty')} />,
          }}
          columns={[
            {
              title: t('window.receipt'),
              dataIndex: 'receiptCode',
              width: 130,
              render: (code: string, m: MatterSummary) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Link style={{ fontFamily: 'monospace' }}>{code}</Typography.Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(`window.channels.${m.channel}`)} · {m.filedOn}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('window.what'),
              dataIndex: 'what',
              render: (what: string, m: MatterSummary) => (
                <div>
                  <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ marginBottom: 0 }}>
                    {what}
                  </Typography.Paragraph>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {m.filerName}
                    {m.unitsNamed && ` · ${t('window.named')}：${m.unitsNamed}`}
                  </Typography.Text>
                </div>
              ),
            },
            {
              title: t('window.lead'),
              key: 'lead',
              width: 150,
              render: (_: unknown, m: MatterSummary) =>
                m.leadUnitName ?? <Typography.Text type="secondary">—</Typography.Text>,
            },
            {
              title: t('window.state'),
              key: 'state',
              width: 130,
              render: (_: unknown, m: MatterSummary) => (
                <Space orientation="vertical" size={2}>
                  <MatterStateTag state={m.state} />
                  {m.rating && (
                    <Tag color={m.rating === 'dissatisfied' ? 'red' : 'green'}>
                      {t(`window.ratings.${m.rating}`)}
                    </Tag>
                  )}
                </Space>
              ),
            },
            {
              title: t('window.due'),
              key: 'due',
              width: 120,
              render: (_: unknown, m: MatterSummary) => <DaysLeft days={m.workingDaysLeft} dueOn={m.dueOn} />,
            },
            {
              title: t('window.escalation'),
              key: 'escalation',
              width: 100,
              render: (_: unknown, m: MatterSummary) => <EscalationTag level={m.escalation} />,
            },
            ...(access.manage
              ? [
                  {
                    title: t('window.coordinator'),
                    key: 'coordinator',
                    width: 100,
                    render: (_: unknown, m: MatterSummary) =>
                      m.coordinatorName ?? <Typography.Text type="secondary">—</Typography.Text>,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {matterId && <MatterDrawer matterId={matterId} onClose={() => void navigate('/window')} />}
      <RecordModal open={recording} onClose={() => setRecording(false)} />
    </>
  );
}

interface RecordValues {
  channel: 'hall' | 'hotline';
  what: string;
  place?: string;
  unitsNamed?: string;
  filerName: string;
  filerPhone: string;
}

/** A clerk records a matter brought to the hall window or the hotline. */
function RecordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<RecordValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (values: RecordValues) => {
    setBusy(true);
    setError(null);
    try {
      const m = await windowApi.record(values);
      await client.invalidateQueries({ queryKey: ['window'] });
      void message.success(t('window.record.done', { code: m.receiptCode }));
      form.resetFields();
      onClose();
      void navigate(`/window/${m.id}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('window.record.title')}
      okText={t('window.record.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<RecordValues>
        form={form}
        layout="vertical"
        initialValues={{ channel: 'hall' }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="channel" label={t('window.record.channel')}>
          <Radio.Group
            options={[
              { value: 'hall', label: t('window.channels.hall') },
              { value: 'hotline', label: t('window.channels.hotline') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="what"
          label={t('window.what')}
          rules={[{ required: true, message: t('window.record.whatRequired') }]}
        >
          <Input.TextArea rows={4} maxLength={2000} placeholder={t('window.record.whatHint')} />
        </Form.Item>
        <Form.Item name="place" label={t('window.place')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="unitsNamed" label={t('window.named')}>
          <Input maxLength={200} />
        </Form.Item>
        <Space style={{ display: 'flex' }} align="start">
          <Form.Item
            name="filerName"
            label={t('window.filer')}
            rules={[{ required: true, message: t('window.record.nameRequired') }]}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item
            name="filerPhone"
            label={t('window.phone')}
            rules={[{ required: true, message: t('window.record.phoneRequired') }]}
          >
            <Input maxLength={24} inputMode="tel" />
          </Form.Item>
        </Space>
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
