import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Form, Input, Modal, Popconfirm, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api';
import { keys } from '../../queries';
import type { Staff, Unit } from '../../types';
import { showFieldError } from '../../util';

interface StaffValues {
  staffNo: string;
  name: string;
  position?: string;
  phone?: string;
}

/** The 人员 tab: the people who serve at this unit (ratings can name them). */
export function StaffTab({ unit, readOnly }: { unit: Unit; readOnly: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const staff = useQuery({ queryKey: keys.staff(unit.id), queryFn: () => api.staff(unit.id) });
  const [editing, setEditing] = useState<Staff | 'new' | null>(null);

  const refresh = async () => {
    await Promise.all([
      client.invalidateQueries({ queryKey: keys.staff(unit.id) }),
      client.invalidateQueries({ queryKey: keys.unit(unit.id) }),
      client.invalidateQueries({ queryKey: keys.audit }),
    ]);
  };

  const toggle = async (person: Staff) => {
    try {
      await api.updateStaff(person.id, { active: !person.active });
      void message.success(person.active ? t('staff.disabled') : t('staff.enabled'));
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
            {t('staff.add')}
          </Button>
        </div>
      )}
      {staff.isError && <Alert type="error" showIcon title={errorText(staff.error)} />}
      <Table<Staff>
        size="small"
        rowKey="id"
        loading={staff.isPending}
        dataSource={staff.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={readOnly ? t('staff.emptyReadOnly') : t('staff.empty')}
            />
          ),
        }}
        columns={[
          { title: t('fields.staffNo'), dataIndex: 'staffNo', width: 140 },
          { title: t('fields.staffName'), dataIndex: 'name', width: 140 },
          { title: t('fields.position'), dataIndex: 'position', render: (v: string) => v || '—' },
          { title: t('fields.phone'), dataIndex: 'phone', width: 150, render: (v: string) => v || '—' },
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
                  render: (_: unknown, person: Staff) => (
                    <Space size={4}>
                      <Button type="link" size="small" onClick={() => setEditing(person)}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={person.active ? t('staff.disableConfirm') : t('staff.enableConfirm')}
                        onConfirm={() => void toggle(person)}
                      >
                        <Button type="link" size="small" danger={person.active}>
                          {person.active ? t('common.disable') : t('common.enable')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]),
        ]}
      />
      {editing && (
        <StaffModal
          unit={unit}
          person={editing === 'new' ? null : editing}
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

function StaffModal({
  unit,
  person,
  onClose,
  onSaved,
}: {
  unit: Unit;
  person: Staff | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<StaffValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    let values: StaffValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    const common = {
      name: values.name.trim(),
      position: values.position?.trim() ?? '',
      phone: values.phone?.trim() ?? '',
    };
    try {
      if (person) await api.updateStaff(person.id, common);
      else await api.createStaff({ ...common, staffNo: values.staffNo.trim(), unitId: unit.id });
      void message.success(t('common.saved'));
      await onSaved();
    } catch (e) {
      if (!showFieldError(form, e, ['staffNo', 'name', 'position', 'phone'])) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={person ? t('staff.editTitle') : t('staff.addTitle', { unit: unit.name })}
      okText={person ? t('common.save') : t('common.create')}
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<StaffValues>
        name="staff"
        form={form}
        layout="vertical"
        initialValues={person ?? {}}
        onValuesChange={() => setError(null)}
      >
        <Form.Item
          name="staffNo"
          label={t('fields.staffNo')}
          rules={[
            { required: true, message: t('staff.noRequired') },
            { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, message: t('errors.invalid_code') },
          ]}
        >
          <Input disabled={person !== null} maxLength={40} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('fields.staffName')}
          rules={[{ required: true, whitespace: true, message: t('staff.nameRequired') }]}
        >
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="position" label={t('fields.position')}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('fields.phone')}
          rules={[{ pattern: /^[0-9+\- ]*$/, message: t('units.phoneInvalid') }]}
        >
          <Input maxLength={30} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
