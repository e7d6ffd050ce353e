import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useUnits } from '../../queries';
import { formatTime } from '../../util';
import { scoringApi, scoringKeys, type ScoreSheetEntry, type ScoringTask } from './api';
import { useScoringAccess } from './menu';
import { PeriodSelect } from './shared';
import './scoring.css';

interface Line {
  key: number;
  unitId: string | null;
  value: number | null;
}

/** 联考评分: tasks with a lead unit, and the sheets the lead unit enters for the units that carry them. */
export function SheetsPage() {
  const { t } = useTranslation();
  const access = useScoringAccess();
  const tasks = useQuery({
    queryKey: scoringKeys.tasks,
    queryFn: scoringApi.tasks,
    enabled: access.read || access.sheet,
  });
  const [taskKey, setTaskKey] = useState<string | null>(null);
  const [periodId, setPeriodId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  if (!access.read && !access.sheet) return <NoPermission />;
  const task = tasks.data?.find((x) => x.key === taskKey) ?? null;

  return (
    <>
      <PageTitle
        title={t('scoring.sheets.title')}
        description={t('scoring.sheets.description')}
        extra={
          access.manage && (
            <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('scoring.sheets.createTask')}
            </Button>
          )
        }
      />
      <Row gutter={16}>
        <Col span={9}>
          <Card size="small" title={t('scoring.sheets.tasksTitle')}>
            {tasks.isError && <Alert type="error" showIcon title={errorText(tasks.error)} />}
            <Table<ScoringTask>
              size="small"
              rowKey="id"
              loading={tasks.isFetching}
              dataSource={tasks.data ?? []}
              pagination={false}
              rowClassName={(x) => (x.key === taskKey ? 'mp-sc-row-selected' : '')}
              onRow={(x) => ({ onClick: () => setTaskKey(x.key), style: { cursor: 'pointer' } })}
              locale={{
                emptyText: (
                  <Empty
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={
                      access.manage ? t('scoring.sheets.tasksEmptyManage') : t('scoring.sheets.tasksEmpty')
                    }
                  />
                ),
              }}
              columns={[
                {
                  title: t('scoring.sheets.taskName'),
                  key: 'name',
                  render: (_: unknown, x) => (
                    <div>
                      <Typography.Link>{x.name}</Typography.Link>
                      <div className="mp-sc-secondary">
                        <code>{x.key}</code>
                      </div>
                    </div>
                  ),
                },
                { title: t('scoring.sheets.lead'), dataIndex: 'leadUnitName', width: 150 },
              ]}
            />
          </Card>
        </Col>
        <Col span={15}>
          {task ? (
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              <Card size="small">
                <Space wrap>
                  <Typography.Text strong>{task.name}</Typography.Text>
                  <Tag>{t('scoring.sheets.leadIs', { name: task.leadUnitName })}</Tag>
                  <PeriodSelect id="sc-sheet-period" value={periodId} onChange={setPeriodId} />
                </Space>
              </Card>
              {periodId ? (
                <>
                  {(access.sheet || access.manage) && <SheetForm task={task} periodId={periodId} />}
                  <EntriesCard task={task} periodId={periodId} />
                </>
              ) : (
                <Card size="small">
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('scoring.sheets.pickPeriod')} />
                </Card>
              )}
            </Space>
          ) : (
            <Card size="small">
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('scoring.sheets.pickTask')} />
            </Card>
          )}
        </Col>
      </Row>
      {creating && (
        <CreateTaskModal
          onClose={(created) => {
            setCreating(false);
            if (created) setTaskKey(created);
          }}
        />
      )}
    </>
  );
}

