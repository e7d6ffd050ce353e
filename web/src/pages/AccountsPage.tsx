import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../api';
import { NoPermission } from '../components/NoPermission';
import { PageTitle } from '../components/PageTitle';
import { SecretModal } from '../components/SecretModal';
import { UnitTreeSelect } from '../components/UnitTreeSelect';
import { keys, useUnitNames, useUnits } from '../queries';
import { useAccount } from '../session';
import { ROLES, type Account, type Role } from '../types';
import { formatTime, showFieldError } from '../util';

const ROLE_COLORS: Record<Role, string> = {
  admin: 'red',
  office: 'blue',
  unit_staff: 'cyan',
  leader: 'gold',
  supervisor: 'purple',
};

/** 账号管理: who may sign in to the console, with which role and, for unit staff, which unit. */
export function AccountsPage() {
  const { t } = useTranslation();
  const { can, account: me } = useAccount();
  const { message } = App.useApp();
  const client = useQueryClient();
  const accounts = useQuery({
    queryKey: keys.accounts,
    queryFn: api.accounts,
    enabled: can('accounts:manage'),
  });
  const unitNames = useUnitNames();
  const [editing, setEditing] = useState<Account | 'new' | null>(null);
  const [secret, setSecret] = useState<{ username: string; password: string; created: boolean } | null>(null);
  const [search, setSearch] = useState('');

  if (!can('accounts:manage')) return <NoPermission />;

  const mayTouch = (a: Account) => me.role === 'admin' || a.role !== 'admin';
  const needle = search.trim().toLowerCase();
  const rows = (accounts.data ?? []).filter(
    (a) =>
      !needle || a.username.toLowerCase().includes(needle) || a.displayName.toLowerCase().includes(needle),
  );

  const reset = async (a: Account) => {
    try {
      const result = await api.resetPassword(a.id);
      setSecret({ username: a.username, password: result.initialPassword, created: false });
      await client.invalidateQueries({ queryKey: keys.accounts });
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  return (
    <>
      <PageTitle
        title={t('accounts.title')}
        description={t('accounts.description')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('accounts.create')}
          </Button>
        }
      />
      <Card size="small">
        <Input.Search
          allowClear
          placeholder={t('accounts.search')}
          style={{ width: 260, marginBottom: 12 }}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        {accounts.isError && <Alert type="error" showIcon title={errorText(accounts.error)} />}
        <Table<Account>
          size="small"
          rowKey="id"
          loading={accounts.isPending}
          dataSource={rows}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('accounts.empty')} />,
          }}
          columns={[
            { title: t('fields.username'), dataIndex: 'username', width: 150 },
            { title: t('fields.displayName'), dataIndex: 'displayName' },
            {
              title: t('fields.role'),
              dataIndex: 'role',
              width: 120,
              render: (role: Role) => <Tag color={ROLE_COLORS[role]}>{t(`roles.${role}`)}</Tag>,
            },
            {
              title: t('fields.unitId'),
              dataIndex: 'unitId',
              render: (unitId: string | null) => (unitId ? (unitNames.get(unitId)?.name ?? unitId) : '—'),
            },
            {
              title: t('fields.status'),
              key: 'status',
              width: 150,
              render: (_: unknown, a: Account) => (
                <Space size={4}>
                  {a.active ? (
                    <Tag color="success">{t('common.active')}</Tag>
                  ) : (
                    <Tag>{t('common.inactive')}</Tag>
                  )}
                  {a.mustChangePassword && a.active && (
                    <Tag color="warning">{t('accounts.pendingPassword')}</Tag>
                  )}
                </Space>
              ),
            },
            { title: t('fields.createdAt'), dataIndex: 'createdAt', width: 140, render: formatTime },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 170,
              render: (_: unknown, a: Account) =>
                mayTouch(a) ? (
                  <Space size={4}>
                    <Button type="link" size="small" onClick={() => setEditing(a)}>
                      {t('common.edit')}
                    </Button>
                    <Popconfirm
                      title={t('accounts.resetConfirm', { username: a.username })}
                      description={t('accounts.resetConfirmText')}
                      onConfirm={() => void reset(a)}
                    >
                      <Button type="link" size="small">
                        {t('accounts.resetPassword')}
                      </Button>
                    </Popconfirm>
                  </Space>
                ) : (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('accounts.adminOnly')}
                  </Typography.Text>
                ),
            },
          ]}
        />
      </Card>
      {editing && (
        <AccountModal
          account={editing === 'new' ? null : editing}
          isSelf={editing !== 'new' && editing.id === me.id}
          mayAssignAdmin={me.role === 'admin'}
          onClose={() => setEditing(null)}
          onCreated={(username, password) => setSecret({ username, password, created: true })}
        />
      )}
      {secret && (
        <SecretModal
          title={secret.created ? t('accounts.createdTitle') : t('accounts.resetTitle')}
          intro={t('accounts.secretIntro', { username: secret.username })}
          secret={secret.password}
          onClose={() => setSecret(null)}
        />
      )}
    </>
  );
}

