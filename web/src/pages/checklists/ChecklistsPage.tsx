import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { useUnits } from '../../queries';
import { useSession } from '../../session';
import {
  checklistKeys,
  checklistsApi,
  type ChecklistDefinition,
  type ChecklistItemDef,
  type ChecklistStatus,
  type ChecklistSummary,
  type EntryStatus,
  type EntryView,
} from './api';

/** What the account may do with checklists (the server enforces the same). */
export function useChecklistAccess() {
  const { session } = useSession();
  const permissions = session?.permissions ?? [];
  return {
    manage: permissions.includes('scoring:manage'),
    read: permissions.includes('scoring:read') || permissions.includes('checklists:fill'),
    fill: permissions.includes('checklists:fill'),
  };
}

const STATUS_COLOR: Record<ChecklistStatus, string> = {
  draft: 'default',
  open: 'processing',
  closed: 'success',
};
const ENTRY_COLOR: Record<EntryStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  accepted: 'success',
  returned: 'error',
};

export function ChecklistStatusTag({ status }: { status: ChecklistStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`checklists.status.${status}`)}</Tag>;
}

export function EntryStatusTag({ status }: { status: EntryStatus | null }) {
  const { t } = useTranslation();
  if (status === null) return <Tag>{t('checklists.entry.none')}</Tag>;
  return <Tag color={ENTRY_COLOR[status]}>{t(`checklists.entry.${status}`)}</Tag>;
}

/** 季度指标清单: every checklist (unit staff: those naming their units). */
export function ChecklistsPage() {
  const { t } = useTranslation();
  const access = useChecklistAccess();
  const q = useQuery({ queryKey: checklistKeys.list, queryFn: checklistsApi.list, enabled: access.read });
  if (!access.read) return <NoPermission />;
  return (
    <>
      <PageTitle
        title={t('checklists.list.title')}
        description={t('checklists.list.description')}
        extra={
          access.manage ? (
            <Link to="/checklists/new">
              <Button type="primary">{t('checklists.list.new')}</Button>
            </Link>
          ) : null
        }
      />
      <Card size="small">
        {q.error && <Alert type="error" title={errorText(q.error)} />}
        <Table<ChecklistSummary>
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data ?? []}
          pagination={false}
          columns={[
            {
              title: t('checklists.col.name'),
              render: (_, c) => <Link to={`/checklists/${c.id}`}>{c.name}</Link>,
            },
            { title: t('checklists.col.period'), dataIndex: 'periodName' },
            {
              title: t('checklists.col.window'),
              render: (_, c) =>
                t('checklists.window', { from: c.opensOn, to: c.deadline, days: c.workingDays }),
            },
            { title: t('checklists.col.units'), dataIndex: 'unitCount' },
            {
              title: t('checklists.col.pending'),
              render: (_, c) => (c.pending > 0 ? <Tag color="orange">{c.pending}</Tag> : '—'),
            },
            { title: t('checklists.col.status'), render: (_, c) => <ChecklistStatusTag status={c.status} /> },
          ]}
        />
      </Card>
    </>
  );
}

interface DesignForm {
  name: string;
  periodId: string;
  series: string;
  opensOn: dayjs.Dayjs;
  workingDays: number;
  unitIds: string[];
  maxItems: number | null;
  maxPointsEach: number | null;
  maxTotal: number | null;
}