function SheetForm({ task, periodId }: { task: ScoringTask; periodId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const units = useUnits();
  const [document, setDocument] = useState('');
  const [lines, setLines] = useState<Line[]>([{ key: 1, unitId: null, value: null }]);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const complete = lines.filter((l) => l.unitId && l.value !== null);
  const ready = document.trim().length > 0 && complete.length > 0 && complete.length === lines.length;
  const setLine = (key: number, change: Partial<Line>) =>
    setLines(lines.map((l) => (l.key === key ? { ...l, ...change } : l)));

  const submit = async () => {
    setError(null);
    setSaving(true);
    try {
      const result = await scoringApi.enterSheet({
        task: task.key,
        periodId,
        document: document.trim(),
        entries: complete.map((l) => ({ unitId: l.unitId ?? '', value: l.value ?? 0 })),
      });
      void message.success(t('scoring.sheets.stored', { n: result.stored }));
      setLines([{ key: Date.now(), unitId: null, value: null }]);
      await client.invalidateQueries({ queryKey: scoringKeys.sheets(task.key, periodId) });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title={t('scoring.sheets.formTitle')}>
      <Form layout="vertical" component="div">
        <Form.Item
          label={t('scoring.scores.document')}
          htmlFor="sc-sheet-document"
          required
          help={t('scoring.sheets.documentHelp')}
        >
          <Input
            id="sc-sheet-document"
            value={document}
            maxLength={200}
            onChange={(e) => setDocument(e.target.value)}
          />
        </Form.Item>
      </Form>
      <Table<Line>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={lines}
        columns={[
          {
            title: t('scoring.sheets.scoredUnit'),
            key: 'unit',
            render: (_: unknown, l) => (
              <UnitTreeSelect
                id={`sc-sheet-unit-${l.key}`}
                units={units.data ?? []}
                value={l.unitId}
                onChange={(unitId) => setLine(l.key, { unitId })}
                placeholder={t('scoring.sheets.pickUnit')}
              />
            ),
          },
          {
            title: t('scoring.scores.value'),
            key: 'value',
            width: 140,
            render: (_: unknown, l) => (
              <InputNumber
                aria-label={t('scoring.scores.value')}
                style={{ width: '100%' }}
                value={l.value}
                onChange={(v) => setLine(l.key, { value: typeof v === 'number' ? v : null })}
              />
            ),
          },
          {
            key: 'remove',
            width: 44,
            render: (_: unknown, l) =>
              lines.length > 1 && (
                <Button
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('scoring.editor.remove')}
                  onClick={() => setLines(lines.filter((x) => x.key !== l.key))}
                />
              ),
          },
        ]}
      />
      <Space style={{ marginTop: 8 }}>
        <Button
          icon={<PlusOutlined />}
          onClick={() => setLines([...lines, { key: Date.now(), unitId: null, value: null }])}
        >
          {t('scoring.sheets.addLine')}
        </Button>
        <Popconfirm
          title={t('scoring.sheets.submitConfirm', { n: complete.length, task: task.name })}
          onConfirm={() => void submit()}
          disabled={!ready}
        >
          <Button type="primary" loading={saving} disabled={!ready}>
            {t('scoring.sheets.submit')}
          </Button>
        </Popconfirm>
        {!ready && <span className="mp-sc-secondary">{t('scoring.sheets.fillHint')}</span>}
      </Space>
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="sheet-error" />
      )}
    </Card>
  );
}

function EntriesCard({ task, periodId }: { task: ScoringTask; periodId: string }) {
  const { t } = useTranslation();
  const entries = useQuery({
    queryKey: scoringKeys.sheets(task.key, periodId),
    queryFn: () => scoringApi.sheets(task.key, periodId),
  });
  return (
    <Card size="small" title={t('scoring.sheets.entriesTitle')}>
      {entries.isError && <Alert type="error" showIcon title={errorText(entries.error)} />}
      <Table<ScoreSheetEntry>
        size="small"
        rowKey="id"
        loading={entries.isFetching}
        dataSource={entries.data ?? []}
        pagination={{ pageSize: 30, hideOnSinglePage: true, showSizeChanger: false }}
        rowClassName={(e) => (e.supersededAt ? 'mp-sc-superseded' : '')}
        locale={{
          emptyText: (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('scoring.sheets.entriesEmpty')} />
          ),
        }}
        columns={[
          { title: t('scoring.sheets.scoredUnit'), dataIndex: 'unitName' },
          {
            title: t('scoring.scores.value'),
            dataIndex: 'value',
            width: 90,
            render: (v: number, e) => (
              <Typography.Text delete={Boolean(e.supersededAt)} strong={!e.supersededAt}>
                {v}
              </Typography.Text>
            ),
          },
          {
            title: t('scoring.scores.provenance'),
            key: 'provenance',
            render: (_: unknown, e) => (
              <div>
                <div>
                  {e.scorerUnitName} · {e.document}
                </div>
                <div className="mp-sc-secondary">
                  {e.enteredBy} · {formatTime(e.enteredAt)}
                </div>
              </div>
            ),
          },
          {
            title: t('scoring.scores.state'),
            key: 'state',
            width: 150,
            render: (_: unknown, e) =>
              e.supersededAt ? (
                <Tag>{t('scoring.scores.supersededAt', { at: formatTime(e.supersededAt) })}</Tag>
              ) : (
                <Tag color="green">{t('scoring.scores.current')}</Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}

function CreateTaskModal({ onClose }: { onClose: (createdKey: string | null) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const units = useUnits();
  const [form] = Form.useForm<{ key: string; name: string; leadUnitId: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    let values;
    try {
      values = await form.validateFields();
    } catch {
      // The form shows what is missing next to each field.
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const task = await scoringApi.createTask({
        ...values,
        key: values.key.trim(),
        name: values.name.trim(),
      });
      await client.invalidateQueries({ queryKey: scoringKeys.tasks });
      void message.success(t('scoring.sheets.taskCreated', { name: task.name }));
      onClose(task.key);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('scoring.sheets.createTask')}
      okText={t('common.create')}
      okButtonProps={{ loading: saving }}
      onOk={() => void submit()}
      onCancel={() => onClose(null)}
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="key"
          label={t('scoring.sheets.taskKey')}
          help={t('scoring.sheets.taskKeyHelp')}
          rules={[
            {
              required: true,
              pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
              message: t('scoring.sheets.taskKeyHelp'),
            },
          ]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('scoring.sheets.taskName')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item name="leadUnitId" label={t('scoring.sheets.lead')} rules={[{ required: true }]}>
          <UnitTreeSelect units={units.data ?? []} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
