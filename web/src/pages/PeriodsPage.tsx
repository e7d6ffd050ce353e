import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../api';
import { FormModal } from '../components/FormModal';
import { PageTitle } from '../components/PageTitle';
import { keys } from '../queries';
import { useAccount } from '../session';
import { PERIOD_KINDS, type Period, type PeriodKind } from '../types';
import { chinaToday, showFieldError } from '../util';

const PER_YEAR: Record<PeriodKind, number> = { year: 1, half: 2, quarter: 4, month: 12 };
const KIND_COLORS: Record<PeriodKind, string> = {
  year: 'red',
  half: 'orange',
  quarter: 'blue',
  month: 'default',
};

/** 考核周期: the periods that results, campaigns and statistics refer to. */
export function PeriodsPage() {
  const { t } = useTranslation();
  const { can } = useAccount();
  const periods = useQuery({ queryKey: keys.periods, queryFn: api.periods });
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<Period | null>(null);
  const [kindFilter, setKindFilter] = useState<PeriodKind | undefined>(undefined);
  const canWrite = can('periods:write');
  const today = chinaToday();
  const rows = (periods.data ?? []).filter((p) => !kindFilter || p.kind === kindFilter);

  return (
    <>
      <PageTitle
        title={t('periods.title')}
        description={t('periods.description')}
        extra={
          canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('periods.create')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Space style={{ marginBottom: 12 }}>
          <Select<PeriodKind>
            allowClear
            style={{ width: 180 }}
            placeholder={t('periods.allKinds')}
            value={kindFilter}
            onChange={setKindFilter}
            options={PERIOD_KINDS.map((k) => ({ value: k, label: t(`periodKinds.${k}`) }))}
          />
        </Space>
        {periods.isError && <Alert type="error" showIcon title={errorText(periods.error)} />}
        <Table<Period>
          size="small"
          rowKey="id"
          loading={periods.isPending}
          dataSource={rows}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={canWrite ? t('periods.empty') : t('periods.emptyReadOnly')}
              />
            ),
          }}
          columns={[
            { title: t('fields.periodCode'), dataIndex: 'code', width: 120 },
            { title: t('fields.periodName'), dataIndex: 'name' },
            {
              title: t('fields.periodKind'),
              dataIndex: 'kind',
              width: 100,
              render: (kind: PeriodKind) => <Tag color={KIND_COLORS[kind]}>{t(`periodKinds.${kind}`)}</Tag>,
            },
            { title: t('fields.startDate'), dataIndex: 'startDate', width: 120 },
            { title: t('fields.endDate'), dataIndex: 'endDate', width: 120 },
            {
              title: t('fields.status'),
              key: 'status',
              width: 100,
              render: (_: unknown, p: Period) =>
                p.endDate < today ? (
                  <Tag>{t('periods.past')}</Tag>
                ) : p.startDate > today ? (
                  <Tag color="blue">{t('periods.future')}</Tag>
                ) : (
                  <Tag color="success">{t('periods.current')}</Tag>
                ),
            },
            ...(canWrite
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 90,
                    render: (_: unknown, p: Period) => (
                      <Button type="link" size="small" onClick={() => setRenaming(p)}>
                        {t('periods.rename')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {creating && <CreatePeriodsModal onClose={() => setCreating(false)} />}
      {renaming && <RenameModal period={renaming} onClose={() => setRenaming(null)} />}
    </>
  );
}

interface CreateValues {
  kind: PeriodKind;
  year: number;
  all: boolean;
  seq?: number;
  name?: string;
}

function CreatePeriodsModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<CreateValues>();
  const kind = Form.useWatch('kind', form) ?? 'quarter';
  const all = Form.useWatch('all', form) ?? true;
  const count = PER_YEAR[kind];
  const whole = kind === 'year' || all;

  const save = async (values: CreateValues) => {
    const created = await api.createPeriods({
      kind: values.kind,
      year: values.year,
      ...(whole ? {} : { seq: values.seq ?? 1 }),
      ...(!whole && values.name?.trim() ? { name: values.name.trim() } : {}),
    });
    if (created.length === 0) void message.info(t('periods.nothingCreated'));
    else
      void message.success(
        t('periods.createdMany', { count: created.length, names: created.map((p) => p.name).join('、') }),
      );
    await client.invalidateQueries({ queryKey: keys.periods });
    await client.invalidateQueries({ queryKey: keys.audit });
    onClose();
  };

  return (
    <FormModal<CreateValues>
      form={form}
      name="periodCreate"
      title={t('periods.create')}
      okText={t('common.create')}
      initialValues={{ kind: 'quarter', year: Number(chinaToday().slice(0, 4)), all: true, seq: 1 }}
      fields={['kind', 'year', 'seq', 'name']}
      onSave={save}
      onClose={onClose}
    >
      <Space size={16} align="start">
        <Form.Item name="kind" label={t('fields.periodKind')} rules={[{ required: true }]}>
          <Select
            style={{ width: 160 }}
            options={PERIOD_KINDS.map((k) => ({ value: k, label: t(`periodKinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="year" label={t('fields.year')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} style={{ width: 120 }} />
        </Form.Item>
      </Space>
      {kind !== 'year' && (
        <Form.Item name="all" valuePropName="checked" extra={t('periods.allHelp', { count })}>
          <Checkbox>{t('periods.wholeYear')}</Checkbox>
        </Form.Item>
      )}
      {!whole && (
        <Space size={16} align="start">
          <Form.Item name="seq" label={t('fields.seq')} rules={[{ required: true }]}>
            <Select
              style={{ width: 160 }}
              options={Array.from({ length: count }, (_, i) => ({
                value: i + 1,
                label: t(`periodSeq.${kind}`, { n: i + 1 }),
              }))}
            />
          </Form.Item>
          <Form.Item name="name" label={t('fields.periodName')} extra={t('periods.nameHelp')}>
            <Input maxLength={60} style={{ width: 240 }} />
          </Form.Item>
        </Space>
      )}
    </FormModal>
  );
}

function RenameModal({ period, onClose }: { period: Period; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ name: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    let values: { name: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      await api.renamePeriod(period.id, values.name.trim());
      void message.success(t('common.saved'));
      await client.invalidateQueries({ queryKey: keys.periods });
      onClose();
    } catch (e) {
      if (!showFieldError(form, e, ['name'])) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('periods.renameTitle', { code: period.code })}
      okText={t('common.save')}
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form name="periodRename" form={form} layout="vertical" initialValues={{ name: period.name }}>
        <Form.Item
          name="name"
          label={t('fields.periodName')}
          rules={[{ required: true, whitespace: true, message: t('periods.nameRequired') }]}
        >
          <Input maxLength={60} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
