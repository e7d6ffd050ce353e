import { CopyOutlined, ExportOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useUnitNames, useUnits } from '../../queries';
import { useAccount } from '../../session';
import type { Unit } from '../../types';
import { ancestorsOf, formatTime, showFieldError } from '../../util';
import { ratingsApi, type TransactionView, type TxMode } from './api';
import './ratings.css';

interface Values {
  unitId: string;
  serviceItemId?: string | null;
  staffId?: string | null;
  mode: TxMode;
  externalNo: string;
  receivedAt: Dayjs;
  completedAt?: Dayjs | null;
  contactName?: string;
  contactPhone?: string;
}

const FIELDS = [
  'unitId',
  'serviceItemId',
  'staffId',
  'mode',
  'externalNo',
  'receivedAt',
  'completedAt',
  'contactName',
  'contactPhone',
] as const;

/** The links a clerk recorded since the console was opened: the API shows a link once and lists none. */
const recordedThisVisit: TransactionView[] = [];

function subtreeOf(units: readonly Unit[], id: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const u of units) {
    if (!u.parentId) continue;
    const list = children.get(u.parentId);
    if (list) list.push(u.id);
    else children.set(u.parentId, [u.id]);
  }
  const out = new Set<string>([id]);
  const stack = [id];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop() ?? '') ?? []) {
      if (!out.has(child)) {
        out.add(child);
        stack.push(child);
      }
    }
  }
  return out;
}

/** A case number when the hall system gives none: the date, the time and a random tail. */
function suggestNumber(): string {
  return `BJ${dayjs().format('YYYYMMDDHHmmss')}${Math.floor(Math.random() * 900 + 100)}`;
}

