import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Form, Input, Modal, Popconfirm, Radio, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api';
import { keys } from '../../queries';
import { SERVICE_MODES, type ServiceItem, type ServiceMode, type Unit } from '../../types';
import { showFieldError } from '../../util';

interface ItemValues {
  code: string;
  name: string;
  mode: ServiceMode;
}

/** The 服务事项 tab: the service items the public can rate at this unit. */
export function ServiceItemsTab({ unit, readOnly }: { unit: Unit; readOnly: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const items = useQuery({ queryKey: keys.serviceItems(unit.id), queryFn: () => api.serviceItems(unit.id) });
  const [editing, setEditing] = useState<ServiceItem | 'new' | null>(null);

  const refresh = async () => {
    await Promise.all([
      client.invalidateQueries({ queryKey: keys.serviceItems(unit.id) }),
      client.invalidateQueries({ queryKey: keys.unit(unit.id) }),
      client.invalidateQueries({ queryKey: keys.audit }),
    ]);
  };

  const toggle = async (item: ServiceItem) => {
    try {
      await api.updateServiceItem(item.id, { active: !item.active });
      void message.success(item.active ? t('items.disabled') : t('items.enabled'));
      await refresh();
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  return (
    <>
      {!readOnly && (
        <div style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('items.add')}
          </Button>
        </div>
      )}
      {items.isError && <Alert type="error" showIcon title={errorText(items.error)} />}
      <Table<ServiceItem>
        size="small"
        rowKey="id"
        loading={items.isPending}
        dataSource={items.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={readOnly ? t('items.emptyReadOnly') : t('items.empty')}
            />
          ),
        }}
        columns={[
          { title: t('fields.itemCode'), dataIndex: 'code', width: 160 },
          { title: t('fields.itemName'), dataIndex: 'name' },
          {
            title: t('fields.mode'),
            dataIndex: 'mode',
            width: 120,
            render: (mode: ServiceMode) => t(`modes.${mode}`),
          },
          {
            title: t('fields.status'),
            dataIndex: 'active',
            width: 90,
            render: (active: boolean) =>
              active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>,
          },
          ...(readOnly
            ? []
            : [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 140,
                  render: (_: unknown, item: ServiceItem) => (
                    <Space size={4}>
                      <Button type="link" size="small" onClick={() => setEditing(item)}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={item.active ? t('items.disableConfirm') : t('items.enableConfirm')}
                        onConfirm={() => void toggle(item)}
                      >
                        <Button type="link" size="small" danger={item.active}>
                          {item.active ? t('common.disable') : t('common.enable')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]),
        ]}
      />
      {editing && (
        <ItemModal
          unit={unit}
          item={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await refresh();
          }}
        />
      )}
    </>
  );
}

function ItemModal({
  unit,
  item,
  onClose,
  onSaved,
}: {
  unit: Unit;
  item: ServiceItem | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ItemValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    let values: ItemValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (item) await api.updateServiceItem(item.id, { name: values.name.trim(), mode: values.mode });
      else
        await api.createServiceItem({
          code: values.code.trim(),
          name: values.name.trim(),
          mode: values.mode,
          unitId: unit.id,
        });
      void message.success(t('common.saved'));
      await onSaved();
    } catch (e) {
      if (!showFieldError(form, e, ['code', 'name', 'mode'])) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={item ? t('items.editTitle') : t('items.addTitle', { unit: unit.name })}
      okText={item ? t('common.save') : t('common.create')}
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<ItemValues>
        name="serviceItem"
        form={form}
        layout="vertical"
        initialValues={item ?? { mode: 'both' }}
        onValuesChange={() => setError(null)}
      >
        <Form.Item
          name="code"
          label={t('fields.itemCode')}
          extra={item ? undefined : t('units.codeHelp')}
          rules={[
            { required: true, message: t('items.codeRequired') },
            { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, message: t('errors.invalid_code') },
          ]}
        >
          <Input disabled={item !== null} maxLength={40} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('fields.itemName')}
          rules={[{ required: true, whitespace: true, message: t('items.nameRequired') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="mode" label={t('fields.mode')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={SERVICE_MODES.map((m) => ({ value: m, label: t(`modes.${m}`) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
