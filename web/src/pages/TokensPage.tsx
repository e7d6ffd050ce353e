import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, DatePicker, Empty, Form, Input, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../api';
import { FormModal } from '../components/FormModal';
import { NoPermission } from '../components/NoPermission';
import { PageTitle } from '../components/PageTitle';
import { RevokeButton } from '../components/RevokeButton';
import { SecretModal } from '../components/SecretModal';
import { UnitTreeSelect } from '../components/UnitTreeSelect';
import { keys, useUnitNames, useUnits } from '../queries';
import { useAccount } from '../session';
import { CONSOLE_TOKEN_SCOPES, type ApiToken, type TokenScope } from '../types';
import { formatTime } from '../util';

/** API 令牌: credentials for the service systems (window devices, hall systems) that call the API. */
export function TokensPage() {
  const { t } = useTranslation();
  const { can } = useAccount();
  const client = useQueryClient();
  const tokens = useQuery({ queryKey: keys.tokens, queryFn: api.tokens, enabled: can('tokens:manage') });
  const unitNames = useUnitNames();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const now = new Date().toISOString();

  if (!can('tokens:manage')) return <NoPermission />;

  return (
    <>
      <PageTitle
        title={t('tokens.title')}
        description={t('tokens.description')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('tokens.create')}
          </Button>
        }
      />
      <Card size="small">
        {tokens.isError && <Alert type="error" showIcon title={errorText(tokens.error)} />}
        <Table<ApiToken>
          size="small"
          rowKey="id"
          loading={tokens.isPending}
          dataSource={tokens.data ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tokens.empty')} />,
          }}
          columns={[
            { title: t('fields.tokenName'), dataIndex: 'name', width: 180 },
            {
              title: t('fields.prefix'),
              dataIndex: 'prefix',
              width: 130,
              render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text>,
            },
            {
              title: t('fields.scopes'),
              dataIndex: 'scopes',
              render: (scopes: TokenScope[]) => scopes.map((s) => <Tag key={s}>{t(`scopes.${s}`)}</Tag>),
            },
            {
              title: t('fields.tokenUnit'),
              dataIndex: 'unitId',
              width: 160,
              render: (unitId: string | null) =>
                unitId ? (unitNames.get(unitId)?.name ?? unitId) : t('tokens.allUnits'),
            },
            { title: t('fields.createdBy'), dataIndex: 'createdBy', width: 110 },
            { title: t('fields.createdAt'), dataIndex: 'createdAt', width: 140, render: formatTime },
            {
              title: t('fields.expiresAt'),
              dataIndex: 'expiresAt',
              width: 140,
              render: (v: string | null) => (v ? formatTime(v) : t('tokens.never')),
            },
            {
              title: t('fields.lastUsedAt'),
              dataIndex: 'lastUsedAt',
              width: 140,
              render: (v: string | null) => (v ? formatTime(v) : t('tokens.unused')),
            },
            {
              title: t('fields.status'),
              key: 'status',
              width: 90,
              render: (_: unknown, token: ApiToken) =>
                token.revokedAt ? (
                  <Tag>{t('tokens.statusRevoked')}</Tag>
                ) : token.expiresAt && token.expiresAt <= now ? (
                  <Tag color="warning">{t('tokens.statusExpired')}</Tag>
                ) : (
                  <Tag color="success">{t('tokens.statusActive')}</Tag>
                ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 80,
              render: (_: unknown, token: ApiToken) =>
                token.revokedAt ? null : (
                  <RevokeButton
                    label={t('tokens.revoke')}
                    confirmTitle={t('tokens.revokeConfirm', { name: token.name })}
                    confirmText={t('tokens.revokeText')}
                    revokedMessage={t('tokens.revoked', { name: token.name })}
                    revoke={() => api.revokeToken(token.id)}
                    onRevoked={() => client.invalidateQueries({ queryKey: keys.tokens })}
                  />
                ),
            },
          ]}
        />
      </Card>
      {creating && (
        <CreateTokenModal
          onClose={() => setCreating(false)}
          onCreated={(name, token) => {
            setCreating(false);
            setSecret({ name, token });
          }}
        />
      )}
      {secret && (
        <SecretModal
          title={t('tokens.createdTitle')}
          intro={t('tokens.secretIntro', { name: secret.name })}
          secret={secret.token}
          onClose={() => setSecret(null)}
        />
      )}
    </>
  );
}

interface TokenValues {
  name: string;
  scopes: TokenScope[];
  unitId?: string | null;
  expiresAt?: Dayjs | null;
}

function CreateTokenModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (name: string, token: string) => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const units = useUnits();
  const [form] = Form.useForm<TokenValues>();

  const save = async (values: TokenValues) => {
    const created = await api.createToken({
      name: values.name.trim(),
      scopes: values.scopes,
      unitId: values.unitId ?? null,
      // The token stops working at the end of the chosen day.
      expiresAt: values.expiresAt ? values.expiresAt.endOf('day').toISOString() : null,
    });
    await client.invalidateQueries({ queryKey: keys.tokens });
    onCreated(created.view.name, created.token);
  };

  return (
    <FormModal<TokenValues>
      form={form}
      name="token"
      title={t('tokens.create')}
      okText={t('common.create')}
      initialValues={{ scopes: ['registry:read'] }}
      fields={['name', 'scopes', 'unitId', 'expiresAt']}
      onSave={save}
      onClose={onClose}
    >
      <Form.Item
        name="name"
        label={t('fields.tokenName')}
        extra={t('tokens.nameHelp')}
        rules={[{ required: true, whitespace: true, message: t('tokens.nameRequired') }]}
      >
        <Input maxLength={80} autoFocus />
      </Form.Item>
      <Form.Item
        name="scopes"
        label={t('fields.scopes')}
        rules={[{ required: true, type: 'array', min: 1, message: t('errors.scopes_required') }]}
      >
        <Checkbox.Group options={CONSOLE_TOKEN_SCOPES.map((s) => ({ value: s, label: t(`scopes.${s}`) }))} />
      </Form.Item>
      <Form.Item name="unitId" label={t('fields.tokenUnit')} extra={t('tokens.unitHelp')}>
        <UnitTreeSelect units={units.data ?? []} placeholder={t('tokens.allUnits')} />
      </Form.Item>
      <Form.Item name="expiresAt" label={t('fields.expiresAt')} extra={t('tokens.expiryHelp')}>
        <DatePicker
          style={{ width: 200 }}
          disabledDate={(d) => d.isBefore(new Date(), 'day')}
          placeholder={t('tokens.never')}
        />
      </Form.Item>
    </FormModal>
  );
}
