import { DownloadOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { RevokeButton } from '../../components/RevokeButton';
import { SecretField, SecretModal } from '../../components/SecretModal';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useUnitNames, useUnits } from '../../queries';
import { useAccount } from '../../session';
import { formatTime, showFieldError } from '../../util';
import { DEVICE_KINDS, ratingsApi, type Device, type DeviceKind } from './api';
import './ratings.css';

const KIND_COLORS: Record<DeviceKind, string> = {
  rating_device: 'blue',
  self_service: 'cyan',
  hotline: 'purple',
  staff: 'default',
};

/** 设备与海报: the rating pads and terminals registered per window, and the 码上评 posters. */
export function DevicesPage() {
  const { t } = useTranslation();
  const { can } = useAccount();
  const canDevices = can('settings:write');
  if (!canDevices && !can('registry:read')) return <NoPermission />;
  return (
    <>
      <PageTitle title={t('devices.title')} description={t('devices.description')} />
      <Tabs
        items={[
          ...(canDevices
            ? [{ key: 'devices', label: t('devices.tabDevices'), children: <DevicesTab /> }]
            : []),
          { key: 'posters', label: t('devices.tabPosters'), children: <PostersTab /> },
        ]}
      />
    </>
  );
}

function DevicesTab() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const units = useUnits();
  const unitNames = useUnitNames();
  const [unitId, setUnitId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ device: Device; token: string } | null>(null);
  const devices = useQuery({
    queryKey: ['devices', unitId],
    queryFn: () => ratingsApi.devices(unitId ?? undefined),
  });

  return (
    <Card size="small">
      <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <UnitTreeSelect
          units={units.data ?? []}
          value={unitId}
          onChange={setUnitId}
          placeholder={t('devices.allUnits')}
          style={{ width: 320 }}
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('devices.create')}
        </Button>
      </Space>
      {devices.isError && <Alert type="error" showIcon title={errorText(devices.error)} />}
      <Table<Device>
        size="small"
        rowKey="id"
        loading={devices.isPending}
        dataSource={devices.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('devices.empty')} />,
        }}
        columns={[
          { title: t('devices.name'), dataIndex: 'name' },
          {
            title: t('devices.unit'),
            dataIndex: 'unitId',
            render: (id: string) => unitNames.get(id)?.name ?? id,
          },
          {
            title: t('devices.kind'),
            dataIndex: 'kind',
            width: 130,
            render: (kind: DeviceKind) => <Tag color={KIND_COLORS[kind]}>{t(`deviceKinds.${kind}`)}</Tag>,
          },
          { title: t('fields.createdAt'), dataIndex: 'createdAt', width: 150, render: formatTime },
          {
            title: t('fields.status'),
            key: 'status',
            width: 150,
            render: (_: unknown, d: Device) =>
              d.revokedAt ? (
                <Tag>{t('devices.revokedAt', { at: formatTime(d.revokedAt) })}</Tag>
              ) : (
                <Tag color="success">{t('devices.active')}</Tag>
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, d: Device) =>
              d.revokedAt ? null : (
                <RevokeButton
                  label={t('devices.revoke')}
                  confirmTitle={t('devices.revokeConfirm', { name: d.name })}
                  confirmText={t('devices.revokeText')}
                  revokedMessage={t('devices.revoked', { name: d.name })}
                  revoke={() => ratingsApi.revokeDevice(d.id)}
                  onRevoked={() => client.invalidateQueries({ queryKey: ['devices'] })}
                />
              ),
          },
        ]}
      />
      {creating && (
        <CreateDeviceModal
          defaultUnitId={unitId}
          onClose={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setSecret(created);
            void client.invalidateQueries({ queryKey: ['devices'] });
          }}
        />
      )}
      {secret && (
        <DeviceTokenModal device={secret.device} token={secret.token} onClose={() => setSecret(null)} />
      )}
    </Card>
  );
}

interface DeviceValues {
  unitId: string;
  kind: DeviceKind;
  name: string;
}