/** 办件登记: a clerk records a transaction and hands the person served the rating link or QR code. */
export function TransactionsPage() {
  const { t } = useTranslation();
  const { can, account, scoped } = useAccount();
  const { message } = App.useApp();
  const units = useUnits();
  const unitNames = useUnitNames();
  const items = useQuery({
    queryKey: ['service-items', 'all'],
    queryFn: () => api.serviceItems(),
    staleTime: 60_000,
  });
  const staff = useQuery({ queryKey: ['staff', 'all'], queryFn: () => api.staff(), staleTime: 60_000 });
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<TransactionView | null>(null);
  const [recorded, setRecorded] = useState<TransactionView[]>(() => [...recordedThisVisit]);
  const unitId = Form.useWatch('unitId', form);
  const list = useMemo(() => units.data ?? [], [units.data]);

  // Items and staff of the unit, of the units above it and of the units under it (as the API accepts).
  const related = useMemo(() => {
    if (!unitId) return new Set<string>();
    return new Set([...ancestorsOf(list, unitId), ...subtreeOf(list, unitId)]);
  }, [list, unitId]);
  const itemOptions = (items.data ?? [])
    .filter((i) => i.active && related.has(i.unitId))
    .map((i) => ({
      value: i.id,
      label: `${i.name}（${t(`modes.${i.mode}`)}）`,
      search: `${i.name} ${i.code}`.toLowerCase(),
    }));
  const staffOptions = (staff.data ?? [])
    .filter((s) => s.active && related.has(s.unitId))
    .map((s) => ({
      value: s.id,
      label: `${s.name}（${s.staffNo}）${s.position ? ` · ${s.position}` : ''}`,
      search: `${s.name} ${s.staffNo}`.toLowerCase(),
    }));

  if (!can('transactions:write')) return <NoPermission />;

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const view = await ratingsApi.recordTransaction({
        externalNo: values.externalNo.trim(),
        unitId: values.unitId,
        serviceItemId: values.serviceItemId ?? null,
        staffId: values.staffId ?? null,
        mode: values.mode,
        receivedAt: values.receivedAt.format(),
        completedAt: values.completedAt ? values.completedAt.format() : null,
        ...(values.contactName?.trim() ? { contactName: values.contactName.trim() } : {}),
        ...(values.contactPhone?.trim() ? { contactPhone: values.contactPhone.trim() } : {}),
      });
      recordedThisVisit.unshift(view);
      setRecorded([...recordedThisVisit]);
      setCreated(view);
      void message.success(t('transactions.created', { no: view.externalNo }));
    } catch (e) {
      if (!showFieldError(form, e, FIELDS)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const next = () => {
    setCreated(null);
    form.setFieldsValue({
      externalNo: suggestNumber(),
      receivedAt: dayjs(),
      completedAt: dayjs(),
      contactName: '',
      contactPhone: '',
    });
  };

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      void message.success(t('secret.copied'));
    } catch {
      void message.warning(t('secret.copyFailed'));
    }
  };

  const itemOf = (id: string | null) => (items.data ?? []).find((i) => i.id === id)?.name ?? '';

  return (
    <>
      <PageTitle title={t('transactions.title')} description={t('transactions.description')} />
      <Row gutter={16} align="top">
        <Col span={13}>
          <Card size="small" title={t('transactions.formTitle')}>
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
            <Form<Values>
              name="transaction"
              form={form}
              layout="horizontal"
              labelCol={{ span: 6 }}
              wrapperCol={{ span: 18 }}
              initialValues={{
                unitId: scoped ? (account.unitId ?? undefined) : undefined,
                mode: 'offline',
                externalNo: suggestNumber(),
                receivedAt: dayjs(),
                completedAt: dayjs(),
              }}
              onValuesChange={(changed: Partial<Values>) => {
                setError(null);
                if ('unitId' in changed) form.setFieldsValue({ serviceItemId: null, staffId: null });
                if (changed.serviceItemId) {
                  const mode = (items.data ?? []).find((i) => i.id === changed.serviceItemId)?.mode;
                  if (mode === 'online' || mode === 'offline') form.setFieldsValue({ mode });
                }
              }}
            >
              <Form.Item
                name="unitId"
                label={t('transactions.unit')}
                rules={[{ required: true, message: t('transactions.unitRequired') }]}
                extra={t('transactions.unitHelp')}
              >
                <UnitTreeSelect units={list} />
              </Form.Item>
              <Form.Item name="serviceItemId" label={t('transactions.item')}>
                <Select
                  allowClear
                  showSearch={{
                    filterOption: (input, option) => (option?.search ?? '').includes(input.toLowerCase()),
                  }}
                  placeholder={unitId ? t('transactions.itemPlaceholder') : t('transactions.pickUnitFirst')}
                  disabled={!unitId}
                  options={itemOptions}
                  loading={items.isPending}
                  notFoundContent={t('transactions.noItems')}
                />
              </Form.Item>
              <Form.Item name="staffId" label={t('transactions.staff')}>
                <Select
                  allowClear
                  showSearch={{
                    filterOption: (input, option) => (option?.search ?? '').includes(input.toLowerCase()),
                  }}
                  placeholder={unitId ? t('transactions.staffPlaceholder') : t('transactions.pickUnitFirst')}
                  disabled={!unitId}
                  options={staffOptions}
                  loading={staff.isPending}
                  notFoundContent={t('transactions.noStaff')}
                />
              </Form.Item>
              <Form.Item name="mode" label={t('transactions.mode')} rules={[{ required: true }]}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'offline', label: t('modes.offline') },
                    { value: 'online', label: t('modes.online') },
                  ]}
                />
              </Form.Item>
              <Form.Item
                label={t('transactions.externalNo')}
                required
                extra={t('transactions.externalNoHelp')}
              >
                <Space.Compact style={{ width: '100%' }}>
                  <Form.Item
                    name="externalNo"
                    noStyle
                    rules={[
                      { required: true, whitespace: true, message: t('transactions.externalNoRequired') },
                    ]}
                  >
                    <Input maxLength={64} aria-label={t('transactions.externalNo')} />
                  </Form.Item>
                  <Button onClick={() => form.setFieldsValue({ externalNo: suggestNumber() })}>
                    {t('transactions.generate')}
                  </Button>
                </Space.Compact>
              </Form.Item>
              <Form.Item
                name="receivedAt"
                label={t('transactions.receivedAt')}
                rules={[{ required: true, message: t('transactions.receivedRequired') }]}
              >
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 220 }} />
              </Form.Item>
              <Form.Item name="completedAt" label={t('transactions.completedAt')}>
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 220 }} />
              </Form.Item>
              <Form.Item name="contactName" label={t('transactions.contactName')}>
                <Input maxLength={40} style={{ width: 220 }} />
              </Form.Item>
              <Form.Item
                name="contactPhone"
                label={t('transactions.contactPhone')}
                extra={t('transactions.contactHelp')}
                rules={[{ pattern: /^[0-9+\- ]*$/, message: t('units.phoneInvalid') }]}
              >
                <Input maxLength={30} style={{ width: 220 }} inputMode="tel" />
              </Form.Item>
              <Form.Item wrapperCol={{ offset: 6, span: 18 }} style={{ marginBottom: 0 }}>
                <Button type="primary" icon={<PlusOutlined />} loading={busy} onClick={() => void submit()}>
                  {t('transactions.submit')}
                </Button>
              </Form.Item>
            </Form>
          </Card>
        </Col>
        <Col span={11}>
          <Card size="small" title={t('transactions.resultTitle')} data-testid="transaction-result">
            {!created ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('transactions.resultEmpty')} />
            ) : (
              <Space orientation="vertical" style={{ width: '100%' }} size={12}>
                <Alert
                  type="success"
                  showIcon
                  title={t('transactions.created', { no: created.externalNo })}
                />
                <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start' }}>
                  {created.qrSvg && (
                    <img
                      className="mp-qr"
                      alt={t('transactions.qrAlt')}
                      src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(created.qrSvg)}`}
                    />
                  )}
                  <div style={{ flex: 1, minWidth: 0 }}>
                    <Typography.Paragraph style={{ marginBottom: 6 }}>
                      {t('transactions.qrHelp')}
                    </Typography.Paragraph>
                    <div className="mp-link" data-testid="rating-link">
                      {created.ratingLink}
                    </div>
                    <Space wrap style={{ marginTop: 8 }}>
                      <Button
                        size="small"
                        icon={<CopyOutlined />}
                        onClick={() => void copy(created.ratingLink)}
                      >
                        {t('transactions.copyLink')}
                      </Button>
                      <Button size="small" icon={<ExportOutlined />} href={created.ratingUrl} target="_blank">
                        {t('transactions.openLink')}
                      </Button>
                      <Button size="small" icon={<PrinterOutlined />} onClick={() => window.print()}>
                        {t('transactions.print')}
                      </Button>
                    </Space>
                  </div>
                </div>
                <Descriptions
                  size="small"
                  column={1}
                  bordered
                  items={[
                    {
                      key: 'unit',
                      label: t('transactions.unit'),
                      children: unitNames.get(created.unitId)?.name ?? '',
                    },
                    {
                      key: 'item',
                      label: t('transactions.item'),
                      children: itemOf(created.serviceItemId) || '—',
                    },
                    {
                      key: 'expires',
                      label: t('transactions.expiresAt'),
                      children: formatTime(created.expiresAt),
                    },
                    {
                      key: 'default',
                      label: t('transactions.defaultDueAt'),
                      children: formatTime(created.defaultDueAt),
                    },
                  ]}
                />
                <Alert type="warning" showIcon title={t('transactions.onceOnly')} />
                <Button type="primary" onClick={next}>
                  {t('transactions.next')}
                </Button>
              </Space>
            )}
          </Card>
        </Col>
      </Row>
      {created && (
        <div className="mp-slip" aria-hidden="true">
          <h2>{t('transactions.slipTitle')}</h2>
          <p>{unitNames.get(created.unitId)?.name ?? ''}</p>
          {itemOf(created.serviceItemId) && <p>{itemOf(created.serviceItemId)}</p>}
          <p>
            {t('transactions.externalNo')}：{created.externalNo}
          </p>
          {created.qrSvg && (
            <img alt="" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(created.qrSvg)}`} />
          )}
          <p>{t('transactions.slipScan')}</p>
          <p className="mp-link">{created.ratingLink}</p>
          <p>{t('transactions.slipValid', { date: formatTime(created.expiresAt).slice(0, 10) })}</p>
        </div>
      )}
      <Card
        size="small"
        title={t('transactions.listTitle')}
        style={{ marginTop: 16 }}
        className="mp-no-print"
      >
        <Typography.Paragraph type="secondary">{t('transactions.listHelp')}</Typography.Paragraph>
        <Table<TransactionView>
          size="small"
          rowKey="id"
          dataSource={recorded}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('transactions.listEmpty')} />
            ),
          }}
          columns={[
            { title: t('transactions.externalNo'), dataIndex: 'externalNo', width: 190 },
            {
              title: t('transactions.unit'),
              dataIndex: 'unitId',
              render: (id: string) => unitNames.get(id)?.name ?? id,
            },
            {
              title: t('transactions.item'),
              dataIndex: 'serviceItemId',
              render: (id: string | null) => itemOf(id) || '—',
            },
            { title: t('transactions.receivedAt'), dataIndex: 'receivedAt', width: 140, render: formatTime },
            { title: t('transactions.expiresAt'), dataIndex: 'expiresAt', width: 140, render: formatTime },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 170,
              render: (_: unknown, tx: TransactionView) => (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => void copy(tx.ratingLink)}>
                    {t('transactions.copyLink')}
                  </Button>
                  <Button type="link" size="small" onClick={() => setCreated(tx)}>
                    {t('transactions.showQr')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