interface AccountValues {
  username: string;
  displayName: string;
  role: Role;
  unitId?: string | null;
  active: boolean;
}

function AccountModal({
  account,
  isSelf,
  mayAssignAdmin,
  onClose,
  onCreated,
}: {
  account: Account | null;
  isSelf: boolean;
  mayAssignAdmin: boolean;
  onClose: () => void;
  onCreated: (username: string, password: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const units = useUnits();
  const [form] = Form.useForm<AccountValues>();
  const role = Form.useWatch('role', form);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    let values: AccountValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    const unitId = values.role === 'unit_staff' ? (values.unitId ?? null) : null;
    try {
      if (account) {
        await api.updateAccount(account.id, {
          displayName: values.displayName.trim(),
          ...(isSelf ? {} : { role: values.role, active: values.active }),
          unitId,
        });
        void message.success(t('common.saved'));
      } else {
        const created = await api.createAccount({
          username: values.username.trim(),
          displayName: values.displayName.trim(),
          role: values.role,
          unitId,
        });
        onCreated(created.account.username, created.initialPassword);
      }
      await client.invalidateQueries({ queryKey: keys.accounts });
      onClose();
    } catch (e) {
      if (!showFieldError(form, e, ['username', 'displayName', 'role', 'unitId', 'active']))
        setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={account ? t('accounts.editTitle', { username: account.username }) : t('accounts.create')}
      okText={account ? t('common.save') : t('common.create')}
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<AccountValues>
        name="account"
        form={form}
        layout="vertical"
        initialValues={account ?? { role: 'unit_staff', active: true }}
        onValuesChange={() => setError(null)}
      >
        <Form.Item
          name="username"
          label={t('fields.username')}
          extra={account ? undefined : t('accounts.usernameHelp')}
          rules={[
            { required: true, message: t('accounts.usernameRequired') },
            { pattern: /^[A-Za-z0-9_.@-]{3,40}$/, message: t('accounts.usernameHelp') },
          ]}
        >
          <Input disabled={account !== null} maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('fields.displayName')}
          rules={[{ required: true, whitespace: true, message: t('accounts.displayNameRequired') }]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item
          name="role"
          label={t('fields.role')}
          rules={[{ required: true }]}
          extra={isSelf ? t('accounts.selfRole') : role ? t(`roleHelp.${role}`) : undefined}
        >
          <Select
            disabled={isSelf}
            options={ROLES.filter((r) => mayAssignAdmin || r !== 'admin').map((r) => ({
              value: r,
              label: t(`roles.${r}`),
            }))}
          />
        </Form.Item>
        {role === 'unit_staff' && (
          <Form.Item
            name="unitId"
            label={t('fields.unitId')}
            extra={t('accounts.unitHelp')}
            rules={[{ required: true, message: t('errors.unit_required') }]}
          >
            <UnitTreeSelect units={units.data ?? []} allowClear={false} />
          </Form.Item>
        )}
        {account && (
          <Form.Item
            name="active"
            label={t('fields.active')}
            valuePropName="checked"
            extra={isSelf ? t('accounts.selfActive') : t('accounts.activeHelp')}
          >
            <Switch disabled={isSelf} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