function CreateDeviceModal({
  defaultUnitId,
  onClose,
  onCreated,
}: {
  defaultUnitId: string | null;
  onClose: () => void;
  onCreated: (created: { device: Device; token: string }) => void;
}) {
  const { t } = useTranslation();
  const units = useUnits();
  const [form] = Form.useForm<DeviceValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kind = Form.useWatch('kind', form);

  const submit = async () => {
    let values: DeviceValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onCreated(await ratingsApi.createDevice({ ...values, name: values.name.trim() }));
    } catch (e) {
      if (!showFieldError(form, e, ['unitId', 'kind', 'name'])) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('devices.create')}
      okText={t('common.create')}
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<DeviceValues>
        form={form}
        layout="vertical"
        name="deviceCreate"
        initialValues={{ unitId: defaultUnitId ?? undefined, kind: 'rating_device' }}
      >
        <Form.Item
          name="unitId"
          label={t('devices.unit')}
          extra={t('devices.unitHelp')}
          rules={[{ required: true, message: t('transactions.unitRequired') }]}
        >
          <UnitTreeSelect units={units.data ?? []} />
        </Form.Item>
        <Form.Item
          name="kind"
          label={t('devices.kind')}
          rules={[{ required: true }]}
          extra={kind ? t(`deviceKindHelp.${kind}`) : null}
        >
          <Select options={DEVICE_KINDS.map((k) => ({ value: k, label: t(`deviceKinds.${k}`) }))} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('devices.name')}
          extra={t('devices.nameHelp')}
          rules={[{ required: true, whitespace: true, message: t('devices.nameRequired') }]}
        >
          <Input maxLength={60} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The device token, once: with the kiosk address that carries it, for setting the device up. */
function DeviceTokenModal({
  device,
  token,
  onClose,
}: {
  device: Device;
  token: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const unitNames = useUnitNames();
  const code = unitNames.get(device.unitId)?.code ?? '';
  const kioskUrl = `${window.location.origin}/kiosk/${encodeURIComponent(code)}?device=${encodeURIComponent(token)}`;
  return (
    <SecretModal
      title={t('devices.createdTitle')}
      intro={t('devices.tokenIntro', { name: device.name })}
      secret={token}
      testId="device-token"
      width={640}
      onClose={onClose}
    >
      {device.kind === 'hotline' && <Typography.Paragraph>{t('devices.hotlineIntro')}</Typography.Paragraph>}
      {(device.kind === 'rating_device' || device.kind === 'self_service') && (
        <>
          <Typography.Paragraph>{t('devices.kioskIntro')}</Typography.Paragraph>
          <SecretField value={kioskUrl} testId="kiosk-url" style={{ fontSize: 13 }} />
        </>
      )}
    </SecretModal>
  );
}

function PostersTab() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { account, scoped } = useAccount();
  const units = useUnits();
  const unitNames = useUnitNames();
  const [unitId, setUnitId] = useState<string | null>(scoped ? account.unitId : null);
  const unit = unitId ? unitNames.get(unitId) : undefined;
  return (
    <Card size="small">
      <Typography.Paragraph>{t('devices.postersIntro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <UnitTreeSelect
          id="poster-unit"
          units={units.data ?? []}
          value={unitId}
          onChange={setUnitId}
          placeholder={t('devices.pickPosterUnit')}
          style={{ width: 320 }}
        />
        <Button
          icon={<DownloadOutlined />}
          disabled={!unitId}
          href={unitId ? ratingsApi.posterUrl(unitId) : undefined}
          download={unit ? `poster-${unit.code}.png` : undefined}
        >
          {t('devices.downloadPoster')}
        </Button>
        <Button
          type="primary"
          icon={<PrinterOutlined />}
          disabled={!unitId}
          onClick={() => unitId && void navigate(`/devices/posters/${unitId}`)}
        >
          {t('devices.printPosters')}
        </Button>
      </Space>
      {unitId && unit ? (
        <div style={{ display: 'flex', gap: 24, alignItems: 'flex-start' }}>
          <img
            src={ratingsApi.posterUrl(unitId)}
            alt={t('devices.posterAlt', { name: unit.name })}
            style={{ width: 300, border: '1px solid #eee' }}
          />
          <div>
            <Typography.Paragraph>
              {t('devices.posterLink')}
              <br />
              <Typography.Link href={`/q/${encodeURIComponent(unit.code)}`} target="_blank">
                {`/q/${unit.code}`}
              </Typography.Link>
            </Typography.Paragraph>
            <Typography.Paragraph>
              {t('devices.publicLink')}
              <br />
              <Typography.Link href={`/public/units/${encodeURIComponent(unit.code)}`} target="_blank">
                {`/public/units/${unit.code}`}
              </Typography.Link>
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary">{t('devices.publicUrlNote')}</Typography.Paragraph>
          </div>
        </div>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('devices.pickPosterUnit')} />
      )}
    </Card>
  );
}
