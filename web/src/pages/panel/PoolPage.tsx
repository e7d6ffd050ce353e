import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api';
import { PageTitle } from '../../components/PageTitle';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useUnits } from '../../queries';
import { panelApi, type EvaluatorInput, type EvaluatorView } from './api';
import { usePanelAccess } from './menu';

/** /panel/pool — the evaluators: search, add, edit, deactivate. */
export function PoolPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const access = usePanelAccess();
  const client = useQueryClient();
  const [q, setQ] = useState('');
  const [group, setGroup] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [unmasked, setUnmasked] = useState(false);
  const [editing, setEditing] = useState<EvaluatorView | 'new' | null>(null);
  const groups = useQuery({ queryKey: ['panel', 'groups'], queryFn: panelApi.groups });
  const list = useQuery({
    queryKey: ['panel', 'evaluators', q, group, page, unmasked],
    queryFn: () =>
      panelApi.evaluators({ q, group, offset: (page - 1) * 20, limit: 20, unmasked: unmasked || undefined }),
  });
  const groupNames = useMemo(() => new Map((groups.data ?? []).map((g) => [g.code, g.name])), [groups.data]);
  const refresh = () => void client.invalidateQueries({ queryKey: ['panel'] });

  return (
    <>
      <PageTitle
        title={t('panel.pool.title')}
        description={t('panel.pool.description')}
        extra={
          access.manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('panel.pool.add')}
            </Button>
          )
        }
      />
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search
          allowClear
          placeholder={t('panel.pool.search')}
          onSearch={(v) => (setQ(v), setPage(1))}
          style={{ width: 240 }}
        />
        <Select
          allowClear
          style={{ width: 200 }}
          placeholder={t('panel.pool.groups')}
          value={group}
          onChange={(v: string | undefined) => (setGroup(v), setPage(1))}
          options={(groups.data ?? []).map((g) => ({ value: g.code, label: `${g.name} (${g.members})` }))}
        />
        {access.mobile && (
          <Space>
            <Switch checked={unmasked} onChange={setUnmasked} />
            {t('panel.pool.showMobiles')}
          </Space>
        )}
      </Space>
      <Table<EvaluatorView>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{
          current: page,
          pageSize: 20,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (n) => t('panel.pool.total', { n }),
          onChange: setPage,
        }}
        columns={[
          { title: t('panel.pool.name'), dataIndex: 'name' },
          { title: t('panel.pool.mobile'), dataIndex: 'mobile' },
          {
            title: t('panel.pool.groups'),
            dataIndex: 'groups',
            render: (gs: string[]) => gs.map((g) => <Tag key={g}>{groupNames.get(g) ?? g}</Tag>),
          },
          { title: t('panel.pool.region'), dataIndex: 'regionName', render: (v: string | null) => v ?? '—' },
          {
            title: t('panel.pool.grassroots'),
            dataIndex: 'grassroots',
            render: (v: boolean) => (v ? t('panel.pool.yes') : t('panel.pool.no')),
          },
          { title: t('panel.pool.tags'), dataIndex: 'tags', render: (ts: string[]) => ts.join('、') },
          {
            title: t('panel.pool.active'),
            dataIndex: 'active',
            render: (v: boolean) => (
              <Tag color={v ? 'green' : 'default'}>
                {v ? t('panel.pool.activeYes') : t('panel.pool.activeNo')}
              </Tag>
            ),
          },
          ...(access.manage
            ? [
                {
                  key: 'actions',
                  title: '',
                  render: (_: unknown, e: EvaluatorView) => (
                    <Space>
                      <Button size="small" onClick={() => setEditing(e)}>
                        {t('panel.pool.edit')}
                      </Button>
                      <Popconfirm
                        title={e.active ? t('panel.pool.deactivateConfirm') : t('panel.pool.activate')}
                        onConfirm={() => {
                          void panelApi
                            .setActive(e.id, !e.active)
                            .then(refresh, (err: unknown) => void message.error(errorText(err)));
                        }}
                      >
                        <Button size="small" danger={e.active}>
                          {e.active ? t('panel.pool.deactivate') : t('panel.pool.activate')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <EvaluatorForm
          evaluator={editing === 'new' ? null : editing}
          groups={(groups.data ?? []).map((g) => ({ value: g.code, label: g.name }))}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void message.success(t('panel.pool.saved'));
            refresh();
          }}
        />
      )}
    </>
  );
}

function EvaluatorForm({
  evaluator,
  groups,
  onClose,
  onSaved,
}: {
  evaluator: EvaluatorView | null;
  groups: { value: string; label: string }[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<EvaluatorInput>();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const units = useUnits();
  const save = async () => {
    const values = await form.validateFields();
    setSaving(true);
    setError(null);
    const body: EvaluatorInput = {
      ...values,
      regionId: values.regionId ?? null,
      tags: values.tags ?? [],
      conflicts: values.conflicts ?? [],
      grassroots: values.grassroots ?? false,
    };
    try {
      if (evaluator) await panelApi.updateEvaluator(evaluator.id, body);
      else await panelApi.createEvaluator(body);
      onSaved();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={evaluator ? t('panel.pool.edit') : t('panel.pool.add')}
      onCancel={onClose}
      onOk={() => void save()}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={
          evaluator
            ? {
                ...evaluator,
                mobile: evaluator.mobileMasked ? '' : evaluator.mobile,
                conflicts: evaluator.conflicts.map((c) => c.id),
              }
            : { grassroots: true, groups: [], tags: [], conflicts: [] }
        }
      >
        <Form.Item name="name" label={t('panel.pool.name')} rules={[{ required: true }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="mobile" label={t('panel.pool.mobile')} rules={[{ required: true }]}>
          <Input maxLength={20} placeholder={evaluator?.mobile} />
        </Form.Item>
        <Form.Item name="groups" label={t('panel.pool.groups')} rules={[{ required: true }]}>
          <Select mode="multiple" options={groups} />
        </Form.Item>
        <Form.Item name="regionId" label={t('panel.pool.region')}>
          <UnitTreeSelect units={units.data ?? []} />
        </Form.Item>
        <Form.Item name="grassroots" label={t('panel.pool.grassroots')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="tags" label={t('panel.pool.tags')}>
          <Select mode="tags" />
        </Form.Item>
        <Form.Item name="conflicts" label={t('panel.pool.conflicts')}>
          <Select
            mode="multiple"
            showSearch
            optionFilterProp="label"
            options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
        {error && <div className="ant-form-item-explain-error">{error}</div>}
      </Form>
    </Modal>
  );
}