/** The office's designer: a checklist's items (from the Xi'an preset), units, opening day and deadline. */
export function ChecklistDesignPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { checklistId } = useParams();
  const access = useChecklistAccess();
  const [form] = Form.useForm<DesignForm>();
  const [items, setItems] = useState<ChecklistItemDef[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const periods = useQuery({ queryKey: ['periods'], queryFn: api.periods });
  const units = useUnits();
  const presets = useQuery({
    queryKey: ['checklist-presets'],
    queryFn: checklistsApi.presets,
    enabled: access.manage,
  });
  const existing = useQuery({
    queryKey: checklistKeys.one(checklistId ?? ''),
    queryFn: () => checklistsApi.get(checklistId ?? ''),
    enabled: checklistId !== undefined,
  });
  if (existing.data && !loaded) {
    const c = existing.data;
    setLoaded(true);
    setItems(c.definition.items);
    form.setFieldsValue({
      name: c.name,
      periodId: c.periodId,
      series: c.series,
      opensOn: dayjs(c.opensOn),
      workingDays: c.workingDays,
      unitIds: c.units.map((u) => u.unitId),
      maxItems: c.definition.innovation?.maxItems ?? null,
      maxPointsEach: c.definition.innovation?.maxPointsEach ?? null,
      maxTotal: c.definition.innovation?.maxTotal ?? null,
    });
  }
  if (!access.manage) return <NoPermission />;

  const loadPreset = (key: string) => {
    const preset = presets.data?.find((p) => p.key === key);
    if (!preset) return;
    setItems(preset.definition.items);
    form.setFieldsValue({
      maxItems: preset.definition.innovation?.maxItems ?? null,
      maxPointsEach: preset.definition.innovation?.maxPointsEach ?? null,
      maxTotal: preset.definition.innovation?.maxTotal ?? null,
    });
  };
  const setItem = (index: number, change: Partial<ChecklistItemDef>) =>
    setItems(items.map((item, i) => (i === index ? { ...item, ...change } : item)));

  const save = async (values: DesignForm) => {
    setError(null);
    const definition: ChecklistDefinition = {
      items,
      innovation:
        values.maxItems && values.maxPointsEach && values.maxTotal
          ? { maxItems: values.maxItems, maxPointsEach: values.maxPointsEach, maxTotal: values.maxTotal }
          : null,
    };
    const input = {
      name: values.name,
      periodId: values.periodId,
      series: values.series,
      opensOn: values.opensOn.format('YYYY-MM-DD'),
      workingDays: values.workingDays,
      unitIds: values.unitIds,
      definition,
    };
    try {
      const saved = checklistId
        ? await checklistsApi.update(checklistId, input)
        : await checklistsApi.create(input);
      await client.invalidateQueries({ queryKey: checklistKeys.list });
      void message.success(t('checklists.design.saved', { deadline: saved.deadline }));
      void navigate(`/checklists/${saved.id}`);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <>
      <PageTitle
        title={t(checklistId ? 'checklists.design.editTitle' : 'checklists.design.title')}
        description={t('checklists.design.description')}
      />
      <Form<DesignForm>
        form={form}
        layout="vertical"
        onFinish={(v) => void save(v)}
        initialValues={{ workingDays: 10, opensOn: dayjs() }}
      >
        <Card size="small" title={t('checklists.design.basics')} style={{ marginBottom: 16 }}>
          <Space wrap align="start">
            <Form.Item name="name" label={t('checklists.design.name')} rules={[{ required: true }]}>
              <Input style={{ width: 360 }} placeholder="2026年第一季度“6个1 + X”指标" />
            </Form.Item>
            <Form.Item name="periodId" label={t('checklists.design.period')} rules={[{ required: true }]}>
              <Select
                style={{ width: 200 }}
                options={(periods.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
              />
            </Form.Item>
            <Form.Item
              name="series"
              label={t('checklists.design.series')}
              tooltip={t('checklists.design.seriesHelp')}
              rules={[{ required: true }]}
            >
              <Input style={{ width: 200 }} placeholder="checklist-2026q1" />
            </Form.Item>
            <Form.Item name="opensOn" label={t('checklists.design.opensOn')} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
            <Form.Item
              name="workingDays"
              label={t('checklists.design.workingDays')}
              tooltip={t('checklists.design.workingDaysHelp')}
              rules={[{ required: true }]}
            >
              <InputNumber min={1} max={60} />
            </Form.Item>
          </Space>
          <Form.Item name="unitIds" label={t('checklists.design.units')} rules={[{ required: true }]}>
            <Select
              mode="multiple"
              optionFilterProp="label"
              options={(units.data ?? [])
                .filter((u) => u.kind === 'department' || u.kind === 'section')
                .map((u) => ({ value: u.id, label: `${u.name}（${u.code}）` }))}
            />
          </Form.Item>
        </Card>
        <Card
          size="small"
          title={t('checklists.design.items')}
          style={{ marginBottom: 16 }}
          extra={
            <Space>
              {(presets.data ?? []).map((p) => (
                <Button key={p.key} onClick={() => loadPreset(p.key)}>
                  {t('checklists.design.loadPreset', { name: p.name })}
                </Button>
              ))}
              <Button
                onClick={() =>
                  setItems([
                    ...items,
                    {
                      key: `item${items.length + 1}`,
                      title: '',
                      evidence: '',
                      evidenceKind: 'any',
                      points: 5,
                    },
                  ])
                }
              >
                {t('checklists.design.addItem')}
              </Button>
            </Space>
          }
        >
          <Table<ChecklistItemDef>
            rowKey={(_, i) => String(i)}
            dataSource={items}
            pagination={false}
            locale={{ emptyText: t('checklists.design.noItems') }}
            columns={[
              {
                title: t('checklists.design.itemTitle'),
                render: (_, item, i) => (
                  <Input value={item.title} onChange={(e) => setItem(i, { title: e.target.value })} />
                ),
              },
              {
                title: t('checklists.design.evidence'),
                render: (_, item, i) => (
                  <Input value={item.evidence} onChange={(e) => setItem(i, { evidence: e.target.value })} />
                ),
              },
              {
                title: t('checklists.design.evidenceKind'),
                width: 130,
                render: (_, item, i) => (
                  <Select
                    value={item.evidenceKind}
                    style={{ width: 110 }}
                    onChange={(v) => setItem(i, { evidenceKind: v })}
                    options={(['photo', 'document', 'any'] as const).map((k) => ({
                      value: k,
                      label: t(`checklists.kind.${k}`),
                    }))}
                  />
                ),
              },
              {
                title: t('checklists.design.points'),
                width: 100,
                render: (_, item, i) => (
                  <InputNumber
                    value={item.points}
                    min={0.5}
                    max={100}
                    step={0.5}
                    onChange={(v) => setItem(i, { points: v ?? 0 })}
                  />
                ),
              },
              {
                width: 70,
                render: (_, _item, i) => (
                  <Button type="link" danger onClick={() => setItems(items.filter((_x, j) => j !== i))}>
                    {t('checklists.design.remove')}
                  </Button>
                ),
              },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            {t('checklists.design.innovationHelp')}
          </Typography.Paragraph>
          <Space wrap>
            <Form.Item name="maxItems" label={t('checklists.design.maxItems')}>
              <InputNumber min={1} max={20} />
            </Form.Item>
            <Form.Item name="maxPointsEach" label={t('checklists.design.maxPointsEach')}>
              <InputNumber min={0.5} max={100} step={0.5} />
            </Form.Item>
            <Form.Item name="maxTotal" label={t('checklists.design.maxTotal')}>
              <InputNumber min={0.5} max={100} step={0.5} />
            </Form.Item>
          </Space>
        </Card>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginBottom: 16 }}
            data-testid="design-error"
          />
        )}
        <Button type="primary" htmlType="submit">
          {t('checklists.design.save')}
        </Button>
      </Form>
    </>
  );
}

/** One checklist: its status and deadline, each unit's points, and (office) the review queue. */
export function ChecklistPage() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const { checklistId = '' } = useParams();
  const access = useChecklistAccess();
  const client = useQueryClient();
  const q = useQuery({
    queryKey: checklistKeys.one(checklistId),
    queryFn: () => checklistsApi.get(checklistId),
    enabled: access.read,
  });
  const [reviewing, setReviewing] = useState<{ entry: EntryView; decision: 'accept' | 'return' } | null>(
    null,
  );
  const [reason, setReason] = useState('');
  const [points, setPoints] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!access.read) return <NoPermission />;
  const c = q.data;
  const refresh = () => client.invalidateQueries({ queryKey: ['checklists'] });
  const act = async (work: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await work();
      await refresh();
      void message.success(done);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <>
      <PageTitle
        title={c?.name ?? t('checklists.list.title')}
        description={t('checklists.one.description')}
        extra={
          c && access.manage ? (
            <Space>
              {c.status === 'draft' && (
                <>
                  <Link to={`/checklists/${c.id}/edit`}>
                    <Button>{t('checklists.one.edit')}</Button>
                  </Link>
                  <Button
                    type="primary"
                    onClick={() => {
                      modal.confirm({
                        title: t('checklists.one.openConfirm', { deadline: c.deadline }),
                        onOk: () => act(() => checklistsApi.open(c.id), t('checklists.one.opened')),
                      });
                    }}
                  >
                    {t('checklists.one.open')}
                  </Button>
                </>
              )}
              {c.status === 'open' && (
                <Button
                  type="primary"
                  onClick={() => {
                    modal.confirm({
                      title: t('checklists.one.closeConfirm'),
                      content: t('checklists.one.closeHelp', { series: c.series }),
                      onOk: () => act(() => checklistsApi.close(c.id), t('checklists.one.closed')),
                    });
                  }}
                >
                  {t('checklists.one.close')}
                </Button>
              )}
            </Space>
          ) : null
        }
      />
      {q.error && <Alert type="error" title={errorText(q.error)} />}
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginBottom: 16 }}
          data-testid="checklist-error"
        />
      )}
      {c && (
        <>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={3}>
              <Descriptions.Item label={t('checklists.col.status')}>
                <ChecklistStatusTag status={c.status} />
              </Descriptions.Item>
              <Descriptions.Item label={t('checklists.col.period')}>{c.periodName}</Descriptions.Item>
              <Descriptions.Item label={t('checklists.one.deadline')}>
                <span data-testid="deadline">
                  {t('checklists.window', { from: c.opensOn, to: c.deadline, days: c.workingDays })}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('checklists.one.scoring')}>
                {t('checklists.one.seriesText', { series: c.series })}
              </Descriptions.Item>
              <Descriptions.Item label={t('checklists.one.innovation')}>
                {c.definition.innovation
                  ? t('checklists.one.innovationText', { ...c.definition.innovation })
                  : t('checklists.one.noInnovation')}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          {access.manage && c.status !== 'draft' && (
            <Card
              size="small"
              title={t('checklists.one.queue', { count: c.queue.length })}
              style={{ marginBottom: 16 }}
            >
              <Table<EntryView>
                rowKey="id"
                dataSource={c.queue}
                pagination={false}
                locale={{ emptyText: t('checklists.one.queueEmpty') }}
                columns={[
                  { title: t('checklists.col.unit'), dataIndex: 'unitName' },
                  {
                    title: t('checklists.col.item'),
                    render: (_, e) => (
                      <>
                        {e.kind === 'innovation' && <Tag color="purple">X</Tag>}
                        {e.title}
                        {e.claimedPoints !== null && (
                          <Typography.Text type="secondary">
                            {' '}
                            {t('checklists.one.claimed', { points: e.claimedPoints })}
                          </Typography.Text>
                        )}
                      </>
                    ),
                  },
                  { title: t('checklists.col.note'), dataIndex: 'note' },
                  { title: t('checklists.col.evidence'), render: (_, e) => <EvidenceLinks entry={e} /> },
                  {
                    title: t('checklists.col.submitted'),
                    render: (_, e) => `${e.submittedBy ?? ''} ${(e.submittedAt ?? '').slice(0, 10)}`,
                  },
                  {
                    render: (_, e) => (
                      <Space>
                        <Button
                          size="small"
                          type="primary"
                          onClick={() => {
                            setPoints(e.claimedPoints);
                            setReviewing({ entry: e, decision: 'accept' });
                          }}
                        >
                          {t('checklists.one.accept')}
                        </Button>
                        <Button
                          size="small"
                          danger
                          onClick={() => {
                            setReason('');
                            setReviewing({ entry: e, decision: 'return' });
                          }}
                        >
                          {t('checklists.one.return')}
                        </Button>
                      </Space>
                    ),
                  },
                ]}
              />
            </Card>
          )}
          <Card size="small" title={t('checklists.one.results')}>
            <Table
              rowKey="unitId"
              dataSource={c.results}
              pagination={false}
              columns={[
                {
                  title: t('checklists.col.unit'),
                  render: (_, r) =>
                    c.status === 'draft' ? (
                      r.unitName
                    ) : (
                      <Link to={`/checklists/${c.id}/units/${r.unitId}`}>{r.unitName}</Link>
                    ),
                },
                {
                  title: t('checklists.col.progress'),
                  render: (_, r) =>
                    t('checklists.one.progress', {
                      accepted: r.accepted,
                      submitted: r.submitted,
                      items: r.items,
                    }),
                },
                { title: t('checklists.col.completion'), dataIndex: 'completion' },
                { title: t('checklists.col.bonus'), dataIndex: 'bonus' },
              ]}
            />
          </Card>
        </>
      )}
      <Modal
        open={reviewing !== null}
        title={
          reviewing &&
          t(reviewing.decision === 'accept' ? 'checklists.one.acceptTitle' : 'checklists.one.returnTitle', {
            unit: reviewing.entry.unitName,
            item: reviewing.entry.title,
          })
        }
        onCancel={() => setReviewing(null)}
        onOk={() => {
          if (!reviewing) return;
          const { entry, decision } = reviewing;
          setReviewing(null);
          void act(
            () =>
              checklistsApi.review(entry.id, {
                decision,
                ...(decision === 'return' ? { reason } : {}),
                ...(decision === 'accept' && entry.kind === 'innovation' && points !== null
                  ? { points }
                  : {}),
              }),
            t(decision === 'accept' ? 'checklists.one.acceptedMsg' : 'checklists.one.returnedMsg'),
          );
        }}
      >
        {reviewing?.decision === 'return' && (
          <Input.TextArea
            rows={3}
            value={reason}
            placeholder={t('checklists.one.reasonPlaceholder')}
            onChange={(e) => setReason(e.target.value)}
            data-testid="return-reason"
          />
        )}
        {reviewing?.decision === 'accept' && reviewing.entry.kind === 'innovation' && (
          <Space>
            {t('checklists.one.award')}
            <InputNumber value={points} min={0} step={0.5} onChange={(v) => setPoints(v)} />
          </Space>
        )}
      </Modal>
    </>
  );
}

export function EvidenceLinks({ entry }: { entry: EntryView }) {
  return (
    <Space orientation="vertical" size={0}>
      {entry.evidence.map((f) => (
        <a key={f.id} href={checklistsApi.fileUrl(f.sha256)} target="_blank" rel="noreferrer">
          {f.filename}
        </a>
      ))}
    </Space>
  );
}
